import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtGraphs
import Hanout

// The business's suppliers, searchable, and beside them what was spent with each
// (their invoices dated in the period) as a pie. The spend comes from the supplier
// performance report, which needs read access to Purchasing.
Page {
    id: root
    objectName: "suppliersScreen"

    readonly property bool canSeeSpend: session.canRead("purchasing")
    readonly property string currency: session.me.business ? session.me.business.currency : ""
    // Slices are coloured in this order; the legend uses the same colours.
    readonly property var sliceColors: ["#00897B", "#F4511E", "#3949AB", "#FDD835", "#8E24AA",
        "#43A047", "#E53935", "#1E88E5", "#6D4C41", "#00ACC1", "#C0CA33", "#757575"]
    property var spendRows: []
    property real spendTotal: 0

    // The business's way (money.py), again when the language changes (amounts.revision).
    function money(value) {
        amounts.revision
        return amounts.moneyIn(value, currency)
    }

    function isoDay(date) {
        return Qt.formatDate(date, "yyyy-MM-dd")
    }

    function search() {
        suppliers.query("suppliers/", {search: searchField.text.trim()})
    }

    function loadSpend() {
        if (!canSeeSpend)
            return
        var days = periodBox.currentValue || 90
        // The period ends on the business's day (its time zone), not the computer's.
        var today = formats.today().split("-")
        var end = new Date(parseInt(today[0]), parseInt(today[1]) - 1, parseInt(today[2]))
        var start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - days + 1)
        spend.load("supplier-performance/", {date_from: isoDay(start), date_to: isoDay(end)})
    }

    // One slice per supplier with spend in the period, biggest first.
    function drawSpend() {
        var rows = (spend.data || []).filter(function (r) { return Number(r.spend) > 0 })
        rows.sort(function (a, b) { return Number(b.spend) - Number(a.spend) })
        // Summed in thousandths (whole numbers, exact): the API's amounts have at most
        // three decimals, and a sum of binary fractions would drift.
        var thousandths = 0
        for (var i = 0; i < rows.length; i++)
            thousandths += Math.round(Number(rows[i].spend) * 1000)
        var total = thousandths / 1000
        pie.clear()
        for (var j = 0; j < rows.length; j++) {
            var slice = pie.append(rows[j].name, Number(rows[j].spend))
            slice.color = sliceColors[j % sliceColors.length]
            slice.borderColor = Material.background
            slice.borderWidth = 2
            slice.labelVisible = Number(rows[j].spend) / total >= 0.06
            slice.label = Math.round(Number(rows[j].spend) / total * 100) + " %"
            slice.labelColor = Material.foreground
            slice.labelPosition = PieSlice.LabelPosition.Outside
        }
        spendTotal = total
        spendRows = rows
    }

    ApiListModel {
        id: suppliers
        objectName: "suppliersModel"
        roles: ["name", "contact_name", "phone", "email", "item_count", "is_active"]
    }

    ApiResource {
        id: spend
        objectName: "supplierSpend"
        onLoaded: root.drawSpend()
    }

    Component.onCompleted: {
        search()
        loadSpend()
    }

    Timer {
        id: searchDelay
        interval: 300
        onTriggered: root.search()
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: 8
            Label {
                text: qsTr("Suppliers")
                font.pixelSize: 20
                font.bold: true
                Layout.fillWidth: true
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // --- the list -------------------------------------------------------------------
        ColumnLayout {
            Layout.preferredWidth: 360
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TextField {
                id: searchField
                objectName: "suppliersSearch"
                placeholderText: qsTr("Search suppliers")
                Layout.fillWidth: true
                Layout.margins: 12
                Layout.bottomMargin: 4
                onTextEdited: searchDelay.restart()
                onAccepted: { searchDelay.stop(); root.search() }
                Accessible.name: qsTr("Search suppliers")
            }

            Label {
                objectName: "suppliersError"
                visible: text !== ""
                text: suppliers.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.margins: 12
            }

            ListView {
                id: list
                objectName: "suppliersList"
                model: suppliers
                clip: true
                Layout.fillWidth: true
                Layout.fillHeight: true
                ScrollBar.vertical: ScrollBar {}

                delegate: ItemDelegate {
                    id: rowItem
                    required property int index
                    required property var row
                    objectName: "supplierRow_" + index
                    width: ListView.view.width
                    Accessible.name: row.name

                    contentItem: RowLayout {
                        spacing: 12
                        ColumnLayout {
                            spacing: 2
                            Layout.fillWidth: true
                            Label {
                                text: rowItem.row.name
                                font.bold: true
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                opacity: rowItem.row.is_active ? 1 : 0.6
                                Layout.fillWidth: true
                            }
                            Label {
                                text: [rowItem.row.contact_name || "", rowItem.row.phone || "",
                                       rowItem.row.email || ""]
                                      .filter(function (s) { return s !== "" }).join(" · ")
                                visible: text !== ""
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                color: Material.hintTextColor
                                Layout.fillWidth: true
                            }
                        }
                        ColumnLayout {
                            spacing: 2
                            Label {
                                text: desktop.plural(qsTr("%n product(s)", "", rowItem.row.item_count || 0), rowItem.row.item_count || 0)
                                Layout.alignment: Qt.AlignRight
                            }
                            Label {
                                visible: !rowItem.row.is_active
                                text: qsTr("Inactive")
                                color: Material.color(Material.Red)
                                font.pixelSize: 12
                                Layout.alignment: Qt.AlignRight
                            }
                        }
                    }
                }

                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0 && !suppliers.loading && suppliers.error === ""
                    text: searchField.text.trim() !== "" ? qsTr("No supplier matches this search.")
                                                         : qsTr("No suppliers yet.")
                    color: Material.hintTextColor
                }
                BusyIndicator {
                    anchors.centerIn: parent
                    running: suppliers.loading && list.count === 0
                    visible: running
                }
            }
        }

        ToolSeparator { orientation: Qt.Vertical; Layout.fillHeight: true }

        // --- spend per supplier -----------------------------------------------------------
        ColumnLayout {
            Layout.preferredWidth: 480
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: 16
            spacing: 8

            RowLayout {
                Layout.fillWidth: true
                spacing: 8
                Label {
                    text: qsTr("Spend per supplier")
                    font.bold: true
                    font.pixelSize: 16
                    horizontalAlignment: Text.AlignLeft
                    Layout.fillWidth: true
                }
                ComboBox {
                    id: periodBox
                    objectName: "spendPeriod"
                    visible: root.canSeeSpend
                    textRole: "text"
                    valueRole: "days"
                    model: [
                        {days: 30, text: qsTr("Last 30 days")},
                        {days: 90, text: qsTr("Last 90 days")},
                        {days: 365, text: qsTr("Last 12 months")}
                    ]
                    currentIndex: 1
                    Layout.preferredWidth: 190
                    onActivated: root.loadSpend()
                    Accessible.name: qsTr("Period")
                }
            }

            Label {
                visible: root.canSeeSpend
                text: root.spendRows.length > 0
                      ? qsTr("Invoices dated in the period, tax included: %1 in all.")
                            .arg(root.money(root.spendTotal))
                      : ""
                color: Material.hintTextColor
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignLeft
                Layout.fillWidth: true
            }

            Label {
                objectName: "spendError"
                visible: text !== ""
                text: spend.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            Label {
                objectName: "spendNoAccess"
                visible: !root.canSeeSpend
                text: qsTr("The spend per supplier comes from Purchasing; you have no access to it.")
                color: Material.hintTextColor
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignLeft
                Layout.fillWidth: true
            }

            Item {
                visible: root.canSeeSpend
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: 220

                GraphsView {
                    id: chart
                    objectName: "supplierSpendChart"
                    anchors.fill: parent
                    // Pie charts have no axes; the legend below names the slices.
                    theme: GraphsTheme {
                        colorScheme: GraphsTheme.ColorScheme.Light
                        backgroundVisible: false
                        plotAreaBackgroundVisible: false
                        gridVisible: false
                        labelFont.pixelSize: 13
                    }
                    marginLeft: 24
                    marginRight: 24
                    marginTop: 16
                    marginBottom: 16
                    PieSeries {
                        id: pie
                        objectName: "supplierSpendSeries"
                        pieSize: 0.75
                        holeSize: 0.45
                    }
                    Accessible.name: qsTr("Spend per supplier")
                }
                Label {
                    anchors.centerIn: parent
                    visible: !spend.loading && spend.error === "" && root.spendRows.length === 0
                    text: qsTr("No supplier invoice in this period.")
                    color: Material.hintTextColor
                }
                BusyIndicator {
                    anchors.centerIn: parent
                    running: spend.loading && root.spendRows.length === 0
                    visible: running
                }
            }

            // The legend: colour, supplier, amount, share.
            ListView {
                id: legend
                objectName: "supplierSpendLegend"
                visible: root.canSeeSpend && count > 0
                model: root.spendRows
                interactive: contentHeight > height
                clip: true
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(contentHeight, 200)
                delegate: RowLayout {
                    required property int index
                    required property var modelData
                    width: ListView.view.width
                    height: 28
                    spacing: 8
                    Rectangle {
                        width: 14
                        height: 14
                        radius: 3
                        color: root.sliceColors[index % root.sliceColors.length]
                    }
                    Label {
                        text: modelData.name
                        elide: Text.ElideRight
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                    }
                    Label {
                        text: root.money(modelData.spend)
                        horizontalAlignment: Text.AlignRight
                    }
                    Label {
                        text: Math.round(Number(modelData.spend) / root.spendTotal * 100) + " %"
                        color: Material.hintTextColor
                        horizontalAlignment: Text.AlignRight
                        Layout.preferredWidth: 48
                    }
                }
            }
        }
    }
}
