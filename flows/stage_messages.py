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
from flows.model import Case
from flows.money import Money
from flows.vocabulary import Remedy


def rights_messages(case: Case, lang: str, today: date) -> list[str]:
    """One message per invoice (figures, articles), then the case total when there are several."""
    all_rights = rights_for(case, today)
    messages = [render_rights(rights, lang) for rights in all_rights]
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


def ranked_remedies(case: Case, today: date | None = None) -> list[Remedy]:
    """Every remedy, the most fitting first (as last shown to the user, else computed now)."""
    ranking = case.ranking
    if not ranking:
        advice = advice_for(case, today or date.today())
        ranking = ([r.remedy.value for r in advice.recommended]
                   + [r.remedy.value for r in advice.ruled_out]) if advice else []
    order = [Remedy(code) for code in ranking if code in Remedy._value2member_map_]
    tried = set(case.tried)
    order = [r for r in order if r.value not in tried] + [r for r in order if r.value in tried]
    return order + [r for r in Remedy if r not in order]
