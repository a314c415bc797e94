"""One answer of the API for QML: a record (`members/{id}/`) or a report (a list or a map).

`ApiResource` GETs a path through the app's `ApiClient`, asynchronously, and holds
the decoded answer in `data`. A newer `load()` supersedes an older one still in
flight: its late answer is dropped, so the screen never shows a stale record.

    ApiResource { id: member }
    member.load("members/" + id + "/", {})
    Label { text: member.data.full_name || "" }

`set(value)` replaces `data` with an answer the screen got otherwise (the
server's answer to a write), without another request.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from hanout_desktop import api as api_module
from hanout_desktop.api import ApiClient, Call

QML_IMPORT_NAME = "Hanout"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class ApiResource(QObject):
    dataChanged = Signal()
    loadingChanged = Signal()
    errorChanged = Signal()
    loaded = Signal()

    def __init__(self, api: ApiClient | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.api = api or api_module.default_client()
        self._data: Any = None
        self._loading = False
        self._error = ""
        self._call: Call | None = None
        self._path = ""
        self._params: dict[str, Any] = {}
        # The language changed: the answer held is asked for again, in the new language
        # (what is shown stays until it comes).
        self.api.languageChanged.connect(self.reload)

    # --- properties -----------------------------------------------------------------------
    def _get_data(self) -> Any:
        return self._data

    data = Property("QVariant", _get_data, notify=dataChanged)

    def _get_loading(self) -> bool:
        return self._loading

    loading = Property(bool, _get_loading, notify=loadingChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    # --- what QML asks --------------------------------------------------------------------
    @Slot(str, "QVariantMap")
    def load(self, path: str, params: dict) -> None:
        self._path = path
        self._params = dict(params or {})
        self.reload()

    @Slot()
    def reload(self) -> None:
        if self._call is not None:
            self._call.abort()
        if not self._path:
            return
        call = self.api.call("GET", self._path, params=self._params)
        self._call = call
        self._set_loading(True)
        call.done.connect(lambda body: self._done(call, body))
        call.failed.connect(lambda message, *_: self._failed(call, message))

    @Slot("QVariant")
    def set(self, value: Any) -> None:
        self._data = value
        self.dataChanged.emit()

    @Slot()
    def clear(self) -> None:
        if self._call is not None:
            self._call.abort()
        self._path = ""
        self._set_error("")
        self.set(None)

    # --- answers --------------------------------------------------------------------------
    def _done(self, call: Call, body: Any) -> None:
        if call is not self._call:
            return  # superseded by a newer load()
        self._call = None
        self._data = body
        self._set_error("")
        self._set_loading(False)
        self.dataChanged.emit()
        self.loaded.emit()

    def _failed(self, call: Call, message: str) -> None:
        if call is not self._call:
            return
        self._call = None
        self._set_error(message)
        self._set_loading(False)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit()

    def _set_error(self, value: str) -> None:
        if value != self._error:
            self._error = value
            self.errorChanged.emit()
