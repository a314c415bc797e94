"""Forms for QML that write to the API: one request at a time, its errors in place.

`ApiForm` sends a JSON body (`submit`) or a multipart form with files (`upload`)
through the app's `ApiClient`, asynchronously. While the request runs `busy` is
true; when the server refuses, `error` holds its message and `fieldErrors` the
message of each field it named, so a screen shows them beside the fields and
keeps the form open. On success `saved(result)` carries the server's answer.

    ApiForm { id: form; onSaved: (result) => dialog.close() }
    form.submit("POST", "expenses/", {amount: amount.text, ...})
    Label { text: form.fieldErrors.amount || "" }
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot
from PySide6.QtQml import QmlElement

from hanout_desktop import api as api_module
from hanout_desktop.api import ApiClient, Call

QML_IMPORT_NAME = "Hanout"
QML_IMPORT_MAJOR_VERSION = 1


def local_path(value: str) -> str:
    """A path on this computer from what a FileDialog gives (a file:// URL) or a plain path."""
    url = QUrl(value)
    return url.toLocalFile() if url.isLocalFile() else value


# Spaces that group thousands ("1 234,50", also no-break and narrow no-break ones), the
# Swiss apostrophe, and Arabic's own digits and separators (٤٢٫٥٠).
_GROUPING = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "'": None, "\u066c": None})
_ARABIC = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
    | {"\u066b": "."}
)
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def plain_decimal(text: str) -> str | None:
    """An amount as typed, in the server's form ("42,50" → "42.50"), or None when it is
    not a number. Both decimal separators are taken: a shop in Brussels types a comma.
    With both in it, the last one is the decimal mark ("1.234,50", "1,234.50"); one kind
    used several times groups thousands ("1.234.567")."""
    value = str(text or "").strip().translate(_GROUPING).translate(_ARABIC)
    if "." in value and "," in value:
        decimal_mark = "." if value.rindex(".") > value.rindex(",") else ","
        grouping = "," if decimal_mark == "." else "."
        value = value.replace(grouping, "").replace(decimal_mark, ".")
    elif value.count(",") > 1 or value.count(".") > 1:
        value = value.replace(",", "").replace(".", "")
    else:
        value = value.replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(value):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return str(number) if number.is_finite() else None


@QmlElement
class ApiForm(QObject):
    busyChanged = Signal()
    errorChanged = Signal()
    saved = Signal("QVariant")  # the server's answer (a map for most endpoints)
    failed = Signal(str, int)  # message, HTTP status (0: no answer)

    def __init__(self, api: ApiClient | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.api = api or api_module.default_client()
        self._busy = False
        self._error = ""
        self._field_errors: dict[str, str] = {}
        self._call: Call | None = None
        self._shown_fields: list[str] = []

    # --- properties -----------------------------------------------------------------------
    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=busyChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    def _get_field_errors(self) -> dict:
        return dict(self._field_errors)

    fieldErrors = Property("QVariantMap", _get_field_errors, notify=errorChanged)

    def _get_shown_fields(self) -> list[str]:
        return list(self._shown_fields)

    def _set_shown_fields(self, names: list[str]) -> None:
        self._shown_fields = [str(n) for n in names or []]

    # The fields the screen shows their errors beside. When the server's refusal is only
    # about those, its summary ("amount: A valid number is required.") is not shown
    # again above the form: each message once, in its place.
    fieldsShownChanged = Signal()
    fieldsShown = Property(
        "QStringList", _get_shown_fields, _set_shown_fields, notify=fieldsShownChanged
    )

    # --- what QML asks --------------------------------------------------------------------
    @Slot(str, str, "QVariantMap")
    def submit(self, method: str, path: str, body: dict) -> None:
        """Send `body` as JSON (empty values included: the server says what is missing)."""
        if self._busy:
            return
        self._start(self.api.call(method, path, dict(body or {})))

    @Slot(str, "QVariantMap", "QVariantMap")
    def upload(self, path: str, fields: dict, files: dict) -> None:
        """POST a multipart form: `fields` as text, `files` as {name: file URL or path}.
        Empty fields and files are left out."""
        if self._busy:
            return
        text = {k: str(v) for k, v in (fields or {}).items() if v not in (None, "")}
        paths = {k: local_path(str(v)) for k, v in (files or {}).items() if v}
        try:
            call = self.api.upload(path, text, paths)
        except OSError as exc:
            self._set_error(str(exc), {})
            self.failed.emit(self._error, 0)
            return
        self._start(call)

    @Slot(str, result=str)
    def decimal(self, text: str) -> str:
        """The amount typed, as the server reads it ("42,50" → "42.50"); "" when it is
        not a number (the screen says so beside the field)."""
        return plain_decimal(text) or ""

    @Slot(str, str)
    def setFieldError(self, name: str, message: str) -> None:
        """A check made before sending (the screen's own), shown like the server's."""
        fields = dict(self._field_errors)
        if message:
            fields[name] = message
        else:
            fields.pop(name, None)
        self._set_error(self._error, fields)

    @Slot()
    def clear(self) -> None:
        self._set_error("", {})

    @Slot()
    def abort(self) -> None:
        if self._call is not None:
            self._call.abort()

    # --- answers --------------------------------------------------------------------------
    def _start(self, call: Call) -> None:
        self._call = call
        self._set_error("", {})
        self._set_busy(True)
        call.done.connect(lambda body: self._done(call, body))
        call.failed.connect(
            lambda message, status, fields: self._failed(call, message, status, fields)
        )

    def _done(self, call: Call, body: Any) -> None:
        if call is not self._call:
            return
        self._call = None
        self._set_busy(False)
        self.saved.emit(body)

    def _failed(self, call: Call, message: str, status: int, fields: dict) -> None:
        if call is not self._call:
            return
        self._call = None
        self._set_error(self._summary(message, fields), fields)
        self._set_busy(False)
        self.failed.emit(message, status)

    def _summary(self, message: str, fields: dict) -> str:
        """The message above the form: none when it only repeats an error the screen
        shows beside its field."""
        if not fields or not self._shown_fields:
            return message
        if any(name not in self._shown_fields for name in fields):
            return message
        if any(message == text or message.endswith(text) for text in fields.values()):
            return ""
        return message

    def _set_busy(self, value: bool) -> None:
        if value != self._busy:
            self._busy = value
            self.busyChanged.emit()

    def _set_error(self, message: str, fields: dict) -> None:
        self._error = message
        self._field_errors = dict(fields)
        self.errorChanged.emit()
