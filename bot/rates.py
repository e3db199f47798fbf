"""Rates that stay current: the ECB main refinancing rate from the ECB's public data API.

``python -m bot rates update`` (and, when ``IMPAYES_RATES_UPDATE=daily``, a job in the running
bot) fetches the MRO series from the ECB Data Portal's SDMX REST API (``csvdata`` format),
takes the rate in force on 1 January and 1 July of each half-year, and writes two dated
override tables into the data folder (``rates/ecb_mro.toml``, ``rates/be_b2b_rate.toml``):

- French B2B penalties follow from it (C. com. L441-10 II: ECB + 10 points);
- the Belgian B2B rate follows from it too (law of 2 August 2002, art. 5: ECB + 8 points,
  rounded up to the next half point), marked unverified until SPF Finances publishes it.

Override rows only extend a shipped table past its newest row: a published figure we ship is
never replaced, and a fetched figure that disagrees with it is reported. A failed fetch keeps
the shipped tables and says so. The French legal rate has no such API: it stays a shipped table,
and ``rates status`` says when its newest row is older than the half-year in force.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import logging
import os
import sys
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bot.config import Settings
from flows.law import tables
from flows.law.dates import HalfYear

LOGGER = logging.getLogger(__name__)

SERIES = "FM/D.U2.EUR.4F.KR.MRR_FR.LEV"  # daily, euro area, MRO fixed rate, level in percent
FETCH_FROM = date(2012, 7, 1)  # early enough to know the rate in force on 1 Jan 2013
TIMEOUT_SECONDS = 20
OVERRIDE_DIR = "rates"
BE_MARGIN = Decimal(8)  # law of 2 August 2002, art. 5
HALF = Decimal("0.5")


class FetchError(Exception):
    """The ECB API could not be read (network, HTTP status, or an answer we cannot parse)."""


@dataclass(frozen=True)
class HalfYearRate:
    half: HalfYear
    rate: Decimal
    since: date  # the ECB decision's effective date the rate dates from


def series_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/data/{SERIES}?format=csvdata&startPeriod={FETCH_FROM}"


def fetch_observations(base_url: str) -> list[tuple[date, Decimal]]:
    """(day, rate) observations of the MRO series, oldest first."""
    url = series_url(base_url)
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"IMPAYES_ECB_API_URL must be an http(s) address, not {base_url!r}")
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            text = response.read().decode("utf-8")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FetchError(f"could not read {url}: {error}") from error
    return parse_csv(text)


def parse_csv(text: str) -> list[tuple[date, Decimal]]:
    found: list[tuple[date, Decimal]] = []
    try:
        for row in csv.DictReader(io.StringIO(text)):
            value = (row.get("OBS_VALUE") or "").strip()
            if value:
                found.append((date.fromisoformat(row["TIME_PERIOD"][:10]), Decimal(value)))
    except (KeyError, ValueError, InvalidOperation) as error:
        raise FetchError(f"unexpected answer from the ECB API: {error}") from error
    if not found:
        raise FetchError("the ECB API answered without any observation")
    return sorted(found)


def half_year_rates(observations: list[tuple[date, Decimal]], today: date) -> list[HalfYearRate]:
    """The rate in force on the first day of each half-year up to the one containing ``today``
    (L441-10 II: on 1 January for the first half-year, on 1 July for the second)."""
    rates: list[HalfYearRate] = []
    half = HalfYear.of(observations[0][0])
    while half <= HalfYear.of(today):
        known = [(day, rate) for day, rate in observations if day <= half.first_day]
        if known:
            rate = known[-1][1]
            changes = [day for (day, value), (_, before) in zip(known[1:], known, strict=False)
                       if value != before]
            since = changes[-1] if changes else known[0][0]
            rates.append(HalfYearRate(half, rate, since))
        half = HalfYear(half.year, 2) if half.half == 1 else HalfYear(half.year + 1, 1)
    return rates


def belgian_b2b(mro: Decimal) -> Decimal:
    """ECB + 8 points, rounded up to the next half point (law of 2 August 2002, art. 5)."""
    return ((mro + BE_MARGIN) / HALF).to_integral_value(rounding=ROUND_CEILING) * HALF


def _toml_rows(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        lines.append("[[rows]]")
        for key, value in row.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, date):
                lines.append(f"{key} = {value.isoformat()}")
            else:
                lines.append(f'{key} = "{value}"')
        lines.append("")
    return "\n".join(lines)


def override_texts(rates: list[HalfYearRate], url: str, today: date) -> dict[str, str]:
    """The two override tables, as TOML text in the shipped tables' format."""
    ecb_rows = [{"valid_from": r.half.first_day, "valid_to": r.half.last_day, "rate": str(r.rate),
                 "source": url, "verified": True,
                 "note": f"ECB MRO in force on {r.half.first_day} (since {r.since}), "
                         f"fetched on {today}"} for r in rates]
    be_rows = [{"valid_from": r.half.first_day, "valid_to": r.half.last_day,
                "rate": str(belgian_b2b(r.rate)), "source": url, "verified": False,
                "note": f"computed: ECB {r.rate} % + 8 points rounded up to the half point "
                        f"(law of 2 August 2002, art. 5), fetched on {today}; to be checked "
                        "against the SPF Finances notice in the Moniteur belge"} for r in rates]
    header = (f"# Written by `python -m bot rates update` on {today} from {url}.\n"
              "# Rows only extend the shipped table past its newest row.\n\n")
    return {
        "ecb_mro": header + '[meta]\ngranularity = "half_year"\ncolumns = ["rate"]\n'
                            f"fetched_on = {today}\n\n" + _toml_rows(ecb_rows),
        "be_b2b_rate": header + '[meta]\ngranularity = "half_year"\ncolumns = ["rate"]\n'
                                f"fetched_on = {today}\n\n" + _toml_rows(be_rows),
    }


def write_overrides(data_dir: Path, texts: dict[str, str]) -> list[Path]:
    folder = data_dir / OVERRIDE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        path = folder / f"{name}.toml"
        temporary = path.with_suffix(".toml.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        written.append(path)
    return written


def load_overrides(data_dir: Path) -> list[str]:
    """Hand the override tables found in the data folder to the legal engine; their names."""
    loaded = []
    for name in ("ecb_mro", "be_b2b_rate"):
        path = data_dir / OVERRIDE_DIR / f"{name}.toml"
        if path.exists():
            tables.install_override(name, tomllib.loads(path.read_text(encoding="utf-8")))
            loaded.append(name)
    return loaded


def disagreements(rates: list[HalfYearRate]) -> list[str]:
    """Half-years where the ECB's figure differs from the one we ship (ours are kept)."""
    shipped = tables.shipped_series("ecb_mro")
    found = []
    for rate in rates:
        if rate.half.first_day < shipped.first_day or rate.half.first_day > shipped.last_day:
            continue
        ours = shipped.at(rate.half.first_day).rate
        if ours != rate.rate:
            found.append(f"{rate.half}: the ECB says {rate.rate} %, our table {ours} % (kept)")
    return found


def legal_rate_status(today: date) -> str:
    """Whether the French legal rate table covers the half-year in force."""
    newest = HalfYear.of(tables.shipped_series("fr_legal_rate", "other_cases").last_day)
    current = HalfYear.of(today)
    if newest >= current:
        return f"French legal rate: published up to {newest}, the half-year in force."
    return (f"French legal rate: our newest row is {newest}, older than the half-year in force "
            f"({current}); the arrêté for it is not in our tables yet, so figures after "
            f"{newest} are provisional (update the package when it is published).")


def update(base_url: str, data_dir: Path, today: date) -> tuple[int, list[str]]:
    """Fetch, write, load; (exit code, lines to show)."""
    url = series_url(base_url)
    try:
        rates = half_year_rates(fetch_observations(base_url), today)
    except FetchError as error:
        newest = HalfYear.of(tables.shipped_series("ecb_mro").last_day)
        return 1, [f"ECB fetch failed: {error}",
                   f"Keeping the shipped table (newest row {newest}); figures after it stay "
                   "provisional.", legal_rate_status(today)]
    write_overrides(data_dir, override_texts(rates, url, today))
    load_overrides(data_dir)
    latest = rates[-1]
    lines = [
        f"ECB main refinancing rate, from {url}, fetched on {today}:",
        f"  in force on {latest.half.first_day} ({latest.half}): {latest.rate} % (since "
        f"{latest.since}) -> French B2B default rate {latest.rate + 10} % (C. com. L441-10 II), "
        f"Belgian B2B rate {belgian_b2b(latest.rate)} % (law of 2 August 2002, computed, to be "
        "checked against the Moniteur belge)",
        f"  written to {data_dir / OVERRIDE_DIR}",
    ]
    lines += [f"  {line}" for line in disagreements(rates)]
    lines.append(legal_rate_status(today))
    return 0, lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot rates",
                                     description="Keep the ECB rate tables current.")
    parser.add_argument("action", choices=["update", "status"])
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    today = args.today or settings.now().date()
    if args.action == "status":
        loaded = load_overrides(settings.data_dir)
        series = tables.rate_series("ecb_mro")
        print(f"ECB table: newest row {HalfYear.of(series.last_day)}"
              + (" (with the fetched override)" if loaded else " (shipped table only)"))
        print(legal_rate_status(today))
        return 0
    code, lines = update(settings.ecb_api_url, settings.data_dir, today)
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


def install_daily(job_queue: Any, settings: Settings) -> None:
    """In the running bot, when ``IMPAYES_RATES_UPDATE=daily``: the update once a day (first a
    minute after start), off the event loop."""
    if not settings.rates_daily or job_queue is None:
        return

    async def run(_context: Any) -> None:
        code, lines = await asyncio.to_thread(update, settings.ecb_api_url, settings.data_dir,
                                              settings.now().date())
        log = LOGGER.warning if code else LOGGER.info
        for line in lines:
            log("%s", line)

    job_queue.run_repeating(run, interval=timedelta(days=1), first=timedelta(minutes=1),
                            name="rates")
