"""Each country's own words: Belgium says TVAC, huissier de justice, faillite and réorganisation
judiciaire; Quebec taxes incluses and huissier de justice; France TTC and commissaire de
justice — in the questions and in the documents, never another country's word."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from flows.documents.catalog import jobs_for
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.vocabulary import Remedy
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.documents_samples import REMEDIES_FOR, SAMPLES, TODAY, with_remedy

Make = Callable[..., Driver]

# The words of one country that must never appear in another's French documents.
FOREIGN = {
    "fr": re.compile(r"\bTVAC\b|taxes incluses|huissier"),
    "be": re.compile(r"\bTTC\b|taxes incluses|commissaire de justice|redressement judiciaire"
                     r"|\bhuissier\b(?! de justice)"),
    "qc": re.compile(r"\bTTC\b|\bTVAC\b|commissaire de justice|\bhuissier\b(?! de justice)"),
}
OWN_TAX_WORD = {"fr": "TTC", "be": "TVAC", "qc": "taxes incluses"}


def french_documents(sample: str) -> dict[str, str]:
    """Every French document of every remedy of a sample case, by remedy and kind."""
    out = {}
    for remedy in REMEDIES_FOR[sample]:
        case = with_remedy(SAMPLES[sample](), remedy)
        for job in jobs_for(case, "fr", TODAY):
            out[f"{remedy.value}/{job.kind}"] = plain(html_to_text(render_html(job)))
    return out


@pytest.mark.parametrize("sample", sorted(REMEDIES_FOR))
def test_documents_use_their_own_country_words_only(sample: str) -> None:
    country = sample[:2]
    documents = french_documents(sample)
    for name, text in documents.items():
        foreign = FOREIGN[country].search(text)
        assert foreign is None, f"{name}: {text[max(0, foreign.start() - 80):foreign.end() + 40]!r}"
    demand = documents.get(f"{Remedy.FORMAL_DEMAND.value}/demand_letter")
    if demand is not None:  # the amount of the invoice, with its tax said the country's way
        assert f" {OWN_TAX_WORD[country]}" in demand


def test_belgian_court_papers_name_the_huissier_de_justice() -> None:
    documents = french_documents("be_business")
    court = "\n".join(text for name, text in documents.items() if name.startswith("court/"))
    assert "huissier de justice" in court


def test_belgian_proof_of_claim_speaks_of_faillite() -> None:
    documents = french_documents("be_insolvency")
    claim = documents[f"{Remedy.INSOLVENCY_CLAIM.value}/proof_of_claim"]
    assert "faillite" in claim
    assert "liquidation judiciaire" not in claim


def answer_until(d: Driver, wanted: str) -> None:
    """Answer as the French business case does (first button where it has no answer) until the
    question ``wanted`` is asked."""
    script = {**dict(FRENCH_BUSINESS_CASE), "invoice_amount": "1 200,50"}
    for _ in range(40):
        key = d.prompt.key
        if key == wanted:
            return
        step = script.get(key)
        if step is None:
            d.press(d.prompt.buttons[0].value)
        else:
            d.answer(step)
    raise AssertionError(f"{wanted} never asked")


@pytest.mark.parametrize(("country", "tax", "insolvency"), [
    ("fr", "toutes taxes comprises (TTC)", "procédure collective (sauvegarde, redressement"),
    ("be", "TVA comprise (TVAC)", "faillite ou d'une procédure de réorganisation judiciaire"),
    ("qc", "taxes incluses (TPS et TVQ)", "faillite ou d'une proposition"),
])
def test_questions_say_the_tax_and_the_insolvency_proceedings_the_country_way(
        driver: Make, country: str, tax: str, insolvency: str) -> None:
    d = driver()
    d.command("start")
    d.press(country)
    d.press("business")
    d.say({"fr": "ACME Rénovation SARL", "be": "Bâtiments Peeters SRL",
           "qc": "Rénovations Tremblay inc."}[country])
    answer_until(d, "invoice_amount")
    assert tax in d.prompt.text
    answer_until(d, "insolvency")
    assert insolvency in d.prompt.text
    assert d.prompt.text.startswith("Votre client fait-il l'objet d")
