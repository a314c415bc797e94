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
                objectName: "registerTitle"
                // Each name isolated: an Arabic name beside a Latin one keeps its place.
                text: till.iso(register.registerName)
                      + (register.shopName ? " · " + till.iso(register.shopName) : "")
                font.pixelSize: 18
                font.bold: true
                elide: Text.ElideRight
                // Explicit, so that it is mirrored: a Latin name in Arabic would keep to
                // the left of its (widened) label and leave a strip empty at the start.
                horizontalAlignment: Text.AlignLeft
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
                text: desktop.plural(qsTr("%n sale(s) to send", "", register.pending), register.pending)
            }
            Label {
                objectName: "registerRejected"
                visible: register.rejected.length > 0
                text: desktop.plural(qsTr("%n sale(s) refused by the server", "", register.rejected.length), register.rejected.length)
                color: Material.color(Material.Red)
            }
            Label {
                visible: register.cashier !== ""
                text: register.cashier
            }
            // The cashier's language, at the keypad and while selling. It takes no focus
            // from the scan field (the scanner's keys), which gets it back once chosen.
            LanguageBox {
                id: languageBox
                objectName: "registerLanguageBox"
                focusPolicy: Qt.NoFocus
                onActivated: till.takeScanFocus()
            }
            ToolButton {
                // A customer brings goods back: find the ticket, refund in cash.
                objectName: "registerReturnButton"
                visible: register.state === "selling" && register.canReturn
                text: qsTr("Return")
                focusPolicy: Qt.NoFocus
                onClicked: returnDialog.open()
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
                // To the sign-in page (the manager signed out as register mode opened);
                // a kiosk counter started with --register has no way out on screen.
                visible: !desktop.kiosk
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
        // The keypad comes back (signed out, switching cashier, locked after a while): the
        // next cashier starts from empty fields, not from the previous one's code.
        onVisibleChanged: if (visible) { codeField.text = ""; pinField.text = "" }

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
            objectName: "registerCodeError"
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
            objectName: "registerPinError"
            visible: !!register.fieldErrors.pin
            text: register.fieldErrors.pin || ""
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        // A touch keypad that types into the field with the focus. Never mirrored: a
        // keypad reads 7 8 9 left to right in every language (Arabic too).
        GridLayout {
            columns: 3
            Layout.fillWidth: true
            LayoutMirroring.enabled: false
            LayoutMirroring.childrenInherit: true
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
            // What no field says already (a wrong PIN is said under the PIN only).
            objectName: "registerError"
            visible: register.formError !== ""
            text: register.formError
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
    // (Started with --register on a computer not paired yet, or unpaired since.) A way on:
    // the back office's sign-in, where a manager pairs it, or quitting.
    ColumnLayout {
        objectName: "registerUnpaired"
        visible: register.state === "unpaired"
        anchors.centerIn: parent
        width: Math.min(parent.width - 40, 480)
        spacing: 12
        Label {
            objectName: "registerUnpairedText"
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("This computer is not a register yet. A manager signs in, opens Register mode and pairs it with one of the shop's registers.")
            Layout.fillWidth: true
        }
        Button {
            objectName: "registerUnpairedSignIn"
            text: qsTr("Sign in to the back office")
            highlighted: true
            Layout.fillWidth: true
            Layout.preferredHeight: 56
            onClicked: register.leave()
        }
        Button {
            objectName: "registerUnpairedQuit"
            text: qsTr("Quit")
            flat: true
            Layout.fillWidth: true
            Layout.preferredHeight: 48
            onClicked: Qt.quit()
        }
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
    // Not while a dialog is open: its field takes the scanner's keys (a loyalty card,
    // the number of a ticket brought back).
    function takeScanFocus() {
        if (register.state === "selling" && !printerDialog.opened && !customerDialog.opened
                && !returnDialog.opened && !languageBox.popup.opened)
            scanField.forceActiveFocus()
    }
    Component.onCompleted: {
        takeScanFocus()
        // Sales kept from before (the app restarted offline): said once they are sent.
        if (register.pending > 0) {
            queueNotice.waiting = true
            queueNotice.peak = register.pending
            queueNotice.rejectedBefore = register.rejected.length
        }
    }
    // An amount, a number or a date kept whole (first strong character sets its direction)
    // inside a sentence: in Arabic "3,20 EUR" stays "3,20 EUR", a date stays a date.
    function iso(text) { return "\u2068" + text + "\u2069" }
    Connections {
        target: register
        function onChanged() { till.takeScanFocus() }
    }
    // The offline queue, told to the cashier (queueNotice): a sale kept on this computer
    // because the server cannot be reached, then the kept sales that reached the server.
    // From what the register shows anyway: its last sale (not sent), whether the server
    // answers, how many sales wait and how many were refused.
    function noteQueue() {
        var sale = register.lastSale
        if (queueNotice.waiting)
            queueNotice.peak = Math.max(queueNotice.peak, register.pending)
        if (sale.kind === "sale" && sale.sent === false && !register.online
                && register.pending > 0 && sale.client_uuid !== queueNotice.keptUuid) {
            if (!queueNotice.waiting) {
                queueNotice.waiting = true
                queueNotice.peak = register.pending
                queueNotice.rejectedBefore = register.rejected.length
            }
            queueNotice.keptUuid = sale.client_uuid
            queueNotice.show("kept", 1)
        } else if (queueNotice.waiting && register.pending === 0) {
            queueNotice.waiting = false
            // Refused sales are counted in red in the top bar: not said to be sent.
            var sent = queueNotice.peak - (register.rejected.length - queueNotice.rejectedBefore)
            if (sent > 0)
                queueNotice.show("sent", sent)
            else
                queueNotice.kind = ""
        }
    }
    Connections {
        target: register
        function onChanged() { till.noteQueue() }
        function onQueueChanged() { till.noteQueue() }
        function onBasketChanged() { till.noteQueue() }
    }

    RowLayout {
        id: selling
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
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "registerCustomerButton"
                    visible: register.canFindCustomers
                    text: qsTr("Customer")
                    focusPolicy: Qt.NoFocus
                    Layout.preferredHeight: 48
                    onClicked: customerDialog.open()
                }
            }
            // The basket's customer: their points, as the server counts them.
            Pane {
                objectName: "registerCustomerStrip"
                visible: register.customer.id !== undefined
                Layout.fillWidth: true
                padding: 6
                Material.elevation: 1
                RowLayout {
                    anchors.fill: parent
                    Label {
                        objectName: "registerCustomerName"
                        text: register.customer.name || ""
                        font.bold: true
                        elide: Text.ElideRight
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                    }
                    Label {
                        text: qsTr("Points: %1").arg(register.customer.points || 0)
                        color: Material.color(Material.Teal)
                    }
                    ToolButton {
                        objectName: "registerCustomerDetach"
                        text: "✕"
                        focusPolicy: Qt.NoFocus
                        Layout.preferredWidth: 48
                        Layout.preferredHeight: 48
                        Accessible.name: qsTr("No customer on this sale")
                        onClicked: register.detachCustomer()
                    }
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
                    objectName: "registerLine_" + index
                    width: ListView.view.width
                    height: Math.max(56, implicitHeight)
                    focusPolicy: Qt.NoFocus
                    // The tapped line is the one the Discount key acts on.
                    highlighted: modelData.selected && register.canDiscount
                    onClicked: register.selectLine(index)
                    contentItem: RowLayout {
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            // Explicit: mirrored in Arabic (a Latin product name would
                            // otherwise keep to the left).
                            Label {
                                text: modelData.name
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                            Label {
                                objectName: "registerLineDiscount"
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                                visible: modelData.discount !== ""
                                text: qsTr("Discount −%1").arg(till.iso(modelData.discount))
                                color: Material.color(Material.Teal)
                                font.pixelSize: 12
                            }
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
                            Layout.preferredWidth: 48
                            Layout.preferredHeight: 48
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
            // The change to hand back after cash, big: from the payment until the next
            // sale starts (a product added, or the visit's other basket changed).
            Label {
                id: changeDue
                objectName: "registerChange"
                property string amount: ""
                property string saleUuid: ""  // the sale whose change this is
                property int linesAtSale: 0
                function follow() {
                    var sale = register.lastSale
                    if (sale.kind === "sale" && sale.change && sale.client_uuid !== saleUuid) {
                        saleUuid = sale.client_uuid
                        amount = sale.change
                        linesAtSale = register.lines.length
                    } else if (register.lines.length !== linesAtSale) {
                        amount = ""
                    } else if (amount !== "" && sale.client_uuid === saleUuid) {
                        amount = sale.change  // written again (the language changed)
                    }
                }
                Connections {
                    target: register
                    function onBasketChanged() { changeDue.follow() }
                }
                visible: amount !== ""
                text: qsTr("Change %1").arg(till.iso(amount))
                font.pixelSize: 32
                font.bold: true
                color: Material.color(Material.Teal)
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
            // The last ticket: its number once the server has it; until then (offline) the
            // provisional number, as on the web till.
            Label {
                objectName: "registerLastSale"
                horizontalAlignment: Text.AlignLeft
                visible: register.lastSale.total !== undefined
                text: register.lastSale.kind === "return"
                      ? qsTr("Return %1 · %2 given back in cash").arg(till.iso(register.lastSale.number))
                        .arg(till.iso(register.lastSale.total))
                      // Change only after cash: a card or a phone gives none.
                      : register.lastSale.sent && register.lastSale.change
                      ? qsTr("Ticket %1 · %2 · change %3").arg(till.iso(register.lastSale.number))
                        .arg(till.iso(register.lastSale.total)).arg(till.iso(register.lastSale.change))
                      : register.lastSale.sent
                      ? qsTr("Ticket %1 · %2").arg(till.iso(register.lastSale.number))
                        .arg(till.iso(register.lastSale.total))
                      : register.lastSale.change
                      ? qsTr("Ticket %1 (provisional, offline) · %2 · change %3")
                        .arg(till.iso(register.lastSale.provisional || ""))
                        .arg(till.iso(register.lastSale.total || ""))
                        .arg(till.iso(register.lastSale.change))
                      : qsTr("Ticket %1 (provisional, offline) · %2")
                        .arg(till.iso(register.lastSale.provisional || ""))
                        .arg(till.iso(register.lastSale.total || ""))
                color: Material.color(Material.Teal)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            // What became of a sale the server could not take (till.noteQueue): kept on
            // this computer, then sent. Said for a while under the ticket line, in the
            // language on screen; the till goes on meanwhile.
            Pane {
                id: queueNotice
                objectName: "registerQueueNotice"
                property string kind: ""  // "kept", "sent" or nothing to say
                property int count: 0
                property bool waiting: false  // kept sales not all sent yet
                property int peak: 0  // the most that waited meanwhile
                property int rejectedBefore: 0
                property string keptUuid: ""  // the last sale said to be kept
                readonly property string text: kind === "kept"
                    ? qsTr("Sale saved on this computer: it will be sent when the server is back.")
                    : kind === "sent"
                    ? desktop.plural(qsTr("%n sale(s) saved on this computer reached the server.", "", count), count)
                    : ""
                function show(what, n) {
                    count = n
                    kind = what
                    hideTimer.restart()
                }
                visible: kind !== ""
                Layout.fillWidth: true
                padding: 8
                Material.elevation: 2
                Material.background: kind === "sent"
                                     ? Material.color(Material.Teal, Material.Shade50)
                                     : Material.color(Material.Orange, Material.Shade50)
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
                Timer {
                    id: hideTimer
                    interval: 12000
                    onTriggered: queueNotice.kind = ""
                }
                RowLayout {
                    anchors.fill: parent
                    Label {
                        objectName: "registerQueueNoticeText"
                        text: queueNotice.text
                        wrapMode: Text.Wrap
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                    }
                    ToolButton {
                        objectName: "registerQueueNoticeClose"
                        text: "✕"
                        focusPolicy: Qt.NoFocus
                        Layout.preferredWidth: 48
                        Layout.preferredHeight: 48
                        Accessible.name: qsTr("Hide this message")
                        onClicked: queueNotice.kind = ""
                    }
                }
            }
            Label {
                objectName: "registerLastPoints"
                horizontalAlignment: Text.AlignLeft
                visible: !!register.lastSale.customer
                text: register.lastSale.points
                      ? qsTr("%1: %2").arg(register.lastSale.customer).arg(register.lastSale.points)
                      : register.lastSale.customer || ""
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                objectName: "registerPrintLater"
                visible: register.lastSale.sent === false && register.printer !== ""
                text: qsTr("The ticket prints when the sale reaches the server.")
                opacity: 0.7
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Button {
                objectName: "registerPrintAgain"
                visible: register.lastSale.total !== undefined && register.printer !== ""
                text: qsTr("Print again")
                flat: true
                focusPolicy: Qt.NoFocus
                Layout.preferredHeight: 48
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
                id: productButton
                required property var modelData
                objectName: "registerProduct_" + modelData.name
                width: GridView.view.cellWidth - 6
                height: 74
                focusPolicy: Qt.NoFocus
                text: modelData.name + "\n" + modelData.price
                Accessible.name: text
                // The price on a line of its own, written as in the basket (register.money):
                // in Arabic a Latin product name would otherwise turn "€ 1.20" around.
                contentItem: ColumnLayout {
                    spacing: 2
                    Label {
                        text: modelData.name
                        font: productButton.font
                        elide: Text.ElideRight
                        horizontalAlignment: Text.AlignHCenter
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "registerProductPrice"
                        text: modelData.price
                        font: productButton.font
                        horizontalAlignment: Text.AlignHCenter
                        Layout.fillWidth: true
                    }
                }
                onClicked: register.addProduct(modelData.id)
            }
        }

        // The keypad and the payment keys.
        // On a laptop's short screen (1366×768, 1280×720) the keys give up some height
        // (56 down to 40 pixels) so that the payment keys and Cancel stay in sight: ten
        // key heights (the entry, six rows of keys, three payment keys) and what is fixed.
        ColumnLayout {
            id: keys
            readonly property real keyHeight: Math.max(40, Math.min(56, (selling.height - 140) / 10))
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
                Layout.preferredHeight: keys.keyHeight
            }
            // Not mirrored in Arabic: a keypad is laid out the same in every language.
            GridLayout {
                columns: 3
                Layout.fillWidth: true
                LayoutMirroring.enabled: false
                LayoutMirroring.childrenInherit: true
                Repeater {
                    model: ["7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "back"]
                    delegate: Button {
                        required property string modelData
                        objectName: "registerKey_" + modelData
                        text: modelData === "back" ? "⌫" : modelData
                        focusPolicy: Qt.NoFocus
                        Layout.fillWidth: true
                        Layout.preferredHeight: keys.keyHeight
                        font.pixelSize: 20
                        onClicked: register.key(modelData)
                    }
                }
                Button {
                    objectName: "registerKey_clear"
                    text: "C"
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: keys.keyHeight
                    onClicked: register.key("clear")
                }
                Button {
                    objectName: "registerTimes"
                    text: "×"
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: keys.keyHeight
                    Accessible.name: qsTr("Quantity")
                    onClicked: register.times()
                }
                Button {
                    objectName: "registerEnter"
                    text: "↵"
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: keys.keyHeight
                    Accessible.name: qsTr("Add by code")
                    onClicked: register.addTyped()
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Button {
                    objectName: "registerWithdraw"
                    text: qsTr("Withdrawal")
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: keys.keyHeight
                    Accessible.description: qsTr("Type the cash to hand to the customer, then tap Withdrawal.")
                    onClicked: register.withdraw()
                }
                // Only for members with Sales: full (the server refuses anyone else's).
                Button {
                    objectName: "registerDiscount"
                    visible: register.canDiscount
                    text: qsTr("Discount")
                    focusPolicy: Qt.NoFocus
                    enabled: register.lines.length > 0
                    Layout.fillWidth: true
                    Layout.preferredHeight: keys.keyHeight
                    Accessible.description: qsTr("Type the amount off the chosen line, then tap Discount.")
                    onClicked: register.discount()
                }
            }
            Item { Layout.fillHeight: true }
            Button {
                objectName: "registerPayCash"
                text: qsTr("Cash")
                highlighted: true
                focusPolicy: Qt.NoFocus
                enabled: register.lines.length > 0
                Layout.fillWidth: true
                Layout.preferredHeight: keys.keyHeight + 8
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
                Layout.preferredHeight: keys.keyHeight + 8
                font.pixelSize: 20
                onClicked: register.payCard()
            }
            Button {
                objectName: "registerPayPhone"
                text: qsTr("Phone (QR)")
                focusPolicy: Qt.NoFocus
                enabled: register.lines.length > 0 && register.online && !register.busy
                Layout.fillWidth: true
                Layout.preferredHeight: keys.keyHeight + 8
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

    // --- the customer of the basket: loyalty card, phone or name --------------------------
    Dialog {
        id: customerDialog
        objectName: "registerCustomerDialog"
        title: register.basket === "sub" ? qsTr("Customer of the sub-account") : qsTr("Customer of the sale")
        anchors.centerIn: parent
        modal: true
        width: Math.min(till.width - 40, 560)
        height: Math.min(till.height - 40, 560)
        standardButtons: Dialog.Close
        onOpened: {
            register.customerSearch.reset()
            customerQuery.text = ""
            customerQuery.forceActiveFocus()
        }
        onClosed: till.takeScanFocus()
        Connections {
            target: register.customerSearch
            // One customer found (or one chosen): on the basket, and back to selling.
            function onChosen() { customerDialog.close() }
        }
        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: customerQuery
                    objectName: "registerCustomerQuery"
                    // A card reader or scanner types the code and Enter here.
                    placeholderText: qsTr("Name, phone number or loyalty card")
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    font.pixelSize: 18
                    onAccepted: register.customerSearch.find(text)
                }
                Button {
                    objectName: "registerCustomerFind"
                    text: qsTr("Find")
                    highlighted: true
                    enabled: !register.customerSearch.busy
                    focusPolicy: Qt.NoFocus
                    Layout.preferredHeight: 56
                    onClicked: register.customerSearch.find(customerQuery.text)
                }
            }
            BusyIndicator {
                objectName: "registerCustomerBusy"
                running: register.customerSearch.busy
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "registerCustomerError"
                visible: register.customerSearch.error !== ""
                text: register.customerSearch.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ListView {
                objectName: "registerCustomerResults"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: register.customerSearch.results
                delegate: ItemDelegate {
                    required property var modelData
                    required property int index
                    objectName: "registerCustomerResult_" + index
                    width: ListView.view.width
                    height: 64
                    focusPolicy: Qt.NoFocus
                    onClicked: register.customerSearch.choose(index)
                    contentItem: RowLayout {
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            Label {
                                text: modelData.name
                                font.bold: true
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                            Label {
                                // Phone numbers and card codes read left to right, in Arabic too.
                                text: till.iso([modelData.phone, modelData.card].filter(Boolean).join(" · "))
                                opacity: 0.7
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                        }
                        Label {
                            text: qsTr("Points: %1").arg(modelData.points)
                            color: Material.color(Material.Teal)
                        }
                    }
                }
            }
        }
    }

    // --- a return: the ticket brought back, the lines that come back, cash refunded --------
    Dialog {
        id: returnDialog
        objectName: "registerReturnDialog"
        title: qsTr("Return")
        anchors.centerIn: parent
        modal: true
        width: Math.min(till.width - 40, 760)
        height: till.height - 40
        standardButtons: Dialog.Close
        readonly property var returns: register.ticketReturn
        onOpened: {
            returns.reset()
            ticketField.text = ""
            reasonField.text = ""
            ticketField.forceActiveFocus()
        }
        onClosed: till.takeScanFocus()
        Connections {
            target: register.ticketReturn
            function onRecorded() { returnDialog.close() }
        }
        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: ticketField
                    objectName: "registerReturnTicket"
                    // The scanner reads the number printed on the ticket, then Enter.
                    placeholderText: qsTr("Ticket number, e.g. 000123")
                    inputMethodHints: Qt.ImhPreferNumbers
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    font.pixelSize: 18
                    onAccepted: returnDialog.returns.find(text)
                }
                Button {
                    objectName: "registerReturnFind"
                    text: qsTr("Find")
                    highlighted: returnDialog.returns.ticket.id === undefined
                    enabled: !returnDialog.returns.busy
                    focusPolicy: Qt.NoFocus
                    Layout.preferredHeight: 56
                    onClicked: returnDialog.returns.find(ticketField.text)
                }
            }
            BusyIndicator {
                objectName: "registerReturnBusy"
                running: returnDialog.returns.busy
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "registerReturnError"
                visible: returnDialog.returns.error !== ""
                text: returnDialog.returns.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            // Several registers printed this number: which ticket is it?
            Label {
                visible: returnDialog.returns.matches.length > 1
                text: qsTr("Several tickets have this number. Which one did the customer bring?")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Repeater {
                model: returnDialog.returns.matches
                delegate: Button {
                    required property var modelData
                    required property int index
                    objectName: "registerReturnMatch_" + index
                    text: qsTr("%1 · %2 · %3 · %4").arg(till.iso(modelData.ticket))
                          .arg(till.iso(modelData.register)).arg(till.iso(modelData.when))
                          .arg(till.iso(modelData.total))
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    onClicked: returnDialog.returns.choose(index)
                }
            }
            // The ticket: its product lines, how many of each come back.
            Label {
                objectName: "registerReturnHeading"
                horizontalAlignment: Text.AlignLeft
                visible: returnDialog.returns.ticket.id !== undefined
                text: qsTr("Ticket %1 · %2 · %3 · %4")
                      .arg(till.iso(returnDialog.returns.ticket.ticket || ""))
                      .arg(till.iso(returnDialog.returns.ticket.when || ""))
                      .arg(till.iso(returnDialog.returns.ticket.register || ""))
                      .arg(till.iso(returnDialog.returns.ticket.total || ""))
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ListView {
                objectName: "registerReturnLines"
                visible: returnDialog.returns.ticket.id !== undefined
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: returnDialog.returns.lines
                delegate: ItemDelegate {
                    required property var modelData
                    required property int index
                    width: ListView.view.width
                    height: 64
                    focusPolicy: Qt.NoFocus
                    contentItem: RowLayout {
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            Label {
                                text: modelData.name
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                            Label {
                                horizontalAlignment: Text.AlignLeft
                                text: qsTr("Sold %1 × %2 · already back %3").arg(till.iso(modelData.sold))
                                      .arg(till.iso(modelData.price)).arg(till.iso(modelData.returned))
                                opacity: 0.7
                                font.pixelSize: 12
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                        Button {
                            objectName: "registerReturnLess_" + index
                            text: "−"
                            focusPolicy: Qt.NoFocus
                            enabled: modelData.quantity !== "0"
                            Layout.preferredWidth: 56
                            Layout.preferredHeight: 56
                            font.pixelSize: 20
                            Accessible.name: qsTr("One less")
                            onClicked: returnDialog.returns.step(index, -1)
                        }
                        Label {
                            objectName: "registerReturnQuantity_" + index
                            text: modelData.quantity
                            font.pixelSize: 20
                            font.bold: true
                            horizontalAlignment: Text.AlignHCenter
                            Layout.preferredWidth: 56
                        }
                        Button {
                            objectName: "registerReturnMore_" + index
                            text: "+"
                            focusPolicy: Qt.NoFocus
                            enabled: modelData.quantity !== modelData.left
                            Layout.preferredWidth: 56
                            Layout.preferredHeight: 56
                            font.pixelSize: 20
                            Accessible.name: qsTr("One more")
                            onClicked: returnDialog.returns.step(index, 1)
                        }
                        Label {
                            text: modelData.refund
                            horizontalAlignment: Text.AlignRight
                            Layout.preferredWidth: 100
                        }
                    }
                }
            }
            Item {
                visible: returnDialog.returns.ticket.id === undefined
                Layout.fillHeight: true
            }
            // Why it comes back (the server keeps it on the return ticket).
            TextField {
                id: reasonField
                objectName: "registerReturnReason"
                visible: returnDialog.returns.ticket.id !== undefined
                placeholderText: qsTr("Why does it come back?")
                Layout.fillWidth: true
                Layout.preferredHeight: 56
            }
            Flow {
                visible: reasonField.visible
                spacing: 6
                Layout.fillWidth: true
                Repeater {
                    model: [qsTr("Damaged"), qsTr("Wrong item"), qsTr("Changed their mind")]
                    delegate: Button {
                        required property string modelData
                        text: modelData
                        flat: true
                        focusPolicy: Qt.NoFocus
                        height: 48
                        onClicked: reasonField.text = modelData
                    }
                }
            }
            Label {
                visible: !!returnDialog.returns.fieldErrors.reason
                text: returnDialog.returns.fieldErrors.reason || ""
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                visible: returnDialog.returns.ticket.id !== undefined
                Layout.fillWidth: true
                Button {
                    objectName: "registerReturnAll"
                    text: qsTr("Everything")
                    focusPolicy: Qt.NoFocus
                    Layout.preferredHeight: 64
                    onClicked: returnDialog.returns.everything()
                }
                Button {
                    objectName: "registerReturnRefund"
                    text: qsTr("Refund %1 in cash").arg(till.iso(returnDialog.returns.total))
                    highlighted: true
                    focusPolicy: Qt.NoFocus
                    enabled: returnDialog.returns.count > 0 && !returnDialog.returns.busy
                    Layout.fillWidth: true
                    Layout.preferredHeight: 64
                    font.pixelSize: 18
                    onClicked: returnDialog.returns.refund(reasonField.text)
                }
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
                    text: qsTr("Pay %1 by phone").arg(till.iso(register.phone.amount || ""))
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
                // Why signing out or leaving is refused just now.
                Label {
                    objectName: "registerPhoneMessage"
                    visible: text !== ""
                    text: register.error
                    color: register.error ? Material.color(Material.Red) : Material.foreground
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
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
