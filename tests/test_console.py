"""The journey in a terminal, as a newcomer runs it: `python -m bot chat`."""

from __future__ import annotations

import re
from pathlib import Path

from testing.console import run_console, typed_lines
from testing.driver import FRENCH_BUSINESS_CASE
from tests.pdf import pdf_text


def test_console_journey_ends_with_a_demand_letter_pdf(data_dir: Path) -> None:
    output = run_console(data_dir, typed_lines(FRENCH_BUSINESS_CASE))
    paths = re.findall(r"📄 .*?: (\S+\.pdf)", output)
    letter = next(Path(p) for p in paths if "mise_en_demeure" in p)
    text = pdf_text(letter)
    assert "ACME Rénovation SARL" in text
    assert "1 200,50 €" in text
    assert "1er décembre 2026" in text  # 8 days after 23 November 2026
    assert "MISE EN DEMEURE" in text.upper()
    checklist = next(Path(p) for p in paths if "liste_des_preuves" in p)
    assert "Preuve de livraison" in pdf_text(checklist)


def test_console_restart_continues_at_the_same_question(data_dir: Path) -> None:
    lines = typed_lines(FRENCH_BUSINESS_CASE)
    first = run_console(data_dir, lines[:5])  # up to the invoice amount
    assert "montant de la facture" in first
    second = run_console(data_dir, [])
    assert "On reprend où nous en étions" in second
    last_question = [line for line in second.splitlines() if line.startswith("❓")][-1]
    assert last_question.startswith("❓ À quelle date la facture")


def test_console_bad_amount_is_explained_and_asked_again(data_dir: Path) -> None:
    lines = typed_lines(FRENCH_BUSINESS_CASE)[:4] + ["douze cents", "1200"]
    output = run_console(data_dir, lines)
    assert "Je ne comprends pas ce montant" in output
    assert output.count("Quel est le montant de la facture") == 2
    assert "À quelle date la facture a-t-elle été émise" in output
