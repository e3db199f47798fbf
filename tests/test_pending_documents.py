"""Documents a crash interrupted are drawn with the chat's next reply (flows/pending.py,
bot/service.py): recorded with the turn that asks for them, forgotten once drawn and sent."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.service import Assistant, Document, DrawingFailed, Rendered
from bot.storage import StoredChat, TinyDBStorage
from bot.telegram_view import albums
from flows.conversation import Command, DocumentJob, Event, Press, Reply, Text
from flows.documents import drawing
from flows.i18n import t
from testing.driver import FRENCH_BUSINESS_CASE

CHAT = "5001"
NOW_FIXED = datetime.fromisoformat("2026-11-23T10:00:00+01:00")


def generate(assistant: Assistant) -> Reply:
    """The whole journey up to "Generate", each turn saved, no document drawn yet."""
    reply = assistant.handle(CHAT, Command("start"), "fr")
    for key, step in FRENCH_BUSINESS_CASE:
        assert reply is not None
        assert reply.prompt is not None
        assert reply.prompt.key == key
        event: Event = (Press(reply.prompt.case_id, key, step[6:]) if step.startswith("press:")
                        else Text(step))
        reply = assistant.handle(CHAT, event)
    assert reply is not None
    assert reply.documents
    return reply


def say(assistant: Assistant, text: str) -> Reply:
    reply = assistant.handle(CHAT, Text(text))
    assert reply is not None
    return reply


def stored(assistant: Assistant) -> StoredChat:
    chat = assistant.load(CHAT)
    assert chat is not None
    return chat


@pytest.fixture
def assistant(data_dir: Path, now: datetime) -> Assistant:
    return Assistant(TinyDBStorage(data_dir), lambda: now)


def test_the_documents_asked_for_are_saved_with_the_answer_before_any_is_drawn(
        assistant: Assistant) -> None:
    reply = generate(assistant)
    pending = stored(assistant).pending_documents
    assert [DocumentJob.from_json(r["job"]) for r in pending] == reply.documents
    assert [r["attempts"] for r in pending] == [1, 1, 1]
    assert [j.kind for j in reply.documents] == ["demand_letter", "evidence_checklist",
                                                 "chronology"]


def test_drawing_them_forgets_them_and_files_them_in_the_case(assistant: Assistant) -> None:
    reply = generate(assistant)
    rendered = assistant.render(CHAT, reply.documents)
    chat = stored(assistant)
    assert chat.pending_documents == []
    assert sorted(d["name"] for d in chat.account.cases[0].documents) == sorted(
        r.document.name for r in rendered)
    assert say(assistant, "bonjour").documents == []


def test_on_telegram_they_stay_pending_until_sent(assistant: Assistant) -> None:
    reply = generate(assistant)
    assistant.render(CHAT, reply.documents, until_sent=True)
    chat = stored(assistant)
    assert len(chat.pending_documents) == 3  # drawn, not yet uploaded
    # PDF, DOCX, TXT letter; checklist; chronology ×2
    assert len(chat.account.cases[0].documents) == 6
    assistant.sent(CHAT, reply.documents)
    assert stored(assistant).pending_documents == []


def test_documents_a_crash_interrupted_come_with_the_next_reply_then_wait_for_documents(
        assistant: Assistant) -> None:
    first = generate(assistant)  # ...and killed while drawing them

    again = say(assistant, "bonjour")
    assert again.documents == first.documents
    assert again.messages[-1] == t("fr", "recovery.documents")
    assert [r["attempts"] for r in stored(assistant).pending_documents] == [2, 2, 2]

    # Killed while drawing them a second time: they are not tried a third time by themselves
    # (a document whose drawing kills the bot would do so at every restart)...
    third = say(assistant, "bonjour")
    assert third.documents == []
    assert third.messages[-1] == t("fr", "recovery.documents_interrupted")
    assert "/documents" in third.messages[-1]
    assert [r["failed"] for r in stored(assistant).pending_documents] == ["interrupted"] * 3
    assert say(assistant, "bonjour").documents == []
    assert t("fr", "recovery.documents_interrupted") not in say(assistant, "bonjour").messages

    # ...but they are not lost: /documents draws them when the user asks.
    asked = assistant.handle(CHAT, Command("documents"))
    assert asked is not None
    assert asked.documents == first.documents
    assert [r["attempts"] for r in stored(assistant).pending_documents] == [1, 1, 1]
    assistant.render(CHAT, asked.documents)
    assert stored(assistant).pending_documents == []
    assert len({d["name"] for d in stored(assistant).account.cases[0].documents}) == 6


def test_drawn_again_the_files_are_filed_once_in_the_case(assistant: Assistant) -> None:
    generate(assistant)  # killed while drawing them
    again = say(assistant, "bonjour")
    assistant.render(CHAT, again.documents)
    names = [d["name"] for d in stored(assistant).account.cases[0].documents]
    assert len(names) == len(set(names)) == 6


def test_a_document_that_fails_to_draw_stays_pending_without_failing_later_turns(
        assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = generate(assistant)

    def broken(job: DocumentJob, *where: object) -> dict[str, bytes]:
        raise RuntimeError("template error")

    monkeypatch.setattr(drawing, "draw", broken)
    with pytest.raises(DrawingFailed):
        assistant.render(CHAT, reply.documents, until_sent=True)
    # Kept, with the reason, for /documents; not redrawn (and failing) at every later turn.
    assert [r["failed"] for r in stored(assistant).pending_documents] == ["RuntimeError"] * 3
    assert say(assistant, "bonjour").documents == []
    assert len(stored(assistant).pending_documents) == 3


def test_a_chat_file_saved_before_pending_documents_existed_still_loads() -> None:
    chat = StoredChat.from_json({"chat_id": "1", "lang": "en", "cases": []}, None)
    assert chat.pending_documents == []
    assert chat.seen_updates == []
    assert chat.account.to_json()["cases"] == []


def test_a_chat_file_with_its_bookkeeping_in_the_account_loads_and_moves_it_out(
        data_dir: Path) -> None:
    """Before the envelope, the update ids and pending documents sat inside the account: a
    chat file of that time loads with them, and the next save keeps them in the envelope."""
    job = {"case_id": "abcd1234", "kind": "demand_letter", "lang": "fr",
           "filename": "mise_en_demeure_20261123", "context": {}, "formats": ["pdf"]}
    old = {"account": {"1": {"chat_id": CHAT, "lang": "fr", "cases": [],
                             "seen_updates": [41, 42],
                             "pending_documents": [{"job": job, "attempts": 1}]}}}
    folder = data_dir / "chats" / CHAT
    folder.mkdir(parents=True)
    (folder / "chat.json").write_text(json.dumps(old), encoding="utf-8")
    storage = TinyDBStorage(data_dir)
    chat = storage.accounts.load(CHAT)
    assert chat is not None
    assert chat.seen_updates == [41, 42]
    assert [r["job"]["kind"] for r in chat.pending_documents] == ["demand_letter"]
    storage.accounts.save(chat, None)
    written = json.loads((folder / "chat.json").read_text(encoding="utf-8"))
    assert "seen_updates" not in written["account"]["1"]
    assert "pending_documents" not in written["account"]["1"]
    assert written["envelope"]["1"]["seen_updates"] == [41, 42]
    # Telegram's redelivery of an update answered before the move is still recognised.
    assert Assistant(storage, lambda: NOW_FIXED).handle(CHAT, Text("x"), update_id=42) is None


def test_documents_telegram_took_are_not_sent_again_after_a_crash(assistant: Assistant) -> None:
    reply = generate(assistant)
    assistant.render(CHAT, reply.documents, until_sent=True)
    assistant.delivered(CHAT, reply.documents, [101, 102, 103, 104, 105, 106])
    # Killed here, before ``sent``: the records say Telegram has them.
    assert [r["sent"] for r in stored(assistant).pending_documents] == [
        [101, 102, 103, 104, 105, 106]] * 3
    again = say(assistant, "bonjour")
    assert again.documents == []
    assert t("fr", "recovery.documents") not in again.messages
    assert stored(assistant).pending_documents == []


def test_albums_hold_ten_files_at_most_and_never_split_a_documents_files() -> None:
    jobs = [DocumentJob("demand_letter", "fr", "abcd1234", f"lettre_{n}", {}) for n in range(4)]
    rendered = [Rendered(job, Document(f"{job.filename}.{kind}", b"x"))
                for job in jobs for kind in ("pdf", "docx", "txt")]
    batches = albums(rendered)
    assert [len(batch) for batch in batches] == [9, 3]
    assert [item for batch in batches for item in batch] == rendered
    assert {item.job.filename for item in batches[1]} == {"lettre_3"}
