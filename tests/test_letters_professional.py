"""Letters fit to send: what a reader of the documents checks (salutation, signature, wording,
the chronology's events, the page layout)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from flows.documents.catalog import jobs_for
from flows.documents.drawing import draw, render_html
from flows.documents.to_text import html_to_text
from flows.i18n import t
from flows.vocabulary import Remedy
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.documents_samples import SAMPLES, TODAY, with_remedy

PARIS = ZoneInfo("Europe/Paris")


def document_text(case_name: str, remedy: Remedy, kind: str, lang: str = "fr",
                  **answers: object) -> str:
    case = with_remedy(SAMPLES[case_name](), remedy)
    case.answers.update(answers)
    job = next(job for job in jobs_for(case, lang, TODAY) if job.kind == kind)
    return plain(html_to_text(render_html(job)))


def test_the_chronology_lists_the_case_events_not_the_bots_own() -> None:
    case = with_remedy(SAMPLES["fr_business"](), Remedy.FORMAL_DEMAND)
    when = datetime(2026, 11, 20, 9, 0, tzinfo=PARIS)
    case.log(when, "documents", remedy="formal_demand")
    case.log(when, "evidence", name="devis_signe.pdf")
    case.log(when, "note", text="Appel du client : paiement promis sous huit jours")
    job = next(job for job in jobs_for(case, "fr", TODAY) if job.kind == "chronology")
    text = plain(html_to_text(render_html(job)))
    assert "Appel du client : paiement promis sous huit jours" in text
    assert "Échéance de la facture" in text
    assert "Ouverture du dossier" not in text
    assert "Documents préparés" not in text
    assert "devis_signe.pdf" not in text


ATTENTION = "À l'attention de Monsieur Paul Durand, gérant\n4 avenue Foch\n69006 Lyon"


def test_a_letter_greets_the_debtors_contact_person_by_name() -> None:
    text = document_text("fr_business", Remedy.FORMAL_DEMAND, "demand_letter",
                         debtor_address=ATTENTION)
    assert "\nMonsieur Durand,\n" in text
    assert "Je vous prie d'agréer, Monsieur, l'expression de mes salutations distinguées." in text
    assert "Madame, Monsieur" not in text
    assert "À l'attention de Monsieur Paul Durand, gérant" in text  # in the address block
    english = document_text("fr_business", Remedy.FORMAL_DEMAND, "demand_letter", "en",
                            debtor_address=ATTENTION)
    assert "Dear Mr Durand," in english
    assert "Yours sincerely," in english


def test_a_letter_to_nobody_in_particular_says_madame_monsieur() -> None:
    text = document_text("fr_business", Remedy.FORMAL_DEMAND, "demand_letter")
    assert "\nMadame, Monsieur,\n" in text
    assert "Je vous prie d'agréer, Madame, Monsieur, l'expression" in text
    assert "Dear Sir or Madam," in document_text("fr_business", Remedy.FORMAL_DEMAND,
                                                 "demand_letter", "en")


def test_a_consumer_named_with_a_civility_is_greeted_so() -> None:
    text = document_text("fr_consumer", Remedy.PAYMENT_PLAN, "plan_letter",
                         debtor_name="Madame Sophie Lambert")
    assert "\nMadame Lambert,\n" in text
    assert "Je vous prie d'agréer, Madame, l'expression" in text


def test_the_signature_says_for_whom_and_who_signs_once() -> None:
    text = document_text("fr_business", Remedy.FORMAL_DEMAND, "demand_letter",
                         creditor_name="Atelier Bois Durable SARL",
                         signatory="Jeanne Martin, gérante")
    assert "Pour Atelier Bois Durable SARL,\nJeanne Martin, gérante" in text
    # A sole trader signing for themselves: one name, once, in every signature block.
    for remedy, kind in [(Remedy.FORMAL_DEMAND, "demand_letter"),
                         (Remedy.PAYMENT_PLAN, "plan_agreement")]:
        text = document_text("fr_business", remedy, kind, creditor_name="Marc Petit EI",
                             signatory="Marc Petit EI")
        assert "Pour Marc Petit EI" not in text
        assert "Marc Petit EI\nMarc Petit EI" not in text


def test_french_elides_de_before_a_name_starting_with_a_vowel() -> None:
    assert t("fr", "fu.step.check", debtor="ACME Rénovation SARL").startswith(
        "Des nouvelles d'ACME Rénovation SARL")
    assert t("fr", "fu.step.check", debtor="Bâtiments Peeters").startswith(
        "Des nouvelles de Bâtiments Peeters")
    script = document_text("be_business", Remedy.FRIENDLY_REMINDER, "phone_script",
                           signatory="Jeanne Martin, présidente")
    assert "présidente, d'Atelier Dubois SRL" in script


def test_the_small_claims_request_is_handed_to_a_commissaire_de_justice() -> None:
    text = document_text("fr_business", Remedy.COURT, "small_claims_request")
    assert "À remettre à un commissaire de justice du ressort" in text


def answer_until(d: Driver, overrides: dict[str, str], wanted: str) -> list[str]:
    """Answer as the French business case does (with ``overrides``; the first button where it
    has no answer) until ``wanted`` is asked; the questions asked on the way."""
    script = {**dict(FRENCH_BUSINESS_CASE), "completion_date": "10/09/2026", **overrides}
    asked = []
    for _ in range(60):
        asked.append(d.prompt.text)
        if d.prompt.key == wanted:
            return asked
        step = script.get(d.prompt.key)
        if step is None:
            d.press(d.prompt.buttons[0].value)
        else:
            d.answer(step)
    raise AssertionError(f"{wanted} never asked")


def test_no_reminder_sent_is_never_said_as_zero_reminders(driver: Callable[..., Driver]) -> None:
    d = driver()
    d.command("start")
    answer_until(d, {"reminders_sent": "press:0", "issue_date": "15/05/2026",
                     "due_date": "15/06/2026"}, "remedy")
    shown = "\n".join(message for reply in d.replies for message in reply.messages)
    shown += d.prompt.text
    assert "mise en demeure" in shown
    assert not re.search(r"\b0 relance", shown)


def test_questions_about_the_debtor_are_in_neutral_french(driver: Callable[..., Driver]) -> None:
    d = driver()
    d.command("start")
    d.press("fr")
    d.press("consumer")
    d.say("Sophie Lambert")
    questions = "\n".join(answer_until(
        d, {"debtor_address": "8 rue Victor Hugo\n33000 Bordeaux"}, "review"))
    assert "Votre client a-t-il déjà payé" in questions
    assert "Votre client conteste-t-il" in questions
    assert not re.search(r"Sophie Lambert [a-zéè]+-(?:t-)?il", questions)


def test_no_french_question_inverts_a_pronoun_after_the_debtors_name() -> None:
    """ "{debtor} a-t-il payé ?" reads "ACME SAS a-t-il" or "Sophie Lambert a-t-il": every
    French catalog message says "votre client" where it inverts the subject."""
    catalogs = Path(__file__).resolve().parent.parent / "templates" / "fr"
    inverted = re.compile(r"\{debtor\} [a-zéèêà]+-(?:t-)?(?:il|elle)\b")
    wrong = [f"{path.name}: {line.strip()}" for path in sorted(catalogs.glob("*.toml"))
             for line in path.read_text(encoding="utf-8").splitlines() if inverted.search(line)]
    assert wrong == []


def test_english_dates_have_one_format_whatever_the_country() -> None:
    quebec = document_text("qc_business", Remedy.FORMAL_DEMAND, "demand_letter", "en")
    assert "23 November 2026" in quebec
    assert not re.search(r"(?:January|February|March|April|May|June|July|August|September"
                         r"|October|November|December) \d{1,2}, \d{4}", quebec)


# The PDF as printed --------------------------------------------------------------------------
def demand_pdf(invoices: int, tmp_path: Path) -> list[str]:
    """The text of each page of the demand letter's PDF for ``invoices`` + 1 invoices."""
    case = with_remedy(SAMPLES["fr_business"](), Remedy.FORMAL_DEMAND)
    case.more_invoices = [
        {"invoice_number": f"F-2026-{100 + i}",
         "invoice_amount": {"amount": "980.00", "currency": "EUR"},
         "issue_date": "2026-08-01", "due_date": "2026-08-31",
         "paid_amount": {"amount": "0", "currency": "EUR"}} for i in range(invoices)]
    job = next(job for job in jobs_for(case, "fr", TODAY) if job.kind == "demand_letter")
    pdf = tmp_path / f"demand_{invoices}.pdf"
    pdf.write_bytes(next(data for name, data in draw(job).items() if name.endswith(".pdf")))
    return [plain(page.extract_text()) for page in PdfReader(str(pdf)).pages]


@pytest.mark.parametrize("invoices", [1, 2, 5, 8])
def test_the_printed_letter_keeps_tables_whole_and_ends_on_more_than_a_line(
        invoices: int, tmp_path: Path) -> None:
    pages = demand_pdf(invoices, tmp_path)
    for number, page in enumerate(pages[:-1], start=1):
        # The invoices table begins with its column heads and ends with its total: a page
        # that shows the heads after its last total left the table's end to the next page.
        tail = page.split("Principal restant dû")[-1]
        assert "Reste dû" not in tail, f"the table is cut at the foot of page {number}"
    last = [line for line in pages[-1].splitlines()
            if line.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", line)]
    assert len(last) >= 3, f"the last page holds only {last}"


def test_column_heads_break_between_words_only(tmp_path: Path) -> None:
    text = "\n".join(demand_pdf(1, tmp_path))
    for word in ("Facture", "Échéance", "Montant", "Période", "Fondement", "Jours"):
        assert re.search(rf"\b{word}\b", text), word
