"""Documents are never lost: a character XML cannot hold does not break the drawing, and a
drawing that fails keeps the documents pending, tells the user, and /documents draws them."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.documents import drawing
from flows.i18n import t
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import load_chat
from testing.telegram_harness import TelegramUser, running_bot

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))



def with_debtor(name: str) -> list[tuple[str, str]]:
    return [(key, name if key == "debtor_name" else step) for key, step in FRENCH_BUSINESS_CASE]


async def test_a_name_with_a_character_xml_cannot_hold_still_gets_its_documents(
        api: FakeBotApi, data_dir: Path) -> None:
    user = TelegramUser(api, 7901)
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        await user.play(with_debtor("ACME\ufffe Rénovation\x0b SARL"), first, until="review")
        mark = api.mark()
        generate(api, user)
        await api.await_documents(user.chat_id, 6, since=mark, timeout=120)
    assert t("fr", "error.internal") not in user.texts()
    [docx] = [d for d in api.documents_to(user.chat_id)
              if d.filename and d.filename.endswith(".docx") and "demeure" in d.filename]
    assert docx.content is not None
    body = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "ACME Rénovation SARL" in body


def generate(api: FakeBotApi, user: TelegramUser) -> None:
    """Press "generate" on the review screen, without waiting for what follows."""
    [data] = [data for _, data, _ in api.last_keyboard(user.chat_id)
              if data and data.split(":")[1:] == ["review", "generate"]]
    [message_id] = {m for _, d, m in api.last_keyboard(user.chat_id) if d == data}
    api.press_button(user.chat_id, message_id, data)


def to_chat(chat_id: int, text: str):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        return (call.method == "sendMessage" and call.params.get("chat_id") == chat_id
                and call.params.get("text") == text)
    return match


async def test_a_drawing_that_fails_stays_pending_and_documents_draws_it_again(
        api: FakeBotApi, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = TelegramUser(api, 7902)
    draw = drawing.draw

    def broken(job: object, *where: object) -> dict[str, bytes]:
        raise RuntimeError("the drawing broke")

    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        await user.play(FRENCH_BUSINESS_CASE, first, until="review")
        monkeypatch.setattr(drawing, "draw", broken)
        mark = api.mark()
        generate(api, user)
        await api.await_for(to_chat(user.chat_id, t("fr", "documents_retry.failed")), since=mark)
        chat = load_chat(data_dir, str(user.chat_id))
        assert chat is not None
        assert [r["failed"] for r in chat.pending_documents] == ["RuntimeError"] * 3
        # Another message does not try them again by itself (it would fail at every reply)...
        mark = api.mark()
        api.send_text(user.chat_id, "/help")
        await api.await_for("sendMessage", since=mark)
        assert api.documents_to(user.chat_id) == []
        # ...and once the cause is fixed, /documents draws them.
        monkeypatch.setattr(drawing, "draw", draw)
        mark = api.mark()
        api.send_text(user.chat_id, "/documents")
        await api.await_documents(user.chat_id, 6, since=mark, timeout=120)
    chat = load_chat(data_dir, str(user.chat_id))
    assert chat is not None
    assert chat.pending_documents == []
    assert len({d["name"] for d in chat.account.cases[0].documents}) == 6
