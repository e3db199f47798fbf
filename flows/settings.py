"""``/settings``: the chat's language, when reminders come (hour, time zone) and the user's own
details (``flows.profile``), each changed from one screen.

The hour and the time zone are the ``/reminders`` menu's own questions (``flows.followup``).
A detail is typed (or picked, where its question offers buttons) while ``Account.asking``
holds ``EDIT`` with the detail's key in ``about``, read and checked by the engine that reads
it in a case. The new value is the one offered in the next cases, and replaces the earlier one
in the open cases that used it: their next letters carry it (a letter already drawn stays as
it was sent).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flows import followup, journey, profile
from flows.answers import Kind, choice_value, read_answer
from flows.conversation import Button, Press, Prompt, Reply, Role
from flows.followup.schedule import user_hour, zone_name
from flows.i18n import LANGUAGES, t
from flows.model import PROFILE_KEYS, Account, Asking, Case
from flows.parsing import ParseError
from flows.questions import BY_KEY

COMMAND = "settings"
KEY = "settings"  # the screen's buttons: "lang", "hour", "tz", "edit.<key>", "set.<key>.<code>"
EDIT = "settings_edit"  # ``Account.asking`` while a detail is typed
# Shown even before they are known; the details a court asks of a natural person only once
# the user said they are one.
ALWAYS_SHOWN = ("creditor_name", "creditor_address", "creditor_id", "signatory",
                "creditor_contact", "payment_details", "city")


def menu(account: Account, now: datetime, said: tuple[str, ...] = ()) -> Reply:
    """The settings as they are, a button for each."""
    lang = account.lang
    lines = [t(lang, "settings.title"), "",
             t(lang, "settings.language"),
             t(lang, "settings.hour", hour=f"{user_hour(account):%H:%M}"),
             t(lang, "settings.zone", zone=zone_name(account, now)),
             "", t(lang, "settings.details")]
    scratch = _scratch(account)
    buttons = [Button("lang", t(lang, "settings.language_button")),
               Button("hour", t(lang, "fu.menu.hour_button", hour=f"{user_hour(account):%H:%M}")),
               Button("tz", t(lang, "fu.menu.zone_button", zone=zone_name(account, now)))]
    for key in _shown(account):
        value = account.profile.get(key)
        shown = journey.display_value(scratch, key, value, lang).replace("\n", ", ")
        lines.append("• " + t(lang, "review.line", label=t(lang, f"label.{key}"), value=shown))
        buttons.append(Button(f"edit.{key}", "✏️ " + t(lang, f"label.{key}")))
    prompt = Prompt("", KEY, "\n".join(lines), tuple(buttons), free_text=False)
    return Reply(messages=list(said), prompt=prompt, changed=bool(said))


def waiting(account: Account) -> bool:
    """Whether the next typed text is a detail being changed."""
    return account.asking is not None and account.asking.key == EDIT


def press(account: Account, event: Press, now: datetime) -> Reply:
    """A button of the screen, or of a detail's question."""
    lang = account.lang
    action, _, rest = event.value.partition(".")
    if event.role is Role.BACK or action == "menu":
        if waiting(account):
            account.asking = None
        return menu(account, now)
    if action == "lang":
        others = [code for code in LANGUAGES if code != lang]
        account.lang = others[0]
        return menu(account, now, (t(account.lang, "language_set"),))
    if action in {"hour", "tz"}:  # the /reminders menu's questions, answered there
        return followup.menu_press(account, action, now)
    key, _, code = rest.partition(".")
    if key not in PROFILE_KEYS:
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    question = BY_KEY[key]
    if action == "edit":
        account.asking = Asking(EDIT, about=key)
        return Reply(prompt=_question(account, key))
    codes = ("yes", "no") if question.kind is Kind.YESNO else question.choices
    if action != "set" or code not in codes:
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    return _save(account, key, choice_value(question, _scratch(account), code), now)


def typed(account: Account, text: str, now: datetime) -> Reply:
    """The new value of the detail being changed: checked as in a case, or asked again."""
    assert account.asking is not None
    key = account.asking.about
    if key not in PROFILE_KEYS:
        account.asking = None
        return menu(account, now)
    question = BY_KEY[key]
    if question.kind is Kind.YESNO or (question.choices and not question.typed_too):
        return Reply(messages=[t(account.lang, "error.use_buttons")],
                     prompt=_question(account, key), changed=False)
    try:
        value = read_answer(question, _scratch(account), text, now.date())
    except ParseError as error:
        return Reply(messages=[t(account.lang, question.error_key(error), **error.params)],
                     prompt=_question(account, key), changed=False)
    return _save(account, key, value, now)


def _save(account: Account, key: str, value: Any, now: datetime) -> Reply:
    before = account.profile.get(key)
    profile.remember(account, key, value)
    for case in account.cases:
        # A case that used the earlier detail takes the new one for its next letters.
        if case.state != "closed" and key in case.answers and case.answers[key] == before:
            case.answers[key] = value
        profile.replace_offer(account, case, key)
    if waiting(account):
        account.asking = None
    lang = account.lang
    shown = journey.display_value(_scratch(account), key, value, lang).replace("\n", ", ")
    return menu(account, now, (t(lang, "settings.saved", label=t(lang, f"label.{key}"),
                                 value=shown),))


def _question(account: Account, key: str) -> Prompt:
    lang = account.lang
    question = BY_KEY[key]
    scratch = _scratch(account)
    text = t(lang, f"q.{key}", **journey.prompt_params(scratch, lang))
    if key in account.profile:
        text += "\n\n" + t(lang, "hint.current_answer", value=journey.display_value(
            scratch, key, account.profile[key], lang))
    codes = ("yes", "no") if question.kind is Kind.YESNO else question.choices
    buttons = [Button(f"set.{key}.{code}", t(lang, f"choice.{code}") if question.kind
                      is Kind.YESNO else t(lang, f"choice.{key}.{code}")) for code in codes]
    buttons.append(Button("menu", t(lang, "choice.back")))
    free = question.kind is not Kind.YESNO and (not question.choices or question.typed_too)
    return Prompt("", KEY, text, tuple(buttons), free_text=free)


def _shown(account: Account) -> list[str]:
    person = account.profile.get("creditor_is_person") is True
    return [key for key in PROFILE_KEYS
            if key in ALWAYS_SHOWN or key in account.profile
            or (person and key.startswith("creditor_"))]


def _scratch(account: Account) -> Case:
    """A case to read and check a detail against, never stored: in the country of the user's
    latest case (a registration number, a postcode are checked by country)."""
    scratch = Case(id="", created_at="")
    if account.cases:
        scratch.answers["jurisdiction"] = account.cases[-1].jurisdiction
    return scratch
