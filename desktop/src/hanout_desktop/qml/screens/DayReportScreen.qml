import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Hanout

// The end-of-day report (GET reports/day/): the day's figures, totals by payment
// method and seller, the cash sessions with their differences, and every line.
Page {
    id: root
    objectName: "dayReportScreen"

    // Opens on the business's day (its time zone, dates.py), not the computer's.
    property date day: businessToday()
    readonly property var report: resource.data || ({})
    readonly property string currency: report.currency || ""

    function iso(d) { return Qt.formatDate(d, "yyyy-MM-dd") }
    function businessToday() {
        var p = formats.today().split("-")
        return new Date(parseInt(p[0]), parseInt(p[1]) - 1, parseInt(p[2]))
    }
    function shift(days) {
        var d = new Date(day.getFullYear(), day.getMonth(), day.getDate() + days)
        day = d
    }
    // The business's way (money.py), again when the language changes (amounts.revision).
    function money(value) {
        amounts.revision
        if (value === undefined || value === null || value === "") return "—"
        return amounts.moneyIn(value, currency)
    }
    function load() { resource.load("reports/day/", {"date": iso(day)}) }

    onDayChanged: load()
    Component.onCompleted: load()

    ApiResource { id: resource }

    header: ToolBar {
        Material.background: "transparent"
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            Label {
                text: qsTr("Day report")
                font.pixelSize: 20
                Layout.fillWidth: true
            }
            ToolButton {
                objectName: "dayPrevious"
                text: desktop.rightToLeft ? "›" : "‹"
                font.pixelSize: 22
                onClicked: root.shift(-1)
                Accessible.name: qsTr("Previous day")
            }
            TextField {
                id: dateField
                objectName: "dayReportDate"
                text: root.iso(root.day)
                inputMask: "9999-99-99"
                horizontalAlignment: TextInput.AlignHCenter
                Layout.preferredWidth: 130
                onAccepted: {
                    var parts = text.split("-")
                    var d = new Date(parseInt(parts[0]), parseInt(parts[1]) - 1, parseInt(parts[2]))
                    // JavaScript turns 2026-13-45 into a real day: only a day that reads back
                    // the same is one; anything else goes to the server, which says what is wrong.
                    if (!isNaN(d.getTime()) && root.iso(d) === text) root.day = d
                    else resource.load("reports/day/", {"date": text})
                }
            }
            ToolButton {
                objectName: "dayNext"
                text: desktop.rightToLeft ? "‹" : "›"
                font.pixelSize: 22
                onClicked: root.shift(1)
                Accessible.name: qsTr("Next day")
            }
            Button {
                objectName: "dayToday"
                text: qsTr("Today")
                flat: true
                onClicked: root.day = root.businessToday()
            }
            ToolButton {
                text: qsTr("Refresh")
                onClicked: resource.reload()
            }
        }
    }

    BusyIndicator {
        anchors.centerIn: parent
        running: resource.loading
        visible: running
        z: 2
    }

    Label {
        objectName: "dayReportError"
        visible: resource.error !== ""
        text: resource.error
        color: Material.color(Material.Red)
        wrapMode: Text.Wrap
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 }
    }

    Flickable {
        anchors.fill: parent
        anchors.topMargin: resource.error !== "" ? 48 : 0
        contentHeight: body.implicitHeight + 32
        clip: true
        ScrollBar.vertical: ScrollBar {}
        visible: root.report.date !== undefined

        ColumnLayout {
            id: body
            x: 16
            y: 8
            width: parent.width - 32
            spacing: 16

            // --- the figures ----------------------------------------------------------------
            GridLayout {
                columns: Math.max(2, Math.floor(body.width / 190))
                columnSpacing: 12
                rowSpacing: 12
                Layout.fillWidth: true
                Repeater {
                    model: [
                        {name: "daySalesCount", label: qsTr("Sales"), value: String(root.report.sales_count || 0)},
                        {name: "dayReturnsCount", label: qsTr("Returns"), value: String(root.report.returns_count || 0)},
                        {name: "dayRevenue", label: qsTr("Revenue"), value: root.money(root.report.revenue)},
                        {name: "dayTax", label: qsTr("Tax"), value: root.money(root.report.tax_total)},
                        {name: "dayWithdrawals", label: qsTr("Cash withdrawals"), value: root.money(root.report.withdrawal_total)},
                        {name: "dayCollected", label: qsTr("Collected"), value: root.money(root.report.collected)}
                    ]
                    delegate: Pane {
                        required property var modelData
                        objectName: modelData.name
                        property string value: modelData.value
                        Material.elevation: 1
                        Layout.fillWidth: true
                        ColumnLayout {
                            anchors.fill: parent
                            Label { text: modelData.label; opacity: 0.7 }
                            Label { text: modelData.value; font.pixelSize: 22; font.bold: true }
                        }
                    }
                }
            }

            // --- by method and by seller ----------------------------------------------------------
            RowLayout {
                Layout.fillWidth: true
                spacing: 24
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    Label { text: qsTr("By payment method"); font.bold: true }
                    Repeater {
                        model: root.report.by_method || []
                        delegate: RowLayout {
                            required property var modelData
                            Layout.fillWidth: true
                            Label { text: modelData.label; Layout.fillWidth: true }
                            Label { text: String(modelData.count); opacity: 0.7 }
                            Label { text: root.money(modelData.amount) }
                        }
                    }
                    Label {
                        visible: (root.report.by_method || []).length === 0
                        text: qsTr("No payments on this day.")
                        opacity: 0.7
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    Label { text: qsTr("By seller"); font.bold: true }
                    Repeater {
                        model: root.report.by_seller || []
                        delegate: RowLayout {
                            required property var modelData
                            Layout.fillWidth: true
                            Label { text: modelData.seller; Layout.fillWidth: true; elide: Text.ElideRight }
                            Label { text: desktop.plural(qsTr("%n sale(s)", "", modelData.sales), modelData.sales); opacity: 0.7 }
                            Label { text: root.money(modelData.revenue) }
                        }
                    }
                }
            }

            // --- cash sessions ----------------------------------------------------------------
            Label { text: qsTr("Cash sessions"); font.bold: true }
            Repeater {
                model: root.report.sessions || []
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Label {
                        text: qsTr("%1 #%2").arg(modelData.register).arg(modelData.number)
                        Layout.fillWidth: true
                    }
                    Label {
                        text: modelData.status === "closed" ? qsTr("closed") : qsTr("open")
                        opacity: 0.7
                    }
                    Label { text: qsTr("expected %1").arg(root.money(modelData.expected)) }
                    Label { text: qsTr("counted %1").arg(root.money(modelData.counted)) }
                    Label {
                        text: modelData.difference === null ? "" : root.money(modelData.difference)
                        color: modelData.difference !== null && Number(modelData.difference) !== 0
                               ? Material.color(Material.Red) : palette.text
                    }
                }
            }
            Label {
                visible: (root.report.sessions || []).length === 0
                text: qsTr("No cash session on this day.")
                opacity: 0.7
            }

            // --- every line ---------------------------------------------------------------------
            Label { text: qsTr("Lines"); font.bold: true }
            Column {
                objectName: "dayLines"
                property int count: (root.report.lines || []).length
                Layout.fillWidth: true
                Repeater {
                    model: root.report.lines || []
                    delegate: ItemDelegate {
                        required property var modelData
                        width: body.width
                        height: 36
                        contentItem: RowLayout {
                            Label { text: modelData.time; Layout.preferredWidth: 50 }
                            Label { text: modelData.ticket; Layout.preferredWidth: 80; opacity: 0.7 }
                            Label { text: modelData.product; Layout.fillWidth: true; elide: Text.ElideRight }
                            Label {
                                text: Number(modelData.quantity).toLocaleString(
                                          Qt.locale(desktop.language), "f",
                                          Number(modelData.quantity) % 1 === 0 ? 0 : 3)
                            }
                            Label {
                                text: root.money(modelData.amount)
                                color: modelData.is_return ? Material.color(Material.Red) : palette.text
                                Layout.preferredWidth: 110
                                horizontalAlignment: Text.AlignRight
                            }
                        }
                    }
                }
            }
            Label {
                visible: (root.report.lines || []).length === 0
                text: qsTr("Nothing sold on this day.")
                opacity: 0.7
            }
        }
    }
}
