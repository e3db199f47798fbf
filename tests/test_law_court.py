"""Which French court, named for the debtor: trader or not, and the debtor's postcode
(issue 12, item 8)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli_rights import main
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.law import RouteKind
from flows.law.from_case import postcode_and_town
from flows.vocabulary import Jurisdiction
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.followup_cases import DOCUMENT_ANSWERS
from tests.law_cases import rights

FR = Jurisdiction.FRANCE
ON = "2025-09-15"


def order_for_payment(**facts: object) -> tuple[str, str, list[str]]:
    r = rights(FR, "2400", "2025-04-15", "2025-05-15", ON, **facts)
    route = r.route(RouteKind.ORDER_FOR_PAYMENT)
    return route.court.key, route.form, [n.key for n in route.notes]


def test_a_non_trader_goes_to_the_tribunal_judiciaire_with_cerfa_12948() -> None:
    key, form, notes = order_for_payment(debtor_trader=False, debtor_town="Lyon",
                                         debtor_postcode="69006")
    assert key == "law.court.fr.judicial_of_town"
    assert form == "12948"
    assert "law.court.fr.assumed_judicial" in notes


@pytest.mark.parametrize(
    ("postcode", "town", "court", "assumed"),
    [
        # In a pilot city: its tribunal des activités économiques, from the postcode.
        ("69006", "Lyon", "law.court.fr.tae_of", "law.court.fr.assumed_tae"),
        ("92100", "Boulogne-Billancourt", "law.court.fr.tae_of", "law.court.fr.assumed_tae"),
        # Same département as a TAE, other town: named both ways, with a check to make.
        ("69100", "Villeurbanne", "law.court.fr.commercial_or_tae_of",
         "law.court.fr.assumed_department"),
        # Elsewhere: the commercial court of the debtor's town, said to be an assumption.
        ("33000", "Bordeaux", "law.court.fr.commercial_of_town", "law.court.fr.assumed_town"),
    ],
)
def test_a_trader_goes_to_the_commercial_court_of_its_seat_named_for_its_postcode(
    postcode: str, town: str, court: str, assumed: str
) -> None:
    key, form, notes = order_for_payment(debtor_trader=True, debtor_postcode=postcode,
                                         debtor_town=town)
    assert (key, form) == (court, "12946")
    assert assumed in notes


def test_the_tae_is_named_with_its_city() -> None:
    r = rights(FR, "2400", "2025-04-15", "2025-05-15", ON, debtor_trader=True,
               debtor_postcode="75011", debtor_town="Paris")
    assert r.route(RouteKind.ORDER_FOR_PAYMENT).court.param("city") == "Paris"


def test_before_the_pilot_no_tae_is_named() -> None:
    r = rights(FR, "2400", "2024-04-15", "2024-05-15", "2024-09-15", debtor_trader=True,
               debtor_postcode="69006", debtor_town="Lyon")
    assert r.route(RouteKind.ORDER_FOR_PAYMENT).court.key == "law.court.fr.commercial_of_town"


def test_address_lines_give_postcode_and_town() -> None:
    assert postcode_and_town("4 avenue Foch\n69006 Lyon") == ("69006", "Lyon")
    assert postcode_and_town("BP 12\n75011 PARIS CEDEX 11\nFrance") == ("75011", "PARIS CEDEX 11")
    assert postcode_and_town("somewhere") == ("", "")


def test_calculator_names_the_court(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--country", "fr", "--debtor", "business", "--amount", "2400", "--issued",
            "2025-04-15", "--due", "2025-05-15", "--on", ON]
    assert main([*args, "--non-trader", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    route = next(r for r in out["routes"] if r["kind"] == "order_for_payment")
    assert route["form"] == "12948"
    assert route["court"]["text"].startswith("tribunal judiciaire")
    assert main([*args, "--trader", "--debtor-postcode", "69006", "--debtor-town", "Lyon",
                 "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "economic activities court (tribunal des activités économiques) of Lyon" in text
    assert "Cerfa no. 12946" in text
    assert "Auxerre" not in text  # no list of the twelve pilot cities once the seat is known


def _court_case(trader: str, person: bool) -> Driver:
    d = Driver(now=datetime(2025, 9, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris")))
    d.command("start")
    answers = {**dict(FRENCH_BUSINESS_CASE), **DOCUMENT_ANSWERS,
               "issue_date": "15/04/2025", "due_date": "15/05/2025",
               "debtor_trader": f"press:{trader}", "remedy": "press:court",
               "debtor_address": "4 avenue Foch\n69006 Lyon",
               "last_reminder_date": "02/06/2025", "demand_before_court": "02/07/2025",
               "creditor_is_person": "press:yes" if person else "press:no",
               "creditor_profession": "Architecte", "creditor_nationality": "française",
               "creditor_birth": "12/03/1980 à Lyon"}
    while d.case.state != "followup":
        d.answer(answers[d.prompt.key])
    return d


def _request_text(d: Driver) -> str:
    (job,) = [job for reply in d.replies for job in reply.documents
              if job.kind == "injonction_request"]
    return plain(html_to_text(render_html(job)))


def test_chat_asks_if_the_debtor_trades_and_the_request_names_the_tae() -> None:
    d = _court_case("trader", person=False)
    assert "debtor_trader" in d.answers()
    text = _request_text(d)
    assert "Cerfa n° 12946" in text
    assert "tribunal des activités économiques de Lyon" in text
    assert "Auxerre" not in text
    assert "né(e) le" not in text  # a company: no CPC 57 identity
    assert "creditor_birth" not in d.answers()


def test_chat_sends_a_non_trader_to_the_tribunal_judiciaire_with_the_creditor_identity() -> None:
    d = _court_case("non_trader", person=True)
    text = _request_text(d)
    assert "Cerfa n° 12948" in text
    assert "tribunal judiciaire dont relève Lyon" in text
    assert "profession : Architecte ; nationalité : française ; né(e) le 12/03/1980 à Lyon" in text
