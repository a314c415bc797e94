"""The REST client: every call is asynchronous, on Qt's network classes, never on the UI thread's time.

`ApiClient.call()` starts a request and returns a `Call` at once; its `done` or
`failed` signal fires later, from the event loop. Nothing here blocks: the UI
thread only parses the JSON of a finished reply (a page of at most 200 rows).

Errors come back in words a person can act on: the server's own message (the
API's `{"error": {"message", "fields"}}` shape, or allauth's `{"errors": [...]}`),
or, when the server cannot be reached, which address was tried and why.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Property,
    QByteArray,
    QCoreApplication,
    QFile,
    QIODevice,
    QObject,
    QUrl,
    QUrlQuery,
    Signal,
)
from PySide6.QtNetwork import (
    QHttpMultiPart,
    QHttpPart,
    QNetworkAccessManager,
    QNetworkReply,
    QNetworkRequest,
)
from PySide6.QtWebSockets import QWebSocket, QWebSocketProtocol
from shiboken6 import Shiboken

API_PREFIX = "/api/v1/"
APP_AUTH_PREFIX = "/_allauth/app/v1/"
# A request that has not finished after this long is abandoned with a message.
TIMEOUT_MS = 30_000


def error_from_body(status: int, body: bytes) -> tuple[str, dict[str, str]]:
    """(message, {field: message}) from an error answer of the API or of allauth."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        data = None
    fields: dict[str, str] = {}
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        error = data["error"]
        for name, messages in (error.get("fields") or {}).items():
            if isinstance(messages, list) and messages:
                fields[name] = str(messages[0])
            elif isinstance(messages, str):
                fields[name] = messages
        return str(error.get("message") or ""), fields
    if isinstance(data, dict) and isinstance(data.get("errors"), list) and data["errors"]:
        # allauth's headless API: [{"message": …, "code": …, "param": …}]
        for item in data["errors"]:
            if item.get("param"):
                fields.setdefault(item["param"], item.get("message", ""))
        return str(data["errors"][0].get("message", "")), fields
    if status >= 500:
        return QCoreApplication.translate(
            "Api", "The server failed (HTTP %1). Try again; if it goes on, tell the operator."
        ).replace("%1", str(status)), fields
    return QCoreApplication.translate("Api", "The server refused the request (HTTP %1).").replace(
        "%1", str(status)
    ), fields


def alive(obj: QObject) -> bool:
    """False once Qt has deleted the object (a QML screen closed while its call was in flight)."""
    return Shiboken.isValid(obj)


def _address(url: QUrl) -> str:
    """The URL without its query, for messages."""
    return f"{url.scheme()}://{url.authority()}{url.path()}"


class Call(QObject):
    """One request in flight. Exactly one of `done` or `failed` is emitted, once."""

    done = Signal(object)  # the decoded JSON body (dict, list) or bytes for raw calls
    failed = Signal(str, int, dict)  # message, HTTP status (0: no answer), {field: message}

    def __init__(self, reply: QNetworkReply, raw: bool, parent: QObject):
        super().__init__(parent)
        self.reply = reply
        self.raw = raw
        self.status = 0
        self.body: Any = None
        self.error = ""
        self.fields: dict[str, str] = {}
        self.raw_body = b""
        self.finished = False
        self.aborted = False  # given up by the app (a newer query): not a network failure
        self.used_token = False  # sent with the personal token (a 401 then means it is dead)
        reply.finished.connect(self._finish)

    def _finish(self) -> None:
        reply = self.reply
        try:
            self._settle(reply)
        finally:
            reply.deleteLater()
            self.parent()._forget(self)

    def _settle(self, reply: QNetworkReply) -> None:
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        self.status = int(status or 0)
        data = bytes(reply.readAll().data())
        self.raw_body = data
        self.finished = True
        if self.status == 0:
            if reply.error() == QNetworkReply.NetworkError.OperationCanceledError:
                self.error = QCoreApplication.translate(
                    "Api", "The server took too long to answer. Check the connection and try again."
                )
            else:
                self.error = (
                    QCoreApplication.translate("Api", "Cannot reach the server at %1: %2")
                    .replace("%1", _address(reply.url()))
                    .replace("%2", reply.errorString())
                )
            self.failed.emit(self.error, 0, {})
            return
        if self.status >= 400:
            self.error, self.fields = error_from_body(self.status, data)
            self.failed.emit(self.error, self.status, self.fields)
            return
        if self.raw:
            self.body = data
        else:
            try:
                self.body = json.loads(data) if data else None
            except ValueError:
                self.error = QCoreApplication.translate(
                    "Api", "The server sent an answer that is not JSON."
                )
                self.failed.emit(self.error, self.status, {})
                return
        self.done.emit(self.body)

    def abort(self) -> None:
        if not self.finished:
            self.aborted = True
            self.reply.abort()


class ApiClient(QObject):
    """The server's address, the token, and every call to them. One per app."""

    busyChanged = Signal()
    baseUrlChanged = Signal()
    # Any call that found no server (status 0) or a server again: the register's
    # offline queue and the status bar listen to these.
    reachableChanged = Signal()
    # A 401 on an API call: the token was revoked or the member deactivated.
    unauthorized = Signal()
    # The app's language changed: what the server labelled (categories, choices, roles)
    # was in the old one. Models and resources holding an answer ask for it again.
    languageChanged = Signal()

    def __init__(self, base_url: str = "http://127.0.0.1:8000", parent: QObject | None = None):
        super().__init__(parent)
        self._nam = QNetworkAccessManager(self)
        self._nam.setTransferTimeout(TIMEOUT_MS)
        self._base = ""
        self.set_base_url(base_url)
        self.token = ""
        self._language = "en"
        self._calls: set[Call] = set()
        self._reachable = True

    # --- properties -----------------------------------------------------------------------
    def _get_busy(self) -> bool:
        return bool(self._calls)

    busy = Property(bool, _get_busy, notify=busyChanged)

    def _get_base_url(self) -> str:
        return self._base

    def set_base_url(self, url: str) -> None:
        url = (url or "").strip().rstrip("/")
        if url and "://" not in url:
            url = "http://" + url
        if url != self._base:
            self._base = url
            self.baseUrlChanged.emit()

    baseUrl = Property(str, _get_base_url, notify=baseUrlChanged)

    def _get_reachable(self) -> bool:
        return self._reachable

    reachable = Property(bool, _get_reachable, notify=reachableChanged)

    @property
    def language(self) -> str:
        """What Accept-Language says on every request."""
        return self._language

    @language.setter
    def language(self, code: str) -> None:
        if code != self._language:
            self._language = code
            self.languageChanged.emit()

    # --- building requests ----------------------------------------------------------------
    def url(self, path: str, params: dict[str, Any] | None = None) -> QUrl:
        if path.startswith(("http://", "https://")):
            url = QUrl(path)  # a `next` link from a paginated answer
        else:
            if not path.startswith("/"):
                path = API_PREFIX + path
            url = QUrl(self._base + path)
        if params:
            query = QUrlQuery(url)
            for key, value in params.items():
                if value is None or value == "":
                    continue
                query.addQueryItem(key, str(value))
            url.setQuery(query)
        return url

    def open_socket(self, path: str, parent: QObject) -> QWebSocket:
        """A WebSocket to `path` on this server (ws:// or wss:// as the server's http:// or
        https://), opened with the personal token in the handshake's Authorization header,
        asynchronously: its signals (connected after this returns) tell what happens."""
        url = QUrl(self._base)
        url.setScheme("wss" if url.scheme() == "https" else "ws")
        url.setPath(url.path().rstrip("/") + path)
        request = QNetworkRequest(url)
        request.setRawHeader(b"Authorization", f"Token {self.token}".encode())
        socket = QWebSocket("", QWebSocketProtocol.Version.VersionLatest, parent)
        socket.open(request)
        return socket

    def _sends_token(self, headers: dict[str, str] | None) -> bool:
        return bool(self.token) and not (headers and "X-Session-Token" in headers)

    def _request(self, url: QUrl, headers: dict[str, str] | None) -> QNetworkRequest:
        request = QNetworkRequest(url)
        request.setRawHeader(b"Accept", b"application/json")
        request.setRawHeader(b"Accept-Language", self._language.encode())
        if self._sends_token(headers):
            request.setRawHeader(b"Authorization", f"Token {self.token}".encode())
        for name, value in (headers or {}).items():
            request.setRawHeader(name.encode(), value.encode())
        request.setTransferTimeout(TIMEOUT_MS)
        return request

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        raw: bool = False,
    ) -> Call:
        """Start `method path` with a JSON `body`; the answer arrives on the Call's signals."""
        request = self._request(self.url(path, params), headers)
        data = QByteArray()
        if body is not None:
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
            data = QByteArray(json.dumps(body).encode())
        method = method.upper()
        if method == "GET":
            reply = self._nam.get(request)
        elif method == "DELETE" and body is None:
            reply = self._nam.deleteResource(request)
        else:
            reply = self._nam.sendCustomRequest(request, method.encode(), data)
        call = Call(reply, raw, self)
        call.used_token = self._sends_token(headers)
        return self._track(call)

    def upload(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, str],
        *,
        method: str = "POST",
    ) -> Call:
        """A multipart form: `fields` as text, `files` as {name: path on this computer}."""
        multi = QHttpMultiPart(QHttpMultiPart.ContentType.FormDataType)
        for name, value in fields.items():
            part = QHttpPart()
            part.setHeader(
                QNetworkRequest.KnownHeaders.ContentDispositionHeader,
                f'form-data; name="{name}"',
            )
            part.setBody(QByteArray(str(value).encode()))
            multi.append(part)
        for name, file_path in files.items():
            path_obj = Path(file_path)
            part = QHttpPart()
            content_type = mimetypes.guess_type(path_obj.name)[0] or "application/octet-stream"
            part.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, content_type)
            part.setHeader(
                QNetworkRequest.KnownHeaders.ContentDispositionHeader,
                f'form-data; name="{name}"; filename="{path_obj.name}"',
            )
            device = QFile(str(path_obj), multi)
            if not device.open(QIODevice.OpenModeFlag.ReadOnly):
                raise OSError(
                    QCoreApplication.translate("Api", "Cannot read %1").replace("%1", str(path_obj))
                )
            part.setBodyDevice(device)
            multi.append(part)
        request = self._request(self.url(path), None)
        reply = self._nam.sendCustomRequest(request, method.encode(), multi)
        multi.setParent(reply)
        call = Call(reply, False, self)
        call.used_token = self._sends_token(None)
        return self._track(call)

    # --- bookkeeping ----------------------------------------------------------------------
    def _track(self, call: Call) -> Call:
        was_busy = bool(self._calls)
        self._calls.add(call)
        call.done.connect(lambda _body: self._set_reachable(True))
        call.failed.connect(lambda m, status, f: self._on_failed(call, status))
        if not was_busy:
            self.busyChanged.emit()
        return call

    def _on_failed(self, call: Call, status: int) -> None:
        if call.aborted:
            return
        self._set_reachable(status != 0)
        # A 401 to the token means it was revoked or the member deactivated. (Sign-in
        # steps answer 401 to say which step comes next: they carry no token.)
        if status == 401 and call.used_token:
            self.unauthorized.emit()

    def _set_reachable(self, value: bool) -> None:
        if value != self._reachable:
            self._reachable = value
            self.reachableChanged.emit()

    def _forget(self, call: Call) -> None:
        self._calls.discard(call)
        call.deleteLater()
        if not self._calls:
            self.busyChanged.emit()


_default: ApiClient | None = None


def default_client() -> ApiClient:
    """The app's one client, for objects QML creates (models)."""
    global _default
    if _default is None:
        _default = ApiClient()
    return _default


def set_default_client(client: ApiClient) -> None:
    global _default
    _default = client
