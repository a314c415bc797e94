"""Test helpers of the chat: files of each kind, made in memory."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def png(name="photo.png", size=(64, 48)) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def webm(name="voice.webm", size=2048) -> SimpleUploadedFile:
    """The first bytes of a WebM file (EBML header) and some payload: enough to be recognised."""
    body = b"\x1a\x45\xdf\xa3" + b"\x9f\x42\x86\x81\x01webm" + b"\x00" * (size - 13)
    return SimpleUploadedFile(name, body, content_type="audio/webm")


def document(name="notes.txt", body=b"hello, world\n", content_type="text/plain"):
    return SimpleUploadedFile(name, body, content_type=content_type)
