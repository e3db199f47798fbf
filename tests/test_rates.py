"""``python -m bot rates update`` against a fake ECB Data Portal on 127.0.0.1.

The fake answers the SDMX REST ``data`` resource in ``csvdata`` format as the real API does
(https://data.ecb.europa.eu/help/api/data): one line per observation, KEY ... TIME_PERIOD,
OBS_VALUE ... The figures are the real MRO decisions of 2024-2025 (LEGAL_FACTS A1.1).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bot import rates
from bot.cli_rights import main as rights_main
from bot.config import Settings
from flows.law import tables
from testing.fakebot import FakeBotApi
from testing.telegram_harness import running_bot
from tests.conftest import NOW

HEADER = ("KEY,FREQ,REF_AREA,CURRENCY,PROVIDER_FM,INSTRUMENT_FM,PROVIDER_FM_ID,DATA_TYPE_FM,"
          "TIME_PERIOD,OBS_VALUE,OBS_STATUS,OBS_CONF,TITLE")
KEY = "FM.D.U2.EUR.4F.KR.MRR_FR.LEV,D,U2,EUR,4F,KR,MRR_FR,LEV"
DECISIONS = [("2024-06-12", "4.25"), ("2024-09-18", "3.65"), ("2024-10-23", "3.40"),
             ("2024-12-18", "3.15"), ("2025-02-05", "2.90"), ("2025-03-12", "2.65"),
             ("2025-04-23", "2.40"), ("2025-06-11", "2.15")]
CSV = "\n".join([HEADER] + [f"{KEY},{day},{rate},A,F,Main refinancing operations - fixed rate"
                            for day, rate in DECISIONS]) + "\n"


class FakeEcb(BaseHTTPRequestHandler):
    status = 200
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        FakeEcb.asked.append(self.path)
        if FakeEcb.status != 200 or not self.path.startswith(
                "/service/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata"):
            self.send_error(FakeEcb.status if FakeEcb.status != 200 else 404)
            return
        body = CSV.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def ecb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEcb)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/service"
    monkeypatch.setenv("IMPAYES_ECB_API_URL", base)
    monkeypatch.setenv("IMPAYES_DATA_DIR", str(tmp_path))
    FakeEcb.status, FakeEcb.asked = 200, []
    yield base
    server.shutdown()
    server.server_close()
    tables._OVERRIDES.clear()
    tables.rate_series.cache_clear()


def test_update_writes_dated_sourced_rows_and_2026_h2_stops_being_provisional(
    ecb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rates.main(["update", "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    # In force on 1 Jul 2026: 2.15 % (since 11 Jun 2025) -> 12.15 % in France (ECB + 10) and
    # 2.15 + 8 = 10.15, rounded up to the half point, 10.5 % in Belgium.
    assert "2026-07-01 (2026 H2): 2.15 % (since 2025-06-11)" in out
    assert "French B2B default rate 12.15 %" in out
    assert "Belgian B2B rate 10.5 %" in out
    assert FakeEcb.asked == ["/service/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata"
                             "&startPeriod=2012-07-01"]
    written = (tmp_path / "rates" / "ecb_mro.toml").read_text()
    assert f'source = "{ecb}/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV' in written
    assert "fetched on 2026-11-23" in written
    found = tables.rate_series("ecb_mro").at(date(2026, 9, 1))
    assert (found.rate, found.provisional) == (Decimal("2.15"), False)
    assert "fetched on 2026-11-23" in found.row.note
    be = tables.rate_series("be_b2b_rate").at(date(2026, 9, 1))
    assert (be.rate, be.provisional, be.row.verified) == (Decimal("10.5"), False, False)
    # A shipped, published figure is never replaced by a fetched one.
    assert tables.rate_series("ecb_mro").at(date(2025, 3, 1)).row.source.startswith(
        "https://www.boursorama.com")


def test_the_calculator_then_counts_2026_h2_at_a_published_rate(
    ecb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # 10 000 due 15 Jun 2026, on 23 Nov 2026: 16 -> 30 Jun = 15 days at 12.15 % (2026 H1) =
    # 49.93; 1 Jul -> 23 Nov = 146 days at 12.15 % (ECB 2.15 on 1 Jul, fetched) = 486.00;
    # merged, 161 days: 10000 x 0.1215 x 161/365 = 535.93 - no longer provisional.
    assert rates.main(["update", "--today", "2026-11-23"]) == 0
    capsys.readouterr()
    args = ["--country", "fr", "--debtor", "business", "--amount", "10000", "--issued",
            "2026-05-16", "--due", "2026-06-15", "--on", "2026-11-23", "--json"]
    assert rights_main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["interest"], out["provisional"]) == ("535.93", False)


def test_a_failed_fetch_keeps_the_shipped_table_and_says_so(
    ecb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    FakeEcb.status = 503
    assert rates.main(["update", "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "ECB fetch failed" in err
    assert "Keeping the shipped table (newest row 2026 H1)" in err
    assert not (tmp_path / "rates").exists()
    assert tables.rate_series("ecb_mro").at(date(2026, 9, 1)).provisional


def test_status_says_when_the_french_legal_rate_is_older_than_the_half_year_in_force(
    ecb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rates.main(["status", "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "our newest row is 2026 H1, older than the half-year in force (2026 H2)" in out


def test_the_belgian_rate_rounds_up_to_the_next_half_point() -> None:
    assert rates.belgian_b2b(Decimal("2.15")) == Decimal("10.5")
    assert rates.belgian_b2b(Decimal("4.00")) == Decimal("12.0")
    assert rates.belgian_b2b(Decimal("0.05")) == Decimal("8.5")


async def test_the_running_bot_fetches_daily_only_when_configured(
    ecb: str, api: FakeBotApi, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not Settings.from_env().rates_daily  # off unless configured
    monkeypatch.setenv("IMPAYES_RATES_UPDATE", "daily")
    assert Settings.from_env().rates_daily
    async with running_bot(api, data_dir, NOW) as application:
        assert not [job for job in application.job_queue.jobs() if job.name == "rates"]
    async with running_bot(api, data_dir, NOW, rates_daily=True,
                           ecb_api_url=ecb) as application:
        (job,) = [job for job in application.job_queue.jobs() if job.name == "rates"]
        assert job.job.trigger.interval == timedelta(days=1)
        await job.callback(None)  # as the job queue runs it, a minute after start
    assert (data_dir / "rates" / "ecb_mro.toml").exists()
    assert not tables.rate_series("ecb_mro").at(date(2026, 9, 1)).provisional


async def test_the_running_bot_starts_with_the_rates_fetched_before(
    ecb: str, api: FakeBotApi, data_dir: Path
) -> None:
    assert rates.update(ecb, data_dir, date(2026, 11, 23))[0] == 0
    tables._OVERRIDES.clear()  # as in a new process
    tables.rate_series.cache_clear()
    assert tables.rate_series("ecb_mro").at(date(2026, 9, 1)).provisional
    async with running_bot(api, data_dir, NOW):
        assert not tables.rate_series("ecb_mro").at(date(2026, 9, 1)).provisional
