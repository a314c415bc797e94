import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Hanout

// The shop's expenses, newest first; a person with full access records new ones
// (with a photo of the bill) in a dialog that keeps the server's errors in place.
Page {
    id: root
    objectName: "expensesScreen"

    readonly property bool canWrite: session.canWrite("expenses")

    // The business's day (its time zone, dates.py), not the computer's.
    function today() {
        return formats.today()
    }

    function search() {
        expenses.query("expenses/", {search: searchField.text.trim()})
    }

    ApiListModel {
        id: expenses
        objectName: "expensesModel"
        roles: ["id", "spent_on", "category_label", "comment", "supplier_name", "amount",
                "currency", "attachment_count"]
    }

    Component.onCompleted: search()

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: 8
            Label {
                text: qsTr("Expenses")
                font.pixelSize: 20
                font.bold: true
                Layout.fillWidth: true
            }
            TextField {
                id: searchField
                objectName: "expensesSearch"
                placeholderText: qsTr("Search")
                Layout.preferredWidth: 220
                onAccepted: root.search()
                Accessible.name: qsTr("Search expenses")
            }
            Button {
                objectName: "newExpenseButton"
                visible: root.canWrite
                enabled: root.canWrite
                text: qsTr("New expense")
                highlighted: true
                onClicked: formLoader.open()
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Label {
            objectName: "expensesError"
            visible: text !== ""
            text: expenses.error
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.margins: 12
        }

        // Column titles.
        Pane {
            Layout.fillWidth: true
            padding: 0
            leftPadding: 16
            rightPadding: 16
            topPadding: 8
            bottomPadding: 8
            Material.elevation: 0
            RowLayout {
                anchors.left: parent.left
                anchors.right: parent.right
                spacing: 12
                Label {
                    text: qsTr("Date")
                    font.bold: true
                    horizontalAlignment: Text.AlignLeft
                    Layout.preferredWidth: 100
                }
                Label {
                    text: qsTr("Category")
                    font.bold: true
                    horizontalAlignment: Text.AlignLeft
                    Layout.preferredWidth: 160
                }
                Label {
                    text: qsTr("Description")
                    font.bold: true
                    horizontalAlignment: Text.AlignLeft
                    Layout.fillWidth: true
                }
                Label {
                    text: qsTr("Amount")
                    font.bold: true
                    horizontalAlignment: Text.AlignRight
                    Layout.preferredWidth: 130
                }
            }
        }

        ListView {
            id: list
            objectName: "expensesList"
            model: expenses
            clip: true
            Layout.fillWidth: true
            Layout.fillHeight: true
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: rowItem
                required property int index
                required property var spent_on
                required property var category_label
                required property var comment
                required property var supplier_name
                required property var amount
                required property var currency
                required property var attachment_count
                objectName: "expenseRow_" + index
                width: ListView.view.width
                contentItem: RowLayout {
                    spacing: 12
                    Label {
                        // The day alone, written the way the business writes dates (dates.py).
                        objectName: "expenseDay"
                        text: { formats.revision; return formats.day(String(rowItem.spent_on || "")) }
                        elide: Text.ElideRight
                        Layout.preferredWidth: 100
                        horizontalAlignment: Text.AlignLeft  // mirrored in right-to-left
                    }
                    Label {
                        text: rowItem.category_label || ""
                        elide: Text.ElideRight
                        horizontalAlignment: Text.AlignLeft  // mirrored in right-to-left
                        Layout.preferredWidth: 160
                    }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Label {
                            text: rowItem.comment || ""
                            elide: Text.ElideRight
                            horizontalAlignment: Text.AlignLeft  // mirrored in right-to-left
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: text !== ""
                            text: [rowItem.supplier_name || "",
                                   rowItem.attachment_count > 0
                                   ? desktop.plural(qsTr("%n attachment(s)", "", rowItem.attachment_count), rowItem.attachment_count) : ""]
                                  .filter(function (s) { return s !== "" }).join(" · ")
                            opacity: 0.7
                            font.pixelSize: 12
                            elide: Text.ElideRight
                            horizontalAlignment: Text.AlignLeft
                            Layout.fillWidth: true
                        }
                    }
                    Label {
                        objectName: "expenseAmountShown"
                        // The business's way (money.py), again when the language changes.
                        text: { amounts.revision; return amounts.moneyIn(rowItem.amount, rowItem.currency || "") }
                        horizontalAlignment: Text.AlignRight
                        font.bold: true
                        Layout.preferredWidth: 130
                    }
                }
            }

            Label {
                objectName: "expensesEmpty"
                anchors.centerIn: parent
                visible: !expenses.loading && expenses.error === "" && expenses.count === 0
                text: searchField.text.trim() !== "" ? qsTr("No expense matches this search.")
                                                     : qsTr("No expenses recorded yet.")
                opacity: 0.7
            }

            BusyIndicator {
                objectName: "expensesBusy"
                anchors.centerIn: parent
                running: expenses.loading
                visible: running
            }
        }
    }

    // The form exists only for a person who may record expenses.
    Loader {
        id: formLoader
        objectName: "expenseFormLoader"
        active: root.canWrite
        sourceComponent: formComponent

        function open() {
            if (item) {
                item.prepare()
                item.open()
            }
        }
    }

    Component {
        id: formComponent

        Dialog {
            id: dialog
            objectName: "expenseDialog"
            parent: Overlay.overlay
            anchors.centerIn: parent
            width: Math.min(480, root.width - 32)
            height: Math.min(implicitHeight, root.height - 32)
            modal: true
            title: qsTr("New expense")
            closePolicy: form.busy ? Popup.NoAutoClose : Popup.CloseOnEscape
            // Drawn here: the style's own (an elevation effect on a layer) is not drawn
            // behind a replaced contentItem by the software renderer.
            background: Rectangle {
                color: dialog.Material.dialogColor
                radius: 12
                border.color: Qt.rgba(0, 0, 0, 0.12)
            }

            // The bill's photo (a file:// URL), sent with the expense when chosen.
            property string billUrl: ""

            function prepare() {
                form.clear()
                amount.text = ""
                spentOn.text = root.today()
                comment.text = ""
                description.text = ""
                billUrl = ""
                category.currentIndex = categories.count > 0 ? 0 : -1
                amount.forceActiveFocus()
            }

            function fieldError(name) {
                return form.fieldErrors[name] || ""
            }

            function save() {
                form.clear()
                // "42,50" or "42.50" (a decimal comma is usual in French and Belgian shops),
                // sent as the server reads it; an empty one is the server's to name.
                var typed = amount.text.trim()
                var value = typed === "" ? "" : form.decimal(typed)
                if (typed !== "" && value === "")
                    form.setFieldError("amount", qsTr("Type the amount as a number, e.g. 42.50 or 42,50."))
                if (category.currentIndex < 0)
                    form.setFieldError("category", qsTr("Choose a category."))
                if (Object.keys(form.fieldErrors).length > 0)
                    return
                var body = {
                    amount: value,
                    spent_on: spentOn.text.trim(),
                    category: category.currentValue,
                    comment: comment.text.trim(),
                    description: description.text.trim()
                }
                if (billUrl !== "")
                    form.upload("expenses/", body, {attachments: billUrl})
                else
                    form.submit("POST", "expenses/", body)
            }

            ApiForm {
                id: form
                objectName: "expenseForm"
                // Shown beside their fields: the server's summary is not repeated above.
                fieldsShown: ["amount", "spent_on", "category", "comment", "description",
                              "attachments"]
                onSaved: function (result) {
                    dialog.close()
                    root.search()
                }
            }

            ApiListModel {
                id: categories
                objectName: "expenseCategories"
                roles: ["id", "label"]
                Component.onCompleted: query("expense-categories/", {archived: "false"})
                onLoaded: if (category.currentIndex < 0 && count > 0) category.currentIndex = 0
            }

            FileDialog {
                id: billDialog
                title: qsTr("Choose a photo of the bill")
                nameFilters: [qsTr("Photos and PDF (*.jpg *.jpeg *.png *.webp *.pdf)")]
                onAccepted: dialog.billUrl = selectedFile.toString()
            }

            contentItem: Flickable {
                implicitHeight: fields.implicitHeight
                contentHeight: fields.implicitHeight
                clip: true
                ScrollBar.vertical: ScrollBar {}

                ColumnLayout {
                    id: fields
                    width: parent.width
                    spacing: 4

                    Label {
                        objectName: "expenseFormError"
                        visible: text !== ""
                        text: form.error
                        color: Material.color(Material.Red)
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    Label { text: qsTr("Amount") }
                    TextField {
                        id: amount
                        objectName: "expenseAmount"
                        inputMethodHints: Qt.ImhFormattedNumbersOnly
                        placeholderText: qsTr("e.g. 125.40")
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Amount")
                    }
                    Label {
                        objectName: "expenseAmountError"
                        visible: text !== ""
                        text: dialog.fieldError("amount")
                        color: Material.color(Material.Red)
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    Label { text: qsTr("Date") }
                    TextField {
                        id: spentOn
                        objectName: "expenseDate"
                        placeholderText: qsTr("YYYY-MM-DD")
                        inputMethodHints: Qt.ImhDate
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Date")
                    }
                    Label {
                        objectName: "expenseDateError"
                        visible: text !== ""
                        text: dialog.fieldError("spent_on")
                        color: Material.color(Material.Red)
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    Label { text: qsTr("Category") }
                    ComboBox {
                        id: category
                        objectName: "expenseCategory"
                        model: categories
                        textRole: "label"
                        valueRole: "id"
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Category")
                    }
                    Label {
                        objectName: "expenseCategoryError"
                        visible: text !== ""
                        text: dialog.fieldError("category") || categories.error
                        color: Material.color(Material.Red)
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    Label { text: qsTr("Description") }
                    TextField {
                        id: comment
                        objectName: "expenseComment"
                        placeholderText: qsTr("e.g. Electricity bill for March")
                        maximumLength: 200
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Description")
                    }
                    Label {
                        objectName: "expenseCommentError"
                        visible: text !== ""
                        text: dialog.fieldError("comment")
                        color: Material.color(Material.Red)
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    Label { text: qsTr("Details (optional)") }
                    TextArea {
                        id: description
                        objectName: "expenseDescription"
                        wrapMode: TextEdit.Wrap
                        Layout.fillWidth: true
                        Layout.preferredHeight: 64
                        Accessible.name: qsTr("Details")
                    }
                    Label {
                        visible: text !== ""
                        text: dialog.fieldError("description")
                        color: Material.color(Material.Red)
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    Label { text: qsTr("Photo of the bill (optional)") }
                    RowLayout {
                        Layout.fillWidth: true
                        Button {
                            objectName: "expenseBillButton"
                            text: dialog.billUrl === "" ? qsTr("Choose a file…") : qsTr("Change…")
                            onClicked: billDialog.open()
                        }
                        Label {
                            objectName: "expenseBillName"
                            text: dialog.billUrl === "" ? qsTr("No file chosen")
                                  : decodeURIComponent(dialog.billUrl.split("/").pop())
                            elide: Text.ElideMiddle
                            opacity: dialog.billUrl === "" ? 0.7 : 1
                            Layout.fillWidth: true
                        }
                        ToolButton {
                            visible: dialog.billUrl !== ""
                            text: "✕"
                            onClicked: dialog.billUrl = ""
                            Accessible.name: qsTr("Remove the file")
                        }
                    }
                    Label {
                        objectName: "expenseBillError"
                        visible: text !== ""
                        text: dialog.fieldError("attachments")
                        color: Material.color(Material.Red)
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }

                    BusyIndicator {
                        running: form.busy
                        visible: running
                        Layout.alignment: Qt.AlignHCenter
                    }
                }
            }

            footer: DialogButtonBox {
                Button {
                    objectName: "expenseCancel"
                    text: qsTr("Cancel")
                    flat: true
                    enabled: !form.busy
                    DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
                }
                Button {
                    objectName: "expenseSave"
                    text: qsTr("Save")
                    highlighted: true
                    enabled: !form.busy
                    // Not AcceptRole: the dialog stays open until the server has saved it.
                    onClicked: dialog.save()
                }
            }
        }
    }
}
