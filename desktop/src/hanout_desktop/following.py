"""What the helpers QML writes with have in common (dates.Formats, money.Amounts).

Each writes with settings kept module-wide (the language, the business's country,
its time zone or currency). A QML binding that writes a date or an amount reads
`revision`, so it is written again when those change:
`text: { formats.revision; return formats.day(spent_on) }`.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal


class Following(QObject):
    changed = Signal()

    # The settings this helper takes from `GET me/`'s business: {setting: business field}.
    FOLLOWS: dict[str, str] = {}

    def __init__(self, parent=None):
        super().__init__(parent)
        self._revision = 0

    def _get_revision(self) -> int:
        return self._revision

    revision = Property(int, _get_revision, notify=changed)

    def _configure(self, **kwargs) -> None:
        """The module's own `configure`."""
        raise NotImplementedError

    def configure(self, **kwargs) -> None:
        self._configure(**kwargs)
        self._revision += 1
        self.changed.emit()

    def follow_business(self, me: dict) -> None:
        """After `GET me/`: the business's settings this helper writes with."""
        business = (me or {}).get("business") or {}
        self.configure(**{name: str(business.get(key) or "") for name, key in self.FOLLOWS.items()})
