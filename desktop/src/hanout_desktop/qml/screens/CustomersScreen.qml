import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtGraphs
import Hanout

// Clients: how the customer base grows (new customer cards per month over a
// year, or per year) as a bar chart, the segments, and the list with search.
// Read-only here; cards are edited on the web.
Page {
    id: root
    objectName: "customersScreen"

    property string period: "months"  // or "years"
    readonly property var figures: growth.data || ({})

    ApiResource {
        id: growth
        objectName: "customerGrowth"
        Component.onCompleted: load("customers/growth/", {})
        onLoaded: root.drawChart()
    }
    ApiListModel {
        id: customers
        objectName: "customersModel"
        roles: ["id", "name", "phone", "email", "segment", "spent", "purchase_count",
                "loyalty_points"]
    }

    function search() {
        customers.query("customers/", {search: searchField.text.trim(), active: "true"})
    }
    Component.onCompleted: search()

    function label(row) {
        if (row.year !== undefined) return String(row.year)
        // "2026-03-01" → "Mar 26" in the app's language.
        var parts = row.month.split("-")
        var date = new Date(Number(parts[0]), Number(parts[1]) - 1, 1)
        return date.toLocaleDateString(Qt.locale(desktop.language), "MMM yy")
    }

    function segmentLabel(key) {
        switch (key) {
        case "new": return qsTr("New")
        case "regular": return qsTr("Regular")
        case "top": return qsTr("Top")
        case "occasional": return qsTr("Occasional")
        case "lapsed": return qsTr("Lapsed")
        case "prospect": return qsTr("No purchase yet")
        }
        return key
    }

    // The chart's values, for the bars and for tests (a QML series is not a list).
    property var chartValues: []

    function drawChart() {
        var rows = root.period === "months" ? (root.figures.months || []) : (root.figures.years || [])
        var labels = [], values = [], top = 0
        for (var i = 0; i < rows.length; i++) {
            labels.push(root.label(rows[i]))
            values.push(rows[i].count)
            top = Math.max(top, rows[i].count)
        }
        axisX.categories = labels
        axisY.max = Math.max(4, Math.ceil(top * 1.2))
        bars.values = values
        root.chartValues = values
    }
    onPeriodChanged: drawChart()
    Connections {
        target: desktop
        function onLanguageChanged() { root.drawChart() }
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            Label {
                text: qsTr("Clients")
                font.pixelSize: 20
                font.bold: true
                Layout.fillWidth: true
            }
            TextField {
                id: searchField
                objectName: "customersSearch"
                placeholderText: qsTr("Name, phone or email")
                Layout.preferredWidth: 240
                onAccepted: root.search()
                Accessible.name: qsTr("Search clients")
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        Label {
            objectName: "customersError"
            visible: text !== ""
            text: growth.error || customers.error
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: qsTr("New clients")
                font.bold: true
                font.pixelSize: 16
                Layout.fillWidth: true
            }
            TabBar {
                id: periodBar
                objectName: "growthPeriod"
                currentIndex: root.period === "months" ? 0 : 1
                TabButton {
                    objectName: "growthByMonth"
                    text: qsTr("By month")
                    width: implicitWidth
                    onClicked: root.period = "months"
                }
                TabButton {
                    objectName: "growthByYear"
                    text: qsTr("By year")
                    width: implicitWidth
                    onClicked: root.period = "years"
                }
            }
        }

        GraphsView {
            objectName: "customerGrowthChart"
            Layout.fillWidth: true
            Layout.preferredHeight: 220
            theme: GraphsTheme {
                colorScheme: GraphsTheme.ColorScheme.Light
                backgroundVisible: false
                plotAreaBackgroundVisible: false
                labelFont.pixelSize: 12
                seriesColors: [Material.color(Material.Teal)]
            }
            axisX: BarCategoryAxis { id: axisX }
            axisY: ValueAxis {
                id: axisY
                min: 0
                max: 4
                labelDecimals: 0
                tickInterval: Math.max(1, Math.ceil(max / 4))
            }
            BarSeries {
                objectName: "customerGrowthSeries"
                BarSet { id: bars; label: qsTr("New clients") }
            }
            Accessible.name: qsTr("New clients per period")
        }

        // The segments of the active customers.
        Flow {
            objectName: "customerSegments"
            Layout.fillWidth: true
            spacing: 8
            Repeater {
                model: root.figures.segments || []
                delegate: Pane {
                    required property var modelData
                    objectName: "segment_" + modelData.key
                    property int count: modelData.count
                    padding: 8
                    Material.elevation: 1
                    Label { text: root.segmentLabel(modelData.key) + " · " + modelData.count }
                }
            }
        }

        ListView {
            id: list
            objectName: "customersList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: customers
            ScrollBar.vertical: ScrollBar {}
            delegate: ItemDelegate {
                required property string name
                required property string phone
                required property string email
                required property string segment
                required property string spent
                required property int purchase_count
                width: ListView.view.width
                contentItem: RowLayout {
                    spacing: 12
                    Label { text: name; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                    Label { text: phone || email; opacity: 0.7; Layout.preferredWidth: 200; elide: Text.ElideRight }
                    Label { text: root.segmentLabel(segment); Layout.preferredWidth: 110 }
                    Label {
                        text: desktop.plural(qsTr("%n purchase(s)", "", purchase_count), purchase_count)
                        Layout.preferredWidth: 110
                    }
                    Label {
                        objectName: "clientSpent"
                        // In the business's currency, its way (money.py).
                        text: { amounts.revision; return amounts.money(spent) }
                        horizontalAlignment: Text.AlignRight
                        Layout.preferredWidth: 110
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0 && !customers.loading
                text: qsTr("No client found.")
                opacity: 0.7
            }
        }
    }
}
