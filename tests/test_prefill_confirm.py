"""Proposed answers are shown for confirmation, never taken silently: accept all, or one by one."""

from __future__ import annotations

from collections.abc import Callable

from flows import prefill
from flows.conversation import Role
from flows.model import Account
from flows.proposals import Proposal
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain

Make = Callable[..., Driver]

READ = "facturx"
INVOICE = [
    Proposal("debtor_name", "ACME Rénovation SARL", READ),
    Proposal("invoice_number", "F-2026-042", READ),
    Proposal("invoice_amount", "1200.50", READ),
    Proposal("issue_date", "2026-09-15", READ),
    Proposal("due_date", "2026-10-15", READ),
]


def _take_proposed(d: Driver) -> None:
    button = d.prompt.buttons[0]
    assert button.role is Role.PROPOSED
    d.press(button.value, role=button.role)


def _propose(d: Driver, offered: list[Proposal]) -> None:
    reply = prefill.propose(d.account, d.case, offered, d.now)
    assert reply is not None
    d.replies.append(reply)


def test_proposals_are_listed_with_their_source_and_nothing_is_kept_before_accepting(
    driver: Make,
) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    before = d.answers()
    _propose(d, INVOICE)
    shown = d.text_of_last()
    assert "ACME Rénovation SARL" in shown
    assert "1 200,50 €" in shown
    assert "15 septembre 2026" in shown
    assert "15 octobre 2026" in shown
    assert "facture, données Factur-X" in shown
    assert [b.label for b in d.prompt.buttons] == ["✅ Tout accepter", "✏️ Corriger une par une"]
    assert d.answers() == before  # shown, not taken


def test_accept_all_keeps_every_answer_and_goes_on_with_the_next_question(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, INVOICE)
    d.press("all")
    answers = d.answers()
    assert answers["debtor_name"] == "ACME Rénovation SARL"
    assert answers["invoice_amount"] == {"amount": "1200.50", "currency": "EUR"}
    assert answers["issue_date"] == "2026-09-15"
    assert answers["due_date"] == "2026-10-15"
    assert "5 réponses enregistrées" in d.text_of_last()
    assert d.prompt.key == "payments"  # the invoice's questions are not asked again
    assert d.case.proposals == []


def test_a_proposal_the_answer_engine_refuses_is_dropped_and_its_question_asked(
    driver: Make,
) -> None:
    # A due date before the issue date is refused as a typed one would be; so is a name
    # without letters. Both questions are then asked as usual.
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, [Proposal("debtor_name", "12345", READ), *INVOICE[1:4],
                 Proposal("due_date", "2026-09-01", READ)])
    shown = d.text_of_last()
    assert "12345" not in shown
    assert "1 septembre" not in shown
    d.press("all")
    assert "3 réponses enregistrées" in d.text_of_last()
    assert d.prompt.key == "debtor_name"
    d.say("ACME Rénovation SARL")
    assert d.prompt.key == "due_date"


def test_nothing_to_propose_when_every_value_is_already_the_answer(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="payments")
    assert prefill.propose(d.account, d.case, INVOICE, d.now) is None
    assert d.account.asking is None


def test_one_by_one_asks_each_question_with_the_proposal_as_suggested_answer(
    driver: Make,
) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, INVOICE)
    d.press("one")
    assert d.prompt.key == "debtor_name"
    assert "Réponse lue (facture, données Factur-X) : ACME Rénovation SARL" in d.text_of_last()
    assert d.prompt.buttons[0].label == "✅ ACME Rénovation SARL"
    _take_proposed(d)
    assert d.answers()["debtor_name"] == "ACME Rénovation SARL"
    assert d.prompt.key == "invoice_number"
    d.say("F-2026-043")  # the user corrects the number read
    assert d.answers()["invoice_number"] == "F-2026-043"
    assert d.prompt.key == "invoice_amount"
    assert plain(d.prompt.buttons[0].label) == "✅ 1 200,50 €"
    _take_proposed(d)
    _take_proposed(d)
    assert d.prompt.key == "due_date"
    _take_proposed(d)
    assert d.answers()["due_date"] == "2026-10-15"
    assert d.prompt.key == "payments"
    assert d.case.proposals == []


def test_a_proposal_replacing_an_answer_says_what_it_replaces(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="payments")
    _propose(d, [Proposal("invoice_amount", "1 300", READ)])
    assert "1 300,00 €" in d.text_of_last()
    assert "remplace « 1 200,50 € »" in d.text_of_last()
    d.press("all")
    assert d.answers()["invoice_amount"]["amount"] == "1300.00"
    assert d.prompt.key == "payments"


def test_leaving_the_screen_keeps_the_proposals_as_suggestions(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, INVOICE)
    d.command("resume")  # a command leaves the screen behind
    assert d.prompt.key == "debtor_name"
    assert d.prompt.buttons[0].label == "✅ ACME Rénovation SARL"
    d.say("ACME SAS")  # typed instead of the suggestion: the typed answer is kept
    assert d.answers()["debtor_name"] == "ACME SAS"
    assert d.prompt.key == "invoice_number"
    assert d.prompt.buttons[0].label == "✅ F-2026-042"


def test_typed_words_work_like_the_buttons_and_anything_else_asks_again(driver: Make) -> None:
    d = driver(lang="en")
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, INVOICE)
    assert "invoice, Factur-X data" in d.text_of_last()
    d.say("maybe")
    assert "Pick one of the answers offered" in d.text_of_last()
    assert d.prompt.key == "prefill"
    assert "debtor_name" not in d.answers()
    d.say("Accept all")
    assert d.answers()["invoice_number"] == "F-2026-042"
    assert "Noted: 5 answers saved." in plain(d.text_of_last())


def test_pending_proposals_and_the_screen_survive_a_restart(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, INVOICE)
    stored = Account.from_json(d.account.to_json())
    again = Driver(now=d.now, account=stored)
    again.replies = list(d.replies)
    again.press("all")
    assert again.answers()["debtor_name"] == "ACME Rénovation SARL"


def test_a_stale_screen_button_changes_nothing(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _propose(d, INVOICE)
    d.press("all")
    before = d.answers()
    d.press("all", key="prefill")
    assert d.last.notice
    assert d.answers() == before


def test_proposals_made_at_the_start_answer_the_country_first(driver: Make) -> None:
    # Sent before anything was answered: the country is proposed too, and checked first, so
    # the amount is read in its currency.
    d = driver()
    d.command("start")
    _propose(d, [Proposal("jurisdiction", "fr", READ), Proposal("debtor_kind", "business", READ),
                 *INVOICE])
    assert "France" in d.text_of_last()
    d.press("all")
    assert d.answers()["jurisdiction"] == "fr"
    assert d.prompt.key == "payments"
