"""The messages of the journey's "rights" and "remedy" stages, from the legal engine: the
rights for each invoice, the remedies recommended and ruled out, their comparison, and the
order the remedy buttons follow."""

from __future__ import annotations

from datetime import date

from flows import formatting
from flows.i18n import t
from flows.law.from_case import advice_for, rights_for
from flows.law.remedies import Advice
from flows.law.render import Renderer, render_insolvency, render_rights
from flows.law.rights import Rights
from flows.model import Case
from flows.money import Money
from flows.vocabulary import Remedy

# Said in one short line on the card; the details name the half-year and the rate carried over.
PROVISIONAL_RATE = "law.warning.rate_provisional"


def rights_messages(case: Case, lang: str, today: date) -> list[str]:
    """A short card per invoice — owed today, per day, the last day to act, the next step —
    then the case total when there are several; the rest is one tap away (``rights_details``)."""
    all_rights = rights_for(case, today)
    advice = advice_for(case, today)
    next_step = advice.recommended[0].remedy if advice and advice.recommended else None
    messages = [_card(rights, lang, next_step) for rights in all_rights]
    messages[-1] += "\n\n" + t(lang, "rights.card.details_hint")
    return messages + _case_total(case, all_rights, lang)


def rights_details(case: Case, lang: str, today: date) -> list[str]:
    """The rights of each invoice in full: interest periods, ceilings, limitation, routes and
    the articles they rest on."""
    all_rights = rights_for(case, today)
    return [render_rights(rights, lang) for rights in all_rights]


def _card(rights: Rights, lang: str, next_step: Remedy | None) -> str:
    say = Renderer(lang, rights.jurisdiction)
    v = say.value
    title = ("rights.card.title" if rights.number else "rights.card.title_unnumbered")
    owed = "rights.card.owed" if rights.indemnity.amount else "rights.card.owed_no_indemnity"
    lines = [t(lang, title, number=rights.number, on=v(rights.computed_on)),
             t(lang, owed, total=v(rights.total), principal=v(rights.principal),
               interest=v(rights.interest), indemnity=v(rights.indemnity))]
    if rights.interest_per_day.amount:
        lines.append(t(lang, "rights.card.per_day", per_day=v(rights.interest_per_day)))
    lines.append(t(lang, "rights.card.last_day", last_day=v(rights.limitation_date)))
    if next_step is not None:
        lines.append(t(lang, "rights.card.next_step", remedy=t(lang, f"remedy.{next_step}")))
    if rights.provisional:
        lines.append(t(lang, "rights.card.provisional"))
    # What must not wait for "Details": not yet due, limitation close or over, a term exceeded…
    lines += [f"⚠️ {say(warning)}" for warning in rights.warnings
              if warning.key != PROVISIONAL_RATE]
    return "\n".join(lines)


def _case_total(case: Case, all_rights: list[Rights], lang: str) -> list[str]:
    messages = []
    if len(all_rights) > 1:
        total = Money.zero(case.currency)
        for rights in all_rights:
            total = total + rights.total
        messages.append(t(lang, "rights.case_total", count=len(all_rights),
                          total=formatting.money(total, lang, case.jurisdiction)))
    return messages


def remember_ranking(case: Case, advice: Advice) -> None:
    """Keep the order shown to the user, so the buttons match the message they read."""
    case.ranking = ([r.remedy.value for r in advice.recommended]
                    + [r.remedy.value for r in advice.ruled_out])


def recommendation_messages(case: Case, lang: str, today: date) -> list[str]:
    advice = advice_for(case, today)
    if advice is None:
        return []
    remember_ranking(case, advice)
    say = Renderer(lang, advice.rights.jurisdiction)
    lines = [t(lang, "recommend.title")]
    for rank, pick in enumerate(advice.recommended, start=1):
        name = t(lang, f"remedy.{pick.remedy.value}")
        lines.append(f"{rank}. {name} — {say(pick.reason)}")
    if advice.ruled_out:
        lines += ["", t(lang, "recommend.ruled_out")]
        lines += [f"✗ {t(lang, f'remedy.{out.remedy.value}')} — {say(out.reason)}"
                  for out in advice.ruled_out]
    lines += ["", t(lang, "recommend.compare_hint")]
    messages = ["\n".join(lines)]
    if advice.insolvency is not None:
        messages.append(render_insolvency(advice.insolvency, lang))
    return messages


def comparison_message(case: Case, lang: str, today: date) -> str:
    advice = advice_for(case, today)
    if advice is None:
        return ""
    say = Renderer(lang, advice.rights.jurisdiction)
    lines = [t(lang, "recommend.comparison_title")]
    for profile in advice.comparison:
        lines += ["", f"• {t(lang, f'remedy.{profile.remedy.value}')}",
                  t(lang, "law.render.cost", text=say(profile.cost)),
                  t(lang, "law.render.delay", text=say(profile.delay)),
                  t(lang, "law.render.recovers", text=say(profile.recovers))]
        lines += [say.condition(c) for c in profile.prerequisites]
    return "\n".join(lines)


def ranked_remedies(case: Case, today: date) -> list[Remedy]:
    """Every remedy, the most fitting first (as last shown to the user, else as advised on
    ``today``, the turn's day)."""
    ranking = case.ranking
    if not ranking:
        advice = advice_for(case, today)
        ranking = ([r.remedy.value for r in advice.recommended]
                   + [r.remedy.value for r in advice.ruled_out]) if advice else []
    order = [Remedy(code) for code in ranking if code in Remedy._value2member_map_]
    tried = set(case.tried)
    order = [r for r in order if r.value not in tried] + [r for r in order if r.value in tried]
    return order + [r for r in Remedy if r not in order]
