"""The whole journey on Telegram: the real python-telegram-bot stack over HTTP, fake Bot API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flows.i18n import t
from testing.driver import FRENCH_BUSINESS_CASE, plain
from testing.fakebot import FakeBotApi
from testing.telegram_harness import TelegramUser, question_key, running_bot
from tests.pdf import pdf_text

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))



async def test_whole_journey_on_telegram_ends_with_the_demand_letter_pdf(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        assert question_key(first) == "jurisdiction"
        mark = api.mark()
        await user.play(FRENCH_BUSINESS_CASE, first)
        # The demand in three forms (PDF, DOCX, TXT), the checklist, the chronology (PDF, DOCX).
        await api.await_documents(user.chat_id, 6, since=mark, timeout=30)
    # One album on the phone, not six messages.
    assert {(d.call.method, id(d.call)) for d in api.documents_to(user.chat_id)} == {
        ("sendMediaGroup", id(api.documents_to(user.chat_id)[0].call))}
    forms = sorted(d.filename.rsplit(".", 1)[1] for d in api.documents_to(user.chat_id)
                   if d.filename and d.filename.startswith("mise_en_demeure"))
    assert forms == ["docx", "pdf", "txt"]
    letters = [d for d in api.documents_to(user.chat_id) if d.filename
               and d.filename.startswith("mise_en_demeure") and d.filename.endswith(".pdf")]
    assert len(letters) == 1
    assert letters[0].content is not None
    assert letters[0].content.startswith(b"%PDF")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letters[0].content)
    text = pdf_text(pdf)
    assert "ACME Rénovation SARL" in text
    assert "1 200,50 €" in text
    assert "1er décembre 2026" in text
    # The same file was kept in the case folder on disk.
    assert list(data_dir.glob(f"chats/{user.chat_id}/cases/*/documents/mise_en_demeure_*.pdf"))


async def test_command_menu_is_published_in_french_and_english(api: FakeBotApi,
                                                              data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW):
        await api.await_for_count(2, "setMyCommands", timeout=10)
    calls = api.calls("setMyCommands")
    languages = {c.params.get("language_code") for c in calls}
    assert languages == {None, "en"}
    commands = {c["command"] for c in calls[0].params["commands"]}
    assert {"start", "new", "cancel", "help"} <= commands


async def test_pressed_keyboard_is_marked_answered_and_a_stale_press_is_refused_politely(
        api: FakeBotApi, data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        first_id = first.result["message_id"]
        await user.press("jurisdiction", "fr")
        edited = api.message(user.chat_id, first_id)
        assert edited is not None
        assert "reply_markup" not in edited
        assert "France" in edited["text"]
        mark = api.mark()
        api.press_button(user.chat_id, first_id, first.params["reply_markup"]
                         ["inline_keyboard"][1][0]["callback_data"])  # "Belgique", long gone
        answer = await api.await_for("answerCallbackQuery", since=mark)
        assert answer.params.get("text") == t("fr", "notice.stale")
    stored = (data_dir / "chats" / str(user.chat_id) / "chat.json").read_text("utf-8")
    assert '"jurisdiction":"fr"' in stored


async def test_bad_amount_on_telegram_is_explained_and_asked_again(api: FakeBotApi,
                                                                   data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        current = await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"),
                                  until="invoice_amount")
        assert question_key(current) == "invoice_amount"
        again = await user.say("mille deux cents")
        assert question_key(again) == "invoice_amount"
        assert user.saw(t("fr", "error.amount_format"))
        nxt = await user.say("1 200,50 €")
        assert question_key(nxt) == "issue_date"


async def test_english_speaker_gets_english_and_errors_in_english(api: FakeBotApi,
                                                                  data_dir: Path) -> None:
    user = TelegramUser(api, chat_id=5002, language_code="en-GB")
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        assert first.params["text"].startswith(t("en", "welcome").split("\n")[0])
        assert first.params["text"].endswith("\n\n" + t("en", "q.jurisdiction"))
        current = await user.play(FRENCH_BUSINESS_CASE, first, until="issue_date")
        await user.say("31/02/2026")
        assert any("only 28 days" in plain(text) for text in user.texts())
        assert question_key(current) == "issue_date"


async def test_restart_mid_journey_continues_at_the_same_question(api: FakeBotApi,
                                                                  data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        current = await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"),
                                  until="supply")
        assert question_key(current) == "supply"
    # A new process on the same data folder: the user simply carries on.
    async with running_bot(api, data_dir, NOW):
        current = await user.press("supply", "services")
        assert question_key(current) == "debtor_trader"
        current = await user.say("/start")
        assert question_key(current) == "debtor_trader"
        assert user.saw(t("fr", "welcome_back"))
    stored = (data_dir / "chats" / str(user.chat_id) / "chat.json").read_text("utf-8")
    for earlier in ('"debtor_name":"ACME Rénovation SARL"', '"invoice_number":"F-2026-042"',
                    '"amount":"1200.50"', '"supply":"services"'):
        assert earlier in stored
