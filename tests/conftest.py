"""Shared fixtures: a fixed clock, a conversation driver, a fake Bot API, sample answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from testing.driver import Driver
from testing.fakebot import FakeBotApi

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
def api() -> Iterator[FakeBotApi]:
    """A fake Bot API on 127.0.0.1 for one test, stopped after it."""
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests (marked ``slow``) go first: each parallel worker (pytest-xdist) then
    starts on one of them and the short tests fill in around them, instead of one of them
    starting last and running alone while the other worker has finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
