"""Stored files sent back to the browser (media is served by the app, never as a folder:
each view checks who may see the file first)."""

from __future__ import annotations

from django.http import FileResponse, Http404


def picture_response(file) -> FileResponse:
    """A stored picture's bytes, kept a day by the browser (a picture is never changed in
    place: a new one gets a new name). A missing or empty field, or a file gone from the
    disk, is a 404."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=86400"
    return response
