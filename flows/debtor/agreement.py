"""The documents both sides receive after a debtor's answer: the plan agreement once both
accepted the same plan (the creditor's own ``plan_agreement``, with the plan answers the
agreement just set, plus when each side accepted it, to the second), and the acknowledgement
of debt to sign by hand after an online acknowledgement."""

from __future__ import annotations

from datetime import date, datetime

from flows.conversation import DocumentJob
from flows.debtor.answers import PLAN_AGREEMENT
from flows.debtor.record import DebtorSide
from flows.documents.context import case_context
from flows.i18n import t
from flows.model import Case


def shown_time(stamp: str) -> str:
    """``2026-12-03T20:15:42+01:00`` → ``03/12/2026 20:15:42 (UTC+01:00)``."""
    moment = datetime.fromisoformat(stamp)
    offset = moment.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return moment.strftime("%d/%m/%Y %H:%M:%S") + zone


def document_job(case: Case, kind: str, lang: str, today: date) -> DocumentJob:
    """A document both sides get after an answer on the debtor's link, in ``lang``: the plan
    agreement with both acceptances' times, or the acknowledgement of debt to sign by hand
    (the timeline's own document, the one a creditor offers when limitation is close)."""
    context = case_context(case, lang, today)
    if kind == PLAN_AGREEMENT:
        agreed = DebtorSide.read(case).agreed
        if agreed is None:
            raise ValueError("no plan was agreed")
        context["acceptances"] = {side: shown_time(str(stamp))
                                  for side, stamp in dict(agreed["accepted"]).items()}
    return DocumentJob(kind=kind, lang=lang, case_id=case.id,
                       filename=f"{t(lang, 'documents.filename.' + kind)}_{today:%Y%m%d}",
                       context=context, formats=("pdf",))
