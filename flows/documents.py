"""The documents of a case: what to draft for the chosen remedy, and drafting it.

``jobs_for`` decides on the conversation path (fast, pure); ``render_job`` does the slow part
(HTML → PDF with WeasyPrint) and is called by the adapters off the event loop.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flows import formatting
from flows.conversation import DocumentJob
from flows.i18n import t, templates_dir
from flows.model import Case, Invoice
from flows.remedy import Remedy
from flows.templating import render

# Which documents each remedy produces (the evidence checklist comes with every remedy).
DOCUMENTS_FOR: dict[str, tuple[str, ...]] = {
    Remedy.FORMAL_DEMAND: ("demand_letter",),
}
CHECKLIST_ITEMS = ("contract", "delivery", "invoice_sent", "written_reminders", "replies",
                   "bank_statement")
_EVIDENCE_KEYS = {"contract": "ev_contract", "delivery": "ev_delivery",
                  "invoice_sent": "ev_invoice_sent", "written_reminders": "ev_written_reminders"}


def case_context(case: Case, lang: str, today: date) -> dict[str, Any]:
    """Everything a document may show about the case, as plain JSON values."""
    invoices = [invoice_json(i) for i in case.invoices()]
    days = int(case.text("deadline_days", "8") or "8")
    return {
        "jurisdiction": case.jurisdiction,
        "debtor_kind": case.text("debtor_kind", "business"),
        "creditor": {"name": case.text("creditor_name"),
                     "address": case.text("creditor_address").split("\n")},
        "debtor": {"name": case.text("debtor_name"),
                   "address": case.text("debtor_address").split("\n")},
        "invoices": invoices,
        "total": case.total_balance().to_json(),
        "any_paid": any(i.paid.amount for i in case.invoices()),
        "city": case.text("city"),
        "today": today.isoformat(),
        "deadline_days": days,
        "deadline": (today + timedelta(days=days)).isoformat(),
        "reminders_sent": case.text("reminders_sent", "0"),
        "supply": case.text("supply", "services"),
        "checklist": checklist(case),
        "remedy": case.text("remedy"),
    }


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    return {"number": invoice.number, "amount": invoice.amount.to_json(),
            "issue_date": invoice.issue_date.isoformat(),
            "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
            "paid": invoice.paid.to_json(), "balance": invoice.balance.to_json()}


def checklist(case: Case) -> list[dict[str, Any]]:
    """The evidence to keep for the case, each marked held or still missing."""
    items = []
    for code in CHECKLIST_ITEMS:
        key = _EVIDENCE_KEYS.get(code)
        held = case.flag(key) if key else None
        if code == "written_reminders" and case.text("reminders_sent", "0") == "0":
            continue
        items.append({"code": code, "held": held})
    return items


def checklist_message(case: Case, lang: str) -> str:
    lines = [t(lang, "checklist.title")]
    for item in checklist(case):
        mark = "✅" if item["held"] else ("⬜" if item["held"] is None else "❗")
        lines.append(f"{mark} {t(lang, 'checklist.item.' + item['code'])}")
    lines += ["", t(lang, "checklist.keep")]
    return "\n".join(lines)


def jobs_for(case: Case, lang: str, today: date) -> list[DocumentJob]:
    context = case_context(case, lang, today)
    kinds = (*DOCUMENTS_FOR.get(case.text("remedy"), ()), "evidence_checklist")
    stamp = today.strftime("%Y%m%d")
    return [DocumentJob(kind=kind, lang=lang, case_id=case.id,
                        filename=f"{t(lang, 'documents.filename.' + kind)}_{stamp}",
                        context=context)
            for kind in kinds]


def sending_advice(case: Case, lang: str, today: date) -> str:
    remedy = case.text("remedy")
    if remedy in DOCUMENTS_FOR:
        return t(lang, f"documents.advice.{remedy}",
                 deadline=formatting.day(today + timedelta(
                     days=int(case.text("deadline_days", "8") or "8")), lang))
    return t(lang, "documents.advice.pending", remedy=t(lang, f"remedy.{remedy}"))


def render_html(job: DocumentJob) -> str:
    return render(f"documents/{job.kind}.html", job.lang, **job.context)


def render_job(job: DocumentJob, out_dir: Path) -> list[Path]:
    """Write the job's files (PDF…) into ``out_dir`` atomically; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    if "ics" in job.formats:  # a calendar drawn by flows.followup, already text
        paths.append(_write_atomic(out_dir / f"{job.filename}.ics",
                                   str(job.context["ics"]).encode("utf-8")))
    if "pdf" in job.formats:
        from weasyprint import HTML  # imported here: ~0.5 s, only where documents are drawn

        pdf = HTML(string=render_html(job), base_url=str(templates_dir())).write_pdf()
        paths.append(_write_atomic(out_dir / f"{job.filename}.pdf", pdf))
    return paths


def _write_atomic(path: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_record(path: Path, job: DocumentJob, created_at: str) -> dict[str, Any]:
    """What the case remembers of a generated file."""
    return {"kind": job.kind, "name": path.name, "created_at": created_at,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "size": path.stat().st_size}
