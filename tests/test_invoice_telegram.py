"""The invoice sent on Telegram (over the fake Bot API): a Factur-X PDF and a photo are read,
filed with their SHA-256, and their answers confirmed with one tap."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from testing.driver import plain
from testing.fakebot import FakeBotApi
from tests.casefile_bot import FileSendingUser, account_json, buttons, casefile_bot, question_key
from tests.invoice_samples import facturx_pdf, photo


async def test_a_factur_x_invoice_sent_at_the_start_is_read_and_accepted_with_one_tap(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6101)
    data = facturx_pdf()
    async with casefile_bot(api, data_dir):
        asked = await user.say("/start")
        assert question_key(asked) == "jurisdiction"
        screen = await user.send_file("facture F-2026-042.pdf", data, "application/pdf")
        assert question_key(screen) == "prefill"
        shown = plain(screen.params["text"])
        assert "Client : ACME Rénovation SARL (facture, données Factur-X)" in shown
        assert "Montant taxes comprises : 1 200,50 € (facture, données Factur-X)" in shown
        assert [label for label, _ in buttons(screen)] == ["✅ Tout accepter",
                                                            "✏️ Corriger une par une"]
        next_question = await user.tap_label("✅ Tout accepter")
        assert question_key(next_question) == "payments"
    [case] = account_json(data_dir, user.chat_id)["cases"]
    assert case["answers"]["debtor_name"] == "ACME Rénovation SARL"
    assert case["answers"]["invoice_amount"] == {"amount": "1200.50", "currency": "EUR"}
    assert case["answers"]["due_date"] == "2026-10-15"
    digest = hashlib.sha256(data).hexdigest()
    [record] = case["evidence"]
    assert record["sha256"] == digest
    [folder] = (data_dir / "chats" / str(user.chat_id) / "cases").glob("*/evidence")
    assert (folder / digest).read_bytes() == data


@pytest.mark.usefixtures("ocr")
async def test_a_photo_of_the_invoice_is_read_by_ocr_and_each_answer_can_be_checked(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6102)
    async with casefile_bot(api, data_dir):
        await user.say("/start")
        await user.tap_label("🇫🇷 France")
        await user.tap_label("Une entreprise ou un professionnel")
        _update, screen = await user.send_photo(photo())
        assert question_key(screen) == "prefill"
        shown = plain(screen.params["text"])
        assert "photo de la facture, lue automatiquement" in shown
        assert "Facture n° : F-2026-042" in shown
        assert "Montant taxes comprises : 1 200,50 €" in shown
        first = await user.tap_label("✏️ Corriger une par une")
        assert question_key(first) == "debtor_name"
        assert buttons(first)[0][0] == "✅ ACME Rénovation SARL"
        second = await user.tap_label("✅ ACME Rénovation SARL")
        assert question_key(second) == "invoice_number"
    [case] = account_json(data_dir, user.chat_id)["cases"]
    assert case["answers"]["debtor_name"] == "ACME Rénovation SARL"
    assert "invoice_number" not in case["answers"]  # not confirmed yet: not kept
    assert [r["mime"] for r in case["evidence"]] == ["image/jpeg"]
