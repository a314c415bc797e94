import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Register mode: the whole window is a counter till for a touch screen. The
// cashier's code and PIN, then the basket, the keypad and the payment keys. A
// USB scanner types into the (invisible) scan field, which keeps the focus.
Page {
    id: till
    objectName: "registerPage"

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label {
                text: register.registerName + (register.shopName ? " · " + register.shopName : "")
                font.pixelSize: 18
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                objectName: "registerOffline"
                visible: !register.online
                text: qsTr("Offline: sales are kept and sent later")
                color: Material.color(Material.Orange)
            }
            Label {
                objectName: "registerPending"
                visible: register.pending > 0
                text: qsTr("%n sale(s) to send", "", register.pending)
            }
            Label {
                objectName: "registerRejected"
                visible: register.rejected.length > 0
                text: qsTr("%n sale(s) refused by the server", "", register.rejected.length)
                color: Material.color(Material.Red)
            }
            Label {
                visible: register.cashier !== ""
                text: register.cashier
            }
            ToolButton {
                objectName: "registerPrinterButton"
                visible: register.state === "selling"
                text: qsTr("Printer")
                focusPolicy: Qt.NoFocus
                onClicked: printerDialog.open()
            }
            ToolButton {
                objectName: "registerSignOut"
                visible: register.state === "selling" || register.state === "drawer"
                text: qsTr("Sign out")
                focusPolicy: Qt.NoFocus
                onClicked: register.signOut()
            }
            ToolButton {
                objectName: "registerLeave"
                visible: session.state === "signedIn"
                text: qsTr("Back office")
                focusPolicy: Qt.NoFocus
                onClicked: register.leave()
            }
        }
    }

    Dialog {
        id: printerDialog
        objectName: "registerPrinterDialog"
        title: qsTr("Receipt printer")
        anchors.centerIn: parent
        modal: true
        width: Math.min(till.width - 40, 460)
        standardButtons: Dialog.Cancel
        onOpened: printerField.text = register.printer
        ColumnLayout {
            anchors.fill: parent
            Label {
                text: qsTr("A network printer as host:port (192.168.1.50:9100), a printer plugged into this computer as its device (/dev/usb/lp0), or empty for none.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TextField {
                id: printerField
                objectName: "registerPrinterField"
                placeholderText: "192.168.1.50:9100"
                Layout.fillWidth: true
            }
            Label {
                visible: !!register.fieldErrors.printer
                text: register.fieldErrors.printer || ""
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Button {
                objectName: "registerPrinterSave"
                text: qsTr("Save")
                highlighted: true
                Layout.fillWidth: true
                onClicked: {
                    register.setPrinter(printerField.text)
                    if (!register.fieldErrors.printer) printerDialog.close()
                }
            }
        }
        onClosed: till.takeScanFocus()
    }

    // --- the cashier's code and PIN ---------------------------------------------------------
    ColumnLayout {
        objectName: "registerSignIn"
        visible: register.state === "locked"
        anchors.centerIn: parent
        width: Math.min(parent.width - 40, 360)
        spacing: 10

        Label {
            text: qsTr("Your employee code and PIN")
            font.pixelSize: 20
            Layout.alignment: Qt.AlignHCenter
        }
        TextField {
            id: codeField
            objectName: "registerCode"
            placeholderText: qsTr("Employee code")
            inputMethodHints: Qt.ImhDigitsOnly
            Layout.fillWidth: true
            focus: register.state === "locked"
            onAccepted: pinField.forceActiveFocus()
        }
        Label {
            visible: !!register.fieldErrors.code
            text: register.fieldErrors.code || ""
            color: Material.color(Material.Red)
        }
        TextField {
            id: pinField
            objectName: "registerPin"
            placeholderText: qsTr("PIN")
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhDigitsOnly
            Layout.fillWidth: true
            onAccepted: signInButton.clicked()
        }
        Label {
            visible: !!register.fieldErrors.pin
            text: register.fieldErrors.pin || ""
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        // A touch keypad that types into the field with the focus.
        GridLayout {
            columns: 3
            Layout.fillWidth: true
            Repeater {
                model: ["7", "8", "9", "4", "5", "6", "1", "2", "3", "⌫", "0", "OK"]
                delegate: Button {
                    required property string modelData
                    objectName: "signInKey_" + modelData
                    text: modelData
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    font.pixelSize: 20
                    onClicked: {
                        var field = pinField.activeFocus ? pinField : codeField
                        if (modelData === "OK") {
                            if (field === codeField) pinField.forceActiveFocus()
                            else signInButton.clicked()
                        } else if (modelData === "⌫") {
                            field.text = field.text.slice(0, -1)
                        } else {
                            field.text += modelData
                        }
                    }
                }
            }
        }
        Button {
            id: signInButton
            objectName: "registerSignInButton"
            text: qsTr("Sign in")
            highlighted: true
            enabled: !register.busy
            Layout.fillWidth: true
            onClicked: {
                register.signIn(codeField.text, pinField.text)
                pinField.text = ""
            }
        }
        Label {
            objectName: "registerError"
            visible: register.error !== ""
            text: register.error
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            // Why the keypad is back (locked after a while without use).
            objectName: "registerLockMessage"
            visible: register.error === "" && register.message !== ""
            text: register.message
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    // --- not paired -------------------------------------------------------------------------
    Label {
        visible: register.state === "unpaired"
        anchors.centerIn: parent
        width: Math.min(parent.width - 40, 480)
        wrapMode: Text.Wrap
        horizontalAlignment: Text.AlignHCenter
        text: qsTr("This computer is not a register yet. A manager signs in, opens Register mode and pairs it with one of the shop's registers.")
    }

    // --- the opening float ------------------------------------------------------------------
    ColumnLayout {
        objectName: "registerDrawer"
        visible: register.state === "drawer"
        anchors.centerIn: parent
        width: Math.min(parent.width - 40, 360)
        spacing: 10
        Label {
            text: qsTr("No cash session is open. Count the cash in the drawer to open one.")
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        TextField {
            id: floatField
            objectName: "registerFloat"
            placeholderText: qsTr("Opening float")
            inputMethodHints: Qt.ImhFormattedNumbersOnly
            Layout.fillWidth: true
        }
        Button {
            objectName: "registerOpenDrawer"
            text: qsTr("Open the drawer")
            highlighted: true
            enabled: !register.busy
            Layout.fillWidth: true
            onClicked: register.openDrawer(floatField.text)
        }
        Label {
            visible: register.error !== ""
            text: register.error
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    // --- selling ----------------------------------------------------------------------------
    // The scanner's keys land here: a field nobody sees that takes the focus back.
    TextInput {
        id: scanField
        objectName: "registerScan"
        visible: false
        focus: register.state === "selling"
        onAccepted: { register.scan(text); text = "" }
    }
    // Selling: the scan field takes the focus back (after the sign-in or the float fields).
    function takeScanFocus() {
        if (register.state === "selling" && !printerDialog.opened) scanField.forceActiveFocus()
    }
    Component.onCompleted: takeScanFocus()
    Connections {
        target: register
        function onChanged() { till.takeScanFocus() }
    }

    RowLayout {
        objectName: "registerSelling"
        visible: register.state === "selling"
        anchors.fill: parent
        anchors.margins: 12
        spacing: 12

        // The basket.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 3
            // The visit's two baskets: each paid on its own, with its own ticket.
            RowLayout {
                Layout.fillWidth: true
                Button {
                    objectName: "registerBasketMain"
                    checkable: true
                    checked: register.basket === "main"
                    focusPolicy: Qt.NoFocus
                    text: register.basket === "main" || register.otherCount === 0
                          ? qsTr("Basket") : qsTr("Basket (%1)").arg(register.otherCount)
                    onClicked: if (register.basket !== "main") register.switchBasket()
                }
                Button {
                    objectName: "registerBasketSub"
                    checkable: true
                    checked: register.basket === "sub"
                    focusPolicy: Qt.NoFocus
                    text: register.basket === "sub" || register.otherCount === 0
                          ? qsTr("Sub-account") : qsTr("Sub-account (%1)").arg(register.otherCount)
                    onClicked: if (register.basket !== "sub") register.switchBasket()
                }
            }
            ListView {
                id: basket
                objectName: "registerBasket"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: register.lines
                delegate: ItemDelegate {
                    required property var modelData
                    required property int index
                    width: ListView.view.width
                    contentItem: RowLayout {
                        Label {
                            text: modelData.name
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label { text: modelData.quantity + " × " + modelData.price }
                        Label {
                            text: modelData.amount
                            font.bold: true
                            horizontalAlignment: Text.AlignRight
                            Layout.preferredWidth: 110
                        }
                        ToolButton {
                            text: "✕"
                            focusPolicy: Qt.NoFocus
                            Accessible.name: qsTr("Remove the line")
                            onClicked: register.removeLine(index)
                        }
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: basket.count === 0
                    text: qsTr("Scan a product or tap it.")
                    opacity: 0.6
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("Total"); font.pixelSize: 24 }
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "registerTotal"
                    text: register.total
                    font.pixelSize: 32
                    font.bold: true
                }
            }
            Label {
                objectName: "registerLastSale"
                visible: register.lastSale.total !== undefined
                text: register.lastSale.sent
                      ? qsTr("Ticket %1 · %2 · change %3").arg(register.lastSale.number)
                        .arg(register.lastSale.total).arg(register.lastSale.change)
                      : qsTr("Sale kept · %1 · change %2").arg(register.lastSale.total || "")
                        .arg(register.lastSale.change || "")
                color: Material.color(Material.Teal)
            }
            Button {
                objectName: "registerPrintAgain"
                visible: register.lastSale.sent === true && register.printer !== ""
                text: qsTr("Print again")
                flat: true
                focusPolicy: Qt.NoFocus
                onClicked: register.printAgain()
            }
            Label {
                objectName: "registerMessage"
                visible: register.message !== "" || register.error !== ""
                text: register.error || register.message
                color: register.error ? Material.color(Material.Red) : Material.foreground
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }

        // The product buttons (best sellers first).
        GridView {
            objectName: "registerProducts"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 3
            clip: true
            cellWidth: width / Math.max(1, Math.floor(width / 150))
            cellHeight: 80
            model: register.products
            delegate: Button {
                required property var modelData
                objectName: "registerProduct_" + modelData.name
                width: GridView.view.cellWidth - 6
                height: 74
                focusPolicy: Qt.NoFocus
                text: modelData.name + "\n" + modelData.price
                onClicked: register.addProduct(modelData.id)
            }
        }

        // The keypad and the payment keys.
        ColumnLayout {
            Layout.preferredWidth: 2
            Layout.fillWidth: true
            Layout.fillHeight: true
            TextField {
                objectName: "registerEntry"
                readOnly: true
                focusPolicy: Qt.NoFocus
                text: (register.quantity ? register.quantity + " × " : "") + register.entry
                placeholderText: qsTr("Code or quantity")
                font.pixelSize: 22
                horizontalAlignment: Text.AlignRight
                Layout.fillWidth: true
            }
            GridLayout {
                columns: 3
                Layout.fillWidth: true
                Repeater {
                    model: ["7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "back"]
                    delegate: Button {
                        required property string modelData
                        objectName: "registerKey_" + modelData
                        text: modelData === "back" ? "⌫" : modelData
                        focusPolicy: Qt.NoFocus
                        Layout.fillWidth: true
                        Layout.preferredHeight: 56
                        font.pixelSize: 20
                        onClicked: register.key(modelData)
                    }
                }
                Button {
                    objectName: "registerKey_clear"
                    text: "C"
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    onClicked: register.key("clear")
                }
                Button {
                    objectName: "registerTimes"
                    text: "×"
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    Accessible.name: qsTr("Quantity")
                    onClicked: register.times()
                }
                Button {
                    objectName: "registerEnter"
                    text: "↵"
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    Accessible.name: qsTr("Add by code")
                    onClicked: register.addTyped()
                }
            }
            Button {
                objectName: "registerWithdraw"
                text: qsTr("Withdrawal")
                focusPolicy: Qt.NoFocus
                Layout.fillWidth: true
                Accessible.description: qsTr("Type the cash to hand to the customer, then tap Withdrawal.")
                onClicked: register.withdraw()
            }
            Item { Layout.fillHeight: true }
            Button {
                objectName: "registerPayCash"
                text: qsTr("Cash")
                highlighted: true
                focusPolicy: Qt.NoFocus
                enabled: register.lines.length > 0
                Layout.fillWidth: true
                Layout.preferredHeight: 64
                font.pixelSize: 20
                // The typed amount is what the customer handed over (empty: exact).
                onClicked: {
                    var given = register.entry
                    register.key("clear")
                    register.payCash(given)
                }
            }
            Button {
                objectName: "registerPayCard"
                text: qsTr("Card")
                focusPolicy: Qt.NoFocus
                enabled: register.lines.length > 0
                Layout.fillWidth: true
                Layout.preferredHeight: 64
                font.pixelSize: 20
                onClicked: register.payCard()
            }
            Button {
                objectName: "registerPayPhone"
                text: qsTr("Phone (QR)")
                focusPolicy: Qt.NoFocus
                enabled: register.lines.length > 0 && register.online && !register.busy
                Layout.fillWidth: true
                Layout.preferredHeight: 64
                font.pixelSize: 20
                onClicked: register.payPhone()
            }
            Button {
                objectName: "registerClear"
                text: qsTr("Cancel the basket")
                flat: true
                focusPolicy: Qt.NoFocus
                enabled: register.lines.length > 0
                Layout.fillWidth: true
                onClicked: register.clearBasket()
            }
        }
    }

    // The phone payment: the QR code the customer scans, until the server says it is paid.
    Rectangle {
        objectName: "registerPhonePanel"
        anchors.fill: parent
        visible: register.phone.id !== undefined
        color: Qt.rgba(0, 0, 0, 0.45)
        MouseArea { anchors.fill: parent }  // the till waits under it
        Pane {
            anchors.centerIn: parent
            width: Math.min(parent.width - 40, 420)
            Material.elevation: 8
            ColumnLayout {
                anchors.fill: parent
                spacing: 10
                Label {
                    text: qsTr("Pay %1 by phone").arg(register.phone.amount || "")
                    font.pixelSize: 22
                    font.bold: true
                    Layout.alignment: Qt.AlignHCenter
                }
                Image {
                    objectName: "registerPhoneQr"
                    readonly property bool ready: status === Image.Ready  // enums do not reach Python
                    source: register.phone.qr || ""
                    sourceSize.width: 280
                    sourceSize.height: 280
                    Layout.preferredWidth: 280
                    Layout.preferredHeight: 280
                    Layout.alignment: Qt.AlignHCenter
                    Accessible.name: qsTr("QR code to pay by phone")
                }
                Label {
                    text: register.phone.url || ""
                    font.pixelSize: 11
                    opacity: 0.7
                    elide: Text.ElideMiddle
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                }
                Label {
                    text: qsTr("Waiting for the customer's payment…")
                    Layout.alignment: Qt.AlignHCenter
                }
                BusyIndicator { running: parent.visible; Layout.alignment: Qt.AlignHCenter }
                Button {
                    objectName: "registerPhoneCancel"
                    text: qsTr("Cancel the QR payment")
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    onClicked: register.cancelPhone()
                }
            }
        }
    }
}
