"""What French letters say about the law (the wording is in ``templates/<lang>/letters.toml``).

Articles cited: Code de commerce L441-10 and D441-5 (penalties and the fixed indemnity between
professionals), Code civil 1231-6 and 1344-1 (legal interest from the formal demand), 1344 (the
formal demand), 1219-1220 (suspending one's own performance), 1376 (the handwritten amount of
an acknowledgment of debt), 2367 (retention of title); CPC 1405 (order for payment); CPCE
L125-1 (small claims procedure), R124-3 and L111-8 (collection agencies).
"""

from __future__ import annotations

from flows.law.letters import (
    Addressee,
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
    one_after_another,
)
from flows.law.messages import Message, ParamValue

L = "law.letter."


def wording(facts: LetterFacts) -> LetterWording:
    business = facts.business
    return LetterWording(
        send_mode=Message.of(L + "send_mode.fr"),
        send_mode_with_email=Message.of(L + "send_mode_with_email.fr"),
        # Between professionals the law calls them penalties (C. com. L441-10).
        interest_to=Message.of(L + "interest_to." + ("penalties" if business else "interest")),
        charges_due=Message.of(L + "charges_due." + ("penalties" if business else "interest")),
        waived_charges=Message.of(L + ("waived.penalties_and_indemnity" if business
                                       else "waived.interest")),
        legal_basis=_legal_basis(facts, in_demand=False),
        demand_legal_basis=_legal_basis(facts, in_demand=True),
        formal_notice=Message.of(L + "formal_notice.fr"),  # C. civ. 1344
        demand_action=Message.of(L + "demand_action.fr"),  # CPC 1405
        suspension_reserve=(Message.of(L + "suspension_reserve.fr")  # C. civ. 1219-1220
                            if facts.services_running else None),
        suspension_ground=Message.of(L + "suspension_ground.fr"),
        reminder_law=Message.of(L + "reminder_law.fr") if business else None,
        last_reminder_warning=Message.of(L + "last_reminder.costs"),
        first_reminder=None,
        demand_grace=None,
        demand_after_grace=None,
        agency_rules=Message.of(L + ("agency_rules.fr_business" if business
                                     else "agency_rules.fr_consumer")),  # CPCE R124-3, L111-8
        plan_title=Message.of(L + "plan_title.fr"),
        plan_signature=Message.of(L + "plan_signature.fr"),  # C. civ. 1376
        # A signed acknowledgement interrupts the period (C. civ. 2240, 2231).
        acknowledgement_interrupts=Message.of(L + "acknowledgement_interrupts.fr"),
        rot_ownership=Message.of(L + "rot_ownership.fr"),  # C. civ. 2367
        rot_court_action=Message.of(L + "rot_court_action.other"),
        order_for_payment_form=Message.of(L + "form.order_for_payment",
                                          form=facts.order_for_payment_form),
        small_claims_form=Message.of(L + "form.small_claims"),  # CPCE L125-1
        uncontested_debt_form=None,
        small_claims_court_form=None,
        small_claims_court_conclusion=None,
    )


def _legal_basis(facts: LetterFacts, in_demand: bool) -> Message | None:
    if facts.business:
        # Penalties run from the day after the due date, with no reminder (C. com. L441-10).
        if facts.rate_bases:
            rate = Message.of(L + "rate.bases", bases=one_after_another(facts.rate_bases))
        elif facts.contract_rate:
            rate = Message.of(L + "rate.contract_fr")
        else:
            rate = Message.of(L + "rate.ecb_plus_fr")
        indemnity: Message | str = ""
        if facts.indemnity_each:  # C. com. D441-5
            indemnity = Message.of(L + "legal_basis.fr_business_indemnity",
                                   amount=facts.indemnity_each)
        return Message.of(L + "legal_basis.fr_business", rate=rate, indemnity=indemnity)
    # A consumer owes legal interest from the formal demand (C. civ. 1231-6, 1344-1).
    if in_demand:
        return Message.of(L + "legal_basis.fr_consumer_demand", rate=facts.legal_rate)
    if facts.has_interest and facts.demand_on:
        return Message.of(L + "legal_basis.fr_consumer_running", demand_on=facts.demand_on)
    return None


def insolvency_wording(facts: InsolvencyLetterFacts) -> InsolvencyWording:
    """The proof of claim (C. com. L622-24, R622-23) and the claim for goods (L624-9, L624-16,
    in the form of R624-13) in French safeguard, reorganisation or liquidation proceedings."""
    liquidation = facts.proceedings == "fr_liquidation"
    proceedings = Message.of(L + "proceedings." + facts.proceedings)
    judgment: dict[str, ParamValue] = {"court": facts.court, "proceedings": proceedings,
                                       "published_on": facts.published_on or ""}
    if facts.judgment_date:
        judgment["judgment_date"] = facts.judgment_date
    dated = "" if facts.judgment_date else "_undated"
    # The claim for goods goes to the administrator, or to the debtor when none was named, with
    # a copy to the creditors' representative; in liquidation, to the liquidator (R624-13).
    if liquidation:
        to = Addressee.REPRESENTATIVE
    elif facts.administrator_named:
        to = Addressee.ADMINISTRATOR
    else:
        to = Addressee.DEBTOR
    return InsolvencyWording(
        proceedings=proceedings,
        representative=Message.of(L + "representative." + ("fr_liquidator" if liquidation
                                                            else "fr_representative")),
        claim_send_mode=Message.of(L + "send_mode.fr"),
        claim_subject=Message.of(L + "claim.subject_fr"),
        claim_heading=Message.of(L + "claim.heading_fr"),
        claim_form=None,
        claim_opening=Message(L + "claim.opening_fr" + dated, tuple(judgment.items())),
        opening_day=Message.of(L + "claim.opening_day_fr"),
        claim_arose_before=Message.of(L + "claim.arose_before_fr"),
        # Interest stops at the opening judgment (L622-28); how it would run is stated all the
        # same (R622-23, 2°).
        claim_interest=Message.of(L + ("claim.interest_fr_rates" if facts.interest_rates_known
                                       else "claim.interest_fr_legal")),
        claim_in_time=Message.of(L + "claim.in_time_law"),
        claim_in_time_undated=None,
        claim_certify=Message.of(L + "claim.certify_fr"),
        revendication_to=to,
        revendication_copy=not liquidation,
        revendication_judgment=Message(L + "revendication.judgment_fr" + dated,
                                       tuple(judgment.items())),
        revendication_claim=Message.of(L + "revendication.claim_fr"),
        revendication_return=Message.of(L + "revendication.return_fr"),
        # Without an answer within a month, the juge-commissaire is asked to rule (R624-13).
        revendication_silence=Message.of(L + "revendication.silence_fr"),
        revendication_not_a_claim=Message.of(L + "revendication.not_a_claim_fr"),
    )
