"""The insolvency watch: a BODACC announcement about the debtor switches the case at once.

For an open French case with the debtor's SIREN, the bot asks the BODACC's open data (dataset
``annonces-commerciales``, ``familleavis`` "collective": collective proceedings; the SIREN is in
``registre``; the judgment, a JSON text, in ``jugement``) from ``bot/insolvency.py``: when the
SIREN is entered, then once a day. This module reads the answer and changes the case.

Only an *opening* judgment counts (sauvegarde, redressement or liquidation judiciaire): the
windows to act run from its publication in the BODACC, and a later judgment (a plan, a
conversion, a closure) opens none. The case then takes the insolvency path: its facts are
filled in (proceedings, judgment, publication, court), a remedy already chosen gives way to the
proof of claim, and the creditor is told the deadlines the law engine computes from the
publication (``flows/law/france.py``): the proof of claim within 2 months, 4 from outside
metropolitan France (C. com. R622-24), goods under retention of title claimed within 3 months
(L624-9). The announcement is recorded in the case's chronology: a case is alerted once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flows import journey
from flows.company import FOUND, alerted
from flows.conversation import Reply
from flows.i18n import t
from flows.law.from_case import insolvency_facts
from flows.law.pack import pack_for
from flows.law.render import Renderer, render_insolvency
from flows.law.rights import Deadline
from flows.model import Account, Case
from flows.vocabulary import Jurisdiction, Remedy

# Opening judgments by the words of their nature, most specific first ("sauvegarde accélérée"
# is a sauvegarde; "liquidation judiciaire simplifiée" a liquidation).
PROCEEDINGS = (("liquidation judiciaire", "fr_liquidation"),
               ("redressement judiciaire", "fr_reorganisation"),
               ("sauvegarde", "fr_safeguard"))


@dataclass(frozen=True)
class Announcement:
    """One BODACC announcement of an opening judgment against the debtor."""

    id: str
    published: date  # ``dateparution``: the windows to act run from it
    proceedings: str  # fr_safeguard, fr_reorganisation or fr_liquidation
    judgment_date: date | None
    court: str
    url: str


def openings(answer: Any, siren: str) -> list[Announcement]:
    """The opening judgments against ``siren`` in a BODACC records answer, newest first."""
    records = answer.get("results") if isinstance(answer, dict) else None
    found = []
    for record in records if isinstance(records, list) else []:
        announcement = _opening(record, siren) if isinstance(record, dict) else None
        if announcement is not None:
            found.append(announcement)
    return sorted(found, key=lambda a: a.published, reverse=True)


def _opening(record: dict[str, Any], siren: str) -> Announcement | None:
    registre = record.get("registre")
    numbers = registre if isinstance(registre, list) else [registre]
    if siren not in {"".join(str(n).split()) for n in numbers if n}:
        return None
    if record.get("familleavis") != "collective":
        return None
    judgment = record.get("jugement")
    if isinstance(judgment, str):
        try:
            judgment = json.loads(judgment)
        except json.JSONDecodeError:
            return None
    if not isinstance(judgment, dict):
        return None
    family = str(judgment.get("famille", "")).lower()
    nature = str(judgment.get("nature", "")).lower()
    if "ouverture" not in family and "ouverture" not in nature:
        return None
    proceedings = next((code for words, code in PROCEEDINGS if words in nature), None)
    published = _day(record.get("dateparution"))
    if proceedings is None or published is None:
        return None
    return Announcement(
        id=str(record.get("id") or f"{published}-{record.get('numeroannonce', '')}"),
        published=published,
        proceedings=proceedings,
        judgment_date=_day(judgment.get("date")),
        court=_court(record.get("tribunal")),
        url=str(record.get("url_complete") or ""),
    )


def _court(value: Any) -> str:
    """The court as the announcement names it, without the clerk's office ("GREFFE DU
    TRIBUNAL DE COMMERCE DE LYON" is the court's registry, not the court)."""
    court = " ".join(str(value or "").split())
    for prefix in ("GREFFE DU ", "Greffe du "):
        court = court.removeprefix(prefix)
    return court


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def alert(account: Account, case: Case, found: list[Announcement], now: datetime) -> Reply | None:
    """Switch the case to the insolvency path and say so, or None when nothing is new."""
    if not found or alerted(case) or case.state == "closed":
        return None
    latest = found[0]
    told = case.flag("insolvency") is True and case.answered("insolvency_date")
    case.answers["insolvency"] = True
    if not told:  # the user's own answers, when given, are theirs to correct
        case.answers["insolvency_date"] = latest.published.isoformat()
        case.answers["proceedings"] = latest.proceedings
        if latest.judgment_date is not None and latest.judgment_date <= latest.published:
            case.answers["judgment_date"] = latest.judgment_date.isoformat()
        if latest.court:
            case.answers["insolvency_court"] = latest.court
    case.log(now, FOUND, id=latest.id, published=latest.published.isoformat(),
             proceedings=latest.proceedings, url=latest.url)
    lang = account.lang
    reply = Reply(messages=_alert_messages(case, latest, lang))
    chosen = case.text("remedy")
    if chosen and chosen != Remedy.INSOLVENCY_CLAIM:
        if chosen not in case.tried:
            case.tried.append(chosen)
        case.answers["remedy"] = Remedy.INSOLVENCY_CLAIM.value
        case.answers.pop("review", None)
    if chosen or case.state not in {"start", "facts", "rights", "evidence"}:
        # In the middle of another remedy: the proof of claim's own questions come now.
        account.active_case = case.id
        journey.proceed(account, case, reply, now)
    return reply


def _alert_messages(case: Case, latest: Announcement, lang: str) -> list[str]:
    facts = insolvency_facts(case)
    assert facts is not None  # the publication date was just set, or given by the user
    guide = pack_for(Jurisdiction.FRANCE).insolvency(facts)
    say = Renderer(lang, Jurisdiction.FRANCE)
    lines = [t(lang, "watch.found", debtor=case.text("debtor_name") or t(lang, "word.your_client"),
               proceedings=t(lang, f"choice.proceedings.{latest.proceedings}"),
               court=latest.court or "—", published=say.value(latest.published)),
             _deadline_line(lang, say, "watch.claim_by", guide.proof_of_claim)]
    goods = case.flag("rot_goods") is True or (
        case.text("supply") == "goods" and not case.answered("rot_goods"))
    if goods and guide.revendication is not None and guide.revendication.last_day:
        lines.append(_deadline_line(lang, say, "watch.goods_by", guide.revendication))
    lines.append(t(lang, "watch.documents_ready"))
    if latest.url:
        lines.append(latest.url)
    return ["\n\n".join(lines), render_insolvency(guide, lang)]


def _deadline_line(lang: str, say: Renderer, key: str, deadline: Deadline) -> str:
    """"Declare your claim by 5 February 2027 — 2 months from … (R622-24)": the day and the
    rule as the law engine words them (the figures come from its dated tables)."""
    day = deadline.last_day  # the unrolled day: acting by it is always safe
    return t(lang, key, day=say.value(day) if day else "—", rule=say(deadline.what),
             article=deadline.source.article)
