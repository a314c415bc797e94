import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Hanout

// Stock levels: what is on hand of each product at each location, the low ones marked.
Page {
    id: root
    objectName: "stockScreen"

    function reload() {
        levels.query("stock-levels/", { search: search.text.trim(),
                                         low: lowOnly.checked ? "true" : "" })
    }

    function quantity(value) {
        if (value === undefined || value === null || value === "")
            return ""
        var number = Number(value)
        var decimals = Math.round(number) === number ? 0 : 3
        return number.toLocaleString(Qt.locale(), "f", decimals)
    }

    ApiListModel {
        id: levels
        objectName: "stockLevels"
        roles: ["id", "product", "location", "quantity", "available", "reserved",
                "reorder_point", "is_low"]
    }

    Timer {
        id: debounce
        interval: 300
        onTriggered: root.reload()
    }

    Component.onCompleted: reload()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 12
            Layout.bottomMargin: 0
            spacing: 12

            TextField {
                id: search
                objectName: "stockSearch"
                placeholderText: qsTr("Search by product name, SKU or barcode")
                selectByMouse: true
                Layout.fillWidth: true
                onTextChanged: debounce.restart()
                onAccepted: { debounce.stop(); root.reload() }
            }
            Switch {
                id: lowOnly
                objectName: "stockLowOnly"
                text: qsTr("Low stock only")
                onToggled: { debounce.stop(); root.reload() }
            }
        }

        Label {
            objectName: "stockError"
            visible: levels.error !== ""
            text: levels.error
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
        }

        // Column titles, sized like the rows below.
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            spacing: 12
            Label { text: qsTr("Product"); font.bold: true; horizontalAlignment: Text.AlignLeft; Layout.fillWidth: true; Layout.preferredWidth: 3 }
            Label { text: qsTr("Location"); font.bold: true; horizontalAlignment: Text.AlignLeft; Layout.fillWidth: true; Layout.preferredWidth: 2 }
            Label {
                text: qsTr("On hand"); font.bold: true
                horizontalAlignment: Text.AlignRight
                Layout.preferredWidth: 90
            }
            Label {
                text: qsTr("Available"); font.bold: true
                horizontalAlignment: Text.AlignRight
                Layout.preferredWidth: 90
            }
            Item { Layout.preferredWidth: 90 }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "stockList"
                anchors.fill: parent
                clip: true
                model: levels
                ScrollBar.vertical: ScrollBar {}

                delegate: ItemDelegate {
                    id: line
                    required property var row
                    required property int index
                    width: ListView.view.width
                    property bool low: row.is_low === true

                    background: Rectangle {
                        color: line.low ? Material.color(Material.Orange, Material.Shade50)
                             : line.index % 2 ? Qt.rgba(0, 0, 0, 0.03) : "transparent"
                    }

                    contentItem: RowLayout {
                        spacing: 12
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            Layout.preferredWidth: 3
                            Label {
                                text: line.row.product ? line.row.product.name : ""
                                horizontalAlignment: Text.AlignLeft
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                            Label {
                                text: line.row.product ? qsTr("SKU %1").arg(line.row.product.sku) : ""
                                horizontalAlignment: Text.AlignLeft
                                opacity: 0.6
                                font.pixelSize: 12
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                        Label {
                            text: line.row.location ? line.row.location.name : ""
                            horizontalAlignment: Text.AlignLeft
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                            Layout.preferredWidth: 2
                        }
                        Label {
                            text: root.quantity(line.row.quantity)
                            horizontalAlignment: Text.AlignRight
                            font.bold: true
                            Layout.preferredWidth: 90
                        }
                        Label {
                            text: root.quantity(line.row.available)
                            horizontalAlignment: Text.AlignRight
                            Layout.preferredWidth: 90
                        }
                        Item {
                            Layout.preferredWidth: 90
                            Layout.preferredHeight: lowMark.implicitHeight
                            Label {
                                id: lowMark
                                objectName: "lowStockMark"
                                anchors.centerIn: parent
                                visible: line.low
                                text: qsTr("Low")
                                color: "white"
                                font.pixelSize: 12
                                font.bold: true
                                leftPadding: 8
                                rightPadding: 8
                                topPadding: 2
                                bottomPadding: 2
                                background: Rectangle {
                                    radius: height / 2
                                    color: Material.color(Material.Orange, Material.Shade800)
                                }
                            }
                        }
                    }
                }
            }

            Label {
                objectName: "stockEmpty"
                anchors.centerIn: parent
                visible: !levels.loading && levels.error === "" && levels.count === 0
                text: lowOnly.checked ? qsTr("No product is low on stock.")
                                      : qsTr("No stock levels match.")
                opacity: 0.7
            }

            BusyIndicator {
                objectName: "stockBusy"
                anchors.centerIn: parent
                running: levels.loading
                visible: running
            }
        }
    }
}
