"""Time zones by their IANA name, checked against the list of names before any file is opened.

``ZoneInfo`` opens whatever path it is given: "Europe" (a folder) raised ``IsADirectoryError``
and a 300-character name ``OSError``, not "no such zone".
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None when there is no such zone."""
    return ZoneInfo(name) if name in _zone_names() else None
