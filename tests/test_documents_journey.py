"""Every remedy, chosen in the chat, ends with its documents in their forms, after a review where
each detail they need was asked, shown and could be corrected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from flows.conversation import DocumentJob
from flows.model import Demand
from flows.vocabulary import Remedy
from testing.driver import FRENCH_BUSINESS_CASE, Driver

Make = Callable[..., Driver]

# What a user answers to each detail question, whichever remedy asks it.
DETAILS: dict[str, str] = {
    "creditor_name": "Jeanne Martin EI", "creditor_address": "12 rue des Lilas\n75011 Paris",
    "debtor_address": "4 avenue Foch\n69006 Lyon", "city": "Paris", "deadline_days": "press:8",
    "supply_description": "Refonte du site internet", "creditor_id": "732 829 320",
    "signatory": "press:self", "payment_details": "press:invoice",
    "last_reminder_date": "02/11/2026", "debtor_id": "press:unknown",
    "creditor_contact": "06 12 34 56 78", "suspend_what": "Maintenance du site",
    "suspend_from": "03/12/2026", "suspend_keep": "press:none", "restore_days": "press:2",
    "plan_count": "press:4", "plan_interval": "press:monthly",
    "plan_first_date": "15/12/2026",
    "rot_goods_list": "1 scie à format, n° 700-118", "rot_clause": "Article 9 de nos CGV",
    "mandate_plan": "press:yes", "creditor_is_person": "press:no", "review": "press:generate",
    "demand_before_court": "05/11/2026", "plan_waive": "press:no",
}
BEFORE_REMEDY = [step for step in FRENCH_BUSINESS_CASE[:FRENCH_BUSINESS_CASE.index(
    ("remedy", "press:formal_demand"))]]
EXPECTED: dict[Remedy, list[str]] = {
    Remedy.FRIENDLY_REMINDER: ["reminder_1", "reminder_2", "reminder_3", "phone_script"],
    Remedy.FORMAL_DEMAND: ["demand_letter"],
    Remedy.SUSPENSION: ["suspension_notice"],
    Remedy.PAYMENT_PLAN: ["plan_letter", "plan_agreement"],
    Remedy.RETENTION_OF_TITLE: ["rot_claim"],
    Remedy.COLLECTION_AGENCY: ["agency_brief"],
    # The debtor answers: the small-claims procedure first, the order for payment if refused.
    Remedy.COURT: ["small_claims_request", "injonction_request"],
}


def answer_until(d: Driver, answers: dict[str, str], stop: str) -> list[str]:
    """Answer whatever is asked from ``answers`` until ``stop`` is asked; the keys asked."""
    asked = []
    while d.prompt.key != stop:
        key = d.prompt.key
        assert key in answers, f"unexpected question {key!r}: {d.prompt.text}"
        asked.append(key)
        d.answer(answers[key])
    return asked


def to_remedy(d: Driver, remedy: Remedy) -> None:
    d.command("start")
    d.play(BEFORE_REMEDY)
    d.press(remedy.value)


def documents(d: Driver) -> list[DocumentJob]:
    return [job for reply in d.replies for job in reply.documents]


@pytest.mark.parametrize("remedy", list(EXPECTED))
def test_each_remedy_ends_with_its_documents_in_pdf_docx_and_text(driver: Make,
                                                                  remedy: Remedy) -> None:
    d = driver()
    to_remedy(d, remedy)
    answer_until(d, DETAILS, "review")
    d.press("generate")
    jobs = documents(d)
    assert [j.kind for j in jobs] == [*EXPECTED[remedy], "evidence_checklist", "chronology"]
    forms = {f for job in jobs for f in job.formats}
    assert forms == {"pdf", "docx", "txt"} or remedy in {Remedy.RETENTION_OF_TITLE,
                                                          Remedy.COURT}
    assert all({"pdf", "docx"} <= set(j.formats) for j in jobs if j.kind != "evidence_checklist")
    assert d.case.state == "followup"
    assert any("PDF" in m and "DOCX" in m for m in d.last.messages)


def test_payment_plan_asks_what_its_table_needs_and_nothing_else(driver: Make) -> None:
    d = driver()
    to_remedy(d, Remedy.PAYMENT_PLAN)
    asked = answer_until(d, DETAILS, "review")
    assert [k for k in asked if k.startswith("plan_")] == [
        "plan_count", "plan_first_date", "plan_interval", "plan_waive"]
    assert "deadline_days" not in asked
    assert "suspend_what" not in asked
    d.press("generate")
    plan: dict[str, Any] = documents(d)[0].context["plan"]
    assert len(plan["instalments"]) == 4
    assert plan["instalments"][0]["due"] == "2026-12-15"


def test_review_shows_the_document_details_and_lets_one_be_corrected(driver: Make) -> None:
    d = driver()
    to_remedy(d, Remedy.SUSPENSION)
    answer_until(d, DETAILS, "review")
    summary = d.text_of_last()
    assert "Prestations suspendues : Maintenance du site" in summary
    assert "Suspension à partir du : 3 décembre 2026" in summary
    assert "Maintenu : Rien : tout est suspendu" in summary
    assert "Signataire : Moi-même" in summary
    d.press("edit")
    d.press("suspend_what")
    d.say("Maintenance et hébergement")
    assert d.prompt.key == "review"
    assert "Prestations suspendues : Maintenance et hébergement" in d.text_of_last()
    d.press("generate")
    assert documents(d)[0].context["suspension"]["what"] == "Maintenance et hébergement"


def test_a_mistyped_siren_is_explained_and_asked_again(driver: Make) -> None:
    d = driver()
    to_remedy(d, Remedy.FORMAL_DEMAND)
    answer_until(d, DETAILS, "creditor_id")
    d.say("732 829 321")
    assert "SIREN" in d.text_of_last()
    assert d.prompt.key == "creditor_id"
    d.say("732 829 320")
    assert d.case.answers["creditor_id"] == "732 829 320"


def test_a_wrong_iban_is_caught_before_it_is_printed(driver: Make) -> None:
    d = driver(lang="en")
    to_remedy(d, Remedy.FORMAL_DEMAND)
    answer_until(d, DETAILS, "payment_details")
    d.say("IBAN FR76 3000 6000 0112 3456 7890 188")
    assert "IBAN FR76 3000 6000 0112 3456 7890 188 is not valid" in d.text_of_last()
    assert d.prompt.key == "payment_details"


def test_a_suspension_cannot_start_in_the_past(driver: Make) -> None:
    d = driver()
    to_remedy(d, Remedy.SUSPENSION)
    answer_until(d, DETAILS, "suspend_from")
    d.say("01/11/2026")
    assert "au plus tôt le 1er décembre 2026" in d.text_of_last()
    assert d.prompt.key == "suspend_from"


def test_the_formal_demand_is_remembered_for_the_interest_that_waits_for_it(
        driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    assert d.case.demand == Demand(date(2026, 11, 23), "formal_demand")


@pytest.mark.parametrize(("abroad", "last_day", "shown"), [
    ("press:no", "2027-01-05", "5 janvier 2027"),  # two months after the BODACC (R622-24)
    ("press:yes", "2027-03-05", "5 mars 2027"),  # outside metropolitan France: four months
])
def test_insolvency_claim_asks_for_the_proceedings_and_dates_the_deadline(
        driver: Make, abroad: str, last_day: str, shown: str) -> None:
    d = driver()
    d.command("start")
    facts = {**dict(BEFORE_REMEDY), "insolvency": "press:yes", "insolvency_date": "05/11/2026",
             "creditor_abroad": abroad}
    answer_until(d, facts, "remedy")
    d.press(Remedy.INSOLVENCY_CLAIM.value)
    insolvency = {"proceedings": "press:fr_reorganisation",
                  "insolvency_court": "Tribunal de commerce de Lyon",
                  "judgment_date": "28/10/2026", "mj_name": "Me Claire Roux",
                  "mj_address": "5 place Bellecour\n69002 Lyon"}
    asked = answer_until(d, {**DETAILS, **insolvency}, "review")
    assert {"proceedings", "insolvency_court", "judgment_date", "mj_name", "mj_address",
            "debtor_id", "creditor_contact"} <= set(asked)
    assert "admin_name" not in asked  # only a revendication goes to the administrator
    d.press("generate")
    jobs = documents(d)
    assert [j.kind for j in jobs] == ["proof_of_claim", "evidence_checklist", "chronology"]
    deadline = jobs[0].context["insolvency"]["deadlines"]["proof_of_claim"]["last_day"]
    assert deadline == last_day
    assert shown in " ".join(d.last.messages)
    # The judgment of 28 Oct takes effect from its first hour: interest up to 27 Oct (L622-28).
    assert jobs[0].context["insolvency"]["at_opening"]["on"] == "2026-10-27"


def test_a_note_taken_in_the_chat_is_dated_in_the_chronology(driver: Make) -> None:
    d = driver()
    to_remedy(d, Remedy.FORMAL_DEMAND)
    d.command("note", "appelé le 12/10, il promet de payer vendredi")
    answer_until(d, DETAILS, "review")
    d.press("generate")
    chronology = documents(d)[0].context["chronology"]
    assert {"date": "2026-11-23",
            "text": "Note : appelé le 12/10, il promet de payer vendredi"} in chronology


def test_typed_numbers_are_values_not_button_positions(driver: Make) -> None:
    # "2" to "how many reminders?" was read as the 2nd button ("Une"); "5" instalments was
    # read as the 5th button ("10"). A typed number that can be the value is that value.
    d = driver()
    d.command("start")
    typed = [("reminders_sent", "2") if step == ("reminders_sent", "press:1") else step
             for step in BEFORE_REMEDY]
    d.play(typed)
    d.press(Remedy.PAYMENT_PLAN.value)
    answer_until(d, {**DETAILS, "plan_count": "5"}, "review")
    recap = d.text_of_last()
    assert "Relances envoyées : 2" in recap
    assert "Échéances : 5" in recap
    d.press("generate")
    plan: dict[str, Any] = documents(d)[0].context["plan"]
    assert len(plan["instalments"]) == 5
    assert d.case.answers["reminders_sent"] == "2"


def test_other_number_button_asks_for_the_count_to_be_typed(driver: Make) -> None:
    d = driver()
    to_remedy(d, Remedy.PAYMENT_PLAN)
    answer_until(d, DETAILS, "plan_count")
    assert d.prompt.buttons[-2].label == "Autre nombre"  # the last is ↩️ back
    d.press_label("Autre nombre")
    assert "Écrivez le nombre" in d.last.messages[0]
    assert d.prompt.key == "plan_count"
    d.say("25")  # two years of monthly payments at most
    assert d.last.messages[0] == ("Un échéancier compte de 2 à 24 échéances. Écrivez un nombre "
                                  "entre 2 et 24, par exemple 6.")
    d.say("1")
    assert "de 2 à 24 échéances" in d.last.messages[0]
    assert d.prompt.key == "plan_count"
    d.say("7")
    assert d.case.answers["plan_count"] == "7"
    assert d.prompt.key == "plan_first_date"


def test_a_suspension_starts_at_least_8_days_after_the_notice(driver: Make) -> None:
    # The notice goes out on 23/11/2026: 23 + 8 = 1 December is the first day allowed.
    d = driver()
    to_remedy(d, Remedy.SUSPENSION)
    answer_until(d, DETAILS, "suspend_from")
    d.say("23/11/2026")  # today: refused, with the reason and the first day allowed
    said = d.text_of_last()
    assert "au moins 8 jours après l'envoi de l'avis" in said
    assert "au plus tôt le 1er décembre 2026" in said
    assert d.prompt.key == "suspend_from"
    d.say("30/11/2026")
    assert d.prompt.key == "suspend_from"
    d.say("01/12/2026")
    assert d.prompt.key != "suspend_from"
    assert d.case.answers["suspend_from"] == "2026-12-01"
