"""The evidence locker in the conversation: files received, filed against the checklist, shown."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flows.conversation import Press, Reply, Upload
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain

Make = Callable[..., Driver]


def upload(driver: Driver, name: str, data: bytes = b"%PDF-1.7 devis",
           mime: str = "application/pdf", caption: str = "") -> Reply:
    """What the adapter sends once the file is downloaded and kept."""
    digest = hashlib.sha256(data).hexdigest()
    event = Upload(driver.case.id, name, mime, len(data), digest, f"evidence/{digest}", caption)
    return driver._record(turn(driver.account, event, driver.now))


def at_evidence_step(make: Make, lang: str = "fr") -> Driver:
    driver = make(lang)
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE, until="ev_contract")
    return driver


def test_evidence_step_invites_the_user_to_send_files(driver: Make) -> None:
    d = at_evidence_step(driver)
    assert "Vous pouvez m'envoyer vos pièces dès maintenant" in d.text_of_last()
    assert d.prompt.key == "ev_contract"


def test_a_file_is_kept_with_its_fingerprint_and_the_user_says_what_it_proves(
        driver: Make) -> None:
    d = at_evidence_step(driver)
    data = b"%PDF-1.7 devis signe" * 100
    reply = upload(d, "devis signé.pdf", data, caption="le devis signé en mars")
    text = d.text_of_last()
    assert "Rangé dans le dossier « ACME Rénovation SARL » : devis signé.pdf (2 Ko)" in text
    assert "reçu le 23 novembre 2026 à 10:00" in text
    assert hashlib.sha256(data).hexdigest() in text
    assert reply.prompt is not None
    assert reply.prompt.text == "Que prouve « devis signé.pdf » ?"
    labels = [b.label for b in reply.prompt.buttons]
    assert labels[0] == "Devis / contrat"
    assert labels[-1] == "Autre chose"
    [record] = d.case.evidence
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["size"] == len(data)
    assert record["name"] == "devis signé.pdf"
    assert record["caption"] == "le devis signé en mars"
    assert record["received_at"] == "2026-11-23T10:00:00+01:00"
    assert d.case.events[-1]["kind"] == "evidence"


def test_filing_a_file_as_the_contract_answers_the_contract_question(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "devis.pdf")
    d.press_label("Devis / contrat")
    assert d.case.answers["ev_contract"] is True
    assert d.last.chosen == "Devis / contrat"
    assert "« devis.pdf » classé dans : Devis / contrat." in d.text_of_last()
    assert d.prompt.key == "ev_delivery"  # the journey goes on to the next question
    assert d.case.evidence[0]["proves"] == "contract"


def test_filing_a_file_as_something_else_returns_to_the_question_asked(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "photo.jpg", b"\xff\xd8 photo", "image/jpeg")
    d.press_label("Autre chose")
    assert "ev_contract" not in d.case.answers
    assert d.prompt.key == "ev_contract"
    assert "rattaché à aucune pièce" in d.text_of_last()


def test_several_files_are_filed_one_after_the_other(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "devis.pdf", b"%PDF devis")
    upload(d, "bon de livraison.jpg", b"\xff\xd8 bl", "image/jpeg")
    d.press_label("Devis / contrat")  # under the last question: the second file
    assert d.case.evidence[1]["proves"] == "contract"
    assert d.prompt.key == "evtag"  # the first file is still to be filed
    assert d.prompt.text == "Que prouve « devis.pdf » ?"
    d.press_label("Preuve de livraison")
    assert d.case.answers["ev_delivery"] is True
    assert d.prompt.key == "ev_invoice_sent"


def test_the_same_file_sent_twice_is_kept_once(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "devis.pdf", b"%PDF same")
    d.press_label("Devis / contrat")
    reply = upload(d, "devis (1).pdf", b"%PDF same")
    assert len(d.case.evidence) == 1
    assert "déjà envoyé ce fichier (« devis.pdf », reçu le 23 novembre 2026)" in plain(
        reply.messages[0])
    assert reply.changed is False


def test_evidence_command_shows_what_is_proven_and_what_is_missing(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "devis.pdf", b"%PDF" + bytes(3000))
    d.press_label("Devis / contrat")
    d.press("no")  # no proof of delivery
    upload(d, "capture.png", b"\x89PNG", "image/png")
    d.press_label("Autre chose")
    d.command("evidence")
    text = d.text_of_last()
    assert "📂 Dossier — ACME Rénovation SARL" in text
    assert "✅ Devis signé, bon de commande ou contrat" in text
    assert "📎 devis.pdf · 3 Ko · 23/11/2026" in text
    assert "❗ Preuve de livraison ou de réalisation" in text
    assert "manquante" in text
    assert "Autres fichiers :\n      📎 capture.png · 4 octets · 23/11/2026" in text


def test_a_proof_the_user_said_they_hold_but_did_not_send_is_shown_as_such(
        driver: Make) -> None:
    d = at_evidence_step(driver, "en")
    d.press("yes")
    d.command("evidence")
    assert "☑️ Signed quote, purchase order or contract" in d.text_of_last()
    assert "send it to me so that it is kept here too" in d.text_of_last()
    assert "No file kept yet." in d.text_of_last()


def test_evidence_offers_to_file_what_was_left_unfiled(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "devis.pdf")
    d.command("evidence")
    assert d.last.prompt is not None
    assert d.last.prompt.key == "evtag"


def test_files_can_be_sent_after_the_documents_are_drafted(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE)
    assert d.case.state == "followup"
    upload(d, "reponse du client.pdf")
    d.press_label("Réponses du client")
    assert d.case.evidence[0]["proves"] == "replies"
    assert d.case.state == "followup"


def test_a_file_button_for_a_file_that_does_not_exist_changes_nothing(driver: Make) -> None:
    d = at_evidence_step(driver)
    upload(d, "devis.pdf")
    before = d.case.to_json()
    reply = d._record(turn(d.account, Press(d.case.id, "evtag", "deadbeef.contract"), d.now))
    assert reply.notice is not None
    assert reply.changed is False
    reply = d._record(turn(d.account, Press(d.case.id, "evtag",
                                            d.case.evidence[0]["id"] + ".lawsuit"),
                           d.now))
    assert reply.changed is False
    assert d.case.to_json() == before


def test_refused_files_are_explained_in_the_users_language(driver: Make) -> None:
    for lang, too_big, dangerous in (
            ("fr", "trop lourd : 20 Mo au plus", "Je ne garde pas « setup.exe »"),
            ("en", "too big: 20 MB at most", "I don't keep \"setup.exe\"")):
        d = at_evidence_step(driver, lang)
        event = Upload(d.case.id, "film.mp4", "video/mp4", 0, refused="too_big",
                       detail=str(20 * 1024 * 1024))
        reply = turn(d.account, event, d.now)
        assert too_big in plain(reply.messages[0])
        assert reply.changed is False
        reply = turn(d.account, Upload(d.case.id, "setup.exe", "", 0, refused="dangerous",
                                       detail="setup.exe"), d.now)
        assert dangerous in reply.messages[0]
        assert d.case.evidence == []


def test_a_file_sent_with_no_case_open_asks_to_open_one(driver: Make) -> None:
    d = driver()
    reply = turn(d.account, Upload("", "devis.pdf", "application/pdf", 10, refused="no_case"),
                 d.now)
    assert "ouvrez d'abord un dossier : /new" in reply.messages[0]
