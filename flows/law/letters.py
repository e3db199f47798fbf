"""What a letter says about the law, asked of the jurisdiction pack rather than typed in a template.

A template lays a letter out; the sentences that depend on the country and the debtor (the
article a formal demand rests on, the procedure it threatens, the Book XIX mentions a Belgian
consumer must read) come from the pack as ``Message`` values in ``LetterWording``, worded in
``templates/<lang>/letters.toml``. A field is ``None`` when the pack has nothing to say there,
and the template then leaves the sentence out.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

from flows.law.messages import Message, Percent, message_to_json
from flows.money import Money
from flows.vocabulary import DebtorKind


@dataclass(frozen=True)
class LetterFacts:
    """The figures and facts of one case that a letter's legal sentences mention."""

    debtor_kind: DebtorKind
    on: date  # the day the figures are computed for
    legal_rate: Percent
    contract_rate: Percent | None
    rate_bases: tuple[Message, ...]  # each rate applied with what it rests on, oldest first
    has_interest: bool
    indemnity_each: Money | None  # the fixed recovery indemnity per invoice, when one is due
    demand_on: date | None  # an earlier formal demand the interest runs from
    services_running: bool
    consumer_damages: Money | None  # a Belgian consumer's damages clause, capped
    small_claims_open: bool | None  # Quebec's Small Claims Division (None: depends on facts)
    # France: the Cerfa of the order for payment before the court the route names (12946
    # commercial court, 12948 tribunal judiciaire).
    order_for_payment_form: str = ""
    # Quebec: the contract makes the mere lapse of the term a default (C.c.Q. 1594).
    default_by_term: bool = False

    @property
    def business(self) -> bool:
        return self.debtor_kind is DebtorKind.BUSINESS


@dataclass(frozen=True)
class LetterWording:
    """Every sentence of the letters that depends on the law of the case's country."""

    send_mode: Message  # how a registered letter goes
    send_mode_with_email: Message
    interest_to: Message  # claim table row; the document fills ``{on}``
    charges_due: Message  # "interest and indemnities due", as the law names them
    waived_charges: Message  # what a payment plan waives
    legal_basis: Message | None  # why interest and indemnity are claimed
    demand_legal_basis: Message | None  # the same, in the formal demand that starts them
    formal_notice: Message  # "this letter is a formal demand within the meaning of…"
    demand_action: Message  # the proceedings a formal demand announces
    suspension_reserve: Message | None  # the demand reserves suspending the services
    suspension_ground: Message  # what lets a creditor suspend its own performance
    reminder_law: Message | None  # the second reminder recalls what the law adds
    # The last reminder announces the formal demand; the document fills {pay_by}, {pay_how}.
    last_reminder_warning: Message
    first_reminder: Message | None  # Book XIX mentions of a first reminder
    demand_grace: Message | None  # Book XIX time to pay in a formal demand
    demand_after_grace: Message | None  # and what follows it
    agency_rules: Message | None  # what a collection agency mandate must respect
    plan_title: Message
    plan_signature: Message  # the words above the debtor's signature; fills ``{total}``
    # What a signed acknowledgement of debt does to the limitation period, and by which article.
    acknowledgement_interrupts: Message
    rot_ownership: Message  # what keeps the seller owner of goods under retention of title
    rot_court_action: Message  # going to court for the goods, and what must precede it
    order_for_payment_form: Message | None
    small_claims_form: Message | None
    uncontested_debt_form: Message | None
    small_claims_court_form: Message | None
    small_claims_court_conclusion: Message | None

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self)


@dataclass(frozen=True)
class InsolvencyLetterFacts:
    """What the letters to a debtor's insolvency administrator say about the proceedings."""

    proceedings: str  # the kind the user named: fr_liquidation, be_bankruptcy, qc_proposal…
    judgment_date: date | None
    published_on: date | None
    court: str
    administrator_named: bool  # a court-appointed administrator besides the representative
    interest_rates_known: bool  # the claim states the rates interest ran at


class Addressee(StrEnum):
    """Who a claim for goods is sent to."""

    ADMINISTRATOR = "administrator"
    DEBTOR = "debtor"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class InsolvencyWording:
    """The sentences of the proof of claim and the claim for goods that depend on the law.

    The documents fill ``{debtor}`` / ``{debtor_dot}`` (the name, ending a sentence),
    ``{principal}``, ``{rates}``, ``{last_day}`` and ``{article}``."""

    proceedings: Message
    representative: Message  # the title of who receives the claims
    claim_send_mode: Message
    claim_subject: Message
    claim_heading: Message
    claim_form: Message | None  # where the content goes, when a form or register takes it
    claim_opening: Message
    opening_day: Message  # "on the day of the opening judgment"
    claim_arose_before: Message | None
    claim_interest: Message
    claim_in_time: Message  # the deadline is known
    claim_in_time_undated: Message | None  # it is not, and the letter still says it is met
    claim_certify: Message
    revendication_to: Addressee
    revendication_copy: bool  # a copy goes to the representative
    revendication_judgment: Message
    revendication_claim: Message
    revendication_return: Message
    revendication_silence: Message | None  # what follows if the addressee does not answer
    revendication_not_a_claim: Message

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self)


def _fields_json(wording: LetterWording | InsolvencyWording) -> dict[str, Any]:
    """Each sentence as ``message_to_json`` (None and plain values as they are), for a
    document's JSON context."""
    out: dict[str, Any] = {}
    for field in fields(wording):
        value = getattr(wording, field.name)
        out[field.name] = message_to_json(value) if isinstance(value, Message) else value
    return out


def one_after_another(items: tuple[Message, ...]) -> Message | str:
    """Several rates in the order they applied: "12,15 % (…), puis 12,00 % (…)"."""
    if not items:
        return ""
    joined = items[-1]
    for item in reversed(items[:-1]):
        joined = Message.of("law.letter.then", first=item, then=joined)
    return joined


def rate_basis(rate: Percent, basis: Message) -> Message:
    return Message.of("law.letter.rate_basis", rate=rate, basis=basis)
