"""The team chat for QML: `ChatClient { id: chat }`, on the chat's REST API and WebSocket.

Everything follows docs/chat-protocol.md:

- the socket (`/ws/chat/`) is opened with the personal API token in the
  `Authorization` header of the handshake, asynchronously (QWebSocket, on the
  event loop); it is reopened after 1, 2, 5, then every 10 seconds, unless the
  server closed it with 4401/4403 (not signed in / no access: retrying cannot help);
- after every `ready`, the open conversation is caught up by seq through
  `GET …/messages/?after=N` (repeated while `has_more`), and the list of
  conversations (unread counts) is refreshed; a message whose seq is already
  held replaces the one held, so nothing shows twice;
- sending goes through REST with a fresh `client_id` (UUID): a network failure
  or a timeout sends again with the same one (the server answers the first
  message, nothing written twice), twice, then the message shows as failed with
  a "Try again";
- attachments are fetched with the token (QML's Image cannot send it): image
  thumbnails are saved in a temporary folder of this client and shown as file:// URLs.

The messages model holds the open conversation newest first (row 0 is the
newest), for a ListView laid out bottom to top: new messages appear at the
bottom without moving what the person reads, and scrolling up asks
`fetchMore()` for the older page.

Voice messages are recorded and played by `chat.voice` (voice.py); a finished
recording is sent like a photo, as an upload of kind `voice`.

As on the web page (src/hanout/chat/static/chat/chat.js):

- who is typing, both ways: `chat.typing` (chat_typing.py), fed by the socket
  and by `noteTyping(text)` from the composer;
- edit and delete go through REST (`PATCH`/`DELETE …/messages/{id}/`); the
  server pushes `message.updated` / `message.deleted` to every other socket.
  The controls show only where the server would allow them: editing one's own
  message for 15 minutes, deleting one's own (or anyone's for an owner or a
  manager), with Chat at full access (`canEdit`, `canDelete` roles); editing
  happens in the composer (`startEdit`, `saveEdit`, `cancelEdit`);
- search: `chat.search` (chat_search.py) asks the API for the open
  conversation's messages with some words; `showMessage(seq)` loads older pages
  until a found message is held, then asks the view to scroll to it.
"""

from __future__ import annotations

import datetime
import json
import mimetypes
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    QTemporaryDir,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtNetwork import QAbstractSocket
from PySide6.QtQml import QmlElement
from PySide6.QtWebSockets import QWebSocket

from hanout_desktop import api as api_module
from hanout_desktop import dates
from hanout_desktop import images as pictures
from hanout_desktop.api import ApiClient, alive
from hanout_desktop.chat_search import MessageSearch
from hanout_desktop.chat_typing import Typing
from hanout_desktop.voice import Voice

QML_IMPORT_NAME = "Hanout"
QML_IMPORT_MAJOR_VERSION = 1

CHAT = "chat/"
PAGE = 50  # messages per page when opening a conversation or scrolling up
CATCH_UP_PAGE = 200  # the API's largest page
BACKOFF_MS = [1_000, 2_000, 5_000, 10_000]
NO_RETRY_CODES = {4401, 4403}
SEND_RETRIES = 2  # after a network failure or a timeout, with the same client_id
PRESENCE_REFRESH_MS = 60_000
EDIT_MINUTES = 15  # the server's edit window (docs/chat-protocol.md)
EDIT_WINDOW_REFRESH_MS = 30_000  # how often the Edit controls are re-checked against it
ACTION_ROLES = ("owner", "manager")  # may delete anyone's message


def _all_changed(model: QAbstractListModel, count: int) -> None:
    if count:
        model.dataChanged.emit(model.index(0, 0), model.index(count - 1, 0))


def _local_time(iso: str | None) -> str:
    """ "14:05" today, "1/3/2026 14:05" another day, in the business's time zone."""
    return dates.chat_time(iso)


def _epoch(iso: str | None) -> float:
    """Seconds since 1970 of an ISO time (0 when there is none): for the edit window."""
    try:
        return datetime.datetime.fromisoformat(iso).timestamp() if iso else 0.0
    except ValueError:
        return 0.0


# --- the open conversation's messages ----------------------------------------------------------

MESSAGE_ROLES = [
    "id",
    "seq",
    "clientId",
    "authorId",
    "authorName",
    "body",
    "createdAt",
    "createdTime",
    "mine",
    "pending",
    "failed",
    "error",
    "deleted",
    "edited",
    "attachmentId",
    "attachmentUrl",
    "attachmentKind",
    "attachmentName",
    "attachmentSize",
    "attachmentDuration",
    "playableUrl",
    "waveform",
    "thumbnailSource",
    "showAuthor",
    "messageId",  # the same as `id` (a QML delegate cannot declare a property named id)
    "canEdit",
    "canDelete",
]
FIRST_ROLE = Qt.ItemDataRole.UserRole + 1


class _RowsModel(QAbstractListModel):
    """A list of dicts for QML: one role per name in ROLES, `computed()` for the derived ones."""

    ROLES: list[str] = []
    DISPLAY = ""

    def roleNames(self) -> dict[int, QByteArray]:
        return {FIRST_ROLE + i: QByteArray(n.encode()) for i, n in enumerate(self.ROLES)}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[self.DISPLAY]
        i = role - FIRST_ROLE
        if not 0 <= i < len(self.ROLES):
            return None
        return self.computed(self.ROLES[i], row, index.row())

    def computed(self, name: str, row: dict[str, Any], position: int) -> Any:
        return row.get(name)


class MessagesModel(_RowsModel):
    """The open conversation, newest first. Rows are plain dicts (see MESSAGE_ROLES)."""

    ROLES = MESSAGE_ROLES
    DISPLAY = "body"

    countChanged = Signal()

    def __init__(self, client: ChatClient):
        super().__init__(client)
        self.client = client
        self.rows: list[dict[str, Any]] = []
        self.me = ""

    def computed(self, name: str, row: dict[str, Any], position: int) -> Any:
        if name == "mine":
            return bool(row["authorId"]) and row["authorId"] == self.me
        if name == "messageId":
            return row["id"]
        if name == "canEdit":
            return self.client._may_edit(row)
        if name == "canDelete":
            return self.client._may_delete(row)
        if name == "showAuthor":
            older = self.rows[position + 1] if position + 1 < len(self.rows) else None
            return older is None or older["authorId"] != row["authorId"]
        return row.get(name)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.client._can_load_older()

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self.client.loadOlder()

    def _get_count(self) -> int:
        return len(self.rows)

    count = Property(int, _get_count, notify=countChanged)

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict:
        if not 0 <= row < len(self.rows):
            return {}
        index = self.index(row, 0)
        return {name: self.data(index, FIRST_ROLE + i) for i, name in enumerate(MESSAGE_ROLES)}

    # what the client changes
    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()
        self.countChanged.emit()

    def set_me(self, me: str) -> None:
        if me != self.me:
            self.me = me
            if self.rows:
                _all_changed(self, len(self.rows))

    def highest_seq(self) -> int:
        return max((r["seq"] for r in self.rows if r["seq"] is not None), default=0)

    def lowest_seq(self) -> int:
        return min((r["seq"] for r in self.rows if r["seq"] is not None), default=0)

    def has_seq(self, seq: int) -> bool:
        return any(r["seq"] == seq for r in self.rows)

    def find_id(self, message_id: str) -> dict | None:
        """A message of the server held here (pending rows have no id yet)."""
        if not message_id:
            return None
        return next((r for r in self.rows if r["id"] == message_id), None)

    @Slot(str, result=int)
    def rowOfId(self, message_id: str) -> int:
        """The row showing this message, or -1."""
        return next(
            (i for i, r in enumerate(self.rows) if message_id and r["id"] == message_id), -1
        )

    def row_of_seq(self, seq: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["seq"] == seq), -1)

    def refresh_actions(self) -> None:
        """The Edit and Delete controls depend on the clock and on the person's rights."""
        _all_changed(self, len(self.rows))

    def merge(self, message: dict) -> None:
        """Put a message of the server in its place; one already held (same seq, or the
        pending row of the same client_id) is replaced, never repeated."""
        row = self._row(message)
        for i, held in enumerate(self.rows):
            if held["seq"] == row["seq"] or (
                row["clientId"] and held["seq"] is None and held["clientId"] == row["clientId"]
            ):
                if held["seq"] == row["seq"]:
                    row["thumbnailSource"] = row["thumbnailSource"] or held["thumbnailSource"]
                    self.rows[i] = row
                    self._changed(i)
                    return
                self._remove(i)
                break
        # Pending rows (no seq yet) are the newest; then seq, highest first.
        at = len(self.rows)
        for i, held in enumerate(self.rows):
            if held["seq"] is not None and held["seq"] < row["seq"]:
                at = i
                break
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        self.endInsertRows()
        if at + 1 < len(self.rows):
            self._changed(at + 1)  # its showAuthor may change
        self.countChanged.emit()

    def add_pending(
        self, client_id: str, body: str, attachment_name: str = "", kind: str = ""
    ) -> None:
        row = {
            "id": "",
            "seq": None,
            "clientId": client_id,
            "authorId": self.me,
            "authorName": "",
            "body": body,
            "createdAt": "",
            "createdEpoch": 0.0,
            "createdTime": "",
            "pending": True,
            "failed": False,
            "error": "",
            "deleted": False,
            "edited": False,
            "attachmentId": "",
            "attachmentUrl": "",
            "attachmentKind": kind,
            "attachmentName": attachment_name,
            "attachmentSize": 0,
            "attachmentDuration": 0,
            "playableUrl": "",
            "waveform": [],
            "thumbnailSource": "",
        }
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.rows.insert(0, row)
        self.endInsertRows()
        if len(self.rows) > 1:
            self._changed(1)
        self.countChanged.emit()

    def set_pending_state(self, client_id: str, *, failed: bool, error: str = "") -> None:
        for i, held in enumerate(self.rows):
            if held["seq"] is None and held["clientId"] == client_id:
                held["failed"] = failed
                held["pending"] = not failed
                held["error"] = error
                self._changed(i)
                return

    def pending(self, client_id: str) -> dict | None:
        for held in self.rows:
            if held["seq"] is None and held["clientId"] == client_id:
                return held
        return None

    def set_thumbnail(self, attachment_id: str, source: str) -> None:
        for i, held in enumerate(self.rows):
            if held["attachmentId"] == attachment_id:
                held["thumbnailSource"] = source
                self._changed(i)

    def _remove(self, i: int) -> None:
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.rows[i]
        self.endRemoveRows()
        self.countChanged.emit()

    def _changed(self, i: int) -> None:
        self.dataChanged.emit(self.index(i, 0), self.index(i, 0))

    def _row(self, message: dict) -> dict:
        author = message.get("author") or {}
        attachments = message.get("attachments") or []
        first = attachments[0] if attachments else {}
        kind = first.get("kind", "")
        return {
            "id": str(message.get("id", "")),
            "seq": int(message.get("seq") or 0),
            "clientId": str(message.get("client_id") or ""),
            "authorId": str(author.get("id") or ""),
            "authorName": str(
                author.get("name") or QCoreApplication.translate("Chat", "Former member")
            ),
            "body": str(message.get("text") or ""),
            "createdAt": str(message.get("created_at") or ""),
            "createdEpoch": _epoch(message.get("created_at")),
            "createdTime": _local_time(message.get("created_at")),
            "pending": False,
            "failed": False,
            "error": "",
            "deleted": bool(message.get("deleted")),
            "edited": bool(message.get("edited_at")),
            "attachmentId": str(first.get("id") or ""),
            "attachmentUrl": str(first.get("url") or ""),
            "attachmentKind": kind,
            "attachmentName": str(first.get("original_name") or ""),
            "attachmentSize": int(first.get("size") or 0),
            "attachmentDuration": int(first.get("duration_ms") or 0),
            "playableUrl": str(first.get("playable_url") or ""),
            "waveform": [int(v) for v in first.get("waveform") or []],
            "thumbnailSource": self.client._thumbnail_source(first) if kind == "image" else "",
        }


# --- the conversations -------------------------------------------------------------------------

CONVERSATION_ROLES = ["id", "kind", "name", "unread", "lastSeq", "lastMessageAt", "current"]


class ConversationsModel(_RowsModel):
    """The person's conversations, newest activity first, with their unread counts."""

    ROLES = CONVERSATION_ROLES
    DISPLAY = "name"

    countChanged = Signal()
    unreadChanged = Signal()

    def __init__(self, client: ChatClient):
        super().__init__(client)
        self.client = client
        self.rows: list[dict[str, Any]] = []

    def computed(self, name: str, row: dict[str, Any], position: int) -> Any:
        if name == "current":
            return row["id"] == self.client._open_id
        return row.get(name)

    def _get_count(self) -> int:
        return len(self.rows)

    count = Property(int, _get_count, notify=countChanged)

    def _get_unread(self) -> int:
        return sum(r["unread"] for r in self.rows)

    unreadTotal = Property(int, _get_unread, notify=unreadChanged)

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict:
        return dict(self.rows[row]) if 0 <= row < len(self.rows) else {}

    def find(self, conversation_id: str) -> dict | None:
        return next((r for r in self.rows if r["id"] == conversation_id), None)

    def replace_all(self, items: list[dict]) -> None:
        self.beginResetModel()
        self.rows = [
            {
                "id": str(c["id"]),
                "kind": str(c.get("kind") or ""),
                "name": str(c.get("name") or c.get("title") or ""),
                "unread": int(c.get("unread") or 0),
                "lastSeq": int(c.get("last_seq") or 0),
                "lastMessageAt": str(c.get("last_message_at") or ""),
            }
            for c in items
        ]
        self.endResetModel()
        self.countChanged.emit()
        self.unreadChanged.emit()

    def update(self, conversation_id: str, **changes: Any) -> None:
        for i, row in enumerate(self.rows):
            if row["id"] == conversation_id:
                row.update(changes)
                self.dataChanged.emit(self.index(i, 0), self.index(i, 0))
                self.unreadChanged.emit()
                return

    def to_top(self, conversation_id: str) -> None:
        for i, row in enumerate(self.rows):
            if row["id"] == conversation_id and i > 0:
                self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), 0)
                self.rows.insert(0, self.rows.pop(i))
                self.endMoveRows()
                return

    def refresh_current(self) -> None:
        if self.rows:
            _all_changed(self, len(self.rows))


# --- the client --------------------------------------------------------------------------------


@QmlElement
class ChatClient(QObject):
    """In QML: `ChatClient { id: chat }`, then `chat.start()`; `chat.stop()` closes it."""

    statusChanged = Signal()  # "offline", "connecting", "online", "refused"
    errorChanged = Signal()
    openChanged = Signal()
    peopleChanged = Signal()
    loadingOlderChanged = Signal()
    messageArrived = Signal(str)  # the conversation's id (for the screen to scroll)
    editingChanged = Signal()
    editEnded = Signal()  # saved or given up: the composer gets its draft back
    highlightChanged = Signal()
    scrollToRow = Signal(int)  # a found message is held at this row: the view shows it

    def __init__(self, parent: QObject | None = None, api: ApiClient | None = None):
        super().__init__(parent)
        self.api = api or api_module.default_client()
        self._conversations = ConversationsModel(self)
        self._messages = MessagesModel(self)
        self._socket: QWebSocket | None = None
        self._status = "offline"
        self._error = ""
        self._running = False
        self._attempt = 0
        self._me = ""
        self._open_id = ""
        self._open_generation = 0
        self._has_older = False
        self._loading_older = False
        self._catching_up = False
        self._catch_up_again = False
        self._people: list[dict] = []
        self._touched = True
        self._thumbs: dict[str, str] = {}  # attachment id → file:// URL
        self._thumb_paths: dict[str, str] = {}  # thumbnail URL being fetched → attachment id
        pictures.cache().ready.connect(self._alive(self._got_thumbnail))
        self._files = QTemporaryDir()
        # (Checked alive: the app's client outlives a chat screen closed meanwhile.)
        self.api.languageChanged.connect(lambda: alive(self) and self._relabel())
        self._voice = Voice(self.api, self)
        self._voice.recorded.connect(self._send_voice)
        self._reconnect = QTimer(self, singleShot=True)
        self._reconnect.timeout.connect(self._connect)
        self._heartbeat = QTimer(self)
        self._heartbeat.timeout.connect(self._beat)
        self._presence_timer = QTimer(self, interval=PRESENCE_REFRESH_MS)
        self._presence_timer.timeout.connect(self._load_presence)
        self._read_timer = QTimer(self, singleShot=True, interval=400)
        self._read_timer.timeout.connect(self._mark_read)
        # What the person may do to messages (from `me/`; the server checks again).
        self._can_write = False
        self._can_delete_any = False
        self._edit_window_timer = QTimer(self, interval=EDIT_WINDOW_REFRESH_MS)
        self._edit_window_timer.timeout.connect(self._messages.refresh_actions)
        self._typing = Typing(self._send_frame, self)
        self._search = MessageSearch(
            self.api, CHAT + "conversations/{}/messages/", self._result_row, self
        )
        self._search.failed.connect(self._alive(self._set_error))
        # Editing one message in the composer; going to a found one.
        self._editing_id = ""
        self._saving = False
        self._edit_error = ""  # the server's refusal of the edit in progress, shown in `error`
        self._highlight_seq = 0
        self._highlight_timer = QTimer(self, singleShot=True, interval=2_500)
        self._highlight_timer.timeout.connect(lambda: self._set_highlight(0))
        self._wanted_seq = 0  # a found message older than those held: loading towards it

    def _alive(self, fn):
        """`fn`, run only while the client runs: an answer that lands after `stop()` (the
        screen closed, the person signed out) touches nothing."""

        def run(*args):
            if self._running:
                fn(*args)

        return run

    # --- properties ------------------------------------------------------------------------
    def _get_conversations(self) -> ConversationsModel:
        return self._conversations

    conversations = Property(QObject, _get_conversations, constant=True)

    def _get_voice(self) -> Voice:
        return self._voice

    voice = Property(QObject, _get_voice, constant=True)

    def _get_messages(self) -> MessagesModel:
        return self._messages

    messages = Property(QObject, _get_messages, constant=True)

    def _get_status(self) -> str:
        return self._status

    status = Property(str, _get_status, notify=statusChanged)

    def _get_connected(self) -> bool:
        return self._status == "online"

    connected = Property(bool, _get_connected, notify=statusChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    def _get_open_id(self) -> str:
        return self._open_id

    openId = Property(str, _get_open_id, notify=openChanged)

    def _get_open_name(self) -> str:
        row = self._conversations.find(self._open_id)
        return row["name"] if row else ""

    openName = Property(str, _get_open_name, notify=openChanged)

    def _get_people(self) -> list:
        return list(self._people)

    people = Property("QVariantList", _get_people, notify=peopleChanged)

    def _get_online_count(self) -> int:
        return sum(1 for p in self._people if p["status"] == "online")

    onlineCount = Property(int, _get_online_count, notify=peopleChanged)

    def _get_loading_older(self) -> bool:
        return self._loading_older

    loadingOlder = Property(bool, _get_loading_older, notify=loadingOlderChanged)

    def _get_has_older(self) -> bool:
        return self._has_older

    hasOlder = Property(bool, _get_has_older, notify=loadingOlderChanged)

    def _get_me(self) -> str:
        return self._me

    me = Property(str, _get_me, notify=statusChanged)

    def _get_typing(self) -> Typing:
        return self._typing

    typing = Property(QObject, _get_typing, constant=True)

    def _get_search(self) -> MessageSearch:
        return self._search

    search = Property(QObject, _get_search, constant=True)

    def _get_editing_id(self) -> str:
        return self._editing_id

    editingId = Property(str, _get_editing_id, notify=editingChanged)

    def _get_saving(self) -> bool:
        return self._saving

    saving = Property(bool, _get_saving, notify=editingChanged)

    def _get_highlight_seq(self) -> int:
        return self._highlight_seq

    highlightSeq = Property(int, _get_highlight_seq, notify=highlightChanged)

    # --- starting and stopping ---------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._attempt = 0
        call = self.api.call("GET", "me/")
        call.done.connect(self._alive(self._got_me))
        self._load_conversations()
        self._load_presence()
        self._presence_timer.start()
        self._edit_window_timer.start()
        self._connect()

    def _relabel(self) -> None:
        """The app's language changed: the conversations' names the server gives (the
        whole business's, a shop's) again, in the new language."""
        if self._running:
            self._load_conversations()

    @Slot()
    def stop(self) -> None:
        self._running = False
        self._voice.cancel()
        self._voice.stop()
        self._reconnect.stop()
        self._heartbeat.stop()
        self._presence_timer.stop()
        self._edit_window_timer.stop()
        self._typing.stop()
        self._search.close()
        self._highlight_timer.stop()
        if self._socket is not None:
            socket, self._socket = self._socket, None
            socket.disconnected.disconnect()
            socket.close()
            socket.deleteLater()
        self._set_status("offline")

    @Slot()
    def drop(self) -> None:
        """Cut the connection as a network failure would (it reconnects): for tests."""
        if self._socket is not None:
            self._socket.abort()

    @Slot()
    def noteActivity(self) -> None:
        """The person typed or clicked: the next heartbeat says they are active."""
        self._touched = True

    # --- the socket --------------------------------------------------------------------------
    def _connect(self) -> None:
        if not self._running or not self.api.token:
            return
        if self._socket is not None:
            old, self._socket = self._socket, None
            old.disconnected.disconnect()
            old.abort()
            old.deleteLater()
        self._set_status("connecting")
        socket = self.api.open_socket("/ws/chat/", self)
        socket.textMessageReceived.connect(self._frame)
        socket.disconnected.connect(lambda s=socket: self._closed(s))
        self._socket = socket

    def _closed(self, socket: QWebSocket) -> None:
        if socket is not self._socket:
            return
        code = socket.closeCode()
        code = int(getattr(code, "value", code))
        self._socket = None
        socket.deleteLater()
        self._heartbeat.stop()
        if not self._running:
            return
        if code in NO_RETRY_CODES:
            self._set_status("refused")
            self._set_error(
                QCoreApplication.translate(
                    "Chat", "The chat refused this sign-in (signed out, or no access to Chat)."
                )
                if code == 4401
                else QCoreApplication.translate("Chat", "You have no access to the chat.")
            )
            return
        self._set_status("offline")
        delay = BACKOFF_MS[min(self._attempt, len(BACKOFF_MS) - 1)]
        self._attempt += 1
        self._reconnect.start(delay)

    def _send_frame(self, frame: dict) -> bool:
        """Send a frame if the socket is open; False when it is not (nothing is queued)."""
        if (
            self._socket is not None
            and self._socket.state() == QAbstractSocket.SocketState.ConnectedState
        ):
            self._socket.sendTextMessage(json.dumps(frame))
            return True
        return False

    def _frame(self, text: str) -> None:
        try:
            frame = json.loads(text)
        except ValueError:
            return
        if not isinstance(frame, dict):
            return
        kind = frame.get("type")
        if kind == "ready":
            self._ready(frame)
        elif kind in ("message.new", "message.updated", "message.deleted"):
            self._pushed(frame.get("message") or {}, new=kind == "message.new")
        elif kind == "messages":
            for message in frame.get("messages") or []:
                self._pushed(message, new=False)
        elif kind in ("conversation.joined", "conversation.left"):
            self._load_conversations()
            if kind == "conversation.left" and frame.get("conversation") == self._open_id:
                self._end_edit()
                self._search.set_conversation("")
                self._typing.set_open("")
                self._open_id = ""
                self._messages.clear()
                self.openChanged.emit()
        elif kind == "read":
            row = self._conversations.find(str(frame.get("conversation")))
            if row and int(frame.get("seq") or 0) >= row["lastSeq"]:
                self._conversations.update(row["id"], unread=0)
        elif kind == "presence":
            self._presence_changes(frame.get("changes") or [])
        elif kind == "typing":
            self._typing.heard(frame)
        elif kind == "error":
            self._set_error(str(frame.get("message") or ""))

    def _ready(self, frame: dict) -> None:
        self._attempt = 0
        self._me = str(frame.get("user") or self._me)
        self._messages.set_me(self._me)
        self._typing.set_me(self._me)
        self._set_status("online")
        self._set_error("")
        seconds = int(frame.get("heartbeat_seconds") or 30)
        self._heartbeat.start(max(5, seconds) * 1000)
        known = {r["id"] for r in self._conversations.rows}
        overview = frame.get("conversations") or []
        if any(str(c.get("id")) not in known for c in overview):
            self._load_conversations()  # new ones: their names come from the REST list
        for c in overview:
            cid = str(c.get("id"))
            changes = {"lastSeq": int(c.get("last_seq") or 0)}
            if cid != self._open_id:
                changes["unread"] = int(c.get("unread") or 0)
            self._conversations.update(cid, **changes)
        # Catch up by seq: what was posted while the socket was away.
        if self._open_id:
            self._catch_up()
        self._load_presence()

    def _beat(self) -> None:
        active = self._touched or (
            QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        )
        self._touched = False
        self._send_frame({"type": "heartbeat", "active": bool(active)})

    def _pushed(self, message: dict, *, new: bool) -> None:
        cid = str(message.get("conversation") or "")
        seq = int(message.get("seq") or 0)
        row = self._conversations.find(cid)
        if row is None:
            self._load_conversations()
            return
        author_id = str((message.get("author") or {}).get("id") or "")
        mine = author_id == self._me
        if new and author_id:
            self._typing.stopped(cid, author_id)  # their message is here: done typing
        self._search.follow(message)
        if seq > row["lastSeq"]:
            changes: dict[str, Any] = {
                "lastSeq": seq,
                "lastMessageAt": str(message.get("created_at") or row["lastMessageAt"]),
            }
            if new and not mine and cid != self._open_id:
                changes["unread"] = row["unread"] + 1
            self._conversations.update(cid, **changes)
            self._conversations.to_top(cid)
        if cid != self._open_id:
            return
        held = self._messages.highest_seq()
        if held and seq > held + 1 and not self._messages.has_seq(seq - 1):
            # A push after a gap: what came in between was lost; ask for it.
            self._messages.merge(message)
            self._catch_up(after=held)
        else:
            self._messages.merge(message)
        if message.get("deleted") and str(message.get("id") or "") == self._editing_id:
            self._end_edit()  # deleted meanwhile (by a manager, or on another device)
        self._fetch_thumbnail_of(message)
        if new:
            self.messageArrived.emit(cid)
            if not mine:
                self._read_timer.start()

    # --- REST: lists ---------------------------------------------------------------------------
    def _got_me(self, me: Any) -> None:
        me = me if isinstance(me, dict) else {}
        # The same rule as the web page's can_write / can_delete_any (chat/views.py).
        self._can_write = (me.get("levels") or {}).get("chat") == "full"
        self._can_delete_any = (me.get("membership") or {}).get("role") in ACTION_ROLES
        self._messages.refresh_actions()
        user_id = str((me.get("user") or {}).get("id") or "")
        if user_id and not self._me:
            self._me = user_id
            self._messages.set_me(user_id)
            self._typing.set_me(user_id)
            self.statusChanged.emit()

    def _load_conversations(self) -> None:
        collected: list[dict] = []

        def page(body: Any) -> None:
            collected.extend((body or {}).get("results") or [])
            nxt = (body or {}).get("next")
            if nxt and len(collected) < 1000:
                call = self.api.call("GET", nxt)
                call.done.connect(self._alive(page))
                call.failed.connect(self._alive(self._failed))
                return
            open_id = self._open_id
            if open_id:
                held = self._conversations.find(open_id)
                for c in collected:
                    if str(c["id"]) == open_id:
                        c["unread"] = 0
                        if held:
                            c["last_seq"] = max(int(c.get("last_seq") or 0), held["lastSeq"])
            self._conversations.replace_all(collected)
            if open_id and not self._conversations.find(open_id):
                self._open_id = ""
                self._messages.clear()
            self.openChanged.emit()
            if not self._open_id and collected:
                first = next((c for c in collected if c.get("kind") == "business"), collected[0])
                self.openConversation(str(first["id"]))

        call = self.api.call("GET", CHAT + "conversations/", params={"page_size": 100})
        call.done.connect(self._alive(page))
        call.failed.connect(self._alive(self._failed))

    def _load_presence(self) -> None:
        call = self.api.call("GET", CHAT + "presence/")
        call.done.connect(self._alive(self._got_presence))

    def _got_presence(self, rows: Any) -> None:
        people = []
        for row in rows or []:
            user = row.get("user") or {}
            people.append(
                {
                    "id": str(user.get("id") or ""),
                    "name": str(user.get("name") or ""),
                    "status": str(row.get("status") or "offline"),
                    "lastSeen": str(row.get("last_seen") or ""),
                }
            )
        self._set_people(people)

    def _presence_changes(self, changes: list[dict]) -> None:
        people = {p["id"]: dict(p) for p in self._people}
        for change in changes:
            uid = str(change.get("user") or "")
            if uid in people:
                people[uid]["status"] = str(change.get("status") or "offline")
                people[uid]["lastSeen"] = str(change.get("last_seen") or "")
        self._set_people(list(people.values()))

    def _set_people(self, people: list[dict]) -> None:
        order = {"online": 0, "idle": 1, "offline": 2}
        people.sort(key=lambda p: (order.get(p["status"], 3), p["name"].casefold()))
        if people != self._people:
            self._people = people
            self.peopleChanged.emit()

    # --- REST: the open conversation -------------------------------------------------------------
    @Slot(str)
    def openConversation(self, conversation_id: str) -> None:
        if conversation_id == self._open_id:
            return
        self._end_edit()
        self._search.set_conversation(conversation_id)
        self._typing.set_open(conversation_id)
        self._wanted_seq = 0
        self._set_highlight(0)
        self._open_id = conversation_id
        self._open_generation += 1
        self._messages.clear()
        self._has_older = False
        self._loading_older = False
        self.loadingOlderChanged.emit()
        self._conversations.refresh_current()
        self.openChanged.emit()
        if not conversation_id:
            return
        generation = self._open_generation
        call = self.api.call(
            "GET", f"{CHAT}conversations/{conversation_id}/messages/", params={"size": PAGE}
        )
        call.done.connect(self._alive(lambda body: self._first_page(generation, body)))
        call.failed.connect(self._alive(self._failed))

    def _first_page(self, generation: int, body: Any) -> None:
        if generation != self._open_generation:
            return
        for message in (body or {}).get("results") or []:
            self._messages.merge(message)
            self._fetch_thumbnail_of(message)
        self._has_older = bool((body or {}).get("has_more"))
        self.loadingOlderChanged.emit()
        self._mark_read()
        self.messageArrived.emit(self._open_id)

    def _can_load_older(self) -> bool:
        return bool(self._open_id) and self._has_older and not self._loading_older

    @Slot()
    def loadOlder(self) -> None:
        self._load_older(PAGE)

    def _load_older(self, size: int) -> None:
        if not self._can_load_older():
            return
        lowest = self._messages.lowest_seq()
        if not lowest:
            return
        self._loading_older = True
        self.loadingOlderChanged.emit()
        generation = self._open_generation
        call = self.api.call(
            "GET",
            f"{CHAT}conversations/{self._open_id}/messages/",
            params={"before": lowest, "size": size},
        )
        call.done.connect(self._alive(lambda body: self._older_page(generation, body)))
        call.failed.connect(
            self._alive(lambda message, *_: self._older_failed(generation, message))
        )

    def _older_page(self, generation: int, body: Any) -> None:
        if generation != self._open_generation:
            return
        for message in reversed((body or {}).get("results") or []):
            self._messages.merge(message)
            self._fetch_thumbnail_of(message)
        self._has_older = bool((body or {}).get("has_more"))
        self._loading_older = False
        self.loadingOlderChanged.emit()
        self._reach_wanted()

    def _older_failed(self, generation: int, message: str) -> None:
        if generation == self._open_generation:
            self._loading_older = False
            self._wanted_seq = 0
            self.loadingOlderChanged.emit()
            self._set_error(message)

    def _catch_up(self, after: int | None = None) -> None:
        """Everything after the highest seq held, page after page (REST, after every ready)."""
        if self._catching_up:
            self._catch_up_again = True
            return
        if not self._open_id:
            return
        after = self._messages.highest_seq() if after is None else after
        if not after and not self._messages.rows:
            return  # the first page is still on its way; it brings the latest
        self._catching_up = True
        generation = self._open_generation
        call = self.api.call(
            "GET",
            f"{CHAT}conversations/{self._open_id}/messages/",
            params={"after": after, "size": CATCH_UP_PAGE},
        )
        call.done.connect(self._alive(lambda body: self._caught_up(generation, body)))
        call.failed.connect(self._alive(lambda message, *_: self._catch_up_failed(message)))

    def _caught_up(self, generation: int, body: Any) -> None:
        self._catching_up = False
        if generation != self._open_generation:
            return
        results = (body or {}).get("results") or []
        for message in results:
            self._messages.merge(message)
            self._fetch_thumbnail_of(message)
        if results:
            last = results[-1]
            row = self._conversations.find(self._open_id)
            if row and int(last.get("seq") or 0) > row["lastSeq"]:
                self._conversations.update(self._open_id, lastSeq=int(last["seq"]))
            self.messageArrived.emit(self._open_id)
            self._read_timer.start()
        if (body or {}).get("has_more") or self._catch_up_again:
            self._catch_up_again = False
            self._catch_up()

    def _catch_up_failed(self, message: str) -> None:
        self._catching_up = False
        self._set_error(message)

    def _mark_read(self) -> None:
        if not self._open_id:
            return
        seq = self._messages.highest_seq()
        if seq:
            self.api.call("POST", f"{CHAT}conversations/{self._open_id}/read/", {"seq": seq})
        self._conversations.update(self._open_id, unread=0)

    # --- sending -------------------------------------------------------------------------------
    @Slot(str, result=bool)
    def send(self, text: str) -> bool:
        """Send `text` to the open conversation; it shows at once as pending."""
        text = (text or "").strip()
        if not text or not self._open_id:
            return False
        client_id = str(uuid.uuid4())
        self._messages.add_pending(client_id, text)
        self._post(self._open_id, client_id, text, SEND_RETRIES)
        self.messageArrived.emit(self._open_id)
        return True

    @Slot(str)
    def retry(self, client_id: str) -> None:
        """Send a failed message again, with the same client_id (never written twice)."""
        row = self._messages.pending(client_id)
        if row is None or not self._open_id:
            return
        self._messages.set_pending_state(client_id, failed=False)
        if row.get("localPath"):
            self._upload(
                self._open_id, client_id, row["localPath"], row["attachmentKind"], SEND_RETRIES
            )
        else:
            self._post(self._open_id, client_id, row["body"], SEND_RETRIES)

    def _post(self, conversation_id: str, client_id: str, text: str, retries: int) -> None:
        call = self.api.call(
            "POST",
            f"{CHAT}conversations/{conversation_id}/messages/",
            {"text": text, "client_id": client_id},
        )
        call.done.connect(self._alive(lambda message: self._sent(conversation_id, message)))
        call.failed.connect(
            self._alive(
                lambda error, status, _fields: self._send_failed(
                    conversation_id,
                    client_id,
                    error,
                    status,
                    retries,
                    lambda: self._post(conversation_id, client_id, text, retries - 1),
                )
            )
        )

    @Slot(str, result=bool)
    def sendFile(self, path: str) -> bool:
        """Send a file (a path or a file:// URL) to the open conversation; an image as an image."""
        if path.startswith("file:"):
            path = QUrl(path).toLocalFile()
        local = Path(path)
        if not self._open_id or not local.is_file():
            self._set_error(
                QCoreApplication.translate("Chat", "Cannot read %1").replace("%1", str(path))
            )
            return False
        content_type = mimetypes.guess_type(local.name)[0] or ""
        kind = "image" if content_type.startswith("image/") else "file"
        client_id = str(uuid.uuid4())
        self._messages.add_pending(client_id, "", local.name, kind)
        row = self._messages.pending(client_id)
        if row is not None:
            row["localPath"] = str(local)
        self._upload(self._open_id, client_id, str(local), kind, SEND_RETRIES)
        self.messageArrived.emit(self._open_id)
        return True

    def _send_voice(self, path: str) -> None:
        """A finished recording (voice.py) goes to the open conversation."""
        if not self._open_id:
            return
        client_id = str(uuid.uuid4())
        name = QCoreApplication.translate("Chat", "Voice message")
        self._messages.add_pending(client_id, "", name, "voice")
        row = self._messages.pending(client_id)
        if row is not None:
            row["localPath"] = path
        self._upload(self._open_id, client_id, path, "voice", SEND_RETRIES)
        self.messageArrived.emit(self._open_id)

    def _upload(
        self, conversation_id: str, client_id: str, path: str, kind: str, retries: int
    ) -> None:
        try:
            call = self.api.upload(
                f"{CHAT}conversations/{conversation_id}/uploads/",
                {"kind": kind, "client_id": client_id},
                {"file": path},
            )
        except OSError as exc:
            self._messages.set_pending_state(client_id, failed=True, error=str(exc))
            self._set_error(str(exc))
            return
        call.done.connect(self._alive(lambda message: self._sent(conversation_id, message)))
        call.failed.connect(
            self._alive(
                lambda error, status, _fields: self._send_failed(
                    conversation_id,
                    client_id,
                    (_fields or {}).get("file") or error,
                    status,
                    retries,
                    lambda: self._upload(conversation_id, client_id, path, kind, retries - 1),
                )
            )
        )

    def _sent(self, conversation_id: str, message: Any) -> None:
        if isinstance(message, dict) and conversation_id == self._open_id:
            self._pushed(message, new=False)
            self._mark_read()

    def _send_failed(
        self, conversation_id: str, client_id: str, error: str, status: int, retries: int, again
    ) -> None:
        if conversation_id != self._open_id:
            return
        if status == 0 and retries > 0:
            QTimer.singleShot(1_000, self._alive(again))  # the same client_id: never written twice
            return
        self._messages.set_pending_state(client_id, failed=True, error=error)
        self._set_error(error)

    # --- typing ----------------------------------------------------------------------------------
    @Slot(str)
    def noteTyping(self, text: str) -> None:
        """The composer changed: the person is active, and the others hear that they are
        typing (not while they edit a message: that is not a new one coming)."""
        self._touched = True
        if not self._editing_id:
            self._typing.typed(self._open_id, text)

    # --- editing and deleting --------------------------------------------------------------------
    def _may_edit(self, row: dict) -> bool:
        """Own, not deleted, sent less than 15 minutes ago, with Chat at full access."""
        if not self._can_write or not row.get("id") or row.get("deleted"):
            return False
        if not row.get("authorId") or row["authorId"] != self._me:
            return False
        age = datetime.datetime.now(datetime.UTC).timestamp() - (row.get("createdEpoch") or 0)
        return age < EDIT_MINUTES * 60

    def _may_delete(self, row: dict) -> bool:
        """Own, or anyone's for an owner or a manager; not already deleted."""
        if not self._can_write or not row.get("id") or row.get("deleted"):
            return False
        mine = bool(row.get("authorId")) and row["authorId"] == self._me
        return mine or self._can_delete_any

    @Slot(str, result=str)
    def startEdit(self, message_id: str) -> str:
        """Edit one's own message in the composer: answers its text (`editingId` is set), or
        "" when it cannot be edited (then `editingId` stays as it was)."""
        row = self._messages.find_id(message_id)
        if row is None or not self._may_edit(row):
            return ""
        self._editing_id = message_id
        self._saving = False
        self.editingChanged.emit()
        return row["body"]

    @Slot()
    def cancelEdit(self) -> None:
        self._end_edit()

    def _end_edit(self) -> None:
        if self._edit_error and self._error == self._edit_error:
            self._set_error("")  # the refusal was about this edit, which is over
        self._edit_error = ""
        if self._editing_id:
            self._editing_id = ""
            self._saving = False
            self.editingChanged.emit()
            self.editEnded.emit()

    @Slot(str, result=bool)
    def saveEdit(self, text: str) -> bool:
        """Send the new text of the message being edited (PATCH). The server says no after
        15 minutes, or to an empty text: its message shows and the edit stays open."""
        message_id, conversation_id = self._editing_id, self._open_id
        row = self._messages.find_id(message_id)
        if not message_id or row is None or self._saving:
            return False
        if text.strip() == row["body"].strip():
            self._end_edit()  # nothing changed: nothing to send
            return True
        self._saving = True
        self.editingChanged.emit()
        call = self.api.call(
            "PATCH",
            f"{CHAT}conversations/{conversation_id}/messages/{message_id}/",
            {"text": text},
        )
        call.done.connect(self._alive(lambda message: self._edited(message_id, message)))
        call.failed.connect(
            self._alive(
                lambda error, _status, fields: self._edit_failed(
                    message_id, (fields or {}).get("text") or error
                )
            )
        )
        return True

    def _edited(self, message_id: str, message: Any) -> None:
        if isinstance(message, dict):
            self._pushed(message, new=False)
        if message_id == self._editing_id:
            self._end_edit()

    def _edit_failed(self, message_id: str, error: str) -> None:
        if message_id == self._editing_id:
            self._saving = False
            self._edit_error = error
            self.editingChanged.emit()
        self._set_error(error)
        self._messages.refresh_actions()  # e.g. the 15 minutes are over: no more Edit

    @Slot(str)
    def deleteMessage(self, message_id: str) -> None:
        """Delete a message (DELETE): it stays as "deleted" for everyone."""
        row = self._messages.find_id(message_id)
        if row is None or not self._may_delete(row):
            return
        conversation_id = self._open_id
        call = self.api.call(
            "DELETE", f"{CHAT}conversations/{conversation_id}/messages/{message_id}/"
        )
        call.done.connect(self._alive(self._deleted))
        call.failed.connect(self._alive(self._failed))

    def _deleted(self, message: Any) -> None:
        if isinstance(message, dict):
            self._pushed(message, new=False)

    # --- search results ---------------------------------------------------------------------------
    @staticmethod
    def _result_row(message: dict) -> dict:
        """A found message as the search results show it."""
        author = message.get("author") or {}
        return {
            "id": str(message.get("id") or ""),
            "seq": int(message.get("seq") or 0),
            "authorName": str(
                author.get("name") or QCoreApplication.translate("Chat", "Former member")
            ),
            "body": str(message.get("text") or ""),
            "createdTime": _local_time(message.get("created_at")),
        }

    @Slot(int)
    def showMessage(self, seq: int) -> None:
        """Scroll to message `seq` of the open conversation (a search result), loading the
        older pages before it first when it is not held yet."""
        if not self._open_id or seq <= 0:
            return
        self._wanted_seq = seq
        if not self._loading_older:
            self._reach_wanted()

    def _reach_wanted(self) -> None:
        seq = self._wanted_seq
        if not seq:
            return
        row = self._messages.row_of_seq(seq)
        if row >= 0:
            self._wanted_seq = 0
            self._set_highlight(seq)
            self._highlight_timer.start()
            self.scrollToRow.emit(row)
            return
        lowest = self._messages.lowest_seq()
        if not self._has_older or not lowest or lowest <= seq:
            self._wanted_seq = 0  # not in this conversation's history any more
            return
        # One call down to it (and a few before, for context), within the API's page limit.
        self._load_older(min(CATCH_UP_PAGE, max(PAGE, lowest - seq + 10)))

    def _set_highlight(self, seq: int) -> None:
        if seq != self._highlight_seq:
            self._highlight_seq = seq
            self.highlightChanged.emit()

    # --- attachments ---------------------------------------------------------------------------
    def _thumbnail_source(self, attachment: dict) -> str:
        return self._thumbs.get(str(attachment.get("id") or ""), "")

    def _fetch_thumbnail_of(self, message: dict) -> None:
        """Image thumbnails come through the app's picture cache (fetched with the token)."""
        for attachment in message.get("attachments") or []:
            if attachment.get("kind") != "image" or not attachment.get("thumbnail_url"):
                continue
            att_id = str(attachment.get("id") or "")
            if not att_id or att_id in self._thumbs:
                continue
            self._thumb_paths[attachment["thumbnail_url"]] = att_id
            source = pictures.cache().get(attachment["thumbnail_url"])
            if source:
                self._got_thumbnail(attachment["thumbnail_url"], source)

    def _got_thumbnail(self, path: str, source: str) -> None:
        att_id = self._thumb_paths.pop(path, None)
        if att_id is None or not alive(self):
            return
        self._thumbs[att_id] = source
        self._messages.set_thumbnail(att_id, source)

    @Slot(str, str)
    def openAttachment(self, url: str, name: str) -> None:
        """Fetch an attachment with the token, save it, and open it with this computer's app."""
        if not url:
            return
        call = self.api.call("GET", url, raw=True)
        call.done.connect(self._alive(lambda data: self._open_file(name, data)))
        call.failed.connect(self._alive(self._failed))

    def _open_file(self, name: str, data: bytes) -> None:
        if not self._files.isValid():
            return
        folder = Path(self._files.path()) / str(uuid.uuid4())
        folder.mkdir()
        path = folder / (Path(name).name or "attachment")
        path.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # --- state -----------------------------------------------------------------------------------
    def _failed(self, message: str, *_: Any) -> None:
        self._set_error(message)

    def _set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self.statusChanged.emit()

    def _set_error(self, message: str) -> None:
        if message != self._error:
            self._error = message
            self.errorChanged.emit()

    @Slot()
    def clearError(self) -> None:
        self._set_error("")
