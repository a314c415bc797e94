"""Checking what is attached to a chat message, before anything is stored.

- images: fully decoded by the catalog's image checker (a renamed PDF or a
  truncated file is refused), which also makes the WebP thumbnail from pixels;
- voice messages: recognised by their first bytes (WebM/Matroska, Ogg, MP4,
  MP3, WAV: what browsers' MediaRecorder makes), then decoded (`audio`): the
  length and waveform are measured here, and a copy every browser plays is
  made when the recording is not one already;
- any other file: only its size is checked (the business's limit); it is kept
  under a name of ours and only ever served as a download.

A file's original name is kept for display and download, with any folder part
removed (a name like `../../etc/passwd` becomes `passwd`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from hanout.catalog import images
from hanout.chat import audio
from hanout.chat.models import MessageKind
from hanout.core.errors import ValidationFailed

FIELD = "file"
MAX_VOICE_MS = 10 * 60 * 1000
MAX_WAVEFORM = 128

VOICE_TYPES = {
    "webm": ("audio/webm", ".webm"),
    "ogg": ("audio/ogg", ".ogg"),
    "mp4": ("audio/mp4", ".m4a"),
    "mp3": ("audio/mpeg", ".mp3"),
    "wav": ("audio/wav", ".wav"),
}


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    extension: str
    original_name: str
    size: int
    thumbnail: ContentFile | None = None
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    waveform: list[int] = field(default_factory=list)
    playable: ContentFile | None = None


def refuse(message: str, name: str = FIELD) -> ValidationFailed:
    return ValidationFailed(f"{name}: {message}", fields={name: [message]})


def safe_name(name: str) -> str:
    """The last part of a client's file name, without control characters; never empty."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[-200:] or "file"


def _audio_type(head: bytes) -> str | None:
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return None


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    return size


def check(
    upload,
    *,
    kind: str,
    max_bytes: int,
) -> CheckedFile:
    """The upload checked for `kind`, or ValidationFailed naming the field at fault."""
    if upload is None:
        raise refuse(_("Choose a file."))
    size = _size(upload)
    if size <= 0:
        raise refuse(_("The file is empty."))
    if size > max_bytes:
        raise refuse(
            _("The file is larger than %(mb)d MB, the limit set for this business.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    name = safe_name(getattr(upload, "name", ""))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)

    if kind == MessageKind.IMAGE:
        try:
            image = images.check(upload)
        except ValidationFailed as exc:
            raise refuse(str(exc.fields.get("file", [exc.message])[0])) from None
        upload.seek(0)
        ext = "." + image.filename.rsplit(".", 1)[-1]
        content_type = {
            ".jpg": "image/jpeg",
            ".png": "image/png",
            ".webp": "image/webp",
            ".gif": "image/gif",
        }[ext]
        return CheckedFile(
            kind=kind,
            content_type=content_type,
            extension=ext,
            original_name=name,
            size=size,
            thumbnail=image.thumbnail,
            width=image.width,
            height=image.height,
        )

    if kind == MessageKind.VOICE:
        fmt = _audio_type(head)
        if fmt is None:
            raise refuse(_("This is not a voice recording we can play (WebM, Ogg, MP4, MP3, WAV)."))
        try:
            voice = audio.inspect(upload, fmt, max_ms=MAX_VOICE_MS)
        except audio.AudioRefused as exc:
            raise refuse(str(exc)) from None
        upload.seek(0)
        content_type, ext = VOICE_TYPES[fmt]
        return CheckedFile(
            kind=kind,
            content_type=content_type,
            extension=ext,
            original_name=name,
            size=size,
            duration_ms=voice.duration_ms,
            waveform=voice.waveform,
            playable=ContentFile(voice.playable) if voice.playable is not None else None,
        )

    if kind != MessageKind.FILE:
        raise refuse(_("Choose image, file or voice."), "kind")
    return CheckedFile(
        kind=kind,
        content_type="application/octet-stream",
        extension=".bin",
        original_name=name,
        size=size,
    )
