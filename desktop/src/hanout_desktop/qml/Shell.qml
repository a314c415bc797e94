import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Hanout

// The signed-in window: the modules this person may open on the side, the
// chosen one beside it. A module they can only read opens without edit controls.
Page {
    id: shell
    objectName: "shell"
    property string current: session.modules.length > 0 ? session.modules[0].key : ""

    function open(key) { current = key }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label {
                objectName: "shellTitle"
                text: session.me.business ? session.me.business.name : ""
                font.pixelSize: 18
                font.bold: true
                elide: Text.ElideRight
                // Explicit, so that it is mirrored: a Latin name in Arabic would keep to
                // the left of its (widened) label and leave a strip empty at the start.
                horizontalAlignment: Text.AlignLeft
                Layout.fillWidth: true
            }
            Label {
                objectName: "offlineLabel"
                visible: !api.reachable
                text: qsTr("Server unreachable")
                color: Material.color(Material.Orange)
            }
            Label {
                text: session.me.user ? (session.me.user.name || session.me.user.email) : ""
                elide: Text.ElideRight
            }
            LanguageBox { objectName: "shellLanguageBox" }
            ToolButton {
                objectName: "registerModeButton"
                visible: session.canWrite("register")
                text: qsTr("Register mode")
                // A paired computer opens for anyone who sells (a cashier too); pairing one
                // is for an owner or a manager, and anyone else is told so before any form.
                onClicked: register.paired ? register.checkPairing()
                           : session.canPairRegisters ? pairDialog.open() : notPairedDialog.open()
            }
            // Already a register: a manager may make it another register of the store
            // (the old pairing is revoked on the server as the new one is made). Not while
            // sales made here still wait to be sent: they are the old register's.
            ToolButton {
                objectName: "pairOtherButton"
                visible: session.canPairRegisters && register.paired
                enabled: register.pending === 0
                // A sign, not words: the top bar is full already on a small screen.
                text: "⇄"
                font.pixelSize: 20
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Pair with another register")
                Accessible.name: qsTr("Pair with another register")
                onClicked: pairDialog.open()
            }
            ToolButton {
                objectName: "signOutButton"
                text: qsTr("Sign out")
                onClicked: session.signOut()
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: menu
            objectName: "moduleMenu"
            Layout.preferredWidth: 200
            Layout.fillHeight: true
            model: session.modules
            clip: true
            delegate: ItemDelegate {
                required property var modelData
                objectName: "menu_" + modelData.key
                width: ListView.view.width
                highlighted: shell.current === modelData.key
                text: shell.titleOf(modelData.key)
                onClicked: shell.open(modelData.key)
            }
        }

        ToolSeparator { orientation: Qt.Vertical; Layout.fillHeight: true }

        Loader {
            id: screen
            objectName: "screenLoader"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: shell.current ? "screens/" + shell.current.charAt(0).toUpperCase()
                                    + shell.current.slice(1) + "Screen.qml" : ""
        }
    }

    // Pairing: this computer becomes one of the business's registers (a manager).
    Dialog {
        id: pairDialog
        objectName: "pairDialog"
        title: qsTr("Make this computer a register")
        anchors.centerIn: parent
        modal: true
        width: Math.min(shell.width - 40, 420)
        standardButtons: Dialog.Cancel
        onOpened: registers.query("registers/", {active: "true"})

        ApiListModel {
            id: registers
            objectName: "pairRegisters"
            roles: ["id", "name", "shop_name"]
            onLoaded: if (registerBox.currentIndex < 0 && count > 0) registerBox.currentIndex = 0
        }

        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            Label {
                text: qsTr("Sales made here will be this register's. Cashiers sign in with their employee code and PIN.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ComboBox {
                id: registerBox
                objectName: "pairRegister"
                model: registers
                textRole: "name"
                valueRole: "id"
                Layout.fillWidth: true
                Accessible.name: qsTr("Register")
            }
            Label {
                objectName: "pairNoRegister"
                visible: !registers.loading && registers.error === "" && registers.count === 0
                text: qsTr("This store has no register yet. Add one on the web, under Register → Registers, then open this window again.")
                color: Material.color(Material.Orange)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                objectName: "pairReplaces"
                visible: register.paired
                text: qsTr("This computer is the register “%1”: pairing it again replaces that, and its old key stops working.").arg(register.registerName)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TextField {
                id: labelField
                objectName: "pairLabel"
                placeholderText: qsTr("Name of this computer, e.g. Counter")
                Layout.fillWidth: true
            }
            Label {
                visible: register.error !== ""
                text: register.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Button {
                objectName: "pairButton"
                text: qsTr("Pair and open the register")
                highlighted: true
                enabled: registerBox.currentIndex >= 0 && !register.busy
                Layout.fillWidth: true
                onClicked: register.pair(registerBox.currentValue, labelField.text)
            }
        }

        Connections {
            target: register
            function onPairedNow() {
                if (pairDialog.opened) {
                    pairDialog.close()
                    shell.openRegister()
                }
            }
        }
    }

    // Not a register yet, and this person may not pair it (a cashier): said at once,
    // instead of a form that is refused at its end.
    Dialog {
        id: notPairedDialog
        objectName: "notPairedDialog"
        title: qsTr("Make this computer a register")
        anchors.centerIn: parent
        modal: true
        width: Math.min(shell.width - 40, 420)
        standardButtons: Dialog.Close
        Label {
            objectName: "notPairedText"
            anchors.fill: parent
            text: qsTr("This computer is not a register yet. Ask an owner or a manager to make this computer a register.")
            wrapMode: Text.Wrap
        }
    }

    // The pairing is per computer: a register of another business (a second store's
    // owner on the same computer) is not opened; the manager may pair this computer again.
    Connections {
        target: register
        function onPairingChecked(ours, otherBusiness) {
            if (ours) {
                shell.openRegister()
            } else {
                otherStoreDialog.otherBusiness = otherBusiness
                otherStoreDialog.open()
            }
        }
    }

    Dialog {
        id: otherStoreDialog
        objectName: "otherStoreDialog"
        property string otherBusiness: ""
        title: qsTr("Another store's register")
        anchors.centerIn: parent
        modal: true
        width: Math.min(shell.width - 40, 480)
        standardButtons: Dialog.Cancel

        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            Label {
                objectName: "otherStoreText"
                text: (otherStoreDialog.otherBusiness
                       ? qsTr("This computer is the register “%1” of %2, not of %3.")
                             .arg(register.registerName).arg(otherStoreDialog.otherBusiness)
                             .arg(session.me.business ? session.me.business.name : "")
                       : qsTr("This computer is the register “%1” of another business.")
                             .arg(register.registerName))
                      + " " + (session.canPairRegisters
                               ? qsTr("Pair it with one of this store's registers instead?")
                               : qsTr("Ask an owner or a manager to make this computer one of this store's registers."))
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                visible: register.pending > 0
                text: desktop.plural(qsTr("%n sale(s) made at that register wait to be sent. Open the register as its store first, so that they reach the server.", "", register.pending), register.pending)
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Button {
                objectName: "pairAgainButton"
                visible: session.canPairRegisters
                text: qsTr("Pair with this store")
                highlighted: true
                enabled: register.pending === 0
                Layout.fillWidth: true
                onClicked: {
                    otherStoreDialog.close()
                    register.unpair()
                    pairDialog.open()
                }
            }
        }
    }

    // The counter is for cashiers: the manager's back-office session ends as register mode
    // opens, so "Back office" at the counter asks for a password again.
    function openRegister() {
        register.enter()
        session.signOut()
    }

    function titleOf(key) {
        switch (key) {
        case "catalog": return qsTr("Catalog")
        case "stock": return qsTr("Stock")
        case "expenses": return qsTr("Expenses")
        case "suppliers": return qsTr("Suppliers")
        case "customers": return qsTr("Clients")
        case "staff": return qsTr("Employees")
        case "sponsorship": return qsTr("Sponsorship")
        case "dayReport": return qsTr("Day report")
        case "chat": return qsTr("Chat")
        }
        return key
    }
}
