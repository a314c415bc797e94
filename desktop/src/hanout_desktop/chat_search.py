"""Searching the open conversation of the chat: `chat.search` in QML.

The server's search, as the web page uses it: `GET …/messages/?search=words`
answers the messages of that one conversation (of the caller's business, that
they may see) holding every word, accents and case ignored, deleted ones left
out; the newest 50 are kept, shown newest first. The call runs on the
ApiClient (never on the UI thread's time); a newer search or closing it drops
the answer of the one before. Edits and deletions pushed while results show
are followed (`follow()`). Going to a result is the chat client's
`showMessage(seq)`: it loads older pages until the message is held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from hanout_desktop.api import ApiClient, alive

SIZE = 50


class MessageSearch(QObject):
    """One search at a time in the conversation the chat client has open."""

    changed = Signal()
    failed = Signal(str)  # the server's or the network's message

    def __init__(
        self,
        api: ApiClient,
        messages_path: str,
        to_row: Callable[[dict], dict],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.api = api
        self._messages_path = messages_path  # "chat/conversations/{}/messages/"
        self._to_row = to_row  # a message of the API → a row of `results` (id, seq, …)
        self._conversation_id = ""
        self._open = False
        self._busy = False
        self._words = ""
        self._results: list[dict] = []
        self._call: Any = None
        self._generation = 0

    # --- properties ------------------------------------------------------------------------
    def _get_open(self) -> bool:
        return self._open

    open = Property(bool, _get_open, notify=changed)

    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=changed)

    def _get_words(self) -> str:
        return self._words

    words = Property(str, _get_words, notify=changed)

    def _get_results(self) -> list:
        return [dict(r) for r in self._results]

    results = Property("QVariantList", _get_results, notify=changed)

    # --- what the screen and the client do ----------------------------------------------------
    def set_conversation(self, conversation_id: str) -> None:
        """Another conversation is open: the results of the last one go."""
        if conversation_id != self._conversation_id:
            self._conversation_id = conversation_id
            self.close()

    @Slot(str)
    def run(self, words: str) -> None:
        """Find these words in the open conversation (empty words close the results)."""
        words = (words or "").strip()
        if not words or not self._conversation_id:
            self.close()
            return
        self._drop_call()
        generation = self._generation
        self._words = words
        self._open = True
        self._busy = True
        self._results = []
        self.changed.emit()
        call = self.api.call(
            "GET",
            self._messages_path.format(self._conversation_id),
            params={"search": words, "size": SIZE},
        )
        self._call = call
        call.done.connect(lambda body: self._found(generation, body))
        call.failed.connect(lambda error, *_: self._failed(generation, call, error))

    @Slot()
    def close(self) -> None:
        self._drop_call()
        if self._open or self._busy or self._results or self._words:
            self._open = False
            self._busy = False
            self._results = []
            self._words = ""
            self.changed.emit()

    def follow(self, message: dict) -> None:
        """A message was edited or deleted (pushed): its result follows."""
        message_id = str(message.get("id") or "")
        for i, row in enumerate(self._results):
            if row["id"] == message_id:
                if message.get("deleted"):
                    del self._results[i]
                else:
                    self._results[i] = self._to_row(message)
                self.changed.emit()
                return

    # --- answers ---------------------------------------------------------------------------
    def _drop_call(self) -> None:
        """Forget the search in flight: its answer, when it comes, is not shown."""
        self._generation += 1
        if self._call is not None and alive(self._call):
            self._call.abort()
        self._call = None

    def _found(self, generation: int, body: Any) -> None:
        if generation != self._generation or not alive(self):
            return
        self._call = None
        found = [self._to_row(m) for m in (body or {}).get("results") or []]
        self._results = list(reversed(found))  # the API answers oldest first
        self._busy = False
        self.changed.emit()

    def _failed(self, generation: int, call: Any, error: str) -> None:
        if generation != self._generation or call.aborted or not alive(self):
            return
        self._call = None
        self._busy = False
        self.changed.emit()
        self.failed.emit(error)
