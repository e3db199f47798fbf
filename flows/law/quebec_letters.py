"""What Quebec letters say about the law (the wording is in ``templates/<lang>/letters.toml``).

Civil Code of Québec 1594-1595 (the formal demand), 1617 and 1619 (interest and the additional
indemnity), 1591 (suspending one's own performance), 1745 (instalment sale: the seller stays
owner, and must give prior notice before taking the goods back); Code of Civil Procedure 536
(Small Claims Division).
"""

from __future__ import annotations

from flows.law.letters import (
    Addressee,
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
)
from flows.law.messages import Message, ParamValue

L = "law.letter."


def wording(facts: LetterFacts) -> LetterWording:
    # The Small Claims Division unless the amount rules it out (None: not known, still named).
    small_claims = facts.small_claims_open is not False
    return LetterWording(
        send_mode=Message.of(L + "send_mode.qc"),
        send_mode_with_email=Message.of(L + "send_mode_with_email.qc"),
        interest_to=Message.of(L + "interest_to.interest"),
        charges_due=Message.of(L + "charges_due.interest"),
        waived_charges=Message.of(L + ("waived.interest_and_indemnity" if facts.business
                                       else "waived.interest")),
        legal_basis=_legal_basis(facts, "legal_basis.qc"),
        demand_legal_basis=_legal_basis(facts, "legal_basis.qc_demand"),
        formal_notice=Message.of(L + "formal_notice.qc"),  # C.c.Q. 1594-1595
        demand_action=Message.of(L + ("demand_action.qc_small_claims" if small_claims
                                      else "demand_action.qc_court")),
        suspension_reserve=(Message.of(L + "suspension_reserve.other")
                            if facts.services_running else None),
        suspension_ground=Message.of(L + "suspension_ground.qc"),  # C.c.Q. 1591
        reminder_law=None,
        # No costs threatened: before the Small Claims Division they stay small (C.p.c. 536 ff.).
        last_reminder_warning=Message.of(L + "last_reminder.no_costs"),
        first_reminder=None,
        demand_grace=None,
        demand_after_grace=None,
        agency_rules=Message.of(L + "agency_rules.qc"),
        plan_title=Message.of(L + "plan_title.qc"),
        plan_signature=Message.of(L + "plan_signature.other"),
        # A signed acknowledgement interrupts the period (C.c.Q. 2898, 2903).
        acknowledgement_interrupts=Message.of(L + "acknowledgement_interrupts.qc"),
        rot_ownership=Message.of(L + "rot_ownership.qc"),  # C.c.Q. 1745
        rot_court_action=Message.of(L + "rot_court_action.qc"),  # prior notice, C.c.Q. 1749
        order_for_payment_form=None,
        small_claims_form=None,
        uncontested_debt_form=None,
        small_claims_court_form=Message.of(L + "form.small_claims_court"),  # C.p.c. 536
        small_claims_court_conclusion=Message.of(
            L + "form.small_claims_court_conclusion",
            rate=(Message.of(L + "rate.agreed_qc_claim", rate=facts.contract_rate)
                  if facts.contract_rate else Message.of(L + "rate.legal_qc_claim")),
            since=_interest_since(facts)),
    )


def _interest_since(facts: LetterFacts) -> Message:
    """From when the application claims interest: the default, which the contract's own term
    brings (C.c.Q. 1594) or the expiry of the demand's delay (1595); with neither, the filing
    itself, and the application says no demand was sent (our reading: the judicial demand puts
    the debtor in default)."""
    if facts.default_by_term:
        return Message.of(L + "form.since_term")
    if facts.demand_on is not None:
        return Message.of(L + "form.since_demand", demand=facts.demand_on)
    return Message.of(L + "form.since_filing")


def _legal_basis(facts: LetterFacts, key: str) -> Message:
    # Interest at the agreed or legal rate from the default, plus the 1619 indemnity.
    rate = (Message.of(L + "rate.agreed_qc", rate=facts.contract_rate) if facts.contract_rate
            else Message.of(L + "rate.legal_qc", rate=facts.legal_rate))
    return Message.of(L + key, rate=rate)


def insolvency_wording(facts: InsolvencyLetterFacts) -> InsolvencyWording:
    """The proof of claim on the trustee's prescribed form (BIA, Form 31) and the claim for goods
    kept under an instalment sale (C.c.Q. 1745) or delivered just before the bankruptcy (BIA
    s. 81.1)."""
    court = "" if facts.court else "_no_court"
    judgment: dict[str, ParamValue] = {"published_on": facts.published_on or ""}
    if facts.court:
        judgment["court"] = facts.court
    return InsolvencyWording(
        proceedings=Message.of(L + "proceedings." + facts.proceedings),
        representative=Message.of(L + "representative.qc"),
        claim_send_mode=Message.of(L + "send_mode.qc"),
        claim_subject=Message.of(L + "claim.subject_qc"),
        claim_heading=Message.of(L + "claim.heading_qc"),
        claim_form=Message.of(L + "claim.form_qc"),
        claim_opening=Message(L + "claim.opening_qc" + court, tuple(judgment.items())),
        opening_day=Message.of(L + "claim.opening_day_qc"),
        claim_arose_before=None,
        claim_interest=Message.of(L + "claim.interest_qc"),
        claim_in_time=Message.of(L + "claim.in_time_law"),
        claim_in_time_undated=None,
        claim_certify=Message.of(L + "claim.certify"),
        revendication_to=Addressee.REPRESENTATIVE,
        revendication_copy=False,
        revendication_judgment=Message(L + "revendication.judgment_qc" + court,
                                       tuple(judgment.items())),
        revendication_claim=Message.of(L + "revendication.claim_qc"),
        revendication_return=Message.of(L + "revendication.return_qc"),
        revendication_silence=None,
        revendication_not_a_claim=Message.of(L + "revendication.not_a_claim_qc"),
    )
