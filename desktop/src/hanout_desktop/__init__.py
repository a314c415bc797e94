"""Hanout's desktop app: a PySide6 + QML client of a Hanout server's REST API and WebSocket.

It never touches a database: everything goes through `/api/v1/` with a personal
token that the sign-in makes (see `session.py`)."""

__version__ = "0.1.0"
