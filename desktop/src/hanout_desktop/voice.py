"""Voice messages for the chat: recorded from the microphone, played back in the app.

`chat.voice` in QML. Recording goes through Qt Multimedia (a capture session
with the default microphone and a media recorder) into AAC in an MP4 file, a
format the server measures and every browser plays without a copy; stopping
hands the file to the chat, which uploads it as a message of kind `voice`
(the same upload, with the same retries, as a photo). The server measures the
real length and draws the waveform the bubble shows.

Playing fetches the attachment's `playable_url` with the token (Qt's player
cannot send it), keeps it in this client's temporary folder, and plays it on
the default speaker. One message plays at a time; `position` moves while it
plays, for the bubble's progress.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QObject,
    QTemporaryDir,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtMultimedia import (
    QAudioInput,
    QAudioOutput,
    QMediaCaptureSession,
    QMediaDevices,
    QMediaFormat,
    QMediaPlayer,
    QMediaRecorder,
)

from hanout_desktop.api import ApiClient, alive

# The server refuses longer ones (chat/files.py MAX_VOICE_MS): stop a little before.
MAX_RECORDING_MS = 10 * 60 * 1000 - 2_000
# Shorter than this is a slip of the finger, not a message.
MIN_RECORDING_MS = 500


class Voice(QObject):
    recordingChanged = Signal()
    elapsedChanged = Signal()
    playingChanged = Signal()
    positionChanged = Signal()
    errorChanged = Signal()
    recorded = Signal(str)  # the path of a finished recording, to send

    def __init__(self, api: ApiClient, parent: QObject | None = None):
        super().__init__(parent)
        self.api = api
        self._folder = QTemporaryDir()
        self._error = ""
        # recording
        self._session: QMediaCaptureSession | None = None
        self._input: QAudioInput | None = None
        self._recorder: QMediaRecorder | None = None
        self._recording = False
        self._send_when_stopped = False
        self._elapsed = 0
        # playing
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._playing_id = ""
        self._loading_id = ""
        self._files: dict[str, str] = {}  # attachment id → local file

    # --- properties -----------------------------------------------------------------------------
    def _get_available(self) -> bool:
        return bool(QMediaDevices.audioInputs())

    canRecord = Property(bool, _get_available, notify=recordingChanged)

    def _get_recording(self) -> bool:
        return self._recording

    recording = Property(bool, _get_recording, notify=recordingChanged)

    def _get_elapsed(self) -> int:
        return self._elapsed

    elapsed = Property(int, _get_elapsed, notify=elapsedChanged)  # ms recorded so far

    def _get_playing_id(self) -> str:
        return self._playing_id

    playingId = Property(str, _get_playing_id, notify=playingChanged)

    def _get_loading_id(self) -> str:
        return self._loading_id

    loadingId = Property(str, _get_loading_id, notify=playingChanged)

    def _get_paused(self) -> bool:
        return (
            self._player is not None
            and self._player.playbackState() == QMediaPlayer.PlaybackState.PausedState
        )

    paused = Property(bool, _get_paused, notify=playingChanged)

    def _get_position(self) -> int:
        return int(self._player.position()) if self._player is not None else 0

    position = Property(int, _get_position, notify=positionChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    # --- recording ----------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Record from this computer's default microphone."""
        if self._recording:
            return
        device = QMediaDevices.defaultAudioInput()
        if device.isNull() or not self._folder.isValid():
            self._set_error(
                QCoreApplication.translate(
                    "Voice", "No microphone found. Plug one in, or allow the app to use it."
                )
            )
            return
        self._set_error("")
        recorder = self._capture()
        self._input.setDevice(device)  # the default may have changed since the last one
        path = Path(self._folder.path()) / f"voice-{uuid.uuid4()}.m4a"
        recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
        self._send_when_stopped = False
        self._set_elapsed(0)
        self._recording = True
        recorder.record()
        self.recordingChanged.emit()

    def _capture(self) -> QMediaRecorder:
        """The capture session, its microphone input and its recorder: made once and kept.

        (Deleting a QAudioInput right after a recording hung Qt 6.8's FFmpeg backend,
        the PySide6 a Raspberry Pi OS Bookworm gets; kept, it is only open while
        recording.)"""
        if self._recorder is None:
            self._input = QAudioInput(self)
            self._session = QMediaCaptureSession(self)
            self._session.setAudioInput(self._input)
            recorder = QMediaRecorder(self)
            media = QMediaFormat(QMediaFormat.FileFormat.Mpeg4Audio)
            media.setAudioCodec(QMediaFormat.AudioCodec.AAC)
            recorder.setMediaFormat(media)
            recorder.setAudioChannelCount(1)
            recorder.setQuality(QMediaRecorder.Quality.NormalQuality)
            recorder.durationChanged.connect(self._tick)
            recorder.recorderStateChanged.connect(self._state_changed)
            recorder.errorOccurred.connect(self._recorder_failed)
            self._session.setRecorder(recorder)
            self._recorder = recorder
        return self._recorder

    @Slot()
    def stopAndSend(self) -> None:
        """Stop; once the file is written, it goes to the open conversation."""
        if self._recording:
            self._send_when_stopped = True
            self._recorder.stop()

    @Slot()
    def cancel(self) -> None:
        """Stop and throw the recording away."""
        if self._recording:
            self._send_when_stopped = False
            self._recorder.stop()

    def _tick(self, duration: int) -> None:
        self._set_elapsed(int(duration))
        if duration >= MAX_RECORDING_MS:
            self.stopAndSend()

    def _state_changed(self, state) -> None:
        recorder = self._recorder
        if not self._recording or state != QMediaRecorder.RecorderState.StoppedState:
            return
        path = recorder.actualLocation().toLocalFile()
        send = self._send_when_stopped
        long_enough = self._elapsed >= MIN_RECORDING_MS
        self._finish_recording()
        if send and long_enough and path and Path(path).is_file():
            self.recorded.emit(path)
        else:
            if path:
                Path(path).unlink(missing_ok=True)  # cancelled, or too short: not kept
            if send:
                self._set_error(
                    QCoreApplication.translate(
                        "Voice", "Too short to send: hold on a little longer while you speak."
                    )
                )

    def _recorder_failed(self, _error, text: str) -> None:
        self._finish_recording()
        self._set_error(
            QCoreApplication.translate("Voice", "The recording stopped: %1").replace("%1", text)
        )

    def _finish_recording(self) -> None:
        if self._recording:
            self._recording = False
            self.recordingChanged.emit()

    # --- playing ------------------------------------------------------------------------------
    @Slot(str, str)
    def play(self, attachment_id: str, url: str) -> None:
        """Play a voice message (pressing it again while it plays pauses it)."""
        if not attachment_id or not url:
            return
        if self._playing_id == attachment_id and self._player is not None:
            if self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
                self._player.pause()
            else:
                self._player.play()
            return
        self.stop()
        local = self._files.get(attachment_id)
        if local:
            self._start_playing(attachment_id, local)
            return
        self._loading_id = attachment_id
        self.playingChanged.emit()
        call = self.api.call("GET", url, raw=True)
        call.done.connect(self._alive(lambda data: self._fetched(attachment_id, data)))
        call.failed.connect(self._alive(lambda message, *_: self._fetch_failed(message)))

    @Slot()
    def stop(self) -> None:
        if self._player is not None:
            self._player.stop()
        self._playing_id = ""
        self.playingChanged.emit()
        self.positionChanged.emit()

    def _fetched(self, attachment_id: str, data: bytes) -> None:
        if self._loading_id != attachment_id:
            return  # another one was asked for meanwhile
        self._loading_id = ""
        path = Path(self._folder.path()) / f"{attachment_id}.m4a"
        path.write_bytes(data)
        self._files[attachment_id] = str(path)
        self._start_playing(attachment_id, str(path))

    def _fetch_failed(self, message: str) -> None:
        self._loading_id = ""
        self.playingChanged.emit()
        self._set_error(message)

    def _start_playing(self, attachment_id: str, path: str) -> None:
        if self._player is None:
            self._output = QAudioOutput(self)
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(self._output)
            self._player.positionChanged.connect(lambda _pos: self.positionChanged.emit())
            self._player.mediaStatusChanged.connect(self._media_status)
            self._player.playbackStateChanged.connect(lambda _state: self.playingChanged.emit())
            self._player.errorOccurred.connect(self._player_failed)
        self._playing_id = attachment_id
        self._player.setSource(QUrl.fromLocalFile(path))
        self._player.play()
        self.playingChanged.emit()

    def _media_status(self, status) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            # Heard to the end: back to the start, ready to play again.
            QTimer.singleShot(0, self._alive(self.stop))

    def _player_failed(self, _error, text: str) -> None:
        self.stop()
        self._set_error(
            QCoreApplication.translate("Voice", "Cannot play this voice message: %1").replace(
                "%1", text
            )
        )

    # --- helpers ------------------------------------------------------------------------------
    def _alive(self, fn):
        def run(*args):
            if alive(self):
                fn(*args)

        return run

    def _set_elapsed(self, ms: int) -> None:
        if ms != self._elapsed:
            self._elapsed = ms
            self.elapsedChanged.emit()

    def _set_error(self, message: str) -> None:
        if message != self._error:
            self._error = message
            self.errorChanged.emit()

    @Slot()
    def clearError(self) -> None:
        self._set_error("")
