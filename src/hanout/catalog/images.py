"""Product images: check an upload is really an image, make its thumbnail.

Pillow opens and fully decodes the upload (a renamed PDF or a truncated file
is refused), refuses decompression bombs, and the thumbnail is re-encoded from
pixels, so no metadata or embedded payload travels from the upload to the
pages that show thumbnails.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from hanout.core.errors import ValidationFailed

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: any phone photo, not a bomb
THUMBNAIL_SIZE = (320, 320)
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


@dataclass(frozen=True)
class CheckedImage:
    filename: str
    content: ContentFile
    thumbnail_name: str
    thumbnail: ContentFile
    width: int
    height: int


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": [message]})


def check(upload) -> CheckedImage:
    """The upload as a checked image with its thumbnail, or ValidationFailed naming `file`."""
    if upload is None:
        raise _refuse(_("Choose an image file."))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise _refuse(_("The image is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if size == 0:
        raise _refuse(_("The file is empty."))
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise _refuse(_("The image has too many pixels (at most 40 megapixels)."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                thumb = ImageOps.exif_transpose(img)
                thumb.thumbnail(THUMBNAIL_SIZE)
                if thumb.mode not in ("RGB", "RGBA"):
                    thumb = thumb.convert(
                        "RGBA" if "A" in thumb.getbands() or "transparency" in thumb.info else "RGB"
                    )
                out = io.BytesIO()
                thumb.save(out, "WEBP", quality=82)
    except ValidationFailed:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise _refuse(_("This file is not an image we can read (JPEG, PNG, WebP or GIF).")) from exc
    if fmt not in FORMATS:
        raise _refuse(_("Upload a JPEG, PNG, WebP or GIF image."))
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or "image"))[0]
    stem = get_valid_filename(stem)[:60] or "image"
    return CheckedImage(
        filename=stem + FORMATS[fmt],
        content=ContentFile(data),
        thumbnail_name=f"{stem}-thumb.webp",
        thumbnail=ContentFile(out.getvalue()),
        width=width,
        height=height,
    )


def delete_quietly(name: str | None) -> None:
    """Remove a stored file; a missing file is not an error."""
    if not name:
        return
    with contextlib.suppress(OSError):
        default_storage.delete(name)
