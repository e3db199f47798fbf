"""The user's own details are asked once: a second case offers them ("same as before?"), the
letters carry them, /settings changes them for the next letters, and an account stored before
the profile existed gets it from its latest case. /cancel then /start leaves no empty case."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from testing.console import run_console, typed_lines
from testing.driver import FRENCH_BUSINESS_CASE, Driver
from tests.pdf import pdf_text

Make = Callable[..., Driver]
STORED = Path(__file__).parent / "stored" / "account_before_asking.json"
OWN_DETAILS = ("creditor_name", "creditor_address", "city", "creditor_id", "signatory",
               "payment_details")
NEW_IBAN = "BE71 0961 2345 6769"


def second_case(debtor: str, number: str) -> list[tuple[str, str]]:
    """The French business case for another debtor, the user's details taken "as before"."""
    script = []
    for key, step in FRENCH_BUSINESS_CASE:
        if key == "debtor_name":
            step = debtor
        elif key == "invoice_number":
            step = number
        elif key == "creditor_name":
            script.append(("same_details", "press:same"))
            continue
        if key not in OWN_DETAILS:
            script.append((key, step))
    return script


def letters(output: str) -> list[Path]:
    return [Path(p) for p in re.findall(r"📄 .*?: (\S+\.pdf)", output) if "mise_en_demeure" in p]


def test_a_second_case_reuses_the_details_and_settings_change_them(data_dir: Path) -> None:
    same = typed_lines([(k, s) for k, s in second_case("Boulangerie Dupain SARL", "F-2026-077")
                        if k != "same_details"])
    at = len(typed_lines(FRENCH_BUSINESS_CASE[:23]))  # up to the remedy, included
    second = [*same[:at], "1", *same[at:]]  # 1: "Les mêmes"
    third = [line.replace("Boulangerie Dupain SARL", "Garage Lenoir SAS")
             .replace("F-2026-077", "F-2026-091") for line in second]
    settings = ["/settings", "9", f"IBAN {NEW_IBAN}"]  # 9: "✏️ Moyen de paiement"
    output = run_console(data_dir, [*typed_lines(FRENCH_BUSINESS_CASE), "/new", *second,
                                    *settings, "/new", *third])
    first_letter, second_letter, third_letter = letters(output)
    # Asked in the first case only: the second and third say "same as before" once.
    assert output.count("quel est votre nom ou celui de votre entreprise") == 1
    assert output.count("Mêmes coordonnées que la dernière fois") == 2
    assert "• Moyen de paiement : IBAN FR76 3000 6000 0112 3456 7890 189" in output
    text = pdf_text(second_letter)
    assert "Boulangerie Dupain SARL" in text
    for detail in ("Jeanne Martin EI", "12 rue des Lilas", "732 829 320"):
        assert detail in text
    assert "FR76 3000 6000 0112 3456 7890 189" in text
    # /settings changed the IBAN: the next letter carries the new one, the one sent keeps its own.
    assert f"Moyen de paiement : IBAN {NEW_IBAN}" in output
    assert NEW_IBAN in pdf_text(third_letter)
    assert "FR76 3000" not in pdf_text(third_letter)
    assert "FR76 3000 6000 0112 3456 7890 189" in pdf_text(first_letter)
    assert "Garage Lenoir SAS" in pdf_text(third_letter)


def test_cancel_then_start_leaves_no_empty_case(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE[:3])  # a case with a debtor: set aside, kept
    d.command("cancel")
    d.command("start")  # opened, and left at its first question: nothing to keep
    d.command("cancel")
    assert "je ne l'ai pas gardé" in d.text_of_last()
    d.command("start")
    d.command("cases")
    listing = d.text_of_last()
    assert "Vos dossiers (1)" in listing
    assert "ACME Rénovation SARL" in listing
    assert "Nouveau dossier" not in listing
    assert len(d.account.cases) == 2  # ACME's, and the one /start just opened


def test_changing_them_in_a_case_asks_each_with_the_earlier_answer(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    d.command("new")
    d.play(second_case("Boulangerie Dupain SARL", "F-2026-077"), until="same_details")
    d.press("change")
    assert d.prompt.key == "creditor_name"
    assert "Comme dans votre dernier dossier : Jeanne Martin EI" in d.prompt.text
    d.press_label("Jeanne Martin EI")  # the earlier answer, one tap
    assert d.prompt.key == "creditor_address"
    d.say("3 place du Marché\n69002 Lyon")  # a new address: the one offered next time
    assert d.account.profile["creditor_address"] == "3 place du Marché\n69002 Lyon"
    assert d.account.cases[0].answers["creditor_address"] == "12 rue des Lilas\n75011 Paris"


def test_settings_refuse_a_bad_detail_and_ask_again(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    d.command("settings")
    assert "• Vous : Jeanne Martin EI" in d.text_of_last()
    d.press("edit.creditor_address", key="settings")
    d.say("chez moi")
    said = d.text_of_last()  # why it is refused, and the question again
    assert d.last.messages
    assert "Votre adresse postale" in said
    assert d.prompt.key == "settings"
    assert d.account.profile["creditor_address"] == "12 rue des Lilas\n75011 Paris"
    d.say("8 rue Neuve\n33000 Bordeaux")
    assert d.account.profile["creditor_address"] == "8 rue Neuve\n33000 Bordeaux"
    assert "✅ Votre adresse : 8 rue Neuve, 33000 Bordeaux" in d.text_of_last()
    # The open case used the old address: its next letters take the new one.
    assert d.case.answers["creditor_address"] == "8 rue Neuve\n33000 Bordeaux"


def test_an_account_stored_before_the_profile_gets_it_from_its_latest_case(
        driver: Make) -> None:
    stored: dict[str, Any] = json.loads(STORED.read_text("utf-8"))
    assert "profile" not in stored
    d = driver()
    d.account = type(d.account).from_json(stored)
    assert d.account.profile == {
        "creditor_name": "Jeanne Martin EI", "creditor_address": "12 rue des Lilas\n75011 Paris",
        "city": "Paris", "creditor_id": "732 829 320", "signatory": "self",
        "payment_details": "IBAN FR76 3000 6000 0112 3456 7890 189"}
    d.command("new")
    d.play(second_case("Boulangerie Dupain SARL", "F-2026-077"), until="same_details")
    assert "• Vous : Jeanne Martin EI" in d.prompt.text
    d.press("same")
    assert d.case.answers["payment_details"] == "IBAN FR76 3000 6000 0112 3456 7890 189"
    assert d.prompt.key == "debtor_address"
