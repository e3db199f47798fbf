"""The company register: numbers checked, its answer read, and a source that fails or is slow.

The register's answers come from the fake in testing/fake_registries.py, shaped like the public
documentation of https://recherche-entreprises.api.gouv.fr/docs/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from flows.company import Company, company_number, from_search, trader_by_form
from testing.fake_registries import (
    ACME,
    CLOSED,
    SCI,
    FakeRegisters,
    company,
)


@pytest.fixture(scope="module")
def registers() -> Iterator[FakeRegisters]:
    with FakeRegisters() as fake:
        yield fake


@pytest.fixture
def settings(registers: FakeRegisters, tmp_path: Path) -> Settings:
    return replace(Settings.from_env(), data_dir=tmp_path, lookups=True,
                   company_api_url=registers.company_url, bodacc_api_url=registers.bodacc_url)


@pytest.mark.parametrize(("typed", "country", "digits"), [
    ("812 345 676", "fr", "812345676"),  # SIREN with spaces
    ("812345676 00017", "fr", "81234567600017"),  # SIRET
    ("812.345.676", "fr", "812345676"),
    ("BE 0403.170.701", "be", "0403170701"),  # enterprise number, BE prefix and dots
    ("403170701", "be", "0403170701"),  # written without its leading 0
    ("1234567890", "qc", "1234567890"),  # a NEQ: ten digits
])
def test_a_valid_company_number_is_recognised(typed: str, country: str, digits: str) -> None:
    number = company_number(typed, country)
    assert number is not None
    assert number.digits == digits


@pytest.mark.parametrize(("typed", "country"), [
    ("812 345 677", "fr"),  # wrong check digit: a typo, not a SIREN
    ("ACME SAS", "fr"),
    ("12345", "fr"),
    ("0403.170.702", "be"),
    ("123456789", "qc"),
    ("８１２３４５６７６", "fr"),  # full-width digits are not typed numbers
])
def test_anything_else_is_not_taken_for_a_number(typed: str, country: str) -> None:
    assert company_number(typed, country) is None


def test_shown_numbers_are_grouped_as_printed() -> None:
    assert company_number("812345676", "fr").shown == "812 345 676"  # type: ignore[union-attr]
    assert company_number("81234567600017", "fr").shown == "812 345 676 00017"  # type: ignore[union-attr]
    assert company_number("0403170701", "be").shown == "0403.170.701"  # type: ignore[union-attr]


@pytest.mark.parametrize(("code", "verdict"), [
    ("5710", "trader"),  # SAS: commercial by form (C. com. L210-1)
    ("5499", "trader"),  # SARL
    ("5202", "trader"),  # SNC
    ("6540", "non_trader"),  # SCI: tribunal judiciaire
    ("9220", "non_trader"),  # association
    ("1000", ""),  # individual entrepreneur: trader, craftsman or liberal profession? asked
    ("7389", ""),  # a public body: asked
    ("", ""),
])
def test_the_legal_form_says_trader_or_not_only_when_it_settles_it(code: str,
                                                                   verdict: str) -> None:
    assert trader_by_form(code) == verdict


def test_the_register_answer_gives_name_registered_office_form_and_state() -> None:
    answer = {"results": [company(SCI, "SCI LES TILLEULS", "6540", "12 RUE DES LILAS",
                                  "75011", "PARIS"),
                          company(ACME, "ACME SOLUTIONS", "5710", "4 AVENUE FOCH", "69006",
                                  "LYON")]}
    number = company_number(ACME, "fr")
    assert number is not None
    assert from_search(answer, number) == Company(
        siren=ACME, name="ACME SOLUTIONS", address="4 AVENUE FOCH\n69006 LYON",
        legal_form="5710", trader="trader", active=True, closed_on=None)


def test_a_closed_company_says_since_when() -> None:
    answer = {"results": [company(CLOSED, "ANCIENNE SARL", "5499", "3 RUE BASSE", "13001",
                                  "MARSEILLE", state="C", closed="2025-06-30")]}
    found = from_search(answer, company_number(CLOSED, "fr"))  # type: ignore[arg-type]
    assert found is not None
    assert not found.active
    assert found.closed_on == date(2025, 6, 30)


def test_a_search_that_matched_other_companies_only_finds_nothing() -> None:
    answer = {"results": [company(SCI, "SCI LES TILLEULS", "6540", "1 RUE A", "75011",
                                  "PARIS")]}
    assert from_search(answer, company_number(ACME, "fr")) is None  # type: ignore[arg-type]
    assert from_search({"unexpected": True}, company_number(ACME, "fr")) is None  # type: ignore[arg-type]


def test_settings_name_the_sources_and_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMPAYES_LOOKUPS")
    monkeypatch.delenv("IMPAYES_COMPANY_API_URL", raising=False)
    monkeypatch.delenv("IMPAYES_BODACC_API_URL", raising=False)
    default = Settings.from_env()
    assert default.lookups
    assert not default.insolvency_watch  # the watch: off unless configured
    assert default.company_api_url == "https://recherche-entreprises.api.gouv.fr"
    assert default.bodacc_api_url == "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1"
    monkeypatch.setenv("IMPAYES_LOOKUPS", "off")
    monkeypatch.setenv("IMPAYES_COMPANY_API_URL", "http://mirror.example/companies")
    changed = Settings.from_env()
    assert not changed.lookups
    assert not changed.insolvency_watch
    monkeypatch.setenv("IMPAYES_LOOKUPS", "daily")
    changed = Settings.from_env()
    assert changed.lookups
    assert changed.insolvency_watch
    assert changed.company_api_url == "http://mirror.example/companies"
