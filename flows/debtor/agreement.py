"""The plan agreement both sides receive once they accepted the same plan online.

The creditor's own plan agreement (``documents/plan_agreement.html``, with the case's plan
answers the agreement just set), plus when each side accepted it, to the second."""

from __future__ import annotations

from datetime import date, datetime

from flows.conversation import DocumentJob
from flows.debtor.record import DebtorSide
from flows.documents.context import case_context
from flows.i18n import t
from flows.model import Case

KIND = "plan_agreement"


def shown_time(stamp: str) -> str:
    """``2026-12-03T20:15:42+01:00`` → ``03/12/2026 20:15:42 (UTC+01:00)``."""
    moment = datetime.fromisoformat(stamp)
    offset = moment.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return moment.strftime("%d/%m/%Y %H:%M:%S") + zone


def agreement_job(case: Case, lang: str, today: date) -> DocumentJob:
    """The agreement of the plan agreed on the debtor's link, in ``lang``."""
    agreed = DebtorSide.read(case).agreed
    if agreed is None:
        raise ValueError("no plan was agreed")
    context = case_context(case, lang, today)
    context["acceptances"] = {side: shown_time(str(stamp))
                              for side, stamp in dict(agreed["accepted"]).items()}
    return DocumentJob(kind=KIND, lang=lang, case_id=case.id,
                       filename=f"{t(lang, 'documents.filename.' + KIND)}_{today:%Y%m%d}",
                       context=context, formats=("pdf",))
