import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Sign in with a password or a code sent by email, then the authenticator's
// code when two-factor is on — the same steps as the web.
Page {
    id: root
    objectName: "signInPage"

    function fieldError(name) {
        return session.fieldErrors[name] || ""
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            Label {
                text: qsTr("Hanout")
                font.pixelSize: 20
                font.bold: true
                Layout.fillWidth: true
            }
            LanguageBox {}
        }
    }

    Flickable {
        anchors.fill: parent
        contentHeight: form.implicitHeight + 64
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: form
            width: Math.min(420, root.width - 48)
            anchors.horizontalCenter: parent.horizontalCenter
            y: 32
            spacing: 10

            Label {
                text: session.state === "totp" ? qsTr("Two-factor authentication")
                    : session.state === "code" ? qsTr("Check your email")
                    : qsTr("Sign in")
                font.pixelSize: 26
                Layout.bottomMargin: 8
            }

            Label {
                objectName: "errorLabel"
                visible: text !== ""
                text: session.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // --- step 1: server, email, password ------------------------------------------
            ColumnLayout {
                visible: session.state === "signedOut"
                spacing: 6
                Layout.fillWidth: true

                Label { text: qsTr("Server") }
                TextField {
                    id: server
                    objectName: "serverField"
                    text: session.serverUrl
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    Layout.fillWidth: true
                    onEditingFinished: session.setServerUrl(text)
                }
                Label { text: qsTr("Email address") }
                TextField {
                    id: email
                    objectName: "emailField"
                    text: session.email
                    inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
                    Layout.fillWidth: true
                    focus: true
                    onAccepted: password.forceActiveFocus()
                }
                Label {
                    visible: text !== ""
                    text: root.fieldError("email")
                    color: Material.color(Material.Red)
                    font.pixelSize: 12
                }
                Label { text: qsTr("Password") }
                TextField {
                    id: password
                    objectName: "passwordField"
                    echoMode: TextInput.Password
                    Layout.fillWidth: true
                    onAccepted: signIn.clicked()
                }
                Label {
                    visible: text !== ""
                    text: root.fieldError("password")
                    color: Material.color(Material.Red)
                    font.pixelSize: 12
                }
                Button {
                    id: signIn
                    objectName: "signInButton"
                    text: qsTr("Sign in")
                    highlighted: true
                    enabled: !session.busy
                    Layout.fillWidth: true
                    onClicked: {
                        session.setServerUrl(server.text)
                        session.signIn(email.text, password.text)
                    }
                }
                Button {
                    objectName: "requestCodeButton"
                    text: qsTr("Email me a sign-in code instead")
                    flat: true
                    enabled: !session.busy
                    Layout.fillWidth: true
                    onClicked: {
                        session.setServerUrl(server.text)
                        session.requestCode(email.text)
                    }
                }
                Button {
                    objectName: "registerStoreButton"
                    text: qsTr("Register a new store")
                    flat: true
                    enabled: !session.busy
                    Layout.fillWidth: true
                    onClicked: {
                        session.setServerUrl(server.text)
                        session.startSignUp()
                    }
                }
            }

            // --- step 2: a code (emailed, or from the authenticator) --------------------------
            ColumnLayout {
                visible: session.state === "code" || session.state === "totp"
                spacing: 6
                Layout.fillWidth: true

                Label {
                    text: session.state === "code"
                          ? qsTr("We sent a sign-in code to %1. Type it here.").arg(session.email)
                          : qsTr("Open your authenticator app and type the 6-digit code for Hanout.")
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                TextField {
                    id: code
                    objectName: "codeField"
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    font.pixelSize: 22
                    horizontalAlignment: TextInput.AlignHCenter
                    Layout.fillWidth: true
                    onAccepted: confirm.clicked()
                    onVisibleChanged: if (visible) { text = ""; forceActiveFocus() }
                }
                Label {
                    visible: text !== ""
                    text: root.fieldError("code")
                    color: Material.color(Material.Red)
                    font.pixelSize: 12
                }
                Button {
                    id: confirm
                    objectName: "confirmCodeButton"
                    text: qsTr("Continue")
                    highlighted: true
                    enabled: !session.busy && code.text.length > 0
                    Layout.fillWidth: true
                    onClicked: session.state === "code" ? session.confirmCode(code.text)
                                                        : session.authenticateTotp(code.text)
                }
                Button {
                    text: qsTr("Back")
                    flat: true
                    Layout.fillWidth: true
                    onClicked: session.cancel()
                }
            }

            BusyIndicator {
                objectName: "signInBusy"
                running: session.busy
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
        }
    }
}
