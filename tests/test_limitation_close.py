"""Weeks before a claim is time-barred, the bot names only the acts that stop the clock in time —
a summons served by a commissaire de justice (a huissier de justice in Belgium and Quebec) or
an acknowledgement signed by the debtor, which it drafts — and says why the small-claims
procedure and the order for payment would come too late.

Worked example (France, between traders): invoice of 10 December 2021, 5 years (C. com.
L110-4) counted from the invoice date → last day 10 December 2026. On 23 November 2026 that is
30 (November) − 23 + 10 = 17 days away, under the 90 days of ``data/remedies.toml``.
"""

from __future__ import annotations

from datetime import datetime

from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.followup.timeline import StepKind, timeline
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.followup_cases import DETAILS, NOW, PARIS, asked, documents_out

OLD_INVOICE = {"issue_date": "10/12/2021", "due_date": "10/01/2022"}
FRENCH = dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | OLD_INVOICE


def to_remedy(answers: dict[str, str], lang: str = "fr", now: datetime = NOW) -> Driver:
    return asked(answers, "remedy", lang, now)


def recommendation(d: Driver) -> str:
    return plain(next(m for m in reversed(d.last.messages) if "1. " in m))


def test_17_days_before_the_end_only_a_served_summons_or_a_signed_acknowledgement() -> None:
    d = to_remedy(FRENCH)
    said = recommendation(d)
    picked = [line for line in said.splitlines() if line[:2] in {"1.", "2.", "3."}]
    assert len(picked) == 1
    assert picked[0].startswith("1. Action en justice")
    assert "La prescription tombe le 10 décembre 2026, dans 17 jours" in said
    assert "assignation en justice signifiée au débiteur par un commissaire de justice" in said
    assert "(C. civ. 2241)" in said
    assert "reconnaissance de dette signée par le débiteur (C. civ. 2240)" in said
    assert ("ne suspend le délai qu'une fois que le débiteur accepte d'y participer "
            "(C. civ. 2238)") in said
    assert ("une injonction de payer ne l'interrompt qu'à la signification de l'ordonnance, "
            "pas au dépôt de la requête") in said
    # What does not stop the clock is ruled out, and the small claims are never "to stop it".
    assert "✗ Mise en demeure — N'arrête pas la prescription" in said
    assert "Agissez maintenant : Procédure simplifiée" not in said
    assert d.prompt.buttons[0].value == "court"


def test_the_court_documents_are_the_acknowledgement_and_the_brief_to_serve_in_time() -> None:
    d = to_remedy(FRENCH)
    d.press("court")
    documents_out(d, FRENCH)
    kinds = [job.kind for job in d.last.documents]
    assert kinds[:2] == ["debt_acknowledgement", "lawyer_brief"]
    assert "injonction_request" not in kinds
    assert "small_claims_request" not in kinds
    advice = d.text_of_last()
    assert "La prescription tombe le 10 décembre 2026" in advice
    assert "assignation soit signifiée au débiteur avant cette date" in advice
    acknowledgement = next(j for j in d.last.documents if j.kind == "debt_acknowledgement")
    text = plain(html_to_text(render_html(acknowledgement)))
    assert "Reconnaissance de dette" in text
    assert "reconnais devoir à" in text
    assert "Jeanne Martin EI" in text
    assert "ACME Rénovation SARL" in text
    assert "Bon pour reconnaissance de dette de la somme de" in text  # C. civ. 1376
    assert "interrompt la prescription de cette créance (article 2240 du Code civil)" in text
    brief = next(j for j in d.last.documents if j.kind == "lawyer_brief")
    assert "Urgent : la prescription tombe le 10 décembre 2026" in plain(
        html_to_text(render_html(brief)))
    # One next check a week on (served? signed?), never "has the judge ruled" after the end.
    steps = timeline(d.case)
    assert not any(s.kind is StepKind.COURT_CHECK for s in steps)
    checks = [s.day.isoformat() for s in steps if s.kind is StepKind.CHECK]
    assert checks == ["2026-11-30"]


def test_belgium_names_the_huissier_and_the_old_civil_code() -> None:
    # Periodic billing: 5 years (old C. civ. 2277) from 10/12/2021 → 10 December 2026.
    belgian = dict(FRENCH) | {"jurisdiction": "press:be", "periodic_billing": "press:yes",
                              "creditor_id": "0403.170.701",
                              "creditor_address": "Rue Royale 45\n1000 Bruxelles",
                              "debtor_address": "Rue Neuve 3\n4000 Liège"}
    said = recommendation(to_remedy(belgian))
    assert "citation en justice signifiée au débiteur par un huissier de justice" in said
    assert "(anc. C. civ. 2244 §1)" in said
    assert "(anc. C. civ. 2248)" in said


def test_quebec_in_english_cites_2892_and_2898() -> None:
    # 3 years (C.c.Q. 2925) from 10/12/2023 → 10 December 2026.
    quebec = dict(FRENCH) | {"jurisdiction": "press:qc", "invoice_amount": "1 200,50 $",
                             "issue_date": "10/12/2023", "due_date": "10/01/2024",
                             "qc_default_by_term": "press:yes", "employees": "press:up_to_10",
                             "creditor_address": "100 rue Sherbrooke\nMontréal QC H2X 1C3",
                             "debtor_address": "5 rue Principale\nQuébec QC G1R 2B5"}
    said = recommendation(to_remedy(quebec, lang="en", now=datetime(2026, 11, 23, 10,
                                                                    tzinfo=PARIS)))
    assert "served on the debtor by a huissier de justice (C.c.Q. 2892)" in said
    assert "acknowledgement of the debt signed by the debtor (C.c.Q. 2898)" in said
    assert "The limitation period ends on 10 December 2026, in 17 days." in said
