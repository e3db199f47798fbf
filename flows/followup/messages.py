"""What the follow-up says: a reminder with its buttons, the lessons when a case closes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from flows import formatting
from flows.conversation import Button, Prompt, Reply
from flows.followup import legal
from flows.followup.schedule import user_zone
from flows.followup.timeline import Step, StepKind, next_step, timeline
from flows.i18n import t
from flows.law.messages import Listing
from flows.law.render import Renderer
from flows.model import Account, Case, Invoice
from flows.money import Money
from flows.vocabulary import Jurisdiction

REMINDER_KEY = "fu"  # the question key of a reminder's buttons: ``case_id:fu:action.reminder``


def debtor(case: Case, lang: str) -> str:
    return case.text("debtor_name") or t(lang, "word.your_client")


def _shown(value: Any, case: Case, lang: str) -> Any:
    if isinstance(value, date):
        return formatting.day(value, lang, case.jurisdiction)
    if isinstance(value, Money):
        return formatting.money(value, lang, case.jurisdiction)
    return value


def describe(step: Step, case: Case, lang: str) -> str:
    """What the step is and what to do, with its figures and the article it rests on."""
    params = {name: _shown(value, case, lang) for name, value in step.params.items()}
    params.update(debtor=debtor(case, lang), article=step.article)
    if step.kind is StepKind.LIMITATION:
        # The same acts as the rights' details, in the case's jurisdiction.
        say = Renderer(lang, Jurisdiction(case.jurisdiction))
        params["acts"] = say.value(Listing(legal.limitation_acts(case)))
    return t(lang, f"fu.step.{step.kind.value}", **params)


def step_title(step: Step, case: Case, lang: str) -> str:
    """A short line for lists and calendars: ``Formal demand: deadline over``."""
    return t(lang, f"fu.title.{step.kind.value}", debtor=debtor(case, lang),
             **{k: _shown(v, case, lang) for k, v in step.params.items()})


def action_label(action: str, lang: str) -> str:
    return t(lang, f"choice.outcome.{action}")


def find_step(case: Case, step_id: str) -> Step | None:
    return next((s for s in timeline(case) if s.id == step_id), None)


def reminder_reply(account: Account, case: Case, reminder: dict[str, Any],
                   now: datetime) -> Reply:
    """The message pushed when a reminder is due: one message, its buttons under it."""
    lang = account.lang
    step = find_step(case, str(reminder.get("id")))
    if step is None:  # its step changed while it was on its way: ask the general question
        step = Step(str(reminder.get("id")), now.date(), StepKind.AGAIN)
    last_day = step.params.get("last_day")
    if "days" in step.params and isinstance(last_day, date):
        # Counted from today: a reminder moved or delayed says how long is really left.
        days = (last_day - now.astimezone(user_zone(account, now)).date()).days
        step = replace(step, params={**step.params, "days": days})
    header = t(lang, "fu.header", debtor=debtor(case, lang),
               balance=formatting.money(case.total_balance(), lang, case.jurisdiction))
    text = f"{header}\n\n{describe(step, case, lang)}"
    buttons = tuple(Button(f"{action}.{step.id}", action_label(action, lang))
                    for action in step.actions)
    return Reply(prompt=Prompt(case.id, REMINDER_KEY, text, buttons, free_text=False))


# After a payment --------------------------------------------------------------------------------
def after_payment(case: Case, lang: str, today: date) -> list[str]:
    """Interest on what is left (when the legal engine can say) and the next step."""
    lines = []
    interest = legal.interest_today(case, today)
    if interest is not None and interest.amount > 0:
        lines.append(t(lang, "fu.interest_today",
                       interest=formatting.money(interest, lang, case.jurisdiction)))
    step = next_step(case, today)
    if step is not None:
        lines.append(t(lang, "fu.next_step", day=formatting.day(step.day, lang, case.jurisdiction),
                       what=step_title(step, case, lang)))
    return lines


# Closing ----------------------------------------------------------------------------------------
def closing_message(case: Case, lang: str, reason: str) -> str:
    """The case is closed (paid or abandoned): say so, then lessons drawn from this case."""
    lines = [t(lang, f"fu.closed.{reason}", debtor=debtor(case, lang)), ""]
    lines.append(t(lang, "fu.lessons.title"))
    lines += ["• " + line for line in lessons(case, lang, reason)]
    return "\n".join(lines)


def lessons(case: Case, lang: str, reason: str = "paid") -> list[str]:
    """Advice for next time, chosen from what this case lacked."""
    found: list[str] = []
    invoices = case.invoices()
    total = Money.zero(case.currency)
    for invoice in invoices:
        total = total + invoice.amount
    found.append(t(lang, "fu.lessons.deposit",
                   amount=formatting.money(total, lang, case.jurisdiction)))
    if case.flag("ev_contract") is not True:
        found.append(t(lang, "fu.lessons.contract"))
    if case.flag("ev_delivery") is False:
        found.append(t(lang, "fu.lessons.delivery"))
    consumer = case.text("debtor_kind") == "consumer"
    if consumer or case.text("contract_rate", "none") == "none":
        audience = "consumer" if consumer else "business"
        found.append(t(lang, f"fu.lessons.terms.{case.jurisdiction}.{audience}"))
    if case.text("supply") == "goods" and case.flag("rot_goods") is not True:
        found.append(t(lang, "fu.lessons.retention"))
    if case.text("supply") == "services":
        found.append(t(lang, "fu.lessons.keep"))
    late = _days_before_acting(case, invoices)
    if late is not None and (late > 7 or case.text("reminders_sent", "0") == "0"):
        found.append(t(lang, "fu.lessons.early", days=max(late, 0)))
    if reason == "abandoned":
        found.append(t(lang, "fu.lessons.vat"))
    return found


def _days_before_acting(case: Case, invoices: list[Invoice]) -> int | None:
    dues = [i.due_date for i in invoices if i.due_date is not None]
    if not dues:
        return None
    opened = datetime.fromisoformat(case.created_at).date()
    return (opened - min(dues)).days
