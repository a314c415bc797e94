import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Hanout

// Sponsorship: this business's code and link to share, what sponsoring has
// earned, the businesses it brought and the rewards ledger. With full access,
// an invitation by email (absent, not greyed out, for a reader).
Page {
    id: root
    objectName: "sponsorshipScreen"

    readonly property bool canWrite: session.canWrite("sponsorship")
    readonly property var summary: referral.data || ({})

    ApiResource {
        id: referral
        objectName: "referralSummary"
        Component.onCompleted: load("referrals/", {})
    }
    ApiListModel {
        id: sponsees
        objectName: "sponseesModel"
        roles: ["id", "name", "since", "is_active"]
        Component.onCompleted: query("referrals/sponsees/", {})
    }
    ApiListModel {
        id: rewards
        objectName: "rewardsModel"
        roles: ["id", "sponsee", "kind", "amount", "currency", "earned_on"]
        Component.onCompleted: query("referrals/rewards/", {})
    }

    function kindLabel(kind) {
        switch (kind) {
        case "one_time": return qsTr("One-time reward")
        case "fee_share": return qsTr("Share of fees")
        case "reversal": return qsTr("Reversal")
        }
        return kind
    }

    // Amounts the business's way (money.py), again when the language changes.
    function totalsText() {
        amounts.revision
        var rows = root.summary.totals || []
        if (rows.length === 0) return "0"
        return rows.map(function (r) { return amounts.moneyIn(r.total, r.currency) }).join(" · ")
    }
    function programmeReward() {
        amounts.revision
        var programme = root.summary.programme || {}
        return amounts.moneyIn(programme.one_time_amount, programme.currency || "")
    }

    header: ToolBar {
        Label {
            anchors.fill: parent
            anchors.leftMargin: 12
            verticalAlignment: Text.AlignVCenter
            text: qsTr("Sponsorship")
            font.pixelSize: 20
            font.bold: true
        }
    }

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 24
        clip: true
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 }
            spacing: 12

            Label {
                objectName: "sponsorshipError"
                visible: text !== ""
                text: referral.error
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // The code and the link to share.
            RowLayout {
                spacing: 24
                Layout.fillWidth: true
                ColumnLayout {
                    Label { text: qsTr("Your sponsorship code"); opacity: 0.7 }
                    Label {
                        objectName: "referralCode"
                        text: root.summary.code || ""
                        font.pixelSize: 28
                        font.bold: true
                        font.letterSpacing: 2
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Label { text: qsTr("Registration link"); opacity: 0.7 }
                    RowLayout {
                        Layout.fillWidth: true
                        TextField {
                            id: linkField
                            objectName: "referralLink"
                            readOnly: true
                            text: root.summary.link || ""
                            Layout.fillWidth: true
                            selectByMouse: true
                        }
                        Button {
                            objectName: "copyLinkButton"
                            text: qsTr("Copy")
                            onClicked: { linkField.selectAll(); linkField.copy(); linkField.deselect() }
                        }
                    }
                }
            }

            // The figures.
            RowLayout {
                spacing: 12
                Layout.fillWidth: true
                Repeater {
                    model: [
                        {name: "referralRevenue", label: qsTr("Earned from sponsoring"),
                         value: root.totalsText()},
                        {name: "referralSponsees", label: qsTr("Businesses sponsored"),
                         value: String(root.summary.sponsees === undefined ? "" : root.summary.sponsees)},
                        {name: "referralActive", label: qsTr("Active now"),
                         value: String(root.summary.active_sponsees === undefined ? "" : root.summary.active_sponsees)}
                    ]
                    delegate: Pane {
                        required property var modelData
                        objectName: modelData.name
                        property string value: modelData.value
                        Material.elevation: 2
                        Layout.fillWidth: true
                        ColumnLayout {
                            Label { text: modelData.label; opacity: 0.7 }
                            Label { text: modelData.value; font.pixelSize: 22; font.bold: true }
                        }
                    }
                }
            }
            Label {
                objectName: "referralProgramme"
                visible: !!root.summary.programme
                // The reward with its currency in %2 (money.py); %3, once the currency, is
                // left empty and its space dropped (the translations keep "%2 %3" together).
                text: root.summary.programme
                      ? qsTr("Programme “%1”: %2 %3 once a sponsored business has been active %4 days, then %5% of its fees for %6 months.")
                        .arg(root.summary.programme.name)
                        .arg("\u2068" + root.programmeReward() + "\u2069")
                        .arg("").replace("\u2069 ", "\u2069")
                        .arg(root.summary.programme.active_days_required)
                        .arg(Number(root.summary.programme.fee_percent)).arg(root.summary.programme.fee_months)
                      : ""
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // Inviting someone: full access only.
            Loader {
                objectName: "inviteLoader"
                active: root.canWrite
                Layout.fillWidth: true
                sourceComponent: Pane {
                    objectName: "invitePane"
                    Material.elevation: 1
                    ApiForm {
                        id: form
                        objectName: "inviteForm"
                        onSaved: function (result) {
                            sent.text = qsTr("Invitation sent to %1.").arg(result.email)
                            email.text = ""
                            message.text = ""
                        }
                    }
                    ColumnLayout {
                        anchors.left: parent.left
                        anchors.right: parent.right
                        Label { text: qsTr("Invite a business by email"); font.bold: true }
                        TextField {
                            id: email
                            objectName: "inviteEmail"
                            placeholderText: qsTr("Email address")
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: text !== ""
                            text: form.fieldErrors.email || ""
                            color: Material.color(Material.Red)
                        }
                        TextArea {
                            id: message
                            objectName: "inviteMessage"
                            placeholderText: qsTr("A word from you (optional)")
                            wrapMode: TextEdit.Wrap
                            Layout.fillWidth: true
                            Layout.preferredHeight: 70
                        }
                        RowLayout {
                            Button {
                                objectName: "inviteButton"
                                text: qsTr("Send the invitation")
                                highlighted: true
                                enabled: !form.busy
                                onClicked: {
                                    sent.text = ""
                                    form.submit("POST", "referrals/invite/",
                                                {email: email.text.trim(), message: message.text})
                                }
                            }
                            Label {
                                id: sent
                                objectName: "inviteSent"
                                color: Material.color(Material.Teal)
                            }
                        }
                        Label {
                            objectName: "inviteError"
                            visible: text !== ""
                            text: form.error
                            color: Material.color(Material.Red)
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                }
            }

            // The businesses sponsored, and the rewards ledger.
            Label { text: qsTr("Businesses sponsored"); font.bold: true; font.pixelSize: 16 }
            Repeater {
                objectName: "sponseesList"
                model: sponsees
                delegate: RowLayout {
                    required property string name
                    required property string since
                    required property bool is_active
                    Layout.fillWidth: true
                    Label { text: name; Layout.fillWidth: true; elide: Text.ElideRight }
                    Label {
                        text: { formats.revision; return formats.day(since) }
                        opacity: 0.7
                    }
                    Label {
                        text: is_active ? qsTr("active") : qsTr("inactive")
                        color: is_active ? Material.color(Material.Teal) : Material.foreground
                        Layout.preferredWidth: 90
                    }
                }
            }
            Label {
                visible: sponsees.count === 0 && !sponsees.loading
                text: qsTr("No business registered with your code yet.")
                opacity: 0.7
            }
            Label { text: qsTr("Rewards"); font.bold: true; font.pixelSize: 16 }
            Repeater {
                objectName: "rewardsList"
                model: rewards
                delegate: RowLayout {
                    required property string earned_on
                    required property string sponsee
                    required property string kind
                    required property string amount
                    required property string currency
                    Layout.fillWidth: true
                    Label {
                        text: { formats.revision; return formats.day(earned_on) }
                        Layout.preferredWidth: 100
                    }
                    Label { text: sponsee; Layout.fillWidth: true; elide: Text.ElideRight }
                    Label { text: root.kindLabel(kind); opacity: 0.7 }
                    Label {
                        objectName: "rewardAmount"
                        text: { amounts.revision; return amounts.moneyIn(amount, currency) }
                        horizontalAlignment: Text.AlignRight
                        Layout.preferredWidth: 120
                    }
                }
            }
            Label {
                visible: rewards.count === 0 && !rewards.loading
                text: qsTr("No reward yet.")
                opacity: 0.7
            }
        }
    }
}
