"""Quebec documents: the contract rate is asked per year and "2 % par mois" is understood (and
said back as 24 % a year); a formal demand gives at least 10 days (C.c.Q. 1595, reasonable
delay, 10 days by custom: LEGAL_FACTS D3); the small-claims application claims interest from
the default the demand brought only when a demand was sent, else from the filing, and says so.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.vocabulary import Remedy
from testing import forkserver
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.documents_samples import qc_business, with_remedy
from tests.followup_cases import DETAILS, asked, documents_out
from tests.pdf import pdf_text

QUEBEC = dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {
    "jurisdiction": "press:qc", "invoice_amount": "1 200,50 $",
    "qc_default_by_term": "press:no", "employees": "press:up_to_10",
    "creditor_address": "100 rue Sherbrooke\nMontréal QC H2X 1C3",
    "debtor_address": "5 rue Principale\nQuébec QC G1R 2B5", "deadline_days": "press:10",
    "creditor_id": "press:none"}


def document_text(d: Driver, kind: str) -> str:
    job = next(job for job in d.last.documents if job.kind == kind)
    return plain(html_to_text(render_html(job)))


def test_the_rate_is_asked_per_year_and_a_monthly_rate_is_converted_and_said_back() -> None:
    d = asked(QUEBEC, "contract_rate")
    assert "par an" in d.prompt.text
    assert "« 2 % par mois » est compris" in d.prompt.text
    d.say("2 % par mois")
    said = d.text_of_last()
    assert "2,00 % par mois, soit 24,00 % par an : je retiens ce taux annuel." in said
    assert "la Loi sur l'intérêt (art. 4) limite ce qui peut être réclamé à 5 % par an" in said
    assert d.case.text("contract_rate") == "24"
    assert d.prompt.key == "reminders_sent"  # accepted, on to the next question


def test_a_monthly_rate_in_english_and_a_rate_too_high_once_converted() -> None:
    d = asked(QUEBEC, "contract_rate", lang="en")
    assert "per year" in d.prompt.text
    d.say("9% a month")  # 108 % a year: refused with the reason, asked again
    assert "Type a yearly rate in percent" in d.text_of_last()
    assert d.prompt.key == "contract_rate"
    d.say("1.5% per month")
    assert "1.50% a month, that is 18.00% a year: I keep this yearly rate." in d.text_of_last()
    assert d.case.text("contract_rate") == "18.0"


def test_a_quebec_demand_gives_at_least_ten_days() -> None:
    d = asked(QUEBEC, "deadline_days")
    assert [b.value for b in d.prompt.buttons][:2] == ["10", "15"]
    d.say("8")
    said = d.text_of_last()
    assert "doit laisser un délai raisonnable (C.c.Q. 1595), d'usage au moins 10 jours" in said
    assert d.prompt.key == "deadline_days"
    d.press("10")
    documents_out(d, QUEBEC)
    letter = document_text(d, "demand_letter")
    assert "10 jours" in letter
    assert "8 jours" not in letter


def test_the_application_claims_interest_from_the_demand_that_was_sent() -> None:
    court = QUEBEC | {"remedy": "press:court"}
    d = asked(court, "demand_before_court")
    d.say("05/11/2026")
    documents_out(d, court)
    application = document_text(d, "qc_small_claims")
    assert ("à compter de la demeure, à l'expiration du délai fixé par la mise en demeure du "
            "5 novembre 2026") in application
    assert "dépôt de la présente demande" not in application


def test_without_a_demand_the_application_claims_interest_from_the_filing_and_says_so(
        tmp_path: Path) -> None:
    case = with_remedy(qc_business(), Remedy.COURT)
    # The operator's saved case: no formal demand was ever sent.
    case.answers |= {"qc_default_by_term": False, "demand_before_court": "none"}
    assert case.demand is None
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case.to_json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = forkserver.run(
        ["bot", "documents", "--case", str(path), "--out", str(out),
         "--on", "2026-11-23"], Path.cwd(), os.environ)
    assert result.returncode == 0, result.stderr
    application = next(p for p in out.glob("*.pdf") if "petites" in p.name)
    text = " ".join(plain(pdf_text(application)).split())
    assert ("à compter du dépôt de la présente demande, aucune mise en demeure n'ayant été "
            "envoyée auparavant") in text
    assert "à compter de la mise en demeure" not in text
