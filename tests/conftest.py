"""Shared fixtures: a fixed clock, a conversation driver, a fake Bot API, sample answers, and a
throwaway PostgreSQL server."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.invoice_reader import ocr_available
from bot.storage import Storage
from testing.backends import BACKENDS
from testing.driver import Driver
from testing.fakebot import FakeBotApi
from testing.pgcluster import Cluster, find_binaries
from testing.stored import Place

# Hypothesis loads the plugins other packages register for it when a test module imports it;
# the only one here is Trio's (installed for selenium), which imports Trio and walks every
# object of the process (gc.collect, gc.get_referrers) in each worker, for tests that never
# run on Trio.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")

# Set by .ci/run: CI must run the PostgreSQL tests, never skip them.
REQUIRE_POSTGRES = "IMPAYES_REQUIRE_POSTGRES"
REQUIRE_OCR = "IMPAYES_REQUIRE_OCR"  # set by .ci/run: no Tesseract there is a failure
# The folder of the run's PostgreSQL template (testing.pgcluster.template_data), made by the
# run's first process and inherited by its pytest-xdist workers.
PG_TEMPLATE = "IMPAYES_PG_TEMPLATE"
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
# Where the suite's files go when the machine has a RAM-backed folder with room to spare.
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_FOLDER_ROOM = 2 * 1024**3


def memory_folder() -> Path | None:
    """``/dev/shm`` if it is a tmpfs with room for the suite's files, else None."""
    try:
        mounts = Path("/proc/mounts").read_text("utf-8").splitlines()
        room = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return None
    tmpfs = any(line.split()[1:3] == [str(MEMORY_FOLDER), "tmpfs"] for line in mounts)
    if not tmpfs or not os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        return None
    return MEMORY_FOLDER if room.f_bavail * room.f_frsize >= MEMORY_FOLDER_ROOM else None


def pytest_configure(config: pytest.Config) -> None:
    """Temporary files in memory; one PostgreSQL template (an initdb) for the whole run."""
    use_memory_for_temporary_files()
    if not hasattr(config, "workerinput") and not os.environ.get(PG_TEMPLATE):
        # The run's first process (not a pytest-xdist worker): one template for the run.
        folder = tempfile.mkdtemp(prefix="impayes-pg-template-")
        os.environ[PG_TEMPLATE] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def use_memory_for_temporary_files() -> None:
    """The tests' data folders, databases and logs in memory rather than on the disk.

    Every durable save fsyncs twice, and the suite makes thousands: on a shared virtual disk
    each flush waits for the other machines' writes, which is most of what some tests wait
    for. The tests kill processes, never the machine, so what they prove does not depend on
    the flushes reaching the disk (the throwaway PostgreSQL runs with fsync off for the same
    reason); what a flush costs is measured by `make bench`, on the disk. Set before pytest
    and pytest-xdist pick their temporary folders, and inherited by every process started.
    """
    if os.environ.get("TMPDIR"):
        return  # chosen by whoever runs the tests
    folder = memory_folder()
    if folder is not None:
        os.environ["TMPDIR"] = str(folder)
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again


# Collecting imports the whole project and its libraries into every worker: some 150 000
# objects that live as long as the worker. Python's cyclic collector would walk all of them at
# each full collection, a dozen times in a worker's run (a third of a second each) plus the ones
# pytest makes at the end. So no collection while the tests are collected, then those objects
# are frozen (left out of every later collection) and the collector walks only what the tests
# create: the garbage the tests make is found as before.
gc.disable()


@pytest.hookimpl(wrapper=True)
def pytest_collection() -> Generator[None, object, object]:
    try:
        return (yield)
    finally:
        gc.freeze()
        gc.enable()


@pytest.fixture(autouse=True)
def no_outside_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test asks the real company register or BODACC, in this process or in the bots and
    consoles it starts: a test that wants look-ups points them at testing/fake_registries.py."""
    monkeypatch.setenv("IMPAYES_LOOKUPS", "off")


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


@pytest.fixture(params=sorted(BACKENDS))
def place(request: pytest.FixtureRequest, data_dir: Path) -> Place:
    """Where the bot keeps things, once per backend: the data folder, and on PostgreSQL a new
    database on the session's throwaway server."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return Place(data_dir, url)


def expected_seconds(item: pytest.Item) -> float:
    """How long a test marked ``slow(seconds=…)`` takes alone on a quiet machine (0 unmarked)."""
    marker = item.get_closest_marker("slow")
    return float(marker.kwargs.get("seconds", 1)) if marker is not None else 0.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, longest of all first: pytest-xdist hands the first tests of the
    list one to each worker (`make test` keeps that order, --no-loadscope-reorder), so every
    worker starts on one of them and the short tests fill in around them, instead of a long one
    starting last and running alone while the other workers have finished. A group
    (``xdist_group``) takes the place of its first test. The sort is stable, so the order stays
    the same in every worker, as pytest-xdist requires."""
    items.sort(key=lambda item: -expected_seconds(item))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Said at the end of every run, ``-q`` or not: whether the PostgreSQL tests ran."""
    binaries = find_binaries()
    if binaries is None:
        terminalreporter.write_sep("!", "PostgreSQL server binaries not found (Debian's "
                                   "postgresql package): the PostgreSQL tests were SKIPPED")
    else:
        terminalreporter.write_line(f"PostgreSQL tests ran on throwaway servers of {binaries}")


@pytest.fixture(scope="session")
def ocr() -> None:
    """Tesseract with its French data, for the tests reading photos of invoices: skipped
    where it is not installed, failed where CI requires it."""
    if not ocr_available():
        if os.environ.get(REQUIRE_OCR):
            pytest.fail(f"{REQUIRE_OCR} is set but Tesseract with French data was not found")
        pytest.skip("Tesseract (tesseract-ocr, tesseract-ocr-fra) not installed: OCR test skipped")


def postgres_binaries() -> Path:
    """The PostgreSQL server's binaries: the test is skipped where they are missing, failed
    where CI requires them."""
    binaries = find_binaries()
    if binaries is None:
        if os.environ.get(REQUIRE_POSTGRES):
            pytest.fail(f"{REQUIRE_POSTGRES} is set but no PostgreSQL server binaries were found")
        pytest.skip("PostgreSQL server binaries not found: PostgreSQL test skipped")
    return binaries


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL server for the session (one per pytest-xdist worker, started
    by its first test that needs one), stopped and removed at the end."""
    with throwaway_cluster() as cluster:
        yield cluster


def throwaway_cluster() -> Cluster:
    """A throwaway server (not started), copied from the run's template if there is one."""
    template = os.environ.get(PG_TEMPLATE)
    return Cluster(postgres_binaries(), template=Path(template) if template else None)


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a new empty database on the session's server (one per test)."""
    return pg_cluster.new_database()


@pytest.fixture(params=sorted(BACKENDS))
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """A fresh storage on each backend in turn (``testing/backends.py``)."""
    with BACKENDS[request.param](tmp_path, request.getfixturevalue) as opened:
        yield opened
