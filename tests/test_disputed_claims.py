"""A disputed claim: the chat asks what is disputed (quality, quantity, delay, price, paid,
other), the recommendation starts with a letter answering that point and free conciliation or
mediation (France: the conciliateur de justice, CPC 750-1 — LEGAL_FACTS A10.5; Quebec: the
Small Claims Division's free mediation — C4), never with a suspension or an order for payment;
the comparison screen ticks nothing it has just ruled out; the letter answers the point with the
evidence the user holds. A debtor's own contest lands on the same path, its reason pre-answering
the question.
"""

from __future__ import annotations

from flows.conversation import Role
from flows.debtor import answers as debtor_answers
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.journey import display
from flows.law.from_case import advice_for
from flows.law.render import Renderer
from flows.questions import BY_KEY
from flows.vocabulary import Jurisdiction, Remedy
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.followup_cases import DETAILS, NOW, answering, asked, documents_out

DISPUTED = dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {
    "disputed": "press:yes", "services_running": "press:yes", "creditor_id": "press:none"}


def demand_text(d: Driver, answers: dict[str, str]) -> str:
    """The formal demand's text once the documents are out."""
    documents_out(d, answers)
    job = next(j for j in d.last.documents if j.kind == "demand_letter")
    return " ".join(plain(html_to_text(render_html(job))).split())


def blocks(comparison: str) -> dict[str, str]:
    """The comparison screen, one block per remedy, by the remedy's name."""
    found = {}
    for block in comparison.split("\n\n")[1:]:
        name, _, rest = block.partition("\n")
        found[name.removeprefix("• ")] = rest
    return found


def test_the_chat_asks_what_is_disputed_with_buttons_in_both_languages() -> None:
    for lang, wording, labels in (
            ("fr", "Sur quoi porte la contestation ?",
             ["La qualité", "La quantité", "Le délai / un retard", "Le prix", "Il dit avoir payé",
              "Autre chose"]),
            ("en", "What is disputed?",
             ["Quality", "Quantity", "Timing / a delay", "Price", "Says it was paid",
              "Something else"])):
        d = asked(DISPUTED, "dispute_reason", lang)
        assert wording in d.prompt.text
        answers = [b for b in d.prompt.buttons if b.role is Role.ANSWER]
        assert [b.label for b in answers] == labels
        assert [b.value for b in answers] == ["quality", "quantity", "delay", "price", "paid",
                                              "other"]


def test_quality_disputed_starts_with_the_reply_and_the_conciliator_not_a_suspension() -> None:
    d = asked(DISPUTED | {"dispute_reason": "press:quality"}, "remedy")
    said = d.text_of_last()
    recommended, _, ruled_out = said.partition("Écartés pour votre cas :")
    first = recommended.split("\n1. ", 1)[1].split("\n")[0]
    assert first.startswith("Mise en demeure — Le débiteur conteste la qualité de ce qui a été "
                            "fourni : commencez par une lettre de réponse sur ce point")
    assert "la preuve de livraison ou le procès-verbal de réception" in first
    assert "conciliateur de justice, gratuite" in first
    assert "(CPC 750-1)" in first
    assert "Suspension des prestations" not in recommended
    assert "✗ Suspension des prestations — Le débiteur conteste la créance" in ruled_out
    # The court, last, is a summons heard by both sides, not an order for payment.
    assert "Voie : Action en justice (assignation)" in recommended
    # The first button is the reply letter.
    assert d.prompt.buttons[0].value == "formal_demand"
    d.press("", role=Role.COMPARE)
    comparison = blocks(d.text_of_last())
    advice = advice_for(d.case, NOW.date())
    assert advice is not None
    assert advice.ruled_out
    for out in advice.ruled_out:
        name = {"suspension": "Suspension des prestations",
                "friendly_reminder": "Relance amiable",
                "collection_agency": "Société de recouvrement",
                "retention_of_title": "Réserve de propriété / reprise des biens",
                "insolvency_claim": "Déclaration de créance (procédure collective)"}[out.remedy]
        assert "✓" not in comparison[name], (name, comparison[name])
        assert comparison[name].startswith("Coût"), comparison[name]
        assert "✗ " in comparison[name]
    assert "✓ répond au point contesté : la qualité de ce qui a été fourni" in \
        comparison["Mise en demeure"]


def test_the_letter_answers_the_quality_point_and_offers_the_conciliator() -> None:
    d = answering(DISPUTED | {"dispute_reason": "press:quality", "remedy": "press:formal_demand"})
    assert d.case.state == "followup"
    job = next(j for j in d.last.documents if j.kind == "demand_letter")
    letter = " ".join(plain(html_to_text(render_html(job))).split())
    assert ("Sur votre contestation. Vous contestez la qualité de ce qui vous a été "
            "fourni.") in letter
    assert ("La prestation a été livrée et réceptionnée, comme l'atteste la preuve de livraison "
            "ou le procès-verbal de réception, dont copie est jointe.") in letter
    assert "je vous invite à me le décrire précisément par écrit" in letter
    assert ("je vous propose de soumettre notre différend à un conciliateur de justice ; son "
            "intervention est gratuite") in letter
    assert ("Pièces jointes : copie de la facture n° F-2026-042 ; le devis accepté ou la commande "
            "signée ; la preuve de livraison ou le procès-verbal de réception.") in letter


def test_a_price_dispute_in_quebec_answers_with_the_accepted_quote_and_free_mediation() -> None:
    quebec = DISPUTED | {
        "jurisdiction": "press:qc", "invoice_amount": "1 200,50 $",
        "qc_default_by_term": "press:no", "employees": "press:up_to_10",
        "creditor_address": "100 rue Sherbrooke\nMontréal QC H2X 1C3",
        "debtor_address": "5 rue Principale\nQuébec QC G1R 2B5", "deadline_days": "press:10",
        "dispute_reason": "press:price", "remedy": "press:formal_demand"}
    d = answering(quebec)
    job = next(j for j in d.last.documents if j.kind == "demand_letter")
    letter = " ".join(plain(html_to_text(render_html(job))).split())
    assert ("Vous contestez le prix. Il est fixé par le devis accepté ou la commande signée, "
            "dont copie est jointe.") in letter
    assert "la Division des petites créances de la Cour du Québec offre d'ailleurs une médiation "\
        "gratuite" in letter
    advice = advice_for(d.case, NOW.date())
    assert advice is not None
    assert advice.first.remedy is Remedy.FORMAL_DEMAND
    assert advice.first.reason.key == "law.remedy.why.dispute_reply.qc"


def test_the_debtors_contest_lands_on_the_same_path_and_pre_answers_the_question() -> None:
    # The creditor's journey, undisputed: a formal demand sent.
    d = answering(dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {"creditor_id": "press:none"})
    assert d.case.flag("disputed") is False
    told = debtor_answers.contest(d.case, "price", "Le devis disait 1 000 €.", NOW.date(), NOW)
    say = Renderer("fr", Jurisdiction.FRANCE)
    to_creditor = plain(" ".join(say(m) for m in told.creditor))
    assert "Mise en demeure" in to_creditor
    assert "Le débiteur conteste le prix : commencez par une lettre de réponse" in to_creditor
    assert "le devis accepté ou la commande signée qui fixe le prix" in to_creditor
    assert "conciliateur de justice" in to_creditor
    # The reason the debtor gave is the answer to the creditor's question…
    assert d.case.answers["dispute_reason"] == "price"
    contested = advice_for(d.case, NOW.date())
    # …and the advice is the one the creditor gets by saying it in the chat.
    said = answering(dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {
        "creditor_id": "press:none", "disputed": "press:yes", "dispute_reason": "press:price"})
    asked = advice_for(said.case, NOW.date())
    assert contested is not None
    assert asked is not None
    assert [(r.remedy, r.reason) for r in contested.recommended] == \
        [(r.remedy, r.reason) for r in asked.recommended]
    # The question applies now and stands answered, shown as the creditor's own button says it.
    assert BY_KEY["dispute_reason"].applies(d.case)
    assert display(d.case, "dispute_reason", "fr") == "Le prix"


def test_after_the_debtors_contest_the_next_step_is_the_reply_letter_not_the_court() -> None:
    d = answering(dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {"creditor_id": "press:none"})
    debtor_answers.contest(d.case, "quantity", "Nous avons reçu 8 pièces, pas 10.", NOW.date(),
                           NOW)
    d.press("unpaid", key="outcome")  # "Toujours impayé → étape suivante"
    said = d.text_of_last()
    assert d.prompt.key == "remedy"
    assert "1. Mise en demeure — Le débiteur conteste les quantités facturées" in said
    assert d.prompt.buttons[0].value == "formal_demand"
    d.press("formal_demand")
    letter = demand_text(d, DISPUTED)
    assert "Sur votre contestation. Vous contestez les quantités facturées." in letter
    # Once answered, a further "still unpaid" goes on to the court.
    d.press("unpaid", key="outcome")
    assert d.case.text("remedy") == "court"
