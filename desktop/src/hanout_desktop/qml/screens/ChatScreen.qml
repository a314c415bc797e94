import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Hanout

// The team chat: the person's conversations on the side (unread badges), the open
// one's messages (newest at the bottom, older ones load when scrolling up), a
// composer (Enter sends, Shift+Enter starts a new line, a button attaches a file),
// who is typing, and who is online. A message's "⋮" offers Edit (one's own, for 15
// minutes: the composer takes its text, Enter saves, Escape gives up) and Delete;
// the search field finds messages of the open conversation and a result scrolls
// to it. Everything comes from ChatClient (chat.py): REST + WebSocket.
Page {
    id: root
    objectName: "chatScreen"

    readonly property bool wide: width >= 900

    // What the composer held before editing a message: it comes back afterwards.
    property string draft: ""
    // The composer's text is being set by the screen (not typed): no typing frame.
    property bool settingComposer: false

    ChatClient {
        id: chat
        objectName: "chatClient"
        onMessageArrived: {
            messageList.followNewest = true
            messageList.positionViewAtBeginning()
        }
        onScrollToRow: (row) => {
            messageList.followNewest = false
            messageList.positionViewAtIndex(row, ListView.Center)
        }
        onEditEnded: root.setComposer(root.draft)
    }

    Component.onCompleted: chat.start()
    Component.onDestruction: chat.stop()

    function setComposer(text) {
        settingComposer = true
        composer.text = text
        composer.cursorPosition = composer.length
        settingComposer = false
    }

    function sendNow() {
        if (chat.editingId !== "")
            chat.saveEdit(composer.text)
        else if (chat.send(composer.text))
            composer.clear()
    }

    function startEdit(messageId) {
        const wasEditing = chat.editingId !== ""
        const text = chat.startEdit(messageId)
        if (chat.editingId !== messageId)
            return
        if (!wasEditing)
            draft = composer.text
        setComposer(text)
        composer.forceActiveFocus()
        Qt.callLater(showEdited)
    }

    // The message being edited stays in sight while the edit bar takes its place.
    function showEdited() {
        const row = chat.messages.rowOfId(chat.editingId)
        if (row >= 0)
            messageList.positionViewAtIndex(row, ListView.Contain)
    }

    // The newest of one's own messages that can still be edited (Up in an empty composer).
    function editLast() {
        for (let i = 0; i < messageList.count; ++i) {
            const row = chat.messages.get(i)
            if (row.mine && row.canEdit) {
                startEdit(row.id)
                return true
            }
        }
        return false
    }

    function askDelete(messageId) {
        deleteDialog.messageId = messageId
        deleteDialog.open()
    }

    // The search bar (over the open conversation) and its results.
    property bool searchShown: false

    function openSearch() {
        searchShown = true
        searchField.forceActiveFocus()
    }

    function closeSearch() {
        chat.search.close()
        searchField.text = ""
        searchShown = false
    }

    function typingText(names) {
        if (names.length === 0) return ""
        if (names.length === 1) return qsTr("%1 is typing…").arg(names[0])
        if (names.length === 2) return qsTr("%1 and %2 are typing…").arg(names[0]).arg(names[1])
        return qsTr("Several people are typing…")
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
            ToolButton {
                objectName: "chatSearchToggle"
                text: qsTr("Search")
                enabled: chat.openId !== ""
                onClicked: root.searchShown ? root.closeSearch() : root.openSearch()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Search this conversation")
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
            id: openConversation
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // --- search: the open conversation's messages, newest first ------------------------
            RowLayout {
                visible: root.searchShown
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 8
                Layout.topMargin: 14  // room for the field's floating label
                Layout.bottomMargin: 4
                spacing: 8
                TextField {
                    id: searchField
                    objectName: "chatSearch"
                    enabled: chat.openId !== ""
                    placeholderText: qsTr("Search this conversation")
                    selectByMouse: true
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Search this conversation")
                    onAccepted: chat.search.run(text)
                    Keys.onEscapePressed: root.closeSearch()
                }
                Button {
                    objectName: "chatSearchClose"
                    text: qsTr("Close")
                    flat: true
                    onClicked: root.closeSearch()
                }
            }

            Pane {
                id: searchPane
                objectName: "chatSearchResults"
                visible: chat.search.open
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(implicitHeight, openConversation.height * 0.4)
                padding: 8
                background: Rectangle { color: Qt.alpha(Material.foreground, 0.04) }

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 4
                    RowLayout {
                        Layout.fillWidth: true
                        BusyIndicator {
                            running: chat.search.busy
                            visible: running
                            implicitWidth: 24
                            implicitHeight: 24
                        }
                        Label {
                            objectName: "chatSearchTitle"
                            text: chat.search.busy ? qsTr("Searching…")
                                : chat.search.results.length === 0 ? qsTr("No message found.")
                                : qsTr("Messages found: %1").arg(chat.search.results.length)
                            font.bold: true
                            elide: Text.ElideRight
                            horizontalAlignment: Text.AlignLeft
                            Layout.fillWidth: true
                        }
                    }
                    ListView {
                        id: resultList
                        objectName: "chatSearchList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        implicitHeight: contentHeight
                        clip: true
                        model: chat.search.results
                        ScrollBar.vertical: ScrollBar {}
                        delegate: ItemDelegate {
                            id: result
                            required property var modelData
                            required property int index
                            objectName: "chatSearchResult_" + index
                            width: ListView.view.width
                            onClicked: chat.showMessage(modelData.seq)
                            Accessible.name: qsTr("%1, %2: %3").arg(modelData.authorName)
                                             .arg(modelData.createdTime).arg(modelData.body)
                            contentItem: ColumnLayout {
                                spacing: 2
                                Label {
                                    text: qsTr("%1 · %2").arg(result.modelData.authorName)
                                                         .arg(result.modelData.createdTime)
                                    font.pixelSize: 11
                                    opacity: 0.7
                                    elide: Text.ElideRight
                                    horizontalAlignment: Text.AlignLeft
                                    Layout.fillWidth: true
                                }
                                Label {
                                    text: result.modelData.body
                                    textFormat: Text.PlainText
                                    elide: Text.ElideRight
                                    maximumLineCount: 2
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                            }
                        }
                    }
                }
            }

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
                // Showing the newest until the person scrolls away: when the list gets
                // shorter (the edit bar, a longer message in the composer, the search
                // results) the newest stay in sight, or the one being edited.
                property bool followNewest: true
                onMovementEnded: followNewest = atYEnd
                onHeightChanged: {
                    if (chat.editingId !== "")
                        root.showEdited()
                    else if (followNewest)
                        positionViewAtBeginning()
                }
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
                    required property var seq
                    required property string messageId
                    required property bool canEdit
                    required property bool canDelete
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
                        // A search result just shown, or the message being edited.
                        border.width: chat.highlightSeq !== 0 && chat.highlightSeq === message.seq
                                      || (message.messageId !== "" && chat.editingId === message.messageId)
                                      ? 2 : 0
                        border.color: Material.accent
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
                                        : message.edited && !message.deleted
                                          ? qsTr("%1 (edited)").arg(message.createdTime)
                                        : message.createdTime
                                    visible: !message.failed
                                    font.pixelSize: 11
                                    opacity: 0.6
                                }
                                ToolButton {
                                    id: actionsButton
                                    objectName: "chatMessageActions"
                                    visible: message.canEdit || message.canDelete
                                    text: "⋮"
                                    font.pixelSize: 14
                                    implicitWidth: 24
                                    implicitHeight: 24
                                    padding: 0
                                    onClicked: messageMenu.openFor(actionsButton, message.messageId,
                                                                   message.canEdit, message.canDelete)
                                    ToolTip.visible: hovered
                                    ToolTip.text: qsTr("Edit or delete this message")
                                    Accessible.name: qsTr("Edit or delete this message")
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

            // Who else is typing here (kept in place when empty: the list does not jump).
            Label {
                objectName: "chatTyping"
                text: root.typingText(chat.typing.names)
                font.italic: true
                font.pixelSize: 12
                opacity: 0.7
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignLeft
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.preferredHeight: 20
            }

            // Editing one's own message: the composer holds its text until saved or given up.
            Rectangle {
                objectName: "chatEditBar"
                visible: chat.editingId !== ""
                Layout.fillWidth: true
                Layout.preferredHeight: editBar.implicitHeight + 8
                color: Qt.alpha(Material.accent, 0.10)
                RowLayout {
                    id: editBar
                    anchors.fill: parent
                    anchors.leftMargin: 12
                    anchors.rightMargin: 8
                    spacing: 8
                    Label {
                        text: qsTr("Editing your message. Enter saves, Escape cancels.")
                        elide: Text.ElideRight
                        horizontalAlignment: Text.AlignLeft
                        Layout.fillWidth: true
                    }
                    Button {
                        objectName: "chatEditCancel"
                        text: qsTr("Cancel")
                        flat: true
                        enabled: !chat.saving
                        onClicked: chat.cancelEdit()
                    }
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
                    visible: chat.editingId === ""
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
                    visible: chat.editingId === ""
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
                        // "Write to <conversation>" when it fits on the line, else the short one
                        // (a placeholder wraps like the text, and the box shows one line).
                        placeholderText: chat.openName && namedPlaceholder.width
                                         < width - leftPadding - rightPadding
                                         ? namedPlaceholder.text : qsTr("Write a message")
                        TextMetrics {
                            id: namedPlaceholder
                            font: composer.font
                            text: qsTr("Write to %1").arg(chat.openName)
                        }
                        wrapMode: TextEdit.Wrap
                        textFormat: TextEdit.PlainText
                        onTextChanged: root.settingComposer ? chat.noteActivity() : chat.noteTyping(text)
                        Accessible.name: chat.editingId !== "" ? qsTr("Edited message") : qsTr("Message")
                        Keys.onPressed: (event) => {
                            if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                    && !(event.modifiers & Qt.ShiftModifier)) {
                                root.sendNow()
                                event.accepted = true
                            } else if (event.key === Qt.Key_Escape && chat.editingId !== "") {
                                chat.cancelEdit()
                                event.accepted = true
                            } else if (event.key === Qt.Key_Up && composer.text === ""
                                       && chat.editingId === "") {
                                event.accepted = root.editLast()
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
                    text: chat.editingId !== "" ? qsTr("Save") : qsTr("Send")
                    highlighted: true
                    enabled: chat.openId !== "" && !chat.saving
                             && (composer.text.trim().length > 0 || chat.editingId !== "")
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

    // A message's actions ("⋮"): one menu for every bubble.
    Menu {
        id: messageMenu
        objectName: "chatMessageMenu"
        property string messageId: ""
        property bool canEdit: false
        property bool canDelete: false
        // Opens and closes at once: a fading menu still catches the next click or key
        // for a moment (the person chose Edit and already types in the composer).
        enter: null
        exit: null
        // Drawn here: the style's own (an elevation effect) is not drawn by the
        // software renderer.
        background: Rectangle {
            implicitWidth: 160
            color: messageMenu.Material.dialogColor
            radius: 6
            border.color: Qt.rgba(0, 0, 0, 0.16)
        }

        // Opens beside the "⋮", towards the inside of the conversation (its end edge on the
        // button's end edge: the left in English, the right in Arabic).
        function openFor(button, id, edit, remove) {
            messageId = id
            canEdit = edit
            canDelete = remove
            const mirrored = button.LayoutMirroring.enabled
            popup(button, mirrored ? 0 : button.width - implicitWidth, button.height)
        }

        MenuItem {
            objectName: "chatEdit"
            text: qsTr("Edit")
            enabled: messageMenu.canEdit
            height: enabled ? implicitHeight : 0
            visible: enabled
            onTriggered: root.startEdit(messageMenu.messageId)
        }
        MenuItem {
            objectName: "chatDelete"
            text: qsTr("Delete")
            enabled: messageMenu.canDelete
            height: enabled ? implicitHeight : 0
            visible: enabled
            onTriggered: root.askDelete(messageMenu.messageId)
        }
    }

    Dialog {
        id: deleteDialog
        objectName: "chatDeleteDialog"
        property string messageId: ""
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(420, root.width - 32)
        modal: true
        title: qsTr("Delete this message?")
        background: Rectangle {
            color: deleteDialog.Material.dialogColor
            radius: 12
            border.color: Qt.rgba(0, 0, 0, 0.12)
        }
        Label {
            width: parent.width
            text: qsTr("Everyone will see that it was deleted.")
            wrapMode: Text.Wrap
        }
        footer: DialogButtonBox {
            Button {
                objectName: "chatDeleteConfirm"
                text: qsTr("Delete")
                flat: true
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                text: qsTr("Cancel")
                flat: true
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        onAccepted: chat.deleteMessage(messageId)
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Send a file")
        fileMode: FileDialog.OpenFile
        onAccepted: chat.sendFile(selectedFile.toString())
    }
}
