"""``python -m bot documents``: an operator draws a saved case's documents from the terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli_documents import main
from flows.model import Account
from flows.vocabulary import Remedy
from testing import forkserver
from testing.stored import save_account
from tests.documents_samples import be_business, fr_business, with_remedy
from tests.pdf import pdf_text


def saved_case(tmp_path: Path, remedy: Remedy = Remedy.FORMAL_DEMAND) -> Path:
    path = tmp_path / "case.json"
    case = fr_business()
    # A formal demand was sent: a suspension notice follows one (flows.demand_first).
    case.answers["demand_before_court"] = "2026-11-05"
    path.write_text(json.dumps(with_remedy(case, remedy).to_json(), ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_renders_every_document_of_a_saved_case(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = forkserver.run(
        ["bot", "documents", "--case", str(saved_case(tmp_path)),
         "--out", str(out), "--on", "2026-11-23"],
        Path.cwd(), os.environ)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.split()
    assert sorted(Path(p).name for p in printed) == [
        "chronologie_20261123.docx", "chronologie_20261123.pdf",
        "liste_des_preuves_20261123.pdf", "mise_en_demeure_20261123.docx",
        "mise_en_demeure_20261123.pdf", "mise_en_demeure_20261123.txt"]
    letter = pdf_text(out / "mise_en_demeure_20261123.pdf")
    assert "ACME Rénovation SARL" in letter
    assert "3 352,01 €" in letter
    assert "1er décembre 2026" in letter


def test_picks_a_case_from_a_whole_chat_file_in_its_language(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    account = Account.new("4242", "en")
    account.cases = [with_remedy(fr_business(), Remedy.PAYMENT_PLAN),
                     with_remedy(be_business(), Remedy.FORMAL_DEMAND)]
    account.active_case = "bebiz001"
    save_account(tmp_path / "data", account)
    chat = tmp_path / "data" / "chats" / "4242" / "chat.json"
    code = main(["--case", str(chat), "--case-id", "frbiz001", "--out", str(tmp_path / "o"),
                 "--on", "2026-11-23"])
    assert code == 0
    names = [Path(p).name for p in capsys.readouterr().out.split()]
    assert "payment_plan_agreement_20261123.pdf" in names  # the account speaks English
    assert main(["--case", str(chat), "--out", str(tmp_path / "o2"), "--on", "2026-11-23"]) == 0
    assert "formal_demand_20261123.pdf" in capsys.readouterr().out  # the open case


def test_draws_another_remedy_on_request(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--case", str(saved_case(tmp_path)), "--out", str(tmp_path / "o"),
                 "--on", "2026-11-23", "--remedy", "suspension", "--lang", "en"])
    assert code == 0
    assert "notice_of_suspension_20261123.txt" in capsys.readouterr().out


@pytest.mark.parametrize(("make_args", "code", "message"), [
    (lambda tmp: ["--out", str(tmp)], 2, "required: --case"),
    (lambda tmp: ["--case", str(tmp / "nope.json"), "--out", str(tmp)], 1, "no such file"),
    (lambda tmp: ["--case", str(saved_case(tmp)), "--out", str(tmp), "--on", "2026-02-30"], 2,
     "YYYY-MM-DD"),
    (lambda tmp: ["--case", str(saved_case(tmp)), "--out", str(tmp), "--case-id", "x"], 1,
     "not 'x'"),
    (lambda tmp: ["--case", str(saved_case(tmp)), "--out", str(tmp), "--remedy", "bribe"], 2,
     "invalid choice"),
])
def test_bad_input_gets_one_clear_line_and_an_error_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make_args: object, code: int,
        message: str) -> None:
    assert callable(make_args)
    assert main(make_args(tmp_path)) == code
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_case_missing_details_says_which_ones(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    case = with_remedy(fr_business(), Remedy.FORMAL_DEMAND)
    del case.answers["city"], case.answers["signatory"]
    path = tmp_path / "incomplete.json"
    path.write_text(json.dumps(case.to_json()), encoding="utf-8")
    assert main(["--case", str(path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "city" in err
    assert "signatory" in err
    assert not (tmp_path / "o").exists()


def test_not_json_is_refused_with_its_line(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x",\n  "answers": }', encoding="utf-8")
    assert main(["--case", str(path), "--out", str(tmp_path)]) == 1
    assert "not valid JSON (line 2" in capsys.readouterr().err
