import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Registering a store in the web's two steps: the store, then its manager. The
// server checks each step and names what is wrong beside the field; then the
// manager confirms their email address from the link Hanout sends, and signs in.
Page {
    id: root
    objectName: "signUpPage"

    readonly property var choices: session.signUpChoices
    readonly property var store: session.signUpStore

    function fieldError(name) {
        return session.fieldErrors[name] || ""
    }
    // The index of `value` in one of the server's lists of {value, label}.
    function indexOf(list, value) {
        for (let i = 0; list && i < list.length; ++i)
            if (list[i].value === value)
                return i
        return -1
    }

    // A label, its field (the default item) and the server's word about it.
    component Field: ColumnLayout {
        property alias label: caption.text
        property string name
        default property alias content: holder.data
        spacing: 2
        Layout.fillWidth: true
        Label { id: caption }
        Item {
            id: holder
            Layout.fillWidth: true
            implicitHeight: childrenRect.height
        }
        Label {
            objectName: parent.name ? parent.name + "Error" : ""
            visible: text !== ""
            text: root.fieldError(parent.name)
            color: Material.color(Material.Red)
            font.pixelSize: 12
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
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
            ComboBox {
                id: languageBox
                model: desktop.languages
                textRole: "name"
                valueRole: "code"
                Component.onCompleted: currentIndex = indexOfValue(desktop.language)
                onActivated: desktop.setLanguage(currentValue)
                Accessible.name: qsTr("Language")
            }
        }
    }

    Flickable {
        id: flick
        objectName: "signUpFlick"
        anchors.fill: parent
        contentHeight: form.implicitHeight + 64
        ScrollBar.vertical: ScrollBar {}
        // Each step opens at its top (step one was scrolled down to its Continue button).
        Connections {
            target: session
            function onStateChanged() { flick.contentY = 0 }
        }

        ColumnLayout {
            id: form
            width: Math.min(480, root.width - 48)
            anchors.horizontalCenter: parent.horizontalCenter
            y: 32
            spacing: 10

            Label {
                text: qsTr("Register a store")
                font.pixelSize: 26
            }
            Label {
                objectName: "signUpStepLabel"
                visible: session.state !== "signUpSent"
                text: session.state === "signUpStore"
                      ? qsTr("Step 1 of 2: the store")
                      : qsTr("Step 2 of 2: its manager")
                color: Material.hintTextColor
                Layout.bottomMargin: 8
            }

            Label {
                objectName: "signUpErrorLabel"
                visible: text !== ""
                text: session.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // --- step 1: the store ---------------------------------------------------------
            ColumnLayout {
                visible: session.state === "signUpStore"
                spacing: 8
                Layout.fillWidth: true

                Field {
                    label: qsTr("Business name")
                    name: "name"
                    TextField {
                        id: storeName
                        objectName: "storeNameField"
                        width: parent.width
                        focus: true
                    }
                }
                Field {
                    label: qsTr("Country")
                    name: "country"
                    ChoiceBox {
                        id: country
                        objectName: "countryBox"
                        width: parent.width
                        model: root.choices.countries || []
                        textRole: "label"
                        valueRole: "value"
                        // No country until the person picks one (a new list would select the first).
                        onModelChanged: currentIndex = -1
                        displayText: currentIndex < 0 ? qsTr("Choose the country") : currentText
                    }
                }
                Field {
                    label: qsTr("Currency")
                    name: "currency"
                    ChoiceBox {
                        id: currency
                        objectName: "currencyBox"
                        width: parent.width
                        model: root.choices.currencies || []
                        textRole: "label"
                        valueRole: "value"
                        // The web's default, once the list has come.
                        onModelChanged: currentIndex = root.indexOf(model, (root.choices.defaults || {}).currency)
                    }
                }
                Field {
                    label: qsTr("Time zone")
                    name: "time_zone"
                    ChoiceBox {
                        id: timeZone
                        objectName: "timeZoneBox"
                        width: parent.width
                        model: root.choices.time_zones || []
                        textRole: "label"
                        valueRole: "value"
                        onModelChanged: currentIndex = root.indexOf(model, (root.choices.defaults || {}).time_zone)
                    }
                }
                Field {
                    label: qsTr("First shop's name")
                    name: "shop_name"
                    TextField {
                        id: shopName
                        objectName: "shopNameField"
                        width: parent.width
                        placeholderText: qsTr("Leave empty to use the business name.")
                    }
                }
                Field {
                    label: qsTr("First shop's address")
                    name: "address"
                    TextArea {
                        id: address
                        objectName: "addressField"
                        width: parent.width
                        wrapMode: TextEdit.Wrap
                    }
                }
                Field {
                    label: qsTr("Default language")
                    name: "language"
                    ComboBox {
                        id: storeLanguage
                        objectName: "storeLanguageBox"
                        width: parent.width
                        model: root.choices.languages || []
                        textRole: "label"
                        valueRole: "value"
                        onModelChanged: currentIndex = root.indexOf(model, desktop.language)
                    }
                }
                Field {
                    label: qsTr("Referral code (optional)")
                    name: "referral_code"
                    TextField {
                        id: referral
                        objectName: "referralField"
                        width: parent.width
                        inputMethodHints: Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
                    }
                }
                Button {
                    objectName: "storeNextButton"
                    text: qsTr("Continue")
                    highlighted: true
                    enabled: !session.busy
                    Layout.fillWidth: true
                    onClicked: session.submitStore({
                        name: storeName.text,
                        country: country.currentIndex < 0 ? "" : country.currentValue,
                        currency: currency.currentIndex < 0 ? "" : currency.currentValue,
                        time_zone: timeZone.currentIndex < 0 ? "" : timeZone.currentValue,
                        shop_name: shopName.text,
                        address: address.text,
                        language: storeLanguage.currentIndex < 0 ? "" : storeLanguage.currentValue,
                        referral_code: referral.text
                    })
                }
            }

            // --- step 2: the manager -------------------------------------------------------
            ColumnLayout {
                visible: session.state === "signUpManager"
                spacing: 8
                Layout.fillWidth: true

                Label {
                    objectName: "signUpStoreSummary"
                    text: qsTr("The manager of %1. You will receive an email to confirm your address.")
                          .arg(root.store.name || "")
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "signUpSponsor"
                    visible: !!root.store.sponsor
                    text: qsTr("Invited by %1.").arg(root.store.sponsor || "")
                    color: Material.accentColor
                }
                Field {
                    label: qsTr("Full name")
                    name: "full_name"
                    TextField {
                        id: fullName
                        objectName: "fullNameField"
                        width: parent.width
                    }
                }
                Field {
                    label: qsTr("Email address")
                    name: "email"
                    TextField {
                        id: email
                        objectName: "signUpEmailField"
                        width: parent.width
                        inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
                    }
                }
                Field {
                    label: qsTr("Phone (optional)")
                    name: "phone"
                    TextField {
                        id: phone
                        objectName: "phoneField"
                        width: parent.width
                        inputMethodHints: Qt.ImhDialableCharactersOnly
                    }
                }
                Field {
                    label: qsTr("Password")
                    name: "password"
                    TextField {
                        id: password
                        objectName: "signUpPasswordField"
                        width: parent.width
                        echoMode: TextInput.Password
                    }
                }
                Field {
                    label: qsTr("Password (again)")
                    name: "password2"
                    TextField {
                        id: password2
                        objectName: "signUpPassword2Field"
                        width: parent.width
                        echoMode: TextInput.Password
                        onAccepted: createButton.clicked()
                    }
                }
                Button {
                    id: createButton
                    objectName: "createStoreButton"
                    text: qsTr("Create the store")
                    highlighted: true
                    enabled: !session.busy
                    Layout.fillWidth: true
                    onClicked: session.submitManager({
                        full_name: fullName.text,
                        email: email.text,
                        phone: phone.text,
                        password: password.text,
                        password2: password2.text
                    })
                }
                Button {
                    objectName: "changeStoreButton"
                    text: qsTr("Change the store")
                    flat: true
                    Layout.fillWidth: true
                    onClicked: session.backToStore()
                }
            }

            // --- done: confirm the address -------------------------------------------------
            ColumnLayout {
                visible: session.state === "signUpSent"
                spacing: 8
                Layout.fillWidth: true

                Label {
                    objectName: "signUpSentLabel"
                    text: qsTr("%1 is registered. We sent an email to %2: open its link to confirm your address, then sign in here.")
                          .arg(root.store.name || "").arg(session.email)
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }

            Button {
                objectName: "backToSignInButton"
                text: session.state === "signUpSent" ? qsTr("Sign in") : qsTr("I already have an account")
                flat: session.state !== "signUpSent"
                highlighted: session.state === "signUpSent"
                Layout.fillWidth: true
                onClicked: session.cancel()
            }

            BusyIndicator {
                objectName: "signUpBusy"
                running: session.busy
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
        }
    }
}
