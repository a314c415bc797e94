import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Hanout

// The team chat: the person's conversations on the side (unread badges), the open
// one's messages (newest at the bottom, older ones load when scrolling up), a
// composer (Enter sends, Shift+Enter starts a new line, a button attaches a file),
// and who is online. Everything comes from ChatClient (chat.py): REST + WebSocket.
Page {
    id: root
    objectName: "chatScreen"

    readonly property bool wide: width >= 900

    ChatClient {
        id: chat
        objectName: "chatClient"
        onMessageArrived: messageList.positionViewAtBeginning()
    }

    Component.onCompleted: chat.start()
    Component.onDestruction: chat.stop()

    function sendNow() {
        if (chat.send(composer.text))
            composer.clear()
    }

    function statusColor(status) {
        if (status === "online") return Material.color(Material.Green)
        if (status === "idle") return Material.color(Material.Amber)
        return Material.color(Material.Grey, Material.Shade400)
    }

    // m:ss of a length in milliseconds (a voice message, a recording).
    function formatDuration(ms) {
        const seconds = Math.floor(Math.max(0, ms) / 1000)
        const rest = seconds % 60
        return qsTr("%1:%2").arg(Math.floor(seconds / 60)).arg(rest < 10 ? "0" + rest : rest)
    }

    function formatSize(bytes) {
        if (bytes >= 1048576) return qsTr("%1 MB").arg((bytes / 1048576).toFixed(1))
        if (bytes >= 1024) return qsTr("%1 KB").arg(Math.round(bytes / 1024))
        return qsTr("%1 bytes").arg(bytes)
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: 12
            Label {
                text: chat.openName ? chat.openName : qsTr("Chat")
                font.pixelSize: 20
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                objectName: "chatError"
                visible: text !== ""
                text: chat.error || chat.voice.error
                color: Material.color(Material.Red)
                elide: Text.ElideRight
                Layout.maximumWidth: root.width / 3
            }
            Rectangle {
                implicitWidth: 10
                implicitHeight: 10
                radius: 5
                color: chat.status === "online" ? Material.color(Material.LightGreen, Material.ShadeA200)
                                                : Material.color(Material.Orange, Material.ShadeA200)
            }
            Label {
                objectName: "chatStatus"
                text: chat.status === "online" ? qsTr("Connected")
                    : chat.status === "connecting" ? qsTr("Connecting…")
                    : chat.status === "refused" ? qsTr("Not connected")
                    : qsTr("Offline, reconnecting…")
            }
            Label {
                visible: !root.wide
                text: qsTr("%1 online").arg(chat.onlineCount)
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // --- the conversations ------------------------------------------------------------
        ListView {
            id: conversationList
            objectName: "chatConversations"
            Layout.preferredWidth: root.wide ? 240 : 180
            Layout.fillHeight: true
            clip: true
            model: chat.conversations
            ScrollBar.vertical: ScrollBar {}
            delegate: ItemDelegate {
                id: conversationItem
                required property int index
                required property string id
                required property string kind
                required property string name
                required property int unread
                required property bool current
                objectName: "conversation_" + index
                width: ListView.view.width
                highlighted: current
                onClicked: chat.openConversation(id)
                Accessible.name: unread > 0 ? qsTr("%1, %n unread", "", unread).arg(name) : name
                contentItem: RowLayout {
                    spacing: 8
                    Label {
                        text: conversationItem.kind === "direct" ? "@"
                            : conversationItem.kind === "group" ? "≡" : "#"
                        opacity: 0.6
                        font.bold: true
                    }
                    Label {
                        text: conversationItem.name
                        font.bold: conversationItem.unread > 0
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Rectangle {
                        objectName: "unreadBadge"
                        visible: conversationItem.unread > 0
                        radius: height / 2
                        color: Material.accent
                        implicitHeight: 20
                        implicitWidth: Math.max(20, badgeText.implicitWidth + 10)
                        Label {
                            id: badgeText
                            anchors.centerIn: parent
                            text: conversationItem.unread > 99 ? "99+" : conversationItem.unread
                            color: "white"
                            font.pixelSize: 11
                            font.bold: true
                        }
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: conversationList.count === 0
                text: chat.status === "online" ? qsTr("No conversations yet.") : qsTr("Loading…")
                opacity: 0.6
            }
        }

        ToolSeparator { orientation: Qt.Vertical; Layout.fillHeight: true }

        // --- the open conversation ------------------------------------------------------------
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ListView {
                id: messageList
                objectName: "chatMessages"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                // Row 0 is the newest: laid out from the bottom, it stays in place as
                // messages arrive; scrolling up reaches the older ones (fetchMore).
                verticalLayoutDirection: ListView.BottomToTop
                model: chat.messages
                spacing: 2
                ScrollBar.vertical: ScrollBar {}
                onAtYBeginningChanged: if (atYBeginning && count > 0) chat.loadOlder()
                footer: Item {
                    width: ListView.view.width
                    height: chat.loadingOlder ? 40 : 8
                    BusyIndicator {
                        anchors.centerIn: parent
                        running: chat.loadingOlder
                        visible: running
                        height: 32
                    }
                }
                delegate: Item {
                    id: message
                    required property int index
                    required property string authorName
                    required property string body
                    required property string createdTime
                    required property string clientId
                    required property bool mine
                    required property bool pending
                    required property bool failed
                    required property string error
                    required property bool deleted
                    required property bool edited
                    required property string attachmentUrl
                    required property string attachmentId
                    required property int attachmentDuration
                    required property string playableUrl
                    required property var waveform
                    required property string attachmentKind
                    required property string attachmentName
                    required property int attachmentSize
                    required property string thumbnailSource
                    required property bool showAuthor

                    readonly property real maxBubble: Math.min(560, ListView.view.width * 0.75)

                    width: ListView.view.width
                    height: bubble.height + (showAuthor ? 10 : 2)

                    Rectangle {
                        id: bubble
                        anchors.bottom: parent.bottom
                        anchors.left: message.mine ? undefined : parent.left
                        anchors.right: message.mine ? parent.right : undefined
                        anchors.leftMargin: 16
                        anchors.rightMargin: 16
                        radius: 10
                        opacity: message.pending ? 0.7 : 1
                        color: message.failed ? Qt.rgba(0.9, 0.2, 0.2, 0.12)
                             : message.mine ? Qt.alpha(Material.accent, 0.16)
                             : Qt.alpha(Material.foreground, 0.06)
                        width: Math.max(content.implicitWidth, 80) + 20
                        height: content.implicitHeight + 14

                        ColumnLayout {
                            id: content
                            x: 10
                            y: 7
                            width: bubble.width - 20
                            spacing: 4

                            Label {
                                visible: message.showAuthor && !message.mine && message.authorName !== ""
                                text: message.authorName
                                font.bold: true
                                font.pixelSize: 12
                                color: Material.accent
                                Layout.maximumWidth: message.maxBubble - 20
                                elide: Text.ElideRight
                            }
                            Image {
                                objectName: "chatThumbnail"
                                visible: message.attachmentKind === "image" && !message.deleted
                                source: message.thumbnailSource
                                fillMode: Image.PreserveAspectFit
                                asynchronous: true
                                Layout.preferredWidth: Math.min(status === Image.Ready ? sourceSize.width : 240,
                                                                240, message.maxBubble - 20)
                                Layout.preferredHeight: status === Image.Ready
                                    ? Layout.preferredWidth * sourceSize.height / Math.max(1, sourceSize.width)
                                    : 120
                                Rectangle {
                                    anchors.fill: parent
                                    visible: parent.status !== Image.Ready
                                    color: Qt.alpha(Material.foreground, 0.08)
                                    radius: 6
                                    Label {
                                        anchors.centerIn: parent
                                        text: message.attachmentName
                                        opacity: 0.6
                                        elide: Text.ElideMiddle
                                        width: parent.width - 12
                                        horizontalAlignment: Text.AlignHCenter
                                    }
                                }
                                MouseArea {
                                    anchors.fill: parent
                                    enabled: message.attachmentUrl !== ""
                                    cursorShape: Qt.PointingHandCursor
                                    onClicked: chat.openAttachment(message.attachmentUrl, message.attachmentName)
                                }
                            }
                            // A voice message: play/pause, its waveform filling as it plays, its length.
                            RowLayout {
                                id: voiceRow
                                objectName: "chatVoice"
                                visible: message.attachmentKind === "voice" && !message.deleted
                                spacing: 8
                                readonly property bool current: message.attachmentId !== ""
                                                                && chat.voice.playingId === message.attachmentId
                                readonly property real progress: current
                                    ? chat.voice.position / Math.max(1, message.attachmentDuration) : 0
                                RoundButton {
                                    objectName: "chatVoicePlay"
                                    text: voiceRow.current && !chat.voice.paused ? "❚❚" : "▶"
                                    enabled: message.playableUrl !== ""
                                             && chat.voice.loadingId !== message.attachmentId
                                    onClicked: chat.voice.play(message.attachmentId, message.playableUrl)
                                    Accessible.name: voiceRow.current && !chat.voice.paused
                                                     ? qsTr("Pause the voice message")
                                                     : qsTr("Play the voice message")
                                }
                                Row {
                                    spacing: 1
                                    height: 28
                                    Layout.maximumWidth: message.maxBubble - 120
                                    clip: true
                                    Repeater {
                                        model: message.waveform
                                        Rectangle {
                                            required property int index
                                            required property var modelData
                                            width: 3
                                            height: Math.max(2, 28 * modelData / 100)
                                            radius: 1
                                            anchors.verticalCenter: parent.verticalCenter
                                            color: voiceRow.current
                                                   && index / Math.max(1, message.waveform.length) < voiceRow.progress
                                                   ? Material.accent : Qt.alpha(Material.foreground, 0.35)
                                        }
                                    }
                                }
                                Label {
                                    objectName: "chatVoiceLength"
                                    text: root.formatDuration(voiceRow.current ? chat.voice.position
                                                                               : message.attachmentDuration)
                                    font.pixelSize: 12
                                    opacity: 0.7
                                }
                            }
                            Button {
                                objectName: "chatFile"
                                visible: message.attachmentKind !== "" && message.attachmentKind !== "image"
                                         && message.attachmentKind !== "voice" && !message.deleted
                                flat: true
                                icon.name: "document-save"
                                text: message.attachmentSize > 0
                                      ? qsTr("%1 (%2)").arg(message.attachmentName).arg(root.formatSize(message.attachmentSize))
                                      : message.attachmentName
                                enabled: message.attachmentUrl !== ""
                                onClicked: chat.openAttachment(message.attachmentUrl, message.attachmentName)
                                Layout.maximumWidth: message.maxBubble - 20
                                Accessible.name: qsTr("Open %1").arg(message.attachmentName)
                            }
                            Label {
                                visible: message.body !== "" || message.deleted
                                text: message.deleted ? qsTr("This message was deleted.") : message.body
                                textFormat: Text.PlainText
                                wrapMode: Text.Wrap
                                font.italic: message.deleted
                                opacity: message.deleted ? 0.6 : 1
                                Layout.preferredWidth: Math.min(implicitWidth, message.maxBubble - 20)
                            }
                            RowLayout {
                                spacing: 6
                                Layout.alignment: Qt.AlignRight
                                Label {
                                    visible: message.failed
                                    text: message.error ? message.error : qsTr("Not sent")
                                    color: Material.color(Material.Red)
                                    font.pixelSize: 11
                                    wrapMode: Text.Wrap
                                    Layout.maximumWidth: message.maxBubble - 120
                                }
                                Button {
                                    objectName: "chatRetry"
                                    visible: message.failed
                                    flat: true
                                    text: qsTr("Try again")
                                    onClicked: chat.retry(message.clientId)
                                }
                                Label {
                                    text: message.pending ? qsTr("Sending…")
                                        : message.edited ? qsTr("%1 (edited)").arg(message.createdTime)
                                        : message.createdTime
                                    visible: !message.failed
                                    font.pixelSize: 11
                                    opacity: 0.6
                                }
                            }
                        }
                    }
                }

                Label {
                    anchors.centerIn: parent
                    visible: messageList.count === 0 && chat.openId !== ""
                    text: qsTr("No messages yet. Say hello!")
                    opacity: 0.6
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 1
                color: Qt.alpha(Material.foreground, 0.12)
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.margins: 8
                spacing: 6

                Button {
                    objectName: "chatAttach"
                    text: qsTr("Attach…")
                    flat: true
                    enabled: chat.openId !== ""
                    onClicked: fileDialog.open()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Attach a file or a photo")
                    Accessible.name: qsTr("Attach a file or a photo")
                }
                Button {
                    objectName: "chatRecord"
                    text: chat.voice.recording ? qsTr("Send voice %1").arg(root.formatDuration(chat.voice.elapsed))
                                               : qsTr("Record")
                    highlighted: chat.voice.recording
                    flat: !chat.voice.recording
                    enabled: chat.openId !== "" && (chat.voice.recording || chat.voice.canRecord)
                    onClicked: chat.voice.recording ? chat.voice.stopAndSend() : chat.voice.start()
                    ToolTip.visible: hovered
                    ToolTip.text: chat.voice.canRecord ? qsTr("Record a voice message from the microphone")
                                                       : qsTr("No microphone found")
                    Accessible.name: chat.voice.recording ? qsTr("Stop and send the voice message")
                                                          : qsTr("Record a voice message")
                }
                Button {
                    objectName: "chatRecordCancel"
                    visible: chat.voice.recording
                    text: qsTr("Cancel")
                    flat: true
                    onClicked: chat.voice.cancel()
                }
                ScrollView {
                    visible: !chat.voice.recording
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(Math.max(composer.implicitHeight, 44), 140)
                    TextArea {
                        id: composer
                        objectName: "chatComposer"
                        enabled: chat.openId !== ""
                        placeholderText: chat.openName ? qsTr("Write to %1").arg(chat.openName)
                                                       : qsTr("Write a message")
                        wrapMode: TextEdit.Wrap
                        textFormat: TextEdit.PlainText
                        onTextChanged: chat.noteActivity()
                        Accessible.name: qsTr("Message")
                        Keys.onPressed: (event) => {
                            if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                    && !(event.modifiers & Qt.ShiftModifier)) {
                                root.sendNow()
                                event.accepted = true
                            }
                        }
                    }
                }
                Label {
                    visible: chat.voice.recording
                    text: qsTr("Recording… speak now.")
                    color: Material.color(Material.Red)
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "chatSend"
                    visible: !chat.voice.recording
                    text: qsTr("Send")
                    highlighted: true
                    enabled: chat.openId !== "" && composer.text.trim().length > 0
                    onClicked: root.sendNow()
                }
            }
        }

        // --- who is online ----------------------------------------------------------------
        ToolSeparator { visible: root.wide; orientation: Qt.Vertical; Layout.fillHeight: true }

        ListView {
            id: peopleList
            objectName: "chatPeople"
            visible: root.wide
            Layout.preferredWidth: 200
            Layout.fillHeight: true
            clip: true
            model: chat.people
            header: Label {
                width: ListView.view.width
                padding: 12
                text: qsTr("Online: %1").arg(chat.onlineCount)
                font.bold: true
            }
            delegate: ItemDelegate {
                required property var modelData
                width: ListView.view.width
                height: 36
                enabled: false
                contentItem: RowLayout {
                    spacing: 8
                    Rectangle {
                        implicitWidth: 10
                        implicitHeight: 10
                        radius: 5
                        color: root.statusColor(modelData.status)
                    }
                    Label {
                        text: modelData.name
                        elide: Text.ElideRight
                        opacity: modelData.status === "offline" ? 0.6 : 1
                        Layout.fillWidth: true
                    }
                }
                Accessible.name: modelData.status === "online" ? qsTr("%1, online").arg(modelData.name)
                               : modelData.status === "idle" ? qsTr("%1, away").arg(modelData.name)
                               : qsTr("%1, offline").arg(modelData.name)
            }
        }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Send a file")
        fileMode: FileDialog.OpenFile
        onAccepted: chat.sendFile(selectedFile.toString())
    }
}
