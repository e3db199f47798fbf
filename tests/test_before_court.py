"""Before any court document the chat asks whether a formal demand was sent and when; without
one it drafts the demand first and says why; with one it says which route to take first, why,
what it costs and how long it takes, and the documents name the court.

Figures (data/fr_figures.toml, dated): small-claims ceiling 5 000 € and one month for the debtor
to answer (CPCE L125-1, R125-1); order for payment 35 € to 38 € at the commercial court's
registry, to serve within 6 months, 1 month to oppose (CPC 1411, 1416); prior amicable attempt
before the tribunal judiciaire up to 5 000 € (CPC 750-1); lawyer above 10 000 €.
"""

from __future__ import annotations

from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from testing.driver import FRENCH_BUSINESS_CASE, plain
from tests.followup_cases import DETAILS, asked, documents_out

COURT = dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {"remedy": "press:court"}
CONSUMER = COURT | {"debtor_kind": "press:consumer", "debtor_name": "Paul Durand",
                    "completion_date": "30/09/2026",
                    "debtor_address": "8 rue Victor Hugo\n33000 Bordeaux"}


def test_court_asks_for_the_formal_demand_and_drafts_it_first_when_there_is_none() -> None:
    d = asked(COURT, "demand_before_court")
    assert "Avez-vous déjà envoyé une mise en demeure" in d.prompt.text
    assert d.prompt.buttons[0].value == "none"
    d.press("none")
    said = d.text_of_last()
    assert "Pas encore de mise en demeure : je la prépare d'abord" in said
    assert "le juge attend une mise en demeure restée sans effet" in said
    assert "(C. civ. 1344)" in said
    assert d.case.text("remedy") == "formal_demand"
    assert d.prompt.key == "creditor_name"  # on to the demand's own details
    documents_out(d, COURT | {"remedy": "press:formal_demand"})
    assert d.last.documents[0].kind == "demand_letter"


def test_a_consumer_claim_under_5000_names_the_750_1_attempt_and_interest_from_the_demand() -> None:
    d = asked(CONSUMER, "demand_before_court")
    d.say("non")
    said = d.text_of_last()
    assert "les intérêts au taux légal ne courent qu'à partir de la mise en demeure" in said
    assert "(C. civ. 1231-6, 1344-1)" in said
    assert "une demande jusqu'à 5 000,00 € doit être précédée d'une tentative" in said
    assert "(CPC 750-1)" in said
    assert "conciliateur de justice est gratuit" in said


def test_with_a_demand_sent_a_debtor_who_answers_goes_to_the_small_claims_first() -> None:
    d = asked(COURT, "demand_before_court")
    d.say("05/11/2026")
    documents_out(d, COURT)
    kinds = [job.kind for job in d.last.documents]
    assert kinds[:2] == ["small_claims_request", "injonction_request"]
    advice = d.text_of_last()
    assert "Première voie : la procédure simplifiée de recouvrement des petites créances" in advice
    assert "parce que le débiteur répond et que la créance ne dépasse pas 5 000,00 €" in advice
    assert "Coût : les frais du commissaire de justice, entièrement à votre charge" in advice
    assert "le débiteur a 1 mois pour accepter ou refuser" in advice
    assert "S'il refuse ou se tait : l'injonction de payer" in advice


def test_a_silent_debtor_gets_the_order_for_payment_with_its_cost_delay_and_court() -> None:
    d = asked(COURT | {"debtor_responsive": "press:no"}, "demand_before_court")
    d.say("05/11/2026")
    documents_out(d, COURT)
    kinds = [job.kind for job in d.last.documents]
    assert "small_claims_request" not in kinds
    assert kinds[0] == "injonction_request"
    advice = d.text_of_last()
    assert ("Première voie : l'injonction de payer devant le tribunal des activités "
            "économiques de Lyon") in advice
    assert "35,00 € à 38,00 € de frais de greffe" in advice
    assert "à signifier dans les 6 mois" in advice
    assert "1 mois pour faire opposition" in advice
    request = plain(html_to_text(render_html(d.last.documents[0])))
    assert "tribunal des activités économiques de Lyon" in request
    # The demand the user declared is the one the request names.
    assert "5 novembre 2026" in request


def test_a_disputed_claim_goes_to_a_summons_with_the_brief_not_an_order() -> None:
    disputed = COURT | {"disputed": "press:yes", "dispute_reason": "press:other"}
    d = asked(disputed, "demand_before_court")
    d.say("05/11/2026")
    documents_out(d, COURT)
    kinds = [job.kind for job in d.last.documents]
    assert "injonction_request" not in kinds
    assert kinds[0] == "lawyer_brief"
    advice = d.text_of_last()
    assert ("Première voie : une assignation devant le tribunal des activités économiques de "
            "Lyon, parce que la créance est contestée") in advice
    assert ("Coût : les frais du commissaire de justice qui signifie l'assignation, et un avocat "
            "obligatoire au-delà de 10 000,00 €") in advice
    assert "Délai : plusieurs mois, le temps des audiences" in advice


def test_quebec_expects_a_demand_before_small_claims() -> None:
    quebec = COURT | {"jurisdiction": "press:qc", "invoice_amount": "1 200,50 $",
                      "qc_default_by_term": "press:no", "employees": "press:up_to_10",
                      "creditor_address": "100 rue Sherbrooke\nMontréal QC H2X 1C3",
                      "debtor_address": "5 rue Principale\nQuébec QC G1R 2B5"}
    d = asked(quebec, "demand_before_court")
    d.press("none")
    said = d.text_of_last()
    assert "une mise en demeure écrite est attendue avant une demande aux petites créances" in said
    assert "(C.c.Q. 1594-1595, 1617)" in said
    assert d.case.text("remedy") == "formal_demand"
