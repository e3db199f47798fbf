"""A company number typed for the debtor's name: look it up, then propose what was found.

At the question "what is your client's name?", a French business debtor's SIREN or SIRET is
taken as the number it is (``flows.company``): kept as the debtor's registration, and the reply
asks the adapter to look it up (``CompanyLookup``) and to check the BODACC in the background
(``InsolvencyCheck``). The register's answer comes back as a ``CompanyFound`` event: the name,
registered office and trader status it gives are proposed through the one confirmation screen
(``flows.prefill``), never taken silently. No answer (slow, failing, offline, turned off) or no
such company: the question is simply asked again. A Belgian or Quebec number is checked and
noted, and the name asked.

This module sits above the journey and the confirmation screen; ``flows.turn`` routes to it.
"""

from __future__ import annotations

from datetime import datetime

from flows import formatting, journey, prefill
from flows.company import Company, CompanyNumber, company_number, form_group, from_search, watched
from flows.conversation import (
    LOOKUPS_OFF,
    CompanyFound,
    CompanyLookup,
    InsolvencyCheck,
    Reply,
)
from flows.i18n import catalog, t
from flows.model import Account, Case
from flows.proposals import Proposal
from flows.questions import business_debtor, current_question

ASKED_AT = "debtor_name"  # the question a number may answer instead
SOURCE = "company_registry"  # flows.prefill's wording of where the answers come from


def number_for_name(account: Account, case: Case, text: str) -> CompanyNumber | None:
    """The company number typed where the debtor's name was asked, if that is what it is."""
    # The text first: reading it costs less than finding the question, which every typed
    # answer would otherwise pay here and again in the journey.
    number = company_number(text, case.jurisdiction)
    if number is None:
        return None
    question = current_question(case, account.asking)
    if question is None or question.key != ASKED_AT or not business_debtor(case):
        return None
    return number


def number_typed(account: Account, case: Case, number: CompanyNumber,
                 now: datetime) -> Reply:
    """Keep the number as the debtor's registration; in France, look it up."""
    lang = account.lang
    case.answers["debtor_id"] = number.shown
    if case.jurisdiction != "fr":
        reply = Reply(messages=[t(lang, f"lookup.checked_{case.jurisdiction}",
                                  number=number.shown)])
        reply.prompt = journey.reprompt(account, case, now.date())
        return reply
    reply = Reply(messages=[t(lang, "lookup.searching", number=number.shown)],
                  lookups=[CompanyLookup(case.id, number.digits)])
    if watched(case):
        reply.lookups.append(InsolvencyCheck(case.id, watched(case)))
    return reply


def found(account: Account, event: CompanyFound, now: datetime) -> Reply:
    """The register's answer: what it says, then the answers it gives to confirm."""
    lang = account.lang
    case = account.case(event.case_id)
    number = company_number(event.number, "fr")
    question = current_question(case, account.asking) if case is not None else None
    if case is None or number is None or question is None or question.key != ASKED_AT:
        return Reply(changed=False)  # the user has moved on: the answer is of no use now
    company = from_search(event.answer, number) if event.answer is not None else None
    if company is None:
        key = ("lookup.off" if event.failure == LOOKUPS_OFF else
               "lookup.unavailable" if event.failure else "lookup.not_found")
        reply = Reply(messages=[t(lang, key, number=number.shown)], changed=False)
        reply.prompt = journey.reprompt(account, case, now.date())
        return reply
    reply = Reply(messages=company_messages(company, lang))
    screen = prefill.propose(account, case, proposals_from(company, lang, now), now)
    if screen is None:
        journey.proceed(account, case, reply, now)
        return reply
    reply.messages += screen.messages
    reply.prompt = screen.prompt
    return reply


def proposals_from(company: Company, lang: str, now: datetime) -> list[Proposal]:
    """The answers the register gives: name, registered office, trader or not (when the legal
    form settles it; otherwise the question is asked)."""
    detail = t(lang, "lookup.as_of", day=formatting.day(now.date(), lang))
    offered = [Proposal("debtor_name", company.name, SOURCE, detail)] if company.name else []
    if company.address:
        offered.append(Proposal("debtor_address", company.address, SOURCE, detail))
    if company.trader:
        offered.append(Proposal("debtor_trader", company.trader, SOURCE, detail))
    return offered


def company_messages(company: Company, lang: str) -> list[str]:
    """What the register says of the company, and a warning when it is closed."""
    form_key = f"lookup.form.{form_group(company.legal_form)}"
    form = t(lang, form_key) if form_key in catalog("en") else t(lang, "lookup.form_unknown")
    if company.active:
        status = t(lang, "lookup.active")
    elif company.closed_on is not None:
        status = t(lang, "lookup.closed", day=formatting.day(company.closed_on, lang))
    else:
        status = t(lang, "lookup.closed_undated")
    messages = [t(lang, "lookup.found", name=company.name or "—", form=form, status=status)]
    if not company.active:
        messages.append(t(lang, "lookup.closed_warning"))
    return messages
