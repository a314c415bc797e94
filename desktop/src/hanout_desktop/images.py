"""Pictures from the API in QML:

    ApiPicture { id: picture; path: row.thumbnail }
    Image { source: picture.source }

The API serves product pictures and bill photos to the same personal token as
everything else, and a QML `Image` cannot send that header. `ApiPicture` fetches
the file through the app's `ApiClient` (asynchronously, on the UI thread) into
a folder of this session's pictures and gives QML a `file://` URL; each API
path is fetched once (the API's picture URLs change when the picture does).

Why not a `QQuickAsyncImageProvider`: Qt asks a provider for images on its
loader thread, and a Python provider needs the interpreter's lock there while
the UI thread may hold it waiting for that very loader (destroying an `Image`
waits for its pending load): a deadlock, seen in the tests.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Property, QObject, QUrl, Signal
from PySide6.QtQml import QmlElement

from hanout_desktop import api as api_module
from hanout_desktop.api import alive

QML_IMPORT_NAME = "Hanout"
QML_IMPORT_MAJOR_VERSION = 1


class PictureCache(QObject):
    """API path → local file, shared by every ApiPicture."""

    ready = Signal(str, str)  # path, file:// URL
    failed = Signal(str, str)  # path, message

    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="hanout-desktop-pictures-"))
        atexit.register(shutil.rmtree, self.folder, True)
        self.files: dict[str, str] = {}
        self.pending: set[str] = set()

    def get(self, path: str) -> str:
        """The file:// URL when it is here; otherwise start fetching it and return ""."""
        if path in self.files:
            return self.files[path]
        if path not in self.pending:
            self.pending.add(path)
            call = api_module.default_client().call("GET", path, raw=True)
            call.done.connect(lambda data: self._store(path, data))
            call.failed.connect(lambda message, *_: self._fail(path, message))
        return ""

    def _store(self, path: str, data: bytes) -> None:
        self.pending.discard(path)
        name = hashlib.sha256(path.encode()).hexdigest()[:32]
        target = self.folder / name
        target.write_bytes(data)
        url = QUrl.fromLocalFile(str(target)).toString()
        self.files[path] = url
        self.ready.emit(path, url)

    def _fail(self, path: str, message: str) -> None:
        self.pending.discard(path)
        self.failed.emit(path, message)


_cache: PictureCache | None = None


def cache() -> PictureCache:
    global _cache
    if _cache is None:
        _cache = PictureCache()
    return _cache


@QmlElement
class ApiPicture(QObject):
    pathChanged = Signal()
    sourceChanged = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._path = ""
        self._source = ""
        self._error = ""
        cache().ready.connect(self._ready)
        cache().failed.connect(self._failed)

    def _get_path(self) -> str:
        return self._path

    def _set_path(self, path: str) -> None:
        path = path or ""
        if path == self._path:
            return
        self._path = path
        self.pathChanged.emit()
        self._error = ""
        self._set_source(cache().get(path) if path else "")

    path = Property(str, _get_path, _set_path, notify=pathChanged)

    def _get_source(self) -> str:
        return self._source

    source = Property(str, _get_source, notify=sourceChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=sourceChanged)

    def _set_source(self, source: str) -> None:
        if source != self._source:
            self._source = source
            self.sourceChanged.emit()

    def _ready(self, path: str, url: str) -> None:
        if alive(self) and path == self._path:
            self._set_source(url)

    def _failed(self, path: str, message: str) -> None:
        if alive(self) and path == self._path:
            self._error = message
            self.sourceChanged.emit()
