"""The journey in a terminal, as a newcomer runs it: `python -m bot chat`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from testing.console import run_console, typed_lines
from testing.driver import FRENCH_BUSINESS_CASE
from testing.stored import load_account
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
    # Both addresses were typed in two lines, each ended by an empty line: one answer each,
    # printed in the letter line by line.
    printed = [line.strip() for line in subprocess.run(
        ["pdftotext", "-layout", str(letter), "-"], capture_output=True, check=True,
        text=True).stdout.splitlines()]
    for street, town in (("12 rue des Lilas", "75011 Paris"), ("4 avenue Foch", "69006 Lyon")):
        assert printed.count(street) == 1
        assert printed[printed.index(street) + 1] == town
    assert "• Votre adresse : 12 rue des Lilas, 75011 Paris" in output


def test_console_reads_an_address_in_several_lines_as_one_answer(data_dir: Path) -> None:
    lines = typed_lines(FRENCH_BUSINESS_CASE)
    upto = [key for key, _ in FRENCH_BUSINESS_CASE].index("creditor_address")
    output = run_console(data_dir, [
        *lines[:upto],
        "/back",  # a command is taken at once, never as the address's first line
        "Jeanne Martin EI",
        "/language",
        "Bâtiment B", "12 rue des Lilas", "75011 Paris", "",  # the empty line ends the answer
        "4 avenue Foch", "69006 Lyon", "",
        "Paris", "8",  # one line each: the town, then the days to pay
    ])
    assert output.count("❓ Pour les documents : quel est votre nom") == 2
    assert ("❓ Your postal address (on one or more lines)?\n"
            "(one or more lines, then an empty line to finish · "
            "/back to return to the previous question)") in output
    assert "(une ou plusieurs lignes, puis une ligne vide pour finir · /back" in output
    assert output.count("❓ Which town will the letter be dated from?\n"
                        "(/back to return to the previous question)") == 1
    assert "❓ In a few words, what did you supply" in output  # no empty line after the days
    account = load_account(data_dir, "console")
    assert account is not None
    case = account.current
    assert case is not None
    assert case.text("creditor_address") == "Bâtiment B\n12 rue des Lilas\n75011 Paris"
    assert case.text("debtor_address") == "4 avenue Foch\n69006 Lyon"
    assert case.text("city") == "Paris"
    assert case.text("deadline_days") == "8"


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


def test_console_reads_a_note_in_several_lines_then_goes_on(data_dir: Path) -> None:
    lines = typed_lines(FRENCH_BUSINESS_CASE)
    output = run_console(data_dir, [*lines[:4], "/note", "Appelé le client.",
                                    "Il promet de payer vendredi.", "", "1 200,50 €"])
    assert "(une ou plusieurs lignes, puis une ligne vide pour finir)" in output
    assert output.count("📝 Note ajoutée") == 1
    assert "❓ À quelle date la facture a-t-elle été émise" in output  # the amount was taken
    account = load_account(data_dir, "console")
    assert account is not None
    [note] = [e["params"]["text"] for e in account.cases[0].events if e["kind"] == "note"]
    assert note == "Appelé le client.\nIl promet de payer vendredi."
