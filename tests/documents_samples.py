"""Sample cases for the document tests: one per country and debtor, with every detail answered.

Each sample holds the answers of every remedy's details, so that any remedy can be chosen on it
(``with_remedy``). The figures are the ones a reader checks in the documents: names, invoice
numbers, amounts, dates.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from flows.model import Case
from flows.vocabulary import Remedy

TODAY = date(2026, 11, 23)

_DETAILS_FR: dict[str, Any] = {
    "creditor_name": "Studio Martin SAS",
    "creditor_address": "12 rue des Lilas\n75011 Paris",
    "city": "Paris",
    "deadline_days": "8",
    "supply_description": "Refonte du site internet selon devis du 2 mars 2026",
    "creditor_id": "732829320",
    "signatory": "Jeanne Martin, présidente",
    "payment_details": "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP",
    "creditor_contact": "jeanne@studio-martin.fr, 06 12 34 56 78",
    "suspend_what": "Maintenance du site et nouvelles évolutions",
    "suspend_from": "2026-12-03",
    "suspend_keep": "Hébergement du site et accès aux données",
    "restore_days": "2",
    "plan_count": "3",
    "plan_interval": "monthly",
    "plan_first_date": "2026-12-15",
    "plan_waive": False,  # penalties and indemnity stay due (the default)
    "rot_goods_list": "2 serveurs Dell R750, n° de série CN-0X1Y2Z\n"
                      "1 baie de stockage, bon de livraison BL-2026-118",
    "rot_clause": "Article 9 de nos conditions générales, "
                  "acceptées sur le devis signé du 2 mars 2026",
    "mandate_plan": False,
}

_NAMUR = {"creditor_name": "Atelier Dubois SRL",
          "creditor_address": "Chaussée de Louvain 210\n5000 Namur",
          "city": "Namur", "creditor_id": "0403.170.701"}

_MONTREAL = {"creditor_name": "Conseils Gagnon inc.",
             "creditor_address": "455 rue Saint-Paul Ouest\nMontréal (Québec) H2Y 2A1",
             "city": "Montréal", "creditor_id": "1171234567",
             "creditor_contact": "514 555-0199", "signatory": "Marc Gagnon, président"}

_EVIDENCE = {"ev_contract": True, "ev_delivery": True, "ev_invoice_sent": True,
             "ev_written_reminders": False, "disputed": False, "debtor_responsive": True}


def _invoice(number: str, amount: str, issued: str, due: str, paid: str,
             currency: str = "EUR") -> dict[str, Any]:
    return {"invoice_number": number,
            "invoice_amount": {"amount": amount, "currency": currency},
            "issue_date": issued, "due_date": due,
            "paid_amount": {"amount": paid, "currency": currency}}


def _case(case_id: str, answers: dict[str, Any], more: list[dict[str, Any]]) -> Case:
    return Case(id=case_id, created_at="2026-11-10T09:00:00+01:00", state="review",
                answers=answers, more_invoices=more,
                events=[{"at": "2026-11-10T09:30:00+01:00", "kind": "note", "params": {}}])


def fr_business() -> Case:
    """Two invoices, one partly paid; services still running; business debtor in France."""
    answers = {
        "jurisdiction": "fr", "debtor_kind": "business", "debtor_name": "ACME Rénovation SARL",
        **_invoice("F-2026-042", "1200.50", "2026-09-15", "2026-10-15", "0"),
        "another_invoice": False, "supply": "services", "contract_rate": "none",
        "reminders_sent": "2", "rights_ack": "continue", **_EVIDENCE,
        "ev_written_reminders": True, "insolvency": False, "services_running": True,
        "debtor_address": "4 avenue Foch\n69006 Lyon", **_DETAILS_FR,
        "last_reminder_date": "2026-11-02", "debtor_id": "552100554",
    }
    more = [_invoice("F-2026-031", "2400.00", "2026-08-01", "2026-08-31", "400.00")]
    return _case("frbiz001", answers, more)


def fr_consumer() -> Case:
    """One invoice to a private person, nothing paid, no reminder yet."""
    answers = {
        "jurisdiction": "fr", "debtor_kind": "consumer", "debtor_name": "Paul Durand",
        **_invoice("2026-117", "850.00", "2026-09-20", "2026-10-20", "0"),
        "another_invoice": False, "supply": "services", "reminders_sent": "0",
        "rights_ack": "continue", **_EVIDENCE, "services_running": False,
        "debtor_address": "8 rue Victor Hugo\n33000 Bordeaux", **_DETAILS_FR,
        "supply_description": "Rénovation de la salle de bains selon devis du 5 juin 2026",
    }
    return _case("frcon001", answers, [])


def fr_goods() -> Case:
    """Goods sold with retention of title to a company that still has them and is solvent."""
    answers = {
        "jurisdiction": "fr", "debtor_kind": "business", "debtor_name": "Menuiserie Leroy SARL",
        **_invoice("F-2026-090", "7800.00", "2026-09-01", "2026-10-01", "0"),
        "another_invoice": False, "supply": "goods", "contract_rate": "none",
        "reminders_sent": "1", "rights_ack": "continue", **_EVIDENCE,
        "insolvency": False, "rot_goods": True,
        "debtor_address": "3 chemin des Scieries\n44000 Nantes", **_DETAILS_FR,
        "supply_description": "Fourniture de deux machines à bois",
        "rot_goods_list": "1 scie à format Felder K700, n° de série 700-118\n"
                          "1 raboteuse Hammer A3-41, n° de série A341-0457",
        "last_reminder_date": "2026-10-20",
    }
    return _case("frgds001", answers, [])


def fr_insolvency() -> Case:
    """Goods sold with retention of title to a company now in receivership."""
    answers = {
        "jurisdiction": "fr", "debtor_kind": "business", "debtor_name": "Batiplus SAS",
        **_invoice("F-2026-077", "18450.00", "2026-07-10", "2026-08-09", "0"),
        "another_invoice": False, "supply": "goods", "contract_rate": "15",
        "reminders_sent": "1", "rights_ack": "continue", **_EVIDENCE,
        "insolvency": True, "insolvency_date": "2026-11-05", "rot_goods": True,
        "debtor_address": "ZI des Granges\n38300 Bourgoin-Jallieu", **_DETAILS_FR,
        "supply_description": "Fourniture de serveurs et d'une baie de stockage",
        "last_reminder_date": "2026-09-15", "debtor_id": "404833048",
        "proceedings": "fr_reorganisation", "insolvency_court": "Tribunal de commerce de Vienne",
        "judgment_date": "2026-10-28", "mj_name": "SELARL Mandataires Associés, Me Claire Roux",
        "mj_address": "5 place Saint-Louis\n38200 Vienne",
        "admin_name": "Me Louis Bernard, administrateur judiciaire",
        "admin_address": "10 cours Brillier\n38200 Vienne",
    }
    return _case("frins001", answers, [])


def be_business() -> Case:
    answers = {
        "jurisdiction": "be", "debtor_kind": "business", "debtor_name": "Brasserie du Parc SRL",
        **_invoice("2026/0311", "3630.00", "2026-09-01", "2026-10-01", "0"),
        "another_invoice": False, "supply": "services", "contract_rate": "none",
        "reminders_sent": "1", "rights_ack": "continue", **_EVIDENCE,
        "insolvency": False, "services_running": True,
        "debtor_address": "Rue Royale 45\n1000 Bruxelles", **_DETAILS_FR,
        **_NAMUR, "debtor_id": "0202.239.951",
        "payment_details": "IBAN BE71 0961 2345 6769", "signatory": "self",
        "last_reminder_date": "2026-10-20",
        "supply_description": "Conception et installation de l'éclairage de la salle",
    }
    return _case("bebiz001", answers, [])


def be_insolvency() -> Case:
    """A Belgian customer declared bankrupt, holding goods sold under retention of title."""
    answers = {
        "jurisdiction": "be", "debtor_kind": "business", "debtor_name": "Horeca Plus SRL",
        **_invoice("2026/0288", "5445.00", "2026-08-20", "2026-09-19", "0"),
        "another_invoice": False, "supply": "goods", "contract_rate": "none",
        "reminders_sent": "0", "rights_ack": "continue", **_EVIDENCE,
        "insolvency": True, "insolvency_date": "2026-11-12", "rot_goods": True,
        "debtor_address": "Place du Marché 3\n4000 Liège", **_DETAILS_FR, **_NAMUR,
        "debtor_id": "0202.239.951", "supply_description": "Fourniture d'un four professionnel",
        "rot_goods_list": "1 four mixte Rational iCombi Pro 10-1/1, n° E11SI2207151234",
        "proceedings": "be_bankruptcy", "insolvency_court": "Tribunal de l'entreprise de Liège",
        "claims_deadline": "2026-12-14", "mj_name": "Me Anne Dupont, curatrice",
        "mj_address": "Boulevard d'Avroy 7\n4000 Liège",
    }
    return _case("beins001", answers, [])


def qc_insolvency() -> Case:
    """A Quebec customer in bankruptcy; the creditor lodges a proof of claim with the trustee."""
    answers = {
        "jurisdiction": "qc", "debtor_kind": "business", "debtor_name": "Boulangerie Côté inc.",
        **_invoice("Q-1102", "2874.38", "2026-09-10", "2026-10-10", "0", "CAD"),
        "another_invoice": False, "supply": "services", "contract_rate": "none",
        "reminders_sent": "2", "rights_ack": "continue", **_EVIDENCE, "employees": "up_to_10",
        "insolvency": True, "insolvency_date": "2026-11-16",
        "debtor_address": "88 rue Racine Est\nChicoutimi (Québec) G7H 1R3", **_DETAILS_FR,
        **_MONTREAL, "debtor_id": "1160004567", "last_reminder_date": "2026-11-02",
        "supply_description": "Entretien des équipements de cuisson",
        "proceedings": "qc_bankruptcy",
        "insolvency_court": "Cour supérieure, district de Chicoutimi",
        "mj_name": "Raymond Chabot inc., syndic autorisé en insolvabilité",
        "mj_address": "255 rue Racine Est\nChicoutimi (Québec) G7H 7L2",
    }
    return _case("qcins001", answers, [])


def be_consumer() -> Case:
    answers = {
        "jurisdiction": "be", "debtor_kind": "consumer", "debtor_name": "Sophie Lambert",
        **_invoice("2026/0402", "1200.00", "2026-10-01", "2026-10-31", "0"),
        "another_invoice": False, "supply": "services", "reminders_sent": "0",
        "rights_ack": "continue", **_EVIDENCE, "services_running": False,
        "debtor_address": "Avenue Louise 12\n1050 Ixelles", **_DETAILS_FR,
        **_NAMUR, "contract_damages": {"amount": "150.00", "currency": "EUR"},
        "payment_details": "IBAN BE71 0961 2345 6769",
        "supply_description": "Pose de parquet dans le séjour",
    }
    return _case("becon001", answers, [])


def qc_business() -> Case:
    answers = {
        "jurisdiction": "qc", "debtor_kind": "business", "debtor_name": "Érablière Tremblay inc.",
        **_invoice("Q-1088", "4599.00", "2026-08-15", "2026-09-14", "1000.00", "CAD"),
        "another_invoice": False, "supply": "services", "contract_rate": "none",
        "reminders_sent": "3", "rights_ack": "continue", **_EVIDENCE,
        "insolvency": False, "services_running": False,
        "debtor_address": "1200 rang Saint-Joseph\nSaint-Hyacinthe (Québec) J2S 1A1", **_DETAILS_FR,
        **_MONTREAL, "debtor_id": "unknown",
        "payment_details": "Virement Interac à paiement@conseilsgagnon.ca",
        "signatory": "Marc Gagnon, président", "last_reminder_date": "2026-10-30",
        "supply_description": "Accompagnement comptable de l'exercice 2025",
        "employees": "up_to_10",
    }
    return _case("qcbiz001", answers, [])


def fr_near_limitation() -> Case:
    """An invoice of 10 December 2021 between traders: time-barred after 10 December 2026,
    17 days after TODAY (C. com. L110-4)."""
    answers = fr_business().answers | {
        **_invoice("F-2021-118", "1800.00", "2021-12-10", "2022-01-10", "0"),
        "services_running": False, "debtor_trader": "trader", "creditor_is_person": False,
    }
    return _case("frlim001", answers, [])


def qc_near_limitation() -> Case:
    """Quebec, 3 years (C.c.Q. 2925) from 10 December 2023: 17 days left on TODAY."""
    answers = qc_business().answers | {
        **_invoice("Q-0912", "2300.00", "2023-12-10", "2024-01-10", "0", "CAD"),
        "qc_default_by_term": True,
    }
    return _case("qclim001", answers, [])


def fr_plan_failed() -> Case:
    """A signed plan of 3 monthly instalments whose second was missed; the first was paid, dated
    (the follow-up keeps the missed instalment for the formal demand that follows)."""
    answers = {
        "jurisdiction": "fr", "debtor_kind": "business", "debtor_name": "ACME Rénovation SARL",
        "invoice_number": "F-2026-042", "issue_date": "2026-08-14", "due_date": "2026-09-13",
        "invoice_amount": {"amount": "1200.50", "currency": "EUR"},
        "payments": [{"on": "2026-10-16", "amount": "400.16"}],
        "another_invoice": False, "supply": "services", "contract_rate": "none",
        "reminders_sent": "1", "rights_ack": "continue", **_EVIDENCE, "insolvency": False,
        "services_running": False, "debtor_address": "4 avenue Foch\n69006 Lyon",
        **_DETAILS_FR, "last_reminder_date": "2026-09-25",
    }
    case = _case("frpln001", answers, [])
    case.followup = {"remedy": "formal_demand", "started": "2026-11-23", "missed": {
        "number": 2, "due": "2026-11-15", "amount": {"amount": "400.17", "currency": "EUR"},
        "count": 3, "total": {"amount": "1200.50", "currency": "EUR"}, "interval": "monthly",
        "proposed_on": "2026-10-01", "signed_on": "2026-10-05", "notice_days": 8,
        "waived": True}}
    return case


SAMPLES = {"fr_business": fr_business, "fr_consumer": fr_consumer, "fr_goods": fr_goods,
           "fr_insolvency": fr_insolvency, "be_insolvency": be_insolvency,
           "qc_insolvency": qc_insolvency, "be_business": be_business,
           "be_consumer": be_consumer, "qc_business": qc_business,
           "fr_near_limitation": fr_near_limitation, "qc_near_limitation": qc_near_limitation,
           "fr_plan_failed": fr_plan_failed}

# The remedies each sample is drawn for (insolvency only where proceedings are open).
REMEDIES_FOR = {
    "fr_business": [r for r in Remedy
                    if r not in {Remedy.INSOLVENCY_CLAIM, Remedy.RETENTION_OF_TITLE}],
    "fr_goods": [Remedy.RETENTION_OF_TITLE, Remedy.FORMAL_DEMAND],
    "fr_consumer": [Remedy.FRIENDLY_REMINDER, Remedy.FORMAL_DEMAND, Remedy.PAYMENT_PLAN,
                    Remedy.COURT, Remedy.COLLECTION_AGENCY],
    "fr_insolvency": [Remedy.INSOLVENCY_CLAIM, Remedy.RETENTION_OF_TITLE],
    "be_insolvency": [Remedy.INSOLVENCY_CLAIM, Remedy.RETENTION_OF_TITLE],
    "qc_insolvency": [Remedy.INSOLVENCY_CLAIM],
    "be_business": [Remedy.FRIENDLY_REMINDER, Remedy.FORMAL_DEMAND, Remedy.SUSPENSION,
                    Remedy.COURT, Remedy.COLLECTION_AGENCY],
    "be_consumer": [Remedy.FRIENDLY_REMINDER, Remedy.FORMAL_DEMAND, Remedy.PAYMENT_PLAN,
                    Remedy.COURT],
    "qc_business": [Remedy.FRIENDLY_REMINDER, Remedy.FORMAL_DEMAND, Remedy.PAYMENT_PLAN,
                    Remedy.COURT, Remedy.COLLECTION_AGENCY],
    # Weeks from the end of the limitation period: the acknowledgement and the brief.
    "fr_near_limitation": [Remedy.COURT],
    # A payment plan's second instalment missed: the demand its acceleration clause requires.
    "fr_plan_failed": [Remedy.FORMAL_DEMAND],
    "qc_near_limitation": [Remedy.COURT],
}


def with_remedy(case: Case, remedy: Remedy) -> Case:
    chosen = copy.deepcopy(case)
    chosen.answers["remedy"] = remedy.value
    if remedy is Remedy.SUSPENSION:
        # A suspension follows a formal demand left unanswered (flows.demand_first).
        chosen.answers.setdefault("demand_before_court", "2026-11-05")
    return chosen
