"""Drawing a case's documents, next to WeasyPrint alone on the same HTML.

The bundle is every document the journey produces for the scripted French case (the formal
demand and the evidence checklist), in every format its jobs ask for, drawn by
``flows.documents.drawing.draw`` and written exactly as the bot does after "Generate". The
reference is WeasyPrint turning the same HTML into PDF and nothing else: what our templates,
fonts and atomic writes add shows as the difference.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import datagen
from benchmarks.measure import percentile
from benchmarks.report import Report, ms
from bot.files import write_all
from flows.conversation import DocumentJob
from flows.documents import catalog, drawing
from flows.i18n import templates_dir


def bundle_jobs() -> list[DocumentJob]:
    account = datagen.journey_until("review")
    case = account.current
    assert case is not None
    return catalog.jobs_for(case, account.lang, datagen.NOW.date())


def _timed(actions: dict[str, Callable[[], None]], rounds: int) -> dict[str, list[float]]:
    """Each action ``rounds`` times, taking turns, so that a slow moment hits them all."""
    for action in actions.values():
        action()  # warm-up: fonts, templates and WeasyPrint's imports load once per process
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return times


def render(report: Report, quick: bool) -> None:
    from weasyprint import HTML  # deferred: ~0.5 s to import, paid by this section only

    rounds = 4 if quick else 15
    jobs = bundle_jobs()
    formats = sorted({fmt for job in jobs for fmt in job.formats})
    section = f"Documents ({len(jobs)} documents: {', '.join(formats).upper()})"
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder:
        out = Path(folder)

        def bundle() -> None:
            for job in jobs:
                write_all(out, drawing.draw(job))

        htmls = [drawing.render_html(job) for job in jobs]
        base = str(templates_dir())

        def weasyprint_alone() -> None:
            for html in htmls:
                HTML(string=html, base_url=base).write_pdf()

        def only(fmt: str) -> Callable[[], None]:
            selected = [dataclasses.replace(job, formats=(fmt,)) for job in jobs
                        if fmt in job.formats]

            def draw() -> None:
                for job in selected:
                    write_all(out, drawing.draw(job))

            return draw

        actions: dict[str, Callable[[], None]] = {"bundle": bundle, "alone": weasyprint_alone}
        actions.update({fmt: only(fmt) for fmt in formats})
        times = _timed(actions, rounds)

    def p50_p95(name: str) -> str:
        return f"{ms(percentile(times[name], 50))} / {ms(percentile(times[name], 95))}"

    report.add(section, "whole bundle, p50 / p95", p50_p95("bundle"), "",
               "every document in every format, as after Generate")
    for fmt in formats:
        pdf = fmt == "pdf"
        report.add(section, f"{fmt.upper()} only, p50 / p95", p50_p95(fmt),
                   p50_p95("alone") if pdf else "",
                   "reference: WeasyPrint alone on the same HTML" if pdf else "")
    if "docx" not in formats:
        report.add(section, "DOCX", "pending", "", "the DOCX renderer is not on main yet")
