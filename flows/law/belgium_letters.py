"""What Belgian letters say about the law (the wording is in ``templates/<lang>/letters.toml``).

Between enterprises: the law of 2 August 2002 (interest and the fixed indemnity without a
formal demand), the procedure for uncontested money debts (C. jud. 1394/20). Against a consumer:
Code of economic law Book XIX, whose first reminder must be free and state the time to pay
(14 calendar days from the third working day after posting, figures from the data tables).
"""

from __future__ import annotations

from flows.law import tables
from flows.law.letters import (
    Addressee,
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
    one_after_another,
)
from flows.law.messages import Message, Ordinal

L = "law.letter."


def wording(facts: LetterFacts) -> LetterWording:
    business = facts.business
    return LetterWording(
        send_mode=Message.of(L + "send_mode.be"),
        send_mode_with_email=Message.of(L + "send_mode_with_email.be"),
        interest_to=Message.of(L + "interest_to.interest"),
        charges_due=Message.of(L + "charges_due.interest"),
        waived_charges=Message.of(L + ("waived.interest_and_indemnity" if business
                                       else "waived.interest")),
        legal_basis=_legal_basis(facts),
        demand_legal_basis=_legal_basis(facts),
        formal_notice=Message.of(L + "formal_notice.be"),
        demand_action=Message.of(L + "demand_action.be"),  # C. jud. 1394/20
        suspension_reserve=(Message.of(L + "suspension_reserve.other")
                            if facts.services_running else None),
        suspension_ground=Message.of(L + "suspension_ground.be"),
        reminder_law=Message.of(L + "reminder_law.be") if business else None,  # law 2 Aug 2002
        last_reminder_warning=Message.of(L + "last_reminder.costs"),
        first_reminder=None if business else _first_reminder(facts),
        demand_grace=None if business else _demand_grace(facts),
        demand_after_grace=None if business else _demand_after_grace(facts),
        agency_rules=None,
        plan_title=Message.of(L + "plan_title.be"),
        plan_signature=Message.of(L + "plan_signature.other"),
        # A signed acknowledgement interrupts the period (anc. C. civ. 2248).
        acknowledgement_interrupts=Message.of(L + "acknowledgement_interrupts.be"),
        rot_ownership=Message.of(L + "rot_ownership.be"),
        rot_court_action=Message.of(L + "rot_court_action.other"),
        order_for_payment_form=None,
        small_claims_form=None,
        uncontested_debt_form=Message.of(L + "form.uncontested_debt") if business else None,
        small_claims_court_form=None,
        small_claims_court_conclusion=None,
    )


def _legal_basis(facts: LetterFacts) -> Message | None:
    if facts.business:
        # Law of 2 August 2002, art. 5-6: interest and indemnity with no formal demand.
        if facts.rate_bases:
            rate = Message.of(L + "rate.bases", bases=one_after_another(facts.rate_bases))
        elif facts.contract_rate:
            rate = Message.of(L + "rate.contract_be")
        else:
            rate = Message.of(L + "rate.b2b_be")
        indemnity: Message | str = ""
        if facts.indemnity_each:
            indemnity = Message.of(L + "legal_basis.be_business_indemnity",
                                   amount=facts.indemnity_each)
        return Message.of(L + "legal_basis.be_business", rate=rate, indemnity=indemnity)
    if facts.has_interest:  # CDE XIX.2: interest only once the first reminder's time is out
        return Message.of(L + "legal_basis.be_consumer", days=_grace_days(facts))
    return None


def _grace_days(facts: LetterFacts) -> int:
    return tables.require("be", "consumer_grace_days", facts.on).as_int


def _grace_starts(facts: LetterFacts) -> Ordinal:
    return Ordinal(tables.require("be", "consumer_paper_start_working_days", facts.on).as_int)


def _consumer_rate(facts: LetterFacts) -> Message:
    if facts.contract_rate:
        return Message.of(L + "rate.agreed_be", rate=facts.contract_rate)
    return Message.of(L + "rate.legal_be", rate=facts.legal_rate)


def _first_reminder(facts: LetterFacts) -> Message:
    """The mentions CDE XIX.2 requires in the free first reminder; the document fills
    ``{principal}``."""
    damages: Message | str = ""
    if facts.consumer_damages:
        damages = Message.of(L + "book_xix.damages", amount=facts.consumer_damages)
    return Message.of(L + "book_xix.first_reminder", days=_grace_days(facts),
                      working_day=_grace_starts(facts), rate=_consumer_rate(facts),
                      damages=damages)


def _demand_grace(facts: LetterFacts) -> Message:
    """The time to pay a formal demand to a consumer must leave (CDE XIX.2); the document
    fills ``{total}``, ``{deadline}`` and ``{pay_how}``."""
    return Message.of(L + "book_xix.demand_grace", days=_grace_days(facts),
                      working_day=_grace_starts(facts))


def _demand_after_grace(facts: LetterFacts) -> Message:
    damages: Message | str = ""
    if facts.consumer_damages:
        damages = Message.of(L + "book_xix.demand_damages", amount=facts.consumer_damages)
    return Message.of(L + "book_xix.demand_after_grace", rate=_consumer_rate(facts),
                      damages=damages)


def insolvency_wording(facts: InsolvencyLetterFacts) -> InsolvencyWording:
    """The proof of claim (CDE Book XX, filed on RegSol by the date the judgment sets) and the
    claim for goods, made before the first report on the verification of claims."""
    proceedings = Message.of(L + "proceedings." + facts.proceedings)
    judgment = Message.of(L + "claim.opening_be", published_on=facts.published_on or "",
                          court=facts.court, proceedings=proceedings)
    bankrupt = facts.proceedings == "be_bankruptcy"
    return InsolvencyWording(
        proceedings=proceedings,
        representative=Message.of(L + "representative.be"),
        claim_send_mode=Message.of(L + "claim.send_mode_be"),
        claim_subject=Message.of(L + "claim.subject_be"),
        claim_heading=Message.of(L + "claim.heading_be"),
        claim_form=Message.of(L + "claim.form_be"),
        claim_opening=judgment,
        opening_day=Message.of(L + "claim.opening_day_be"),
        claim_arose_before=None,
        claim_interest=Message.of(L + "claim.interest_be"),
        claim_in_time=Message.of(L + "claim.in_time_judgment"),
        claim_in_time_undated=Message.of(L + "claim.in_time_judgment_undated"),
        claim_certify=Message.of(L + "claim.certify"),
        revendication_to=Addressee.REPRESENTATIVE,
        revendication_copy=False,
        revendication_judgment=Message.of(
            L + ("revendication.judgment_be_bankruptcy" if bankrupt
                 else "revendication.judgment_be_reorganisation"),
            published_on=facts.published_on or "", court=facts.court),
        revendication_claim=Message.of(L + "revendication.claim_be"),
        revendication_return=Message.of(L + "revendication.return_be"),
        revendication_silence=None,
        revendication_not_a_claim=Message.of(L + "revendication.not_a_claim_be"),
    )
