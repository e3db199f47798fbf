"""Before court in Belgium and Quebec: which route first, why, and what it costs and takes —
only where the sources give a figure (data/be_figures.toml, qc_figures.toml), otherwise "to be
confirmed with the court", never an invented one.

Belgium (LEGAL_FACTS B3): between enterprises and undisputed, the huissier procedure for
uncontested money debts (C. jud. 1394/20 ff.: one month to answer, interest and penalty capped
at 10 % of the principal); a citation before the competent court otherwise (justice de paix up to
5 000 € against a consumer); the summary order (C. jud. 1338-1344) for a debt acknowledged in
writing, thresholds to confirm; the European order for payment (Reg. 1896/2006, 30 days to
oppose) across EU borders. Quebec (C4): the Small Claims Division up to 15 000 $ for a creditor
with at most 10 employees (C.p.c. 536), judgment paid within 30 days (10 if undefended); a
demande en justice otherwise.
"""

from __future__ import annotations

import pytest

from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.law.from_case import advice_for
from flows.law.render import Renderer
from flows.vocabulary import Jurisdiction
from testing.driver import Driver, plain
from tests.followup_cases import DETAILS, DOCUMENT_ANSWERS, NOW

BELGIAN = {
    "jurisdiction": "press:be", "debtor_kind": "press:business",
    "debtor_name": "Brasserie Dupont SRL", "invoice_number": "F-2026-042",
    "invoice_amount": "1 200,50 €", "issue_date": "15/09/2026", "due_date": "15/10/2026",
    "payments": "press:nothing", "another_invoice": "press:no", "supply": "press:services",
    "periodic_billing": "press:no", "contract_rate": "press:none",
    "reminders_sent": "press:1", "rights_ack": "press:continue", "ev_contract": "press:yes",
    "ev_delivery": "press:yes", "ev_invoice_sent": "press:yes",
    "ev_written_reminders": "press:no", "disputed": "press:no", "insolvency": "press:no",
    "debtor_responsive": "press:yes", "services_running": "press:no", "remedy": "press:court",
    "creditor_id": "0403.170.701", "debtor_id": "0202.239.951",
    "contract_damages": "press:none", "review": "press:generate", **dict(DETAILS),
    "creditor_address": "Rue Royale 45\n1000 Bruxelles",
    "debtor_address": "Rue Neuve 3\n4000 Liège",
}
QUEBEC = {
    **BELGIAN, "jurisdiction": "press:qc", "invoice_amount": "1 200,50 $",
    "qc_default_by_term": "press:no", "employees": "press:up_to_10", "creditor_id": "press:none",
    "creditor_address": "100 rue Sherbrooke\nMontréal QC H2X 1C3",
    "debtor_address": "5 rue Principale\nQuébec QC G1R 2B5",
}


def documents_out(answers: dict[str, str], lang: str = "fr") -> Driver:
    d = Driver(lang=lang, now=NOW)
    d.command("start")
    answers = {**DOCUMENT_ANSWERS, **answers}
    for _ in range(90):
        if d.case.state == "followup":
            return d
        d.answer(answers[d.prompt.key])
    raise AssertionError(f"no documents; the bot asks {d.prompt.key!r}")


def advice_after_documents(answers: dict[str, str], lang: str = "fr") -> str:
    return " ".join(plain(documents_out(answers, lang).text_of_last()).split())


def test_belgian_enterprises_undisputed_go_to_the_huissier_procedure_first() -> None:
    advice = advice_after_documents(BELGIAN)
    assert ("🧭 Première voie : la procédure de recouvrement de dettes d'argent non contestées "
            "(C. jud. 1394/20 et suivants), parce que vous et votre client êtes deux "
            "entreprises et que la créance n'est pas contestée") in advice
    assert "votre client a 1 mois pour payer, contester ou demander des délais" in advice
    assert "au plus 10,00 % du principal" in advice
    assert "Coût : les honoraires de l'avocat et de l'huissier, à confirmer avec eux" in advice
    assert ("l'injonction de payer européenne (règlement (CE) 1896/2006), qui lui laisse "
            "30 jours pour former opposition") in advice


def test_a_belgian_consumer_gets_a_citation_before_the_justice_of_the_peace() -> None:
    consumer = BELGIAN | {"debtor_kind": "press:consumer", "debtor_name": "Luc Peeters"}
    advice = advice_after_documents(consumer)
    assert ("🧭 Première voie : une citation devant la juridiction compétente (justice de paix), "
            "signifiée par un huissier de justice, parce que face à un consommateur, la "
            "procédure des dettes non contestées n'est pas ouverte") in advice
    assert "Coût et délai : à confirmer avec le tribunal et l'huissier" in advice
    assert "la procédure sommaire d'injonction de payer (C. jud. 1338-1344)" in advice
    assert "seuils actuels sont à confirmer avec le tribunal" in advice


def test_a_disputed_belgian_claim_goes_to_a_citation_not_the_uncontested_procedure() -> None:
    disputed = BELGIAN | {"disputed": "press:yes", "dispute_reason": "press:quantity"}
    advice = advice_after_documents(disputed, lang="en")
    assert ("🧭 First route: a summons (citation) before the enterprise court (tribunal de "
            "l'entreprise), served by a huissier de justice") in advice
    assert "because the claim is disputed" in advice
    assert "summary order" not in advice  # it needs a debt acknowledged in writing


def test_a_disputed_belgian_claim_gets_the_lawyers_brief_not_an_uncontested_request() -> None:
    d = documents_out(BELGIAN | {"disputed": "press:yes", "dispute_reason": "press:quantity"})
    kinds = [job.kind for job in d.last.documents]
    assert "uncontested_debt_request" not in kinds
    assert kinds[0] == "lawyer_brief"
    undisputed = documents_out(BELGIAN)
    assert undisputed.last.documents[0].kind == "uncontested_debt_request"


@pytest.mark.parametrize(("lang", "said"), [
    ("fr", ["devant le juge qui serait compétent pour le litige — entre entreprises, le tribunal "
            "de l'entreprise", "(Code judiciaire, art. 731)",
            "Elle se demande par écrit au greffe et est en principe gratuite",
            "un procès-verbal qui a force exécutoire", "Délai : à confirmer auprès du greffe"]),
    ("en", ["before the judge who would hear the dispute — between enterprises, the enterprise "
            "court", "(Judicial Code, art. 731)", "free of charge in principle",
            "Time it takes: to be confirmed with the registry"]),
])
def test_a_disputed_belgian_claim_offers_conciliation_before_the_competent_judge(
        lang: str, said: list[str]) -> None:
    # Between two enterprises the judge is the enterprise court's, not the justice of the
    # peace's; the conciliation is free in principle (superdroit.be, 2016), its delay unknown.
    d = documents_out(BELGIAN | {"disputed": "press:yes", "dispute_reason": "press:quantity",
                                 "remedy": "press:formal_demand", "deadline_days": "press:8"},
                      lang)
    advice = advice_for(d.case, NOW.date())
    assert advice is not None
    assert advice.first.reason.key == "law.remedy.why.dispute_reply.be"
    reason = " ".join(plain(Renderer(lang, Jurisdiction.BELGIUM)(advice.first.reason)).split())
    for words in said:
        assert words in reason
    assert "conciliation devant le juge de paix" not in reason  # whoever the debtor
    letter = next(job for job in d.last.documents if job.kind == "demand_letter")
    text = " ".join(plain(html_to_text(render_html(letter))).split())
    assert ("une tentative de conciliation devant le juge compétent (article 731 du Code "
            "judiciaire)") in text  # the letter is in the law's language


def test_quebec_goes_to_the_small_claims_division_with_its_rules() -> None:
    advice = advice_after_documents(QUEBEC)
    assert ("🧭 Première voie : la Division des petites créances de la Cour du Québec, parce "
            "que la créance ne dépasse pas 15 000,00 $ hors intérêts") in advice
    assert "une médiation gratuite est offerte" in advice
    assert "Coût : les frais de dépôt" in advice
    assert "à confirmer avec le tribunal" in advice
    assert "le débiteur a 30 jours pour payer (10 jours s'il ne s'est pas défendu)" in advice


def test_a_quebec_enterprise_of_more_than_ten_employees_files_a_demande_en_justice() -> None:
    advice = advice_after_documents(QUEBEC | {"employees": "press:over_10"})
    assert ("🧭 Première voie : une demande en justice devant la Cour du Québec (chambre civile) "
            "ou Cour supérieure selon le montant") in advice
    assert ("condition non remplie : personne physique, ou entreprise d'au plus 10 salariés") \
        in advice
    assert "Coût et délai : à confirmer avec le tribunal" in advice
