"""Letters fit to send: what a reader of the documents checks (salutation, signature, wording,
the chronology's events, the page layout)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flows.documents.catalog import jobs_for
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.vocabulary import Remedy
from testing.driver import plain
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
