"""Small real files for the tests: a PNG, a WebP and a PDF made on the spot."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt)
    return out.getvalue()


def png(name: str = "receipt.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type=content_type)


def webp(name: str = "receipt.webp") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("WEBP"), content_type="image/webp")


def pdf(name: str = "bill.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf() -> SimpleUploadedFile:
    """An HTML page pretending to be a PDF."""
    return SimpleUploadedFile(
        "bill.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
