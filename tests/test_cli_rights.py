"""``python -m bot rights``: the same figures as the engine, as text or JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from bot.cli_rights import main, today

A12 = [
    "--country",
    "fr",
    "--debtor",
    "business",
    "--amount",
    "10000",
    "--issued",
    "2025-02-13",
    "--due",
    "2025-03-15",
    "--on",
    "2025-09-15",
]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main([*args, "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_json_gives_the_reference_example_to_the_cent(capsys: pytest.CaptureFixture[str]) -> None:
    # Same figures as test_lateness_over_two_half_years_matches_the_reference_example_to_the_cent
    out = run_json(capsys, *A12)
    assert out["principal"] == "10000.00"
    assert out["interest"] == "641.81"
    assert out["interest_per_day"] == "3.33"
    assert out["indemnity"] == "40.00"
    assert out["total"] == "10681.81"
    assert out["day_count"] == "actual/365"
    assert out["limitation_date"] == "2030-02-13"
    assert out["payment_term"]["exceeded"] is False
    assert [
        (p["from"], p["to"], p["days"], p["annual_rate"], p["amount"])
        for p in out["interest_periods"]
    ] == [
        ("2025-03-16", "2025-06-30", 107, "13.15", "385.49"),
        ("2025-07-01", "2025-09-15", 77, "12.15", "256.32"),
    ]
    assert {"routes", "warnings", "sources"} <= out.keys()
    assert any("L441-10" in s["article"] for s in out["sources"])


def test_the_issue_example_invoice(capsys: pytest.CaptureFixture[str]) -> None:
    # 2400 due 15 May 2025, on 30 Sep 2025: 16 May -> 30 Jun = 46 days at 13.15 %:
    # 2400 x 0.1315 x 46/365 = 39.77; 1 Jul -> 30 Sep = 92 days at 12.15 %: 73.50.
    out = run_json(
        capsys,
        "--country",
        "fr",
        "--debtor",
        "business",
        "--amount",
        "2400",
        "--issued",
        "2025-04-15",
        "--due",
        "2025-05-15",
        "--on",
        "2025-09-30",
    )
    assert (out["interest"], out["total"]) == ("113.27", "2553.27")


def test_contract_rate_below_the_floor_is_reported_in_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run_json(
        capsys,
        "--country",
        "fr",
        "--debtor",
        "business",
        "--amount",
        "8000",
        "--issued",
        "2023-12-15",
        "--due",
        "2024-01-31",
        "--on",
        "2024-04-30",
        "--contract-rate",
        "12",
        "--lang",
        "en",
    )
    assert out["interest"] == "286.03"
    (warning,) = out["warnings"]
    assert warning["key"] == "law.warning.contract_rate_below_floor"
    assert "15.21%" in warning["text"]


def test_uncovered_half_year_is_flagged_provisional(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(
        capsys,
        "--country",
        "fr",
        "--debtor",
        "business",
        "--amount",
        "10000",
        "--issued",
        "2026-05-16",
        "--due",
        "2026-06-15",
        "--on",
        "2026-11-23",
    )
    assert out["provisional"] is True
    assert out["interest"] == "535.93"
    assert "2e semestre 2026" in out["warnings"][0]["text"]


def test_belgian_and_quebec_invoices(capsys: pytest.CaptureFixture[str]) -> None:
    be = run_json(
        capsys,
        "--country",
        "be",
        "--debtor",
        "business",
        "--amount",
        "10000",
        "--issued",
        "2025-01-15",
        "--due",
        "2025-02-14",
        "--on",
        "2025-09-15",
    )
    assert (be["interest"], be["indemnity"], be["total"]) == ("650.00", "40.00", "10690.00")
    qc = run_json(
        capsys,
        "--country",
        "qc",
        "--debtor",
        "business",
        "--amount",
        "8000",
        "--issued",
        "2025-01-10",
        "--due",
        "2025-02-09",
        "--on",
        "2025-06-30",
        "--demand",
        "2025-03-01",
        "--demand-delay",
        "10",
        "--employees",
        "4",
    )
    assert (qc["currency"], qc["interest"], qc["total"]) == ("CAD", "121.64", "8121.64")
    small = next(r for r in qc["routes"] if r["kind"] == "small_claims_court")
    assert small["available"] is True


@pytest.mark.parametrize(("lang", "expected"), [("fr", "641,81"), ("en", "641.81")])
def test_text_output_shows_the_same_figures_in_both_languages(
    capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    assert main([*A12, "--lang", lang]) == 0
    text = capsys.readouterr().out
    assert expected in text
    assert "L441-10" in text


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2400", "2400.00"),
        ("2400.50", "2400.50"),
        ("1 200,50", "1200.50"),
        ("1\u202f200,50", "1200.50"),
        ("1,200.50", "1200.50"),
        ("1.200,50", "1200.50"),
        ("1,200", "1200.00"),  # the chat's reading (flows.parsing): a thousands separator
    ],
)
def test_amounts_are_read_the_way_the_chat_reads_them(
    capsys: pytest.CaptureFixture[str], text: str, amount: str
) -> None:
    args = list(A12)
    args[args.index("--amount") + 1] = text
    assert run_json(capsys, *args)["principal"] == amount


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--amount", "deux mille"], "don't understand this amount"),
        (["--amount", "-5"], "greater than zero"),
        (["--amount", "12.345,678"], "amount"),
        (["--issued", "15/02/2025"], "YYYY-MM-DD"),
        (["--country", "de"], "invalid choice"),
        (["--contract-rate", "douze"], "not a rate"),
        (["--due", "2025-01-01"], "due date is before the invoice date"),
        (["--currency", "USD"], "EUR"),
    ],
)
def test_bad_arguments_get_one_clear_line_and_a_non_zero_exit(
    capsys: pytest.CaptureFixture[str], change: list[str], message: str
) -> None:
    args = list(A12)
    if change[0] in args:
        index = args.index(change[0])
        args[index + 1] = change[1]
    else:
        args += change
    assert main(args) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_missing_required_argument_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--country", "fr"]) == 2
    assert "required" in capsys.readouterr().err


def test_on_defaults_to_today(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, *A12[:-2])

    assert out["computed_on"] == today().isoformat()


def test_runs_as_a_module_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "rights", *A12, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == "10681.81"


def test_a_date_before_the_rate_tables_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--country", "be", "--debtor", "business", "--amount", "1000",
            "--issued", "2012-03-01", "--due", "2012-03-31", "--on", "2012-12-31"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert "no be_b2b_rate rate before 2013-01-01" in captured.err
    assert "Traceback" not in captured.err


def test_a_2023_belgian_consumer_debt_shows_5_25_percent_in_text_and_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 258 days at 5.25 %: 1000 x 0.0525 x 258/365 = 37.11 (see test_law_belgium).
    args = ["--country", "be", "--debtor", "consumer", "--amount", "1000",
            "--issued", "2023-03-01", "--due", "2023-03-31", "--on", "2023-12-31",
            "--demand", "2023-04-03", "--demand-channel", "email"]
    out = run_json(capsys, *args)
    assert out["interest"] == "37.11"
    assert out["provisional"] is False
    assert main(args) == 0
    assert "5,25" in capsys.readouterr().out


def test_insolvency_stops_interest_the_day_before_the_opening_judgment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Judgment 8 Jan 2025, published 10 Jan: interest up to 7 Jan = 204.81 (see
    # test_law_insolvency: 46 days at 14.25 % + 7 days at 13.15 % on 10 000).
    args = ["--country", "fr", "--debtor", "business", "--amount", "10000",
            "--issued", "2024-10-16", "--due", "2024-11-15", "--on", "2025-03-01",
            "--insolvency-published", "2025-01-10", "--insolvency-opened", "2025-01-08",
            "--outside-metropole"]
    out = run_json(capsys, *args)
    assert out["computed_on"] == "2025-01-07"
    assert out["interest"] == "204.81"
    assert out["insolvency"]["interest_until"] == "2025-01-07"
    # R622-24: 4 months from 10 Jan = Sat 10 May 2025, rolled to Mon 12 May.
    assert out["insolvency"]["proof_of_claim"]["last_day"] == "2025-05-10"
    assert out["insolvency"]["proof_of_claim"]["extended_to"] == "2025-05-12"
    assert main([*args, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "up to 7 January 2025, the day before the opening judgment" in text
    assert "L622-28" in text


def test_quebec_default_by_the_contract_term(capsys: pytest.CaptureFixture[str]) -> None:
    # 141 days at 5 % on 8 000 CAD = 154.52 (see test_law_quebec, C.c.Q. 1594).
    args = ["--country", "qc", "--debtor", "business", "--amount", "8000",
            "--issued", "2025-01-10", "--due", "2025-02-09", "--on", "2025-06-30",
            "--default-by-term"]
    out = run_json(capsys, *args)
    assert (out["interest"], out["total"]) == ("154.52", "8154.52")
    assert "1594" in out["interest_explanation"]["text"]
    assert "article 28" in out["indemnity_explanation"]["text"]
