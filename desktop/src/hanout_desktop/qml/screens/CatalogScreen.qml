import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Hanout

// The catalog explorer: the category tree on the side, the products of the
// chosen category (and everything under it) as cards, searchable. Read-only.
Page {
    id: root
    objectName: "catalogScreen"

    // The chosen category's id ("" = every product) and the expanded nodes.
    property string categoryId: ""
    property var expanded: ({})
    // The tree flattened into the rows the list shows (children of collapsed nodes left out).
    property var treeRows: []
    readonly property string currency: session.me.business ? session.me.business.currency : ""

    function reloadProducts() {
        products.query("products/", { search: search.text.trim(), category: root.categoryId })
    }

    function flatten() {
        var rows = []
        var total = 0
        function walk(nodes, depth) {
            for (var i = 0; i < nodes.length; ++i) {
                var node = nodes[i]
                var children = node.children || []
                rows.push({ id: node.id, name: node.name, depth: depth,
                            count: node.total_count, hasChildren: children.length > 0,
                            open: !!root.expanded[node.id] })
                if (children.length > 0 && root.expanded[node.id])
                    walk(children, depth + 1)
            }
        }
        var roots = []
        for (var r = 0; r < categories.count; ++r) {
            var node = categories.get(r)
            roots.push(node)
            total += node.total_count || 0
        }
        walk(roots, 0)
        rows.unshift({ id: "", name: "", depth: 0, count: total, hasChildren: false, open: false })
        treeRows = rows
    }

    function toggle(id) {
        var copy = Object.assign({}, expanded)
        copy[id] = !copy[id]
        expanded = copy
        flatten()
    }

    function choose(id) {
        categoryId = id
        reloadProducts()
    }

    // The business's way ("1,20 €" in French, "€1.20" in English: money.py); written
    // again when the language changes (amounts.revision).
    function formatPrice(value) {
        amounts.revision
        if (value === undefined || value === null || value === "")
            return ""
        return amounts.moneyIn(value, root.currency)
    }


    ApiListModel {
        id: categories
        objectName: "catalogCategories"
        roles: ["id", "name", "total_count", "children"]
        onLoaded: {
            // Domains open at first: their categories show, sub-categories stay folded.
            var open = {}
            for (var i = 0; i < count; ++i)
                open[get(i).id] = true
            root.expanded = open
            root.flatten()
        }
    }

    ApiListModel {
        id: products
        objectName: "catalogProducts"
        roles: ["id", "name", "sku", "sale_price", "category_name", "thumbnail", "is_active"]
    }

    Timer {
        id: debounce
        interval: 300
        onTriggered: root.reloadProducts()
    }

    Component.onCompleted: {
        categories.query("categories/tree/", {})
        reloadProducts()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // --- the category tree --------------------------------------------------------------
        ColumnLayout {
            Layout.fillWidth: false
            Layout.preferredWidth: 260
            Layout.maximumWidth: 260
            Layout.fillHeight: true
            spacing: 0

            Label {
                text: qsTr("Categories")
                horizontalAlignment: Text.AlignLeft
                Layout.fillWidth: true
                font.pixelSize: 16
                font.bold: true
                Layout.margins: 12
                Layout.bottomMargin: 4
            }

            Label {
                objectName: "categoryError"
                visible: categories.error !== ""
                text: categories.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.margins: 12
            }

            BusyIndicator {
                running: categories.loading
                visible: running
                Layout.alignment: Qt.AlignHCenter
            }

            ListView {
                id: tree
                objectName: "categoryTree"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: root.treeRows
                ScrollBar.vertical: ScrollBar {}

                delegate: ItemDelegate {
                    id: node
                    required property var modelData
                    objectName: modelData.id === "" ? "categoryRow_all"
                                                    : "categoryRow_" + modelData.name
                    property string categoryId: modelData.id
                    width: ListView.view.width
                    highlighted: root.categoryId === modelData.id
                    onClicked: root.choose(modelData.id)

                    contentItem: RowLayout {
                        spacing: 4
                        Item { Layout.preferredWidth: node.modelData.depth * 18 }
                        ToolButton {
                            objectName: "categoryToggle"
                            visible: node.modelData.hasChildren
                            text: node.modelData.open ? "▾" : (desktop.rightToLeft ? "◂" : "▸")
                            flat: true
                            padding: 0
                            Layout.preferredWidth: 24
                            Layout.preferredHeight: 24
                            onClicked: root.toggle(node.modelData.id)
                            Accessible.name: node.modelData.open ? qsTr("Collapse") : qsTr("Expand")
                        }
                        Item {
                            visible: !node.modelData.hasChildren
                            Layout.preferredWidth: 24
                        }
                        Label {
                            text: node.modelData.id === "" ? qsTr("All products") : node.modelData.name
                            font.bold: node.modelData.depth === 0
                            // Explicit: mirrored in Arabic, whatever the name's own direction.
                            horizontalAlignment: Text.AlignLeft
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: Number(node.modelData.count).toLocaleString(Qt.locale(), "f", 0)
                            opacity: 0.6
                        }
                    }
                }
            }
        }

        ToolSeparator { orientation: Qt.Vertical; Layout.fillHeight: true }

        // --- search and product cards --------------------------------------------------------
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 8

            RowLayout {
                Layout.fillWidth: true
                Layout.margins: 12
                Layout.bottomMargin: 0
                spacing: 12

                TextField {
                    id: search
                    objectName: "catalogSearch"
                    placeholderText: qsTr("Search by name, SKU or barcode")
                    selectByMouse: true
                    Layout.fillWidth: true
                    onTextChanged: debounce.restart()
                    onAccepted: { debounce.stop(); root.reloadProducts() }
                }
                Label {
                    objectName: "catalogCount"
                    text: products.hasMore
                          ? qsTr("%1+ products").arg(products.count)
                          : desktop.plural(qsTr("%n product(s)", "", products.count), products.count)
                    opacity: 0.7
                }
            }

            Label {
                objectName: "catalogError"
                visible: products.error !== ""
                text: products.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
            }

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                GridView {
                    id: grid
                    objectName: "catalogGrid"
                    anchors.fill: parent
                    anchors.margins: 6
                    clip: true
                    model: products
                    // As many columns of at least 200 px as fit, sharing the width.
                    cellWidth: width / Math.max(1, Math.floor(width / 200))
                    cellHeight: 250
                    ScrollBar.vertical: ScrollBar {}

                    delegate: Item {
                        id: cell
                        required property var row
                        required property string name
                        required property string sku
                        width: grid.cellWidth
                        height: grid.cellHeight

                        Pane {
                            anchors.fill: parent
                            anchors.margins: 6
                            Material.elevation: 2
                            padding: 10

                            ColumnLayout {
                                anchors.fill: parent
                                spacing: 4

                                Rectangle {
                                    Layout.fillWidth: true
                                    Layout.fillHeight: true
                                    radius: 4
                                    color: Material.color(Material.Teal, Material.Shade50)
                                    clip: true

                                    // The API's picture URLs need the token: ApiPicture fetches them.
                                    ApiPicture {
                                        id: pictureFile
                                        path: cell.row.thumbnail || ""
                                    }
                                    Image {
                                        id: picture
                                        objectName: "picture_" + cell.name
                                        property int loadStatus: status  // for tests
                                        anchors.fill: parent
                                        source: pictureFile.source
                                        // Whole, not cropped: a product photo cut at its edges (or a
                                        // picture with its name written at the bottom) reads wrong.
                                        fillMode: Image.PreserveAspectFit
                                        asynchronous: true
                                        cache: true
                                        visible: status === Image.Ready
                                    }
                                    // No picture (or it could not be loaded): the name's initial.
                                    Label {
                                        anchors.centerIn: parent
                                        visible: picture.status !== Image.Ready
                                        text: cell.name.charAt(0).toUpperCase()
                                        font.pixelSize: 40
                                        color: Material.color(Material.Teal)
                                    }
                                }
                                Label {
                                    text: cell.name
                                    font.bold: true
                                    horizontalAlignment: Text.AlignLeft
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                Label {
                                    text: qsTr("SKU %1").arg(cell.sku)
                                    opacity: 0.7
                                    horizontalAlignment: Text.AlignLeft
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                RowLayout {
                                    Layout.fillWidth: true
                                    Label {
                                        text: cell.row.category_name || ""
                                        opacity: 0.7
                                        horizontalAlignment: Text.AlignLeft
                                        font.pixelSize: 12
                                        elide: Text.ElideRight
                                        Layout.fillWidth: true
                                    }
                                    Label {
                                        objectName: "productPrice"
                                        text: root.formatPrice(cell.row.sale_price)
                                        font.bold: true
                                        color: Material.color(Material.Teal)
                                    }
                                }
                                Label {
                                    visible: cell.row.is_active === false
                                    text: qsTr("Inactive")
                                    color: Material.color(Material.Orange)
                                    font.pixelSize: 12
                                }
                            }
                        }
                    }
                }

                Label {
                    objectName: "catalogEmpty"
                    anchors.centerIn: parent
                    visible: !products.loading && products.error === "" && products.count === 0
                    text: search.text.trim() !== "" ? qsTr("No product matches “%1”.").arg(search.text.trim())
                                                    : qsTr("No products in this category.")
                    opacity: 0.7
                }

                BusyIndicator {
                    objectName: "catalogBusy"
                    anchors.centerIn: parent
                    running: products.loading
                    visible: running
                }
            }
        }
    }
}
