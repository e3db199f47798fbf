"""Several cases per user, each with its own chronology of notes."""

from __future__ import annotations

from collections.abc import Callable

from flows.casefile_export import chronology_text
from flows.conversation import Press
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver

Make = Callable[..., Driver]

SECOND_CLIENT = [
    ("jurisdiction", "press:fr"),
    ("debtor_kind", "press:business"),
    ("debtor_name", "Boulangerie Dupont"),
    ("invoice_number", "F-7"),
    ("invoice_amount", "300"),
    ("issue_date", "01/10/2026"),
    ("due_date", "31/10/2026"),
    ("payments", "press:nothing"),
    ("another_invoice", "press:yes"),
    ("invoice_number", "F-9"),
    ("invoice_amount", "450,20"),
    ("issue_date", "02/11/2026"),
    ("due_date", "press:none"),
    ("payments", "02/11/2026 : 50"),
    ("another_invoice", "press:no"),
]


def two_cases(make: Make) -> Driver:
    d = make()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)  # ACME: letter drafted, waiting for news
    d.command("new")
    d.play(SECOND_CLIENT)  # Dupont: two invoices, at the "what did you supply" question
    return d


def test_cases_lists_every_case_with_its_balance_and_next_step(driver: Make) -> None:
    d = two_cases(driver)
    d.command("cases")
    text = d.text_of_last()
    assert "Vos dossiers (2) :" in text
    # ACME: 1 200,50 € + 15,59 € of interest + the 40 € indemnity.
    assert ("1. ACME Rénovation SARL (factures : 1) — reste dû : 1 200,50 € "
            "(1 256,09 € avec intérêts et indemnité à ce jour) — "
            "prochaine étape le 2 décembre 2026 : Mise en demeure : délai de paiement terminé "
            "le 1er décembre 2026") in text
    # Dupont, invoice by invoice: F-7 is late (300 € + 2,30 € + 40 €); F-9 (450,20 € less
    # 50 € paid) is not due yet, so it carries neither interest nor indemnity.
    assert ("👉 2. Boulangerie Dupont (factures : 2) — reste dû : 700,20 € "
            "(742,50 € avec intérêts et indemnité à ce jour) — "
            "à faire : les faits de la facture (ouvert)") in text
    labels = [b.label for b in d.prompt.buttons]
    assert labels == ["1. ACME Rénovation SARL", "2. Boulangerie Dupont", "➕ Nouveau dossier"]


def test_switching_case_with_a_button_resumes_that_case(driver: Make) -> None:
    d = two_cases(driver)
    acme = d.account.cases[0]
    d.command("cases")
    d.press_label("ACME")
    assert d.account.active_case == acme.id
    assert "Vous travaillez maintenant sur « ACME Rénovation SARL »." in d.text_of_last()
    assert d.prompt.key == "outcome"  # its follow-up question
    d.command("cases")
    d.press_label("Dupont")
    assert d.prompt.key == "supply"
    assert d.case.text("debtor_name") == "Boulangerie Dupont"


def test_answers_go_to_the_case_open_and_never_to_the_other(driver: Make) -> None:
    d = two_cases(driver)
    acme, dupont = d.account.cases
    acme_before = acme.to_json()
    d.press("goods")
    assert dupont.answers["supply"] == "goods"
    assert acme.to_json() == acme_before


def test_new_case_button_opens_a_fresh_case(driver: Make) -> None:
    d = two_cases(driver)
    d.command("cases")
    d.press_label("Nouveau dossier")
    assert len(d.account.cases) == 3
    assert d.prompt.key == "jurisdiction"


def test_a_switch_button_naming_an_unknown_case_changes_nothing(driver: Make) -> None:
    d = two_cases(driver)
    before = d.account.to_json()
    reply = turn(d.account, Press("", "cases", "0badcafe"), d.now)
    assert reply.notice == "Ce bouton ne correspond à aucun de vos dossiers : rien n'a été modifié."
    assert reply.changed is False
    assert d.account.to_json() == before


def test_no_case_yet_says_how_to_open_one(driver: Make) -> None:
    d = driver("en")
    d.command("cases")
    assert d.text_of_last() == "You have no case yet. /new to open one."


def test_a_note_typed_after_the_command_goes_into_the_chronology(driver: Make) -> None:
    d = two_cases(driver)
    d.command("cases")
    d.press_label("ACME")
    d.command("note", "appelé le 12/10, il promet de payer vendredi")
    assert "📝 Note ajoutée à la chronologie de « ACME Rénovation SARL »" in d.text_of_last()
    acme = d.account.cases[0]
    assert acme.events[-1]["kind"] == "note"
    assert acme.events[-1]["params"] == {"text": "appelé le 12/10, il promet de payer vendredi"}
    assert all(e["kind"] != "note" for e in d.account.cases[1].events)
    assert "Note : appelé le 12/10, il promet de payer vendredi" in chronology_text(acme, "fr")


def test_note_alone_asks_for_the_text_then_keeps_it(driver: Make) -> None:
    d = two_cases(driver)
    d.command("note")
    assert "Écrivez votre note pour le dossier « Boulangerie Dupont »" in d.text_of_last()
    d.say("Relancé par téléphone.\nIl conteste la facture F-9.")
    assert d.case.events[-1]["params"]["text"] == (
        "Relancé par téléphone.\nIl conteste la facture F-9.")
    assert "supply" not in d.case.answers  # the note is not an answer


def test_pressing_a_button_instead_of_typing_the_note_drops_it(driver: Make) -> None:
    d = two_cases(driver)
    d.command("note")
    d.press("services", key="supply")  # on the earlier question's keyboard, still on screen
    assert d.case.answers["supply"] == "services"
    assert d.last.changed is True
    d.press("trader")
    d.say("12")  # the contract rate, not a note
    assert d.case.answers["contract_rate"] == "12"
    assert all(e["kind"] != "note" for e in d.case.events)


def test_cancel_gives_up_the_note(driver: Make) -> None:
    d = two_cases(driver)
    d.command("note")
    d.command("cancel")
    assert d.text_of_last() == "Aucune note ajoutée."
    assert d.account.asking is None


def test_an_overlong_note_is_refused_and_asked_again(driver: Make) -> None:
    d = two_cases(driver)
    d.command("note")
    d.say("x" * 2001)
    assert "trop longue (2000 caractères au plus)" in d.text_of_last()
    d.say("Courte note.")
    assert d.case.events[-1]["params"]["text"] == "Courte note."


def test_help_lists_the_case_file_commands(driver: Make) -> None:
    d = driver("en")
    d.command("help")
    text = d.text_of_last()
    for command in ("/evidence", "/note", "/cases", "/export", "/delete", "/new"):
        assert command in text


def test_a_closed_case_is_listed_as_closed_without_a_balance(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    d.press("paid")
    d.command("cases")
    assert "1. ACME Rénovation SARL — clos" in d.text_of_last()
