"""Drawing a case's documents, next to WeasyPrint alone on the same HTML.

The bundle is every document the journey produces for the scripted French case (the formal
demand and the evidence checklist), in every format its jobs ask for, drawn by
``flows.documents.render_job`` exactly as the bot does after "Generate". The reference is
WeasyPrint turning the same HTML into PDF and nothing else: what our templates, fonts and
atomic writes add shows as the difference.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

from benchmarks import datagen
from benchmarks.measure import percentile
from benchmarks.report import Report, ms
from flows import documents
from flows.conversation import DocumentJob
from flows.i18n import templates_dir


def bundle_jobs() -> list[DocumentJob]:
    account = datagen.journey_until("review")
    case = account.current
    assert case is not None
    return documents.jobs_for(case, account.lang, datagen.NOW.date())


def _timed(action: object, rounds: int) -> list[float]:
    assert callable(action)
    action()  # warm-up: fonts, templates and WeasyPrint's imports are loaded once per process
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def render(report: Report, quick: bool) -> None:
    from weasyprint import HTML

    rounds = 4 if quick else 15
    jobs = bundle_jobs()
    formats = sorted({fmt for job in jobs for fmt in job.formats})
    section = f"Documents ({len(jobs)} documents: {', '.join(formats).upper()})"
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder:
        out = Path(folder)

        def bundle() -> None:
            for job in jobs:
                documents.render_job(job, out)

        whole = _timed(bundle, rounds)
        htmls = [documents.render_html(job) for job in jobs]
        base = str(templates_dir())

        def weasyprint_alone() -> None:
            for html in htmls:
                HTML(string=html, base_url=base).write_pdf()

        alone = _timed(weasyprint_alone, rounds)
        report.add(section, "bundle render time p50", ms(percentile(whole, 50)),
                   ms(percentile(alone, 50)), "reference: WeasyPrint alone, same HTML, PDF")
        report.add(section, "bundle render time p95", ms(percentile(whole, 95)),
                   ms(percentile(alone, 95)))
        for fmt in formats:
            if len(formats) == 1:
                break
            only = [dataclasses.replace(job, formats=(fmt,)) for job in jobs if fmt in job.formats]

            def one_format(selected: list[DocumentJob] = only) -> None:
                for job in selected:
                    documents.render_job(job, out)

            times = _timed(one_format, rounds)
            report.add(section, f"{fmt.upper()} only, p50 / p95",
                       f"{ms(percentile(times, 50))} / {ms(percentile(times, 95))}")
        if "docx" not in formats:
            report.add(section, "DOCX", "pending", "",
                       "the DOCX renderer is not on main yet (issue 4)")
