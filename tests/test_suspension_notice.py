"""Suspending the services (issue 13, item 3): the notice comes after a formal demand left
unanswered and names it, suspends only the services linked to the unpaid invoice, and takes
effect no sooner than 8 days after it is sent.

Played through the journey as a user would (``testing.driver``), the clock moved between the
demand and the notice; the notice is drawn as the real PDF and read back with pdftotext.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.files import write_all
from flows.conversation import DocumentJob
from flows.documents.catalog import jobs_for
from flows.documents.drawing import draw
from flows.vocabulary import Remedy
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.documents_samples import SAMPLES, TODAY, with_remedy
from tests.followup_cases import NOW, press_reminder, reminder
from tests.pdf import pdf_text

BEFORE_REMEDY = [("services_running", "press:yes") if key == "services_running" else (key, step)
                 for key, step in FRENCH_BUSINESS_CASE[:FRENCH_BUSINESS_CASE.index(
                     ("remedy", "press:formal_demand"))]]
DETAILS = {
    "creditor_name": "Jeanne Martin EI", "creditor_address": "12 rue des Lilas\n75011 Paris",
    "debtor_address": "4 avenue Foch\n69006 Lyon", "city": "Paris", "deadline_days": "press:8",
    "supply_description": "Refonte du site internet", "creditor_id": "732 829 320",
    "signatory": "press:self", "payment_details": "press:invoice",
    "last_reminder_date": "02/11/2026",
    "suspend_what": "Maintenance du site et nouvelles évolutions",
    "suspend_keep": "Hébergement du site", "restore_days": "press:2",
}


def answer_until(d: Driver, stop: str) -> None:
    while d.prompt.key != stop:
        assert d.prompt.key in DETAILS, f"unexpected question {d.prompt.key!r}"
        d.answer(DETAILS[d.prompt.key])


def notice_text(d: Driver, tmp_path: Path) -> str:
    jobs: list[DocumentJob] = [j for reply in d.replies for j in reply.documents
                               if j.kind == "suspension_notice"]
    assert len(jobs) == 1
    files = write_all(tmp_path, draw(jobs[0]))
    return plain(pdf_text(next(p for p in files if p.suffix == ".pdf")))


def suspension_chosen(d: Driver) -> None:
    d.command("start")
    d.play(BEFORE_REMEDY)
    d.press(Remedy.SUSPENSION.value)


def test_the_notice_names_the_demand_sent_and_only_the_linked_services(tmp_path: Path) -> None:
    d = Driver(now=NOW)  # 23 November 2026
    suspension_chosen(d)
    assert d.prompt.key == "demand_before_court"  # asked before the notice's details
    d.say("05/11/2026")
    answer_until(d, "suspend_from")
    d.say("23/11/2026")  # effective today: refused with the reason and the first day allowed
    said = d.text_of_last()
    assert "au moins 8 jours après l'envoi de l'avis" in said
    assert "au plus tôt le 1er décembre 2026" in said
    assert d.prompt.key == "suspend_from"
    d.say("01/12/2026")
    answer_until(d, "review")
    d.press("generate")
    text = notice_text(d, tmp_path)
    # A demand the user sent: its date, and no claim about what it said.
    assert ("Par ma mise en demeure du 5 novembre 2026, je vous ai demandé de régler cette "
            "facture. Cette mise en demeure est restée sans effet.") in text
    # Proportionate: only the services linked to the unpaid invoice, named; nothing else.
    assert ("les seules prestations liées à la facture n° F-2026-042 du 15 septembre 2026, "
            "impayée : • Maintenance du site et nouvelles évolutions") in text
    assert "aucune autre prestation n'est suspendue" in text
    assert "Hébergement du site" in text
    assert "l'ensemble de mes prestations" not in text
    assert "articles 1219 et 1220 du Code civil" in text
    assert "avant le 1er décembre 2026" in text


def test_without_a_demand_the_demand_comes_first_then_the_notice_cites_it(
        tmp_path: Path) -> None:
    d = Driver(now=NOW)
    suspension_chosen(d)
    d.press("none")  # no formal demand sent yet
    said = d.text_of_last()
    assert "je la prépare d'abord, avant l'avis de suspension" in said
    assert "C. civ. 1219-1220" in said
    assert d.case.answers["remedy"] == Remedy.FORMAL_DEMAND.value
    answer_until(d, "review")
    d.press("generate")
    demand = [j for r in d.replies for j in r.documents if j.kind == "demand_letter"]
    assert demand, "the formal demand is drafted first"
    # The demand gave 8 days (to 1 December); its follow-up asks on 2 December.
    d.now = NOW + timedelta(days=9)
    press_reminder(d, "unpaid", reminder(d, "demand_ended"))
    assert d.case.answers["remedy"] == Remedy.SUSPENSION.value  # back to the notice, not court
    answer_until(d, "suspend_from")
    assert d.prompt.key == "suspend_from"  # no second question about the demand
    d.say("02/12/2026")  # the notice goes out today, 2 December: 8 days are needed
    assert "au plus tôt le 10 décembre 2026" in d.text_of_last()
    d.say("10/12/2026")
    answer_until(d, "review")
    d.press("generate")
    text = notice_text(d, tmp_path)
    # The demand drawn up by the bot reserved the suspension: the notice can say so.
    assert ("Par ma mise en demeure du 23 novembre 2026, je vous ai demandé de régler cette "
            "facture et averti qu'à défaut je suspendrais mes prestations") in text
    assert "avant le 10 décembre 2026" in text


def test_the_demand_that_preceded_a_suspension_leads_to_court_after_it() -> None:
    d = Driver(now=NOW)
    suspension_chosen(d)
    d.say("05/11/2026")
    answer_until(d, "suspend_from")
    d.say("01/12/2026")
    answer_until(d, "review")
    d.press("generate")
    d.now = datetime(2026, 12, 8, 9, 0, tzinfo=NOW.tzinfo)
    press_reminder(d, "unpaid", reminder(d, "check"))
    assert d.case.answers["remedy"] == Remedy.COURT.value  # not another formal demand


@pytest.mark.parametrize(("sample", "lang", "said"), [
    ("fr_business", "en", ["By my formal demand of 5 November 2026",
                           "only the services linked to the unpaid invoices no. F-2026-031, "
                           "F-2026-042", "no other service is suspended",
                           "Articles 1219 and 1220 of the French Civil Code"]),
    ("be_business", "fr", ["Par ma mise en demeure du 5 novembre 2026",
                           "les seules prestations liées à la facture n° 2026/0311",
                           "aucune autre prestation n'est suspendue",
                           "de bonne foi et en proportion de ce manquement",
                           "exception d'inexécution, que le Code civil consacre depuis le 1er "
                           "janvier 2023 (livre 5 « Les obligations »)"]),
    ("be_business", "en", ["By my formal demand of 5 November 2026",
                           "in good faith and in proportion to that failure",
                           "which the Civil Code has laid down since 1 January 2023 (Book 5, on "
                           "obligations)"]),
    ("qc_business", "fr", ["Par ma mise en demeure du 5 novembre 2026",
                           "les seules prestations liées à la facture n°",
                           "l'article 1591 du Code civil du Québec"]),
    ("qc_business", "en", ["By my formal demand of 5 November 2026",
                           "Article 1591 of the Civil Code of Québec"]),
])
def test_every_country_and_language_names_the_demand_and_the_ground(
        tmp_path: Path, sample: str, lang: str, said: list[str]) -> None:
    case = with_remedy(SAMPLES[sample](), Remedy.SUSPENSION)
    case.answers["services_running"] = True
    case.answers["demand_before_court"] = "2026-11-05"
    job = next(j for j in jobs_for(case, lang, TODAY) if j.kind == "suspension_notice")
    files = write_all(tmp_path, draw(job))
    text = plain(pdf_text(next(p for p in files if p.suffix == ".pdf")))
    for words in said:
        assert words in text
    assert "ensemble de mes prestations" not in text
    assert "all my services" not in text
