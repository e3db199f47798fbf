"""Shared fixtures: a fixed clock, a scripted conversation driver, sample answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from testing.driver import Driver

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def driver() -> Callable[..., Driver]:
    def make(lang: str = "fr", when: datetime = NOW) -> Driver:
        return Driver(lang=lang, now=when)

    return make


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder
