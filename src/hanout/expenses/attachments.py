"""Documents attached to an expense: checked by their bytes, kept in private storage.

PDF, JPEG and PNG go through the supplier-invoice checker (first bytes decide
the type, a truncated file or a name/type that lies about the content is
refused); WebP is recognised here (RIFF....WEBP) as that checker does not know
it. Every image is then fully decoded by the catalog's image checker, which
also makes the WebP thumbnail re-encoded from pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from hanout.catalog import images
from hanout.core.errors import ValidationFailed
from hanout.core.validation import sniff_document_type
from hanout.purchasing import services_bills

FIELD = "attachments"
MAX_BYTES = 10 * 1024 * 1024
MAX_PER_EXPENSE = 10
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    original_name: str
    size: int
    thumbnail: ContentFile | None


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(f"{FIELD}: {message}", fields={FIELD: [message]})


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def check(upload) -> CheckedFile:
    """The upload's real type and its thumbnail (images), or a 400 naming `attachments`."""
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise _refuse(_("The file is empty."))
    if size > MAX_BYTES:
        raise _refuse(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "file")[-200:]
    if _is_webp(head):
        suffix = PurePosixPath(name.lower()).suffix
        claimed = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        if (suffix and suffix != ".webp") or claimed not in (
            "",
            "application/octet-stream",
            "image/webp",
        ):
            raise _refuse(
                _("The file's name or type does not match its content (%(kind)s); refused.")
                % {"kind": "WEBP"}
            )
        content_type = "image/webp"
    elif sniff_document_type(head) is None:
        raise _refuse(_("Attach a PDF, JPEG, PNG or WebP file."))
    else:
        try:
            content_type, _ext = services_bills.check_attachment(upload)
        except ValidationFailed as exc:
            raise _refuse(str(exc.fields.get("attachment", [exc.message])[0])) from None
    thumbnail = None
    if content_type.startswith("image/"):
        try:
            checked = images.check(upload)
        except ValidationFailed:
            raise _refuse(_("This image is damaged or cannot be read.")) from None
        thumbnail = checked.thumbnail
    upload.seek(0)
    return CheckedFile(
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        original_name=PurePosixPath(name).name or "file",
        size=size,
        thumbnail=thumbnail,
    )
