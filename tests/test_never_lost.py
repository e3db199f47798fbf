"""Never lost: after a side turn — ``/note``, ``/evidence``, ``/back`` at the first question, a
court step such as "Ordonnance rendue" — the bot says where the case stands and what can be
done next, with buttons; "choose one of the proposed answers" never comes without them.
"""

from __future__ import annotations

from datetime import timedelta

from flows.conversation import Reply, Role
from flows.i18n import t
from testing.driver import Driver
from tests.followup_cases import COURT, FORMAL_DEMAND, NOW, followed

USE_BUTTONS = {t(lang, "error.use_buttons") for lang in ("fr", "en")}


def assert_next_step(d: Driver, standing: str) -> None:
    """The last reply says where the case stands and offers buttons to go on."""
    said = d.text_of_last()
    assert standing in said, said
    prompt = d.last.prompt
    assert prompt is not None, said
    assert [b for b in prompt.buttons if b.role in {Role.ANSWER, Role.PROPOSED}], prompt


def assert_buttons_whenever_asked_to_use_them(replies: list[Reply]) -> None:
    for reply in replies:
        if any(m in USE_BUTTONS for m in reply.messages):
            assert reply.prompt is not None, reply
            assert reply.prompt.buttons, reply


def test_at_the_first_question_back_note_and_evidence_keep_the_question_and_its_buttons() -> None:
    d = Driver(now=NOW)
    d.command("start")
    d.command("back")
    assert "C'est la première question : il n'y a rien avant." in d.text_of_last()
    assert_next_step(d, "📍 Dossier « Nouveau dossier du 23 novembre 2026 » — à faire : où et "
                        "contre qui. Ce que vous pouvez faire maintenant :")
    assert d.last.prompt is not None
    assert d.last.prompt.key == "jurisdiction"
    d.command("note")
    assert "Écrivez votre note" in d.text_of_last()
    d.say("Appelé le client : il dit attendre un virement.")
    assert "📝 Note ajoutée" in d.text_of_last()
    assert_next_step(d, "📍 Dossier « Nouveau dossier du 23 novembre 2026 »")
    d.command("evidence")
    assert "📂 Dossier" in d.text_of_last()
    assert_next_step(d, "Ce que vous pouvez faire maintenant :")
    # Typing instead of pressing: the reason, with the buttons again.
    d.say("je ne sais pas")
    assert_next_step(d, "Choisissez une des réponses proposées")
    d.press("fr")
    assert d.prompt.key == "debtor_kind"
    assert_buttons_whenever_asked_to_use_them(d.replies)


def test_in_the_follow_up_a_note_and_the_evidence_show_the_next_check_and_the_buttons() -> None:
    d = followed(FORMAL_DEMAND)
    d.command("note", "Relancé par téléphone, il promet de payer vendredi.")
    assert_next_step(d, "📍 Dossier « ACME Rénovation SARL » — prochaine étape le 2 décembre "
                        "2026 : Mise en demeure : délai de paiement terminé")
    assert d.last.prompt is not None
    assert d.last.prompt.key == "outcome"
    d.command("evidence")
    assert_next_step(d, "prochaine étape le 2 décembre 2026")
    assert_buttons_whenever_asked_to_use_them(d.replies)


def test_a_court_step_recorded_says_what_comes_next_with_one_date() -> None:
    d = followed(COURT)
    d.now = NOW + timedelta(days=20)  # the order comes back three weeks later
    d.press("granted")
    assert d.prompt.key == "granted_date"
    d.say("10/12/2026")
    said = d.text_of_last()
    assert "⚖️ Ordonnance rendue le 10 décembre 2026" in said
    assert_next_step(d, "📍 Dossier « ACME Rénovation SARL » — prochaine étape le 17 décembre "
                        "2026 : Faire signifier l'ordonnance à ACME Rénovation SARL.")
    assert "Prochain point prévu le 17 décembre 2026" in said
    assert d.last.prompt is not None
    assert "📨 Ordonnance signifiée" in [b.label for b in d.last.prompt.buttons]
    d.say("bonjour")
    assert_buttons_whenever_asked_to_use_them(d.replies)


def test_in_english_too() -> None:
    d = Driver(lang="en", now=NOW)
    d.command("start")
    d.command("back")
    assert_next_step(d, "📍 Case")
    assert "What you can do now:" in d.text_of_last()
