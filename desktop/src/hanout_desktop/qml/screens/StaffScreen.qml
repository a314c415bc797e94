import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Hanout

// The business's employees: a searchable list, and beside it the chosen one's
// details and access level for each module. With full access to Staff the
// levels can be changed and the employee deactivated or reactivated; with read
// access those controls are not there at all.
Page {
    id: root
    objectName: "staffScreen"

    readonly property bool canWrite: session.canWrite("staff")
    property string selectedId: ""
    readonly property var member: detail.data || ({})
    readonly property bool isMe: session.me.membership !== undefined
                                 && member.id === session.me.membership.id
    property string actionError: ""

    // The server's modules, in the order of its access page (rows show those it sends).
    readonly property var moduleKeys: ["catalog", "stock", "suppliers", "purchasing", "sales",
        "register", "customers", "expenses", "sponsorship", "marketplace", "chat", "reports",
        "staff", "settings"]

    function moduleLabel(key) {
        switch (key) {
        case "catalog": return qsTr("Catalog")
        case "stock": return qsTr("Stock")
        case "suppliers": return qsTr("Suppliers")
        case "purchasing": return qsTr("Purchasing")
        case "sales": return qsTr("Sales")
        case "register": return qsTr("Register")
        case "customers": return qsTr("Clients")
        case "expenses": return qsTr("Expenses")
        case "sponsorship": return qsTr("Sponsorship")
        case "marketplace": return qsTr("Marketplace")
        case "chat": return qsTr("Chat")
        case "reports": return qsTr("Reports")
        case "staff": return qsTr("Staff")
        case "settings": return qsTr("Settings")
        }
        return key
    }

    function levelLabel(level) {
        switch (level) {
        case "none": return qsTr("No access")
        case "read": return qsTr("Read only")
        case "full": return qsTr("Full access")
        }
        return ""
    }

    function roleLabel(role) {
        switch (role) {
        case "owner": return qsTr("Owner")
        case "manager": return qsTr("Manager")
        case "staff": return qsTr("Staff member")
        case "cashier": return qsTr("Cashier")
        }
        return role || ""
    }

    function levelColor(level) {
        return level === "full" ? Material.color(Material.Teal)
             : level === "read" ? Material.color(Material.Blue)
             : Material.hintTextColor
    }

    function search() {
        staff.query("members/", {search: searchField.text.trim()})
    }

    function select(id) {
        selectedId = id
        actionError = ""
        if (id)
            detail.load("members/" + id + "/", {})
        else
            detail.clear()
    }

    // A level for one module: "none", "read", "full", or "" to return to the role's default.
    function setLevel(module, level) {
        if (!canWrite || !member.id || member.id !== selectedId)
            return
        var body = {}
        body[module] = level === "" ? null : level
        actionError = ""
        writer.submit("PUT", "members/" + member.id + "/access/", body)
    }

    function setActive(active) {
        if (!canWrite || !member.id || member.id !== selectedId)
            return
        actionError = ""
        writer.submit("POST", "members/" + member.id + (active ? "/reactivate/" : "/deactivate/"),
                      active ? {} : {note: deactivateNote.text.trim()})
    }

    ApiListModel {
        id: staff
        objectName: "staffModel"
        roles: ["full_name", "email", "role", "is_active"]
    }

    ApiResource {
        id: detail
        objectName: "staffDetail"
    }

    ApiForm {
        id: writer
        objectName: "staffWriter"
        onSaved: (result) => {
            if (result && result.id === root.selectedId) {
                var wasActive = root.member.is_active
                detail.set(result)
                if (result.is_active !== wasActive)
                    staff.reload()  // the list shows who is active
            }
        }
        onFailed: (message, status) => root.actionError = message
    }

    Component.onCompleted: search()

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
                text: qsTr("Employees")
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
            Layout.preferredWidth: 320
            Layout.maximumWidth: 380
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TextField {
                id: searchField
                objectName: "staffSearch"
                placeholderText: qsTr("Search by name, email or code")
                Layout.fillWidth: true
                Layout.margins: 12
                Layout.bottomMargin: 4
                onTextEdited: searchDelay.restart()
                onAccepted: { searchDelay.stop(); root.search() }
                Accessible.name: qsTr("Search employees")
            }

            Label {
                objectName: "staffError"
                visible: text !== ""
                text: staff.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.margins: 12
            }

            ListView {
                id: list
                objectName: "staffList"
                model: staff
                clip: true
                Layout.fillWidth: true
                Layout.fillHeight: true
                ScrollBar.vertical: ScrollBar {}

                delegate: ItemDelegate {
                    id: rowItem
                    required property int index
                    required property var row
                    readonly property string memberId: row.id
                    readonly property string full_name: row.full_name || ""
                    readonly property string email: row.email || ""
                    readonly property string role: row.role || ""
                    readonly property bool is_active: row.is_active === true
                    objectName: "staffRow_" + index
                    width: ListView.view.width
                    highlighted: root.selectedId === rowItem.memberId
                    onClicked: root.select(rowItem.memberId)
                    Accessible.name: rowItem.full_name || rowItem.email

                    contentItem: RowLayout {
                        spacing: 12
                        ColumnLayout {
                            spacing: 2
                            Layout.fillWidth: true
                            Label {
                                text: rowItem.full_name || rowItem.email
                                font.bold: true
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                                opacity: rowItem.is_active ? 1 : 0.6
                            }
                            Label {
                                text: rowItem.email
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                color: Material.hintTextColor
                                Layout.fillWidth: true
                            }
                        }
                        ColumnLayout {
                            spacing: 2
                            Label {
                                text: root.roleLabel(rowItem.role)
                                Layout.alignment: Qt.AlignRight
                            }
                            Label {
                                text: rowItem.is_active ? qsTr("Active") : qsTr("Inactive")
                                color: rowItem.is_active ? Material.color(Material.Teal)
                                                         : Material.color(Material.Red)
                                font.pixelSize: 12
                                Layout.alignment: Qt.AlignRight
                            }
                        }
                    }
                }

                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0 && !staff.loading && staff.error === ""
                    text: searchField.text.trim() !== "" ? qsTr("No employee matches this search.")
                                                         : qsTr("No employees yet.")
                    color: Material.hintTextColor
                }
                BusyIndicator {
                    anchors.centerIn: parent
                    running: staff.loading && list.count === 0
                    visible: running
                }
            }
        }

        ToolSeparator { orientation: Qt.Vertical; Layout.fillHeight: true }

        // --- the chosen employee ---------------------------------------------------------
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            Label {
                anchors.centerIn: parent
                visible: root.selectedId === ""
                text: qsTr("Choose an employee to see their access.")
                color: Material.hintTextColor
            }
            BusyIndicator {
                anchors.centerIn: parent
                running: root.selectedId !== "" && detail.loading && !root.member.id
                visible: running
            }
            Label {
                objectName: "staffDetailError"
                anchors.centerIn: parent
                visible: detail.error !== "" && !root.member.id
                text: detail.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                width: parent.width - 48
            }

            ScrollView {
                id: detailScroll
                objectName: "staffDetails"
                anchors.fill: parent
                visible: root.member.id !== undefined
                contentWidth: availableWidth
                clip: true

                ColumnLayout {
                    width: detailScroll.availableWidth
                    spacing: 12

                    // Who.
                    RowLayout {
                        Layout.fillWidth: true
                        Layout.topMargin: 16
                        Layout.leftMargin: 20
                        Layout.rightMargin: 20
                        spacing: 12
                        ColumnLayout {
                            spacing: 4
                            Layout.fillWidth: true
                            Label {
                                objectName: "staffName"
                                text: root.member.full_name || root.member.email || ""
                                font.pixelSize: 20
                                font.bold: true
                                elide: Text.ElideRight
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                            Label {
                                text: [root.roleLabel(root.member.role), root.member.job_title || "",
                                       root.member.employee_code
                                       ? qsTr("Code %1").arg(root.member.employee_code) : ""]
                                      .filter(function (s) { return s !== "" }).join(" · ")
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                            Label {
                                text: [root.member.email || "", root.member.phone || ""]
                                      .filter(function (s) { return s !== "" }).join(" · ")
                                color: Material.hintTextColor
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                            Label {
                                objectName: "staffStatus"
                                text: root.member.is_active
                                      ? qsTr("Active")
                                      : root.member.deactivated_at
                                        ? qsTr("Deactivated on %1").arg(
                                              formats.revision >= 0
                                              ? formats.day(root.member.deactivated_at) : "")
                                        : qsTr("Inactive")
                                color: root.member.is_active ? Material.color(Material.Teal)
                                                             : Material.color(Material.Red)
                                horizontalAlignment: Text.AlignLeft
                                Layout.fillWidth: true
                            }
                        }
                        // Only with full access to Staff; never for oneself.
                        Loader {
                            active: root.canWrite && !root.isMe
                            Layout.alignment: Qt.AlignTop
                            sourceComponent: Button {
                                objectName: "deactivateButton"
                                text: root.member.is_active ? qsTr("Deactivate") : qsTr("Reactivate")
                                enabled: !writer.busy
                                onClicked: root.member.is_active ? deactivateDialog.open()
                                                                 : root.setActive(true)
                            }
                        }
                    }

                    Label {
                        objectName: "staffActionError"
                        visible: text !== ""
                        text: root.actionError
                        color: Material.color(Material.Red)
                        wrapMode: Text.Wrap
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                        Layout.leftMargin: 20
                        Layout.rightMargin: 20
                    }

                    MenuSeparator { Layout.fillWidth: true }

                    Label {
                        text: qsTr("Access by module")
                        font.bold: true
                        font.pixelSize: 16
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                        Layout.leftMargin: 20
                        Layout.rightMargin: 20
                    }
                    Label {
                        text: root.canWrite
                              ? qsTr("“Role default” follows the role; any other choice applies to this employee only.")
                              : qsTr("What this employee may see and change in each module.")
                        color: Material.hintTextColor
                        wrapMode: Text.Wrap
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                        Layout.leftMargin: 20
                        Layout.rightMargin: 20
                    }

                    Loader {
                        Layout.fillWidth: true
                        Layout.leftMargin: 20
                        Layout.rightMargin: 20
                        Layout.bottomMargin: 16
                        sourceComponent: root.canWrite ? accessEditorComponent : accessViewComponent
                    }
                }
            }
        }
    }

    // --- the levels, read only ------------------------------------------------------------
    Component {
        id: accessViewComponent
        ColumnLayout {
            objectName: "accessView"
            spacing: 0
            Repeater {
                model: root.moduleKeys
                delegate: RowLayout {
                    required property var modelData
                    objectName: "access_" + modelData
                    visible: root.member.levels !== undefined
                             && root.member.levels[modelData] !== undefined
                    Layout.fillWidth: true
                    Layout.preferredHeight: 36
                    spacing: 12
                    Label {
                        text: root.moduleLabel(modelData)
                        horizontalAlignment: Text.AlignLeft
                        Layout.preferredWidth: 160
                    }
                    Label {
                        objectName: "level_" + modelData
                        text: root.member.levels ? root.levelLabel(root.member.levels[modelData]) : ""
                        color: root.member.levels ? root.levelColor(root.member.levels[modelData]) : Material.hintTextColor
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                    }
                    Label {
                        visible: !!root.member.overrides && root.member.overrides[modelData] !== undefined
                        text: qsTr("Set for this employee")
                        color: Material.hintTextColor
                        font.pixelSize: 12
                    }
                }
            }
        }
    }

    // --- the levels, with a choice per module (full access to Staff only) -----------------
    Component {
        id: accessEditorComponent
        ColumnLayout {
            objectName: "accessEditor"
            spacing: 0
            enabled: !writer.busy
            Repeater {
                model: root.moduleKeys
                delegate: RowLayout {
                    id: accessRow
                    required property var modelData
                    readonly property string module: modelData
                    readonly property string override: root.member.overrides
                                                       && root.member.overrides[module] !== undefined
                                                       ? root.member.overrides[module] : ""
                    objectName: "access_" + module
                    visible: root.member.levels !== undefined
                             && root.member.levels[module] !== undefined
                    Layout.fillWidth: true
                    spacing: 8
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Layout.minimumWidth: 120
                        Label {
                            text: root.moduleLabel(accessRow.module)
                            horizontalAlignment: Text.AlignLeft
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            objectName: "level_" + accessRow.module
                            text: root.member.levels ? root.levelLabel(root.member.levels[accessRow.module]) : ""
                            color: root.member.levels ? root.levelColor(root.member.levels[accessRow.module]) : Material.hintTextColor
                            font.pixelSize: 12
                            horizontalAlignment: Text.AlignLeft
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                    Repeater {
                        model: [
                            {value: "", text: qsTr("Role default")},
                            {value: "none", text: qsTr("None")},
                            {value: "read", text: qsTr("Read")},
                            {value: "full", text: qsTr("Full")}
                        ]
                        delegate: Button {
                            required property var modelData
                            objectName: "set_" + accessRow.module + "_" + (modelData.value || "default")
                            text: modelData.text
                            readonly property bool current: accessRow.override === modelData.value
                            flat: true
                            font.bold: current
                            Material.foreground: current ? Material.accent : undefined
                            // The level set for this employee is framed (the row's choice).
                            background: Rectangle {
                                radius: 4
                                color: parent.current ? Qt.alpha(parent.Material.accent, 0.12)
                                                      : parent.hovered ? Qt.alpha(parent.Material.foreground, 0.06)
                                                                       : "transparent"
                                border.width: parent.current ? 1 : 0
                                border.color: parent.Material.accent
                            }
                            topInset: 2
                            bottomInset: 2
                            leftPadding: 10
                            rightPadding: 10
                            font.pixelSize: 13
                            onClicked: if (!current) root.setLevel(accessRow.module, modelData.value)
                            Accessible.name: qsTr("%1: %2").arg(root.moduleLabel(accessRow.module))
                                                           .arg(modelData.text)
                        }
                    }
                }
            }
        }
    }

    // --- deactivating asks first ------------------------------------------------------------
    Dialog {
        id: deactivateDialog
        objectName: "deactivateDialog"
        title: qsTr("Deactivate %1?").arg(root.member.full_name || root.member.email || "")
        modal: true
        anchors.centerIn: parent
        width: Math.min(480, root.width - 48)
        onOpened: deactivateNote.text = ""

        ColumnLayout {
            anchors.fill: parent
            spacing: 12
            Label {
                text: qsTr("They can no longer sign in, their API tokens are revoked, and their history is kept. You can reactivate them later.")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignLeft
                Layout.fillWidth: true
            }
            TextField {
                id: deactivateNote
                objectName: "deactivateNote"
                placeholderText: qsTr("Note (optional)")
                Layout.fillWidth: true
            }
        }

        footer: DialogButtonBox {
            Button {
                objectName: "confirmDeactivateButton"
                text: qsTr("Deactivate")
                highlighted: true
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                text: qsTr("Cancel")
                flat: true
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        onAccepted: root.setActive(false)
    }
}
