"""The journey through the turn API: order of questions, corrections, bad input, languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flows.conversation import Role
from flows.i18n import t
from testing.driver import FRENCH_BUSINESS_CASE, Driver

Make = Callable[..., Driver]


def test_start_asks_jurisdiction_first_in_french_by_default(driver: Make) -> None:
    d = driver()
    d.command("start")
    assert "Bonjour" in d.last.messages[0]
    assert d.prompt.key == "jurisdiction"
    assert [b.value for b in d.prompt.buttons] == ["fr", "be", "qc"]


def test_whole_journey_reaches_documents_and_follow_up(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    kinds = [job.kind for reply in d.replies for job in reply.documents]
    assert kinds == ["demand_letter", "evidence_checklist", "chronology"]
    assert d.case.state == "followup"
    assert d.prompt.key == "outcome"
    assert "2 décembre 2026" in d.prompt.text  # 23/11 + 8 days, checked the day after


def test_rights_step_shows_balance_and_days_late(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="rights_ack")
    shown = d.rights_in_full()
    assert "1 200,50" in shown
    assert "39 jours" in shown  # 15/10/2026 → 23/11/2026


def test_bad_amount_gets_clear_error_and_same_question(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="invoice_amount")
    before = d.answers()
    d.say("douze cents")
    assert d.last.messages == [t("fr", "error.amount_format")]
    assert d.prompt.key == "invoice_amount"
    assert d.answers() == before


def test_impossible_date_is_explained_in_english(driver: Make) -> None:
    d = driver(lang="en")
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="issue_date")
    d.say("31/02/2026")
    assert "only 28 days" in d.last.messages[0]
    assert d.prompt.key == "issue_date"
    assert d.answers()["debtor_name"] == "ACME Rénovation SARL"


def test_due_date_before_issue_date_is_refused(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="due_date")
    d.say("01/09/2026")
    assert "15 septembre 2026" in d.last.messages[0]
    assert d.prompt.key == "due_date"


def test_invoice_older_than_the_rate_tables_is_refused_with_a_second_chance(
    driver: Make,
) -> None:
    # The tables start on 1 Jan 2013; an invoice of 2012 would borrow a later rate: refused,
    # the question asked again, nothing already entered lost.
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="issue_date")
    before = d.answers()
    d.say("15/12/2012")
    assert "1er janvier 2013" in d.last.messages[0]
    assert "avocat" in d.last.messages[0]
    assert d.prompt.key == "issue_date"
    assert d.answers() == before


@pytest.mark.parametrize("text", ["x" * 4000, "🙂🙂🙂", "{{ 7*7 }}", "\x00\x07", "   "])
def test_odd_text_never_breaks_a_choice_question(driver: Make, text: str) -> None:
    d = driver()
    d.command("start")
    d.say(text)
    assert d.prompt.key == "jurisdiction"
    assert d.last.messages


def test_template_code_in_a_company_name_is_kept_as_plain_text(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    d.say("{{ 7*7 }} SARL")
    assert d.answers()["debtor_name"] == "{{ 7*7 }} SARL"
    d.play(FRENCH_BUSINESS_CASE[3:], until="supply")
    assert "{{ 7*7 }} SARL" in d.text_of_last()


def test_back_button_re_asks_previous_question_and_keeps_answers(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="issue_date")
    d.press("", role=Role.BACK)
    assert d.prompt.key == "invoice_amount"
    assert "1 200,50" in d.text_of_last()  # shows the current answer
    d.say("1 300")
    assert d.prompt.key == "issue_date"
    assert d.answers()["invoice_amount"]["amount"] == "1300.00"


def test_stale_button_gets_a_polite_notice_and_changes_nothing(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.press("fr")
    before = d.answers()
    d.press("be", key="jurisdiction")  # the jurisdiction keyboard pressed again
    assert d.last.notice == t("fr", "notice.stale")
    assert d.answers() == before
    assert not d.last.changed


def test_correcting_the_amount_from_review_shows_new_figures(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="review")
    d.press("edit")
    d.press("invoice_amount", key="edit_pick")
    d.say("2 000")
    assert "2 000,00" in d.text_of_last()
    assert d.prompt.key == "rights_ack"
    d.press("continue")
    assert d.prompt.key == "review"
    assert "2 000,00" in d.text_of_last()


def test_two_invoices_are_both_claimed(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="another_invoice")
    d.press("yes")
    assert d.prompt.key == "invoice_number"
    d.play([("invoice_number", "F-2026-050"), ("invoice_amount", "800"),
            ("issue_date", "01/10/2026"), ("due_date", "31/10/2026"),
            ("payments", "press:nothing"), ("another_invoice", "press:no")])
    assert [i.number for i in d.case.invoices()] == ["F-2026-042", "F-2026-050"]
    assert str(d.case.total_balance().amount) == "2000.50"


def test_language_switch_translates_the_current_question(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.command("language", "en")
    assert d.account.lang == "en"
    assert d.prompt.text == t("en", "q.jurisdiction")


def test_cancel_sets_case_aside_and_resume_brings_it_back(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="invoice_amount")
    d.command("cancel")
    assert d.account.current is None
    d.say("hello")
    assert "/new" in d.last.messages[0]
    d.command("resume")
    assert d.prompt.key == "invoice_amount"


def test_paid_outcome_closes_the_case(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    d.press("paid")
    assert d.case.state == "closed"


def test_partial_payment_updates_the_balance(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    d.press("partly")
    assert d.prompt.key == "partial_payment"
    d.say("200,50")
    assert "1 000,00" in d.text_of_last()
    assert d.prompt.key == "outcome"


def test_still_unpaid_opens_the_next_remedy_for_review(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    d.press("unpaid")
    assert d.case.answers["remedy"] == "court"  # after the formal demand, the court
    assert d.prompt.key == "creditor_is_person"  # CPC 57: a natural person gives more details
    d.press("no")
    assert d.prompt.key == "debtor_id"  # what the court request adds, then the review
    d.press("unknown")
    d.press("none")  # no contact details for the court
    assert d.prompt.key == "review"
    assert d.case.tried == ["formal_demand"]


def test_amount_in_another_currency_is_refused_with_the_right_one_named(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play([("jurisdiction", "press:qc"), *FRENCH_BUSINESS_CASE[1:]], until="invoice_amount")
    d.say("1 500 €")
    assert "CAD" in d.last.messages[0]
    assert d.prompt.key == "invoice_amount"
    d.say("1 500 $")
    assert d.case.money("invoice_amount") is not None


def test_changing_the_country_asks_the_amount_again_in_its_currency(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="review")
    d.press("edit")
    d.press("jurisdiction", key="edit_pick")
    d.press("qc")
    assert d.prompt.key == "invoice_amount"
    d.say("1 500")
    assert d.case.money("invoice_amount").currency == "CAD"


QUEBEC_CASE = [
    ("jurisdiction", "press:qc"), ("debtor_kind", "press:business"),
    ("debtor_name", "Rénovations Tremblay inc."), ("invoice_number", "Q-2026-9"),
    ("invoice_amount", "1 500 $"), ("issue_date", "15/09/2026"), ("due_date", "15/10/2026"),
    ("payments", "press:nothing"), ("another_invoice", "press:no"),
    ("supply", "press:services"), ("contract_rate", "press:none"), ("reminders_sent", "press:1"),
    ("qc_default_by_term", "press:yes"), ("employees", "press:up_to_10"),
]


def test_quebec_says_taxes_incluses_and_counts_interest_from_a_contractual_due_date(
    driver: Make,
) -> None:
    # The contract puts the debtor in default by the lapse of the term (C.c.Q. 1594): interest
    # from 16 Oct to 23 Nov 2026 = 39 days at 5 %: 1500 x 0.05 x 39/365 = 8.014 -> 8.01.
    d = driver()
    d.command("start")
    d.play(QUEBEC_CASE, until="invoice_amount")
    assert "taxes incluses" in d.prompt.text
    assert "TTC" not in d.prompt.text
    d.play(QUEBEC_CASE[4:], until=None)
    assert d.prompt.key == "rights_ack"
    shown = d.rights_in_full()
    assert "8,01" in shown
    assert "1594" in shown
    assert "article 28 de la Loi sur l'administration fiscale" in shown
