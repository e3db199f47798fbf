"""``python -m bot documents``: draw every document of a saved case, for operators and tests.

    python -m bot documents --case CASE.json --out DIR [--lang fr|en] [--on YYYY-MM-DD]
                            [--case-id ID] [--remedy REMEDY|all]

``CASE.json`` is a case as the storage holds it (``Case.to_json()``), an account, or a whole
``chat.json`` file (then ``--case-id`` picks the case; the open case by default). The documents
of the case's chosen remedy are written into ``DIR`` in every form (PDF, DOCX, TXT), and their
paths printed one per line. A bad file or an incomplete case gets one line on stderr and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot import cli
from bot.cli_rights import today
from bot.files import write_all
from flows.documents.catalog import CASE_FILE, jobs_for, missing_answers
from flows.documents.drawing import draw as draw_files
from flows.documents.figures import FiguresError
from flows.i18n import LANGUAGES
from flows.model import Account, Case
from flows.vocabulary import Remedy


class CaseFileError(cli.InputError):
    """The file is not a case we can draw documents for; the message says why, in one line."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(prog="python -m bot documents",
                     description="Render every document of a saved case (PDF, DOCX, TXT).")
    add = parser.add_argument
    add("--case", required=True, type=Path,
        help="a case JSON (Case.to_json()), an account JSON or a chat.json file")
    add("--out", required=True, type=Path, help="folder to write the documents into")
    add("--case-id", help="which case of an account or chat.json (default: the open one)")
    add("--lang", choices=list(LANGUAGES), help="default: the account's language, else fr")
    add("--on", type=_date, help="the documents' date (default: today)")
    add("--remedy", choices=[*(r.value for r in Remedy), "all"],
        help="draw another remedy's documents (default: the case's choice); 'all' draws every "
        "remedy the case has the answers for")
    return parser


def load_case(path: Path, case_id: str | None) -> tuple[Case, str | None]:
    """The case in ``path`` and the language of its account, if the file holds one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseFileError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise CaseFileError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise CaseFileError(f"{path} holds no case (a JSON object is expected)")
    if isinstance(data.get("account"), dict):  # TinyDB chat.json: {"account": {"1": {...}}}
        data = next(iter(data["account"].values()), {})
    try:
        if "cases" in data:
            account = Account.from_json(data)
            return _pick(account, case_id), account.lang
        if "answers" in data and "id" in data:
            case = Case.from_json(data)
            if case_id and case.id != case_id:
                raise CaseFileError(f"the case in {path} is {case.id!r}, not {case_id!r}")
            return case, None
    except (KeyError, TypeError, ValueError) as exc:
        raise CaseFileError(f"{path} is not a saved case: {exc!r}") from None
    raise CaseFileError(f"{path} holds no case (expected a case, an account or a chat.json)")


def _pick(account: Account, case_id: str | None) -> Case:
    ids = [c.id for c in account.cases]
    if not ids:
        raise CaseFileError("this account has no case")
    wanted = case_id or account.active_case or (ids[0] if len(ids) == 1 else None)
    if wanted is None:
        raise CaseFileError(f"several cases, pick one with --case-id: {', '.join(ids)}")
    case = account.case(wanted)
    if case is None:
        raise CaseFileError(f"no case {wanted!r} here; cases: {', '.join(ids)}")
    return case


def draw(case: Case, remedy: str, lang: str, on: date, out: Path) -> list[Path]:
    """Every document of ``remedy`` for ``case``, written into ``out``."""
    chosen = Case.from_json(json.loads(json.dumps(case.to_json())))
    chosen.answers["remedy"] = remedy
    missing = missing_answers(chosen)
    if missing:
        raise CaseFileError(f"case {case.id} lacks answers the {remedy} documents need: "
                            f"{', '.join(missing)}")
    try:
        jobs = jobs_for(chosen, lang, on)
    except FiguresError as exc:
        raise CaseFileError(f"case {case.id}: {exc}") from None
    if len(jobs) == len(CASE_FILE):
        raise CaseFileError(f"none of the {remedy} documents apply to case {case.id}")
    paths: list[Path] = []
    for job in jobs:
        paths += write_all(out, draw_files(job))
    return paths


def main(argv: list[str]) -> int:
    return cli.run("documents", build_parser(), argv, draw_documents)


def draw_documents(args: argparse.Namespace) -> str:
    """Draw the documents ``args`` ask for; their paths, one per line."""
    case, account_lang = load_case(args.case, args.case_id)
    lang = args.lang or account_lang or "fr"
    on = args.on or today()
    if args.remedy == "all":
        remedies = [r.value for r in Remedy]
    else:
        remedies = [args.remedy or case.text("remedy")]
        if not remedies[0]:
            raise CaseFileError(f"case {case.id} has no remedy chosen yet: pass --remedy")
    try:
        written = _draw_all(case, remedies, lang, on, args.out, every=args.remedy == "all")
    except OSError as exc:
        raise cli.InputError(f"cannot write into {args.out}: {exc.strerror}") from exc
    return "\n".join(str(path) for path in written)


def _draw_all(case: Case, remedies: list[str], lang: str, on: date, out: Path,
              every: bool) -> list[Path]:
    written: list[Path] = []
    skipped: list[Any] = []
    for remedy in remedies:
        try:
            written += draw(case, remedy, lang, on, out / remedy if every else out)
        except CaseFileError as exc:
            if not every:
                raise
            skipped.append(exc)
    for reason in skipped:
        print(f"documents: skipped: {reason}", file=sys.stderr)
    if every and not written:
        raise CaseFileError(f"case {case.id} has the answers of no remedy's documents")
    return written
