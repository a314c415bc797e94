"""List models for QML, fed by the API.

`ApiListModel` shows one of the API's cursor-paginated lists. QML's ListView,
GridView and TableView ask `canFetchMore()`/`fetchMore()` as they reach the end
of what is held; the model asks a little earlier, as soon as a row within
half a page of the end is drawn, so that a person scrolling steadily never
waits at the end of a page. A list of 10,000 products costs one request of 100
rows at a time, and the rows are drawn only while they are on screen.

Roles are the keys of the API's rows (`name`, `sku`, …), plus `row` (the whole
row as a map) for what a delegate needs beyond them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement

from hanout_desktop import api as api_module
from hanout_desktop.api import ApiClient, alive

QML_IMPORT_NAME = "Hanout"
QML_IMPORT_MAJOR_VERSION = 1

ROW_ROLE = Qt.ItemDataRole.UserRole + 1

# The next page is asked for when a row this close to the end is drawn, in pages:
# half a page (50 of 100) is enough at a fast flick (bench/bench_desktop.py), and a
# short list does not load itself whole.
PREFETCH_PAGES = 0.5
# The server's largest page: a list holding more is asked for again from its start when
# the language changes (rows up to this many are relabelled in place).
MAX_PAGE_SIZE = 200


@QmlElement
class ApiListModel(QAbstractListModel):
    """In QML: `ApiListModel { id: products; roles: ["name", "sku"] }`, then
    `products.query("products/", {search: text})`."""

    loadingChanged = Signal()
    errorChanged = Signal()
    countChanged = Signal()
    pathChanged = Signal()
    loaded = Signal()

    def __init__(
        self,
        api: ApiClient | None = None,
        path: str = "",
        roles: list[str] | None = None,
        page_size: int = 100,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.api = api or api_module.default_client()
        self._path = path
        self._params: dict[str, Any] = {}
        self._role_names = list(roles or [])
        self._rows: list[dict[str, Any]] = []
        self._next: str | None = None
        self._loading = False
        self._error = ""
        self._page_size = page_size
        self._call = None
        self._generation = 0
        self._prefetching = False
        self.api.languageChanged.connect(self.relabel)

    # --- Qt's model API -------------------------------------------------------------------
    def roleNames(self) -> dict[int, QByteArray]:
        names = {ROW_ROLE: QByteArray(b"row")}
        for i, name in enumerate(self._role_names):
            names[ROW_ROLE + 1 + i] = QByteArray(name.encode())
        return names

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if (
            self._next
            and not self._loading
            and not self._prefetching
            and index.row() >= len(self._rows) - self._page_size * PREFETCH_PAGES
        ):
            # Near the end: the next page, after this frame (not from inside data()).
            self._prefetching = True
            QTimer.singleShot(0, self, self._prefetch)
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.get("name") or row.get("id")
        i = role - ROW_ROLE - 1
        if 0 <= i < len(self._role_names):
            return row.get(self._role_names[i])
        return None

    def _prefetch(self) -> None:
        self._prefetching = False
        self.fetchMore()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._next) and not self._loading

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(self._next, None)

    # --- properties -----------------------------------------------------------------------
    def _get_roles(self) -> list[str]:
        return list(self._role_names)

    def _set_roles(self, roles: list[str]) -> None:
        if list(roles) != self._role_names:
            self.beginResetModel()
            self._role_names = list(roles)
            self.endResetModel()

    rolesChanged = Signal()
    roles = Property("QStringList", _get_roles, _set_roles, notify=rolesChanged)

    def _get_loading(self) -> bool:
        return self._loading

    loading = Property(bool, _get_loading, notify=loadingChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    def _get_count(self) -> int:
        return len(self._rows)

    count = Property(int, _get_count, notify=countChanged)

    def _get_has_more(self) -> bool:
        return bool(self._next)

    hasMore = Property(bool, _get_has_more, notify=countChanged)

    # --- loading --------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        self._generation += 1
        if self._call is not None:
            self._call.abort()
        self.beginResetModel()
        self._rows = []
        self._next = None
        self.endResetModel()
        self.countChanged.emit()
        params = {"page_size": self._page_size, **self._params}
        self._fetch(self._path, params)

    @Slot()
    def relabel(self) -> None:
        """The app's language changed: the rows held again, with the server's labels in
        the new language. Rows that come back the same (same ids, same order) are updated
        in place, so a view keeps its place and a ComboBox its choice."""
        if not self._path or not (self._rows or self._loading):
            return
        held = len(self._rows)
        if held == 0 or held > MAX_PAGE_SIZE:
            self.reload()
            return
        self._generation += 1
        if self._call is not None:
            self._call.abort()
        generation = self._generation
        self._set_loading(True)
        params = {**self._params, "page_size": max(self._page_size, held)}
        call = self.api.call("GET", self._path, params=params)
        self._call = call
        call.done.connect(lambda body: alive(self) and self._relabelled(generation, body))
        call.failed.connect(lambda message, *_: alive(self) and self._failed(generation, message))

    def _relabelled(self, generation: int, body: Any) -> None:
        if generation != self._generation:
            return
        self._call = None
        if isinstance(body, dict) and "results" in body:
            rows, following = body["results"], body.get("next")
        else:
            rows, following = (body if isinstance(body, list) else []), None
        held = len(self._rows)
        if [r.get("id") for r in rows[:held]] == [r.get("id") for r in self._rows]:
            self._rows[:held] = rows[:held]
            if held:
                self.dataChanged.emit(self.index(0), self.index(held - 1))
            if len(rows) > held:
                self.beginInsertRows(QModelIndex(), held, len(rows) - 1)
                self._rows.extend(rows[held:])
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
        self._next = following
        self._set_error("")
        self._set_loading(False)
        self.countChanged.emit()
        self.loaded.emit()

    @Slot(str, "QVariantMap")
    def query(self, path: str, params: dict) -> None:
        """Show `path` with these filters (empty values are left out)."""
        self._path = path or self._path
        self._params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        self.reload()

    @Slot(str, "QVariant")
    def setParam(self, name: str, value: Any) -> None:
        if value in (None, ""):
            self._params.pop(name, None)
        else:
            self._params[name] = value
        self.reload()

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict:
        return self._rows[row] if 0 <= row < len(self._rows) else {}

    @Slot("QVariantMap")
    def prepend(self, row: dict) -> None:
        """Show a row the person just made, before the next reload."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, dict(row))
        self.endInsertRows()
        self.countChanged.emit()

    def _fetch(self, path: str, params: dict | None) -> None:
        if not path:
            return
        self._set_loading(True)
        generation = self._generation
        call = self.api.call("GET", path, params=params)
        self._call = call
        # The view may be gone (another screen opened) before the answer comes.
        call.done.connect(lambda body: alive(self) and self._page(generation, body))
        call.failed.connect(lambda message, *_: alive(self) and self._failed(generation, message))

    def _page(self, generation: int, body: Any) -> None:
        if generation != self._generation:
            return  # an answer to a query the person has since changed
        self._call = None
        if isinstance(body, dict) and "results" in body:
            rows, self._next = body["results"], body.get("next")
        else:
            rows, self._next = (body if isinstance(body, list) else []), None
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._set_error("")
        self._set_loading(False)
        self.countChanged.emit()
        self.loaded.emit()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
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
