"""What the `export` actions of the supplier bills API share: now the project's
(`hanout.core.exports`), still importable from here."""

from __future__ import annotations

from hanout.core.exports import EXPORT_RENDERERS, FileExportMixin, export_schema

__all__ = ["EXPORT_RENDERERS", "FileExportMixin", "export_schema"]
