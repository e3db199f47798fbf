"""Drive the journey through ``turn`` as a user would, and read back what the bot said."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flows.conversation import Command, Press, Prompt, Reply, Role, Text
from flows.model import Account, Case
from flows.turn import turn

# A complete French business case, answer by answer (buttons by their value).
FRENCH_BUSINESS_CASE: list[tuple[str, str]] = [
    ("jurisdiction", "press:fr"),
    ("debtor_kind", "press:business"),
    ("debtor_name", "ACME Rénovation SARL"),
    ("invoice_number", "F-2026-042"),
    ("invoice_amount", "1 200,50 €"),
    ("issue_date", "15/09/2026"),
    ("due_date", "15/10/2026"),
    ("payments", "press:nothing"),
    ("another_invoice", "press:no"),
    ("supply", "press:services"),
    ("debtor_trader", "press:trader"),
    ("contract_rate", "press:none"),
    ("reminders_sent", "press:1"),
    ("rights_ack", "press:continue"),
    ("ev_contract", "press:yes"),
    ("ev_delivery", "press:yes"),
    ("ev_invoice_sent", "press:yes"),
    ("ev_written_reminders", "press:no"),
    ("disputed", "press:no"),
    ("insolvency", "press:no"),
    ("debtor_responsive", "press:yes"),
    ("services_running", "press:no"),
    ("remedy", "press:formal_demand"),
    ("creditor_name", "Jeanne Martin EI"),
    ("creditor_address", "12 rue des Lilas\n75011 Paris"),
    ("debtor_address", "4 avenue Foch\n69006 Lyon"),
    ("city", "Paris"),
    ("deadline_days", "press:8"),
    ("supply_description", "Refonte du site internet selon devis du 2 mars 2026"),
    ("creditor_id", "732 829 320"),
    ("signatory", "press:self"),
    ("payment_details", "IBAN FR76 3000 6000 0112 3456 7890 189"),
    ("last_reminder_date", "02/11/2026"),
    ("review", "press:generate"),
]


def plain(text: str) -> str:
    """What a reader sees: the non-breaking spaces Babel puts in French amounts as spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


class Driver:
    def __init__(self, lang: str = "fr", now: datetime | None = None,
                 account: Account | None = None) -> None:
        self.account = account or Account.new("1001", lang)
        self.now = now or datetime.now().astimezone()
        self.replies: list[Reply] = []

    @property
    def case(self) -> Case:
        case = self.account.current
        assert case is not None
        return case

    @property
    def prompt(self) -> Prompt:
        for reply in reversed(self.replies):
            if reply.prompt is not None:
                return reply.prompt
        raise AssertionError("no question asked yet")

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    def text_of_last(self) -> str:
        parts = list(self.last.messages)
        if self.last.prompt is not None:
            parts.append(self.last.prompt.text)
        if self.last.notice:
            parts.append(self.last.notice)
        return plain("\n".join(parts))

    def command(self, name: str, arg: str = "") -> Reply:
        return self._record(turn(self.account, Command(name, arg), self.now))

    def say(self, text: str) -> Reply:
        return self._record(turn(self.account, Text(text), self.now))

    def press(self, value: str, key: str | None = None, role: Role = Role.ANSWER) -> Reply:
        prompt = self.prompt
        event = Press(self.case.id, key or prompt.key, value, role)
        return self._record(turn(self.account, event, self.now))

    def press_label(self, label_part: str) -> Reply:
        for button in self.prompt.buttons:
            if label_part.lower() in button.label.lower():
                return self.press(button.value, role=button.role)
        raise AssertionError(f"no button like {label_part!r} in {self.prompt.buttons}")

    def rights_in_full(self) -> str:
        """The short rights card already shown, then the details its button opens."""
        card = self.text_of_last()
        self.press("", role=Role.DETAILS)
        return card + "\n" + self.text_of_last()

    def answer(self, step: str) -> Reply:
        if step.startswith("press:"):
            return self.press(step.removeprefix("press:"))
        return self.say(step)

    def play(self, script: list[tuple[str, str]], until: str | None = None) -> None:
        """Answer each scripted question, checking it is the one actually asked."""
        for key, step in script:
            if key == until:
                return
            assert self.prompt.key == key, f"expected {key!r}, bot asks {self.prompt.key!r}"
            self.answer(step)

    def _record(self, reply: Reply) -> Reply:
        self.replies.append(reply)
        return reply

    def answers(self) -> dict[str, Any]:
        return dict(self.case.answers)
