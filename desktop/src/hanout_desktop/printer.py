"""The receipt printer plugged into the counter computer.

The server lays the ticket out (`POST /api/v1/sales/{id}/escpos/`: text in the
printer's code pages, or a picture for Arabic and Tifinagh, which receipt
printers cannot draw) and this module only carries the bytes to the printer:

- `host:port` (or a bare host, port 9100): a network printer, over TCP with
  Qt's asynchronous socket;
- a path (`/dev/usb/lp0`, a Windows printer share): written from a worker
  thread, because a device file blocks while the printer is off or out of paper.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

TIMEOUT_MS = 5_000
DEFAULT_PORT = 9100


def parse_target(target: str) -> tuple[str, str, int]:
    """("network", host, port) or ("file", path, 0); ValueError with a message when neither."""
    target = (target or "").strip()
    if not target:
        raise ValueError(QCoreApplication.translate("Printer", "No receipt printer is set."))
    if target.startswith(("/", "\\\\")) or (
        len(target) > 2 and target[1] == ":" and target[2] in "\\/"
    ):
        return "file", target, 0
    host, sep, port = target.rpartition(":")
    if not sep:
        host, port = target, str(DEFAULT_PORT)
    try:
        number = int(port)
    except ValueError:
        number = 0
    if not host or not 0 < number < 65536:
        raise ValueError(
            QCoreApplication.translate(
                "Printer", "%1 is neither host:port nor a device path like /dev/usb/lp0."
            ).replace("%1", target)
        )
    return "network", host.strip("[]"), number


class PrintJob(QObject):
    """Bytes on their way to a printer. Exactly one of `done` or `failed` is emitted."""

    done = Signal()
    failed = Signal(str)
    # Emitted from the worker thread; Qt delivers it on the UI thread (queued).
    _file_result = Signal(str)

    def __init__(self, target: str, data: bytes, parent: QObject | None = None):
        super().__init__(parent)
        self.target = target
        self.data = data
        self._over = False
        self._socket: QTcpSocket | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TIMEOUT_MS)
        self._timer.timeout.connect(
            lambda: self._fail(self._words(QCoreApplication.translate("Printer", "no answer")))
        )
        self._file_result.connect(self._file_done)
        self._left = len(data)
        self.failed.connect(lambda _message: self.deleteLater())
        self.done.connect(self.deleteLater)

    def start(self) -> PrintJob:
        try:
            kind, where, port = parse_target(self.target)
        except ValueError as exc:
            message = str(exc)
            QTimer.singleShot(0, lambda: self._fail(message))
            return self
        if kind == "network":
            self._send_tcp(where, port)
        else:
            self._timer.start()
            threading.Thread(target=self._write_file, args=(where,), daemon=True).start()
        return self

    # --- a network printer ------------------------------------------------------------------
    def _send_tcp(self, host: str, port: int) -> None:
        sock = self._socket = QTcpSocket(self)
        sock.connected.connect(lambda: sock.write(self.data))
        sock.bytesWritten.connect(self._written)
        sock.errorOccurred.connect(self._socket_error)
        sock.disconnected.connect(self._finish)
        self._timer.start()
        sock.connectToHost(host, port)

    def _written(self, count: int) -> None:
        self._left -= count
        if self._left <= 0 and self._socket is not None:
            self._socket.disconnectFromHost()

    def _socket_error(self, error) -> None:
        if error == QAbstractSocket.SocketError.RemoteHostClosedError and self._left <= 0:
            return  # the printer hung up after taking everything: fine
        self._fail(self._words(self._socket.errorString() if self._socket else ""))

    # --- a device file ----------------------------------------------------------------------
    def _write_file(self, path: str) -> None:
        try:
            with open(path, "ab", buffering=0) as device:  # noqa: PTH123 - a device, not a file
                device.write(self.data)
        except OSError as exc:
            self._file_result.emit(exc.strerror or str(exc))
        else:
            self._file_result.emit("")

    def _file_done(self, error: str) -> None:
        if error:
            self._fail(self._words(error))
        else:
            self._finish()

    # --- the end ----------------------------------------------------------------------------
    def _finish(self) -> None:
        if self._over:
            return
        if self._socket is not None and self._left > 0:
            self._fail(self._words(self._socket.errorString()))
            return
        self._over = True
        self._timer.stop()
        self.done.emit()

    def _fail(self, message: str) -> None:
        if self._over:
            return
        self._over = True
        self._timer.stop()
        if self._socket is not None:
            self._socket.abort()
        self.failed.emit(message)

    def _words(self, detail: str) -> str:
        return (
            QCoreApplication.translate(
                "Printer",
                "The receipt printer %1 did not take the ticket (%2). Check that it is on, connected and has paper, then print again.",
            )
            .replace("%1", self.target)
            .replace("%2", detail)
        )
