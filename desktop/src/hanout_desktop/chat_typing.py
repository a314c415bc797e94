"""Who is typing in the chat, both ways, as on the web page (docs/chat-protocol.md, `typing`).

`chat.typing` in QML. Typing frames go over the chat's WebSocket and are never
stored by the server:

- this person types: `typed()` sends `{"type": "typing", "conversation"}` at
  most every 3 s per conversation, only while the composer holds text (the
  protocol's rate; the server relays it to the conversation's other sockets);
- someone else types: their name shows for ~5 s after their last frame
  (`names`, for the open conversation), or until their message arrives
  (`stopped()`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Property, QElapsedTimer, QObject, QTimer, Signal

EVERY_MS = 3_000  # at most one `typing` frame this often, per conversation
SHOWN_MS = 5_000  # someone shows as typing this long after their last frame


class Typing(QObject):
    """Typing notes of the chat's conversations; `names` are those of the open one."""

    changed = Signal()

    def __init__(self, send: Callable[[dict], bool], parent: QObject | None = None):
        super().__init__(parent)
        self._send = send  # sends a frame on the socket; False when it is not open
        self._open_id = ""
        self._me = ""
        # conversation → user id → (name, shown until: ms on `_clock`)
        self._who: dict[str, dict[str, tuple[str, int]]] = {}
        self._sent_at: dict[str, int] = {}
        self._clock = QElapsedTimer()
        self._clock.start()
        self._expiry = QTimer(self, interval=1_000)
        self._expiry.timeout.connect(self._expire)

    def _get_names(self) -> list:
        now = self._clock.elapsed()
        return [
            name for name, until in (self._who.get(self._open_id) or {}).values() if until > now
        ]

    names = Property("QVariantList", _get_names, notify=changed)

    def set_open(self, conversation_id: str) -> None:
        if conversation_id != self._open_id:
            self._open_id = conversation_id
            self.changed.emit()

    def set_me(self, user_id: str) -> None:
        self._me = user_id

    def typed(self, conversation_id: str, text: str) -> None:
        """The person's composer changed in this conversation."""
        if not conversation_id or not (text or "").strip():
            return
        now = self._clock.elapsed()
        last = self._sent_at.get(conversation_id)
        if last is not None and now - last < EVERY_MS:
            return
        if self._send({"type": "typing", "conversation": conversation_id}):
            self._sent_at[conversation_id] = now

    def heard(self, frame: dict) -> None:
        """A `typing` frame from the socket: someone else types in a conversation."""
        conversation_id = str(frame.get("conversation") or "")
        user = frame.get("user") or {}
        user_id = str(user.get("id") or "")
        if not conversation_id or not user_id or user_id == self._me:
            return
        here = self._who.setdefault(conversation_id, {})
        here[user_id] = (str(user.get("name") or ""), self._clock.elapsed() + SHOWN_MS)
        if not self._expiry.isActive():
            self._expiry.start()
        if conversation_id == self._open_id:
            self.changed.emit()

    def stopped(self, conversation_id: str, user_id: str) -> None:
        """Their message arrived: they are no longer typing it."""
        here = self._who.get(conversation_id)
        if here and here.pop(user_id, None) is not None and conversation_id == self._open_id:
            self.changed.emit()

    def stop(self) -> None:
        self._expiry.stop()
        self._who.clear()
        self._sent_at.clear()
        self.changed.emit()

    def _expire(self) -> None:
        now = self._clock.elapsed()
        changed = False
        for conversation_id, here in list(self._who.items()):
            for user_id, (_name, until) in list(here.items()):
                if until <= now:
                    del here[user_id]
                    changed = changed or conversation_id == self._open_id
            if not here:
                del self._who[conversation_id]
        if not self._who:
            self._expiry.stop()
        if changed:
            self.changed.emit()
