"""Domain errors: one hierarchy, each with a stable code and a human message.

Services raise these; the API's exception handler and the pages turn them into
a 400/403/404/409 with the same message, so a person reads the same words
whether they used the web page, the desktop app or a script.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.fields = fields or {}


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409
