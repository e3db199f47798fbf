"""Nobody is left without an answer after a crash (bot/recovery.py, bot/outbox.py).

The kills are real: the bot runs as its own process, and the fake Bot API answers the reply the
test wants to swallow with "429 Too Many Requests, retry after a minute"; while the bot waits to
retry, the test SIGKILLs it. The answer is then on disk and its reply was never shown, exactly
the window a crash can hit. The other tests start the bot in-process on a data folder arranged
as a crash would leave it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot import recovery
from bot.outbox import Outbox
from bot.service import Assistant
from bot.storage import TinyDBStorage
from flows.conversation import Command, Press, Text
from flows.i18n import t
from testing.bot_process import kill, launch, polling_started
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import ApiCall, FakeBotApi
from testing.forkserver import Process
from testing.stored import Place, load_chat
from testing.telegram_harness import question_key, running_bot, settle
from tests.pdf import pdf_text

APOLOGY = t("fr", "recovery.interrupted")
HELD = {"retry_after": 60}  # the bot waits a minute before retrying: it is killed before



def owed_after(place: Place | Path) -> dict[str, int]:
    """What the outbox would make the next start answer (on PostgreSQL: the outbox of the
    instance this data folder names, as the restarted bot reads it)."""
    place = place if isinstance(place, Place) else Place(place)
    storage = place.open()
    outbox = Outbox(storage.outbox)
    try:
        return outbox.open()
    finally:
        outbox.close()
        storage.close()


def answers_on_disk(place: Place | Path, chat_id: int) -> dict[str, Any]:
    account = (place if isinstance(place, Place) else Place(place)).load_account(chat_id)
    assert account is not None
    return dict(account.cases[0].answers)


class ProcessUser:
    """A user talking to the bot process: answers the question last shown, and waits."""

    def __init__(self, api: FakeBotApi, chat_id: int) -> None:
        self.api, self.chat_id = api, chat_id

    def is_question(self, call: ApiCall) -> bool:
        return (call.method == "sendMessage" and call.ok and question_key(call) is not None
                and call.params.get("chat_id") == self.chat_id)

    def next_question(self, since: int, timeout: float = 30) -> ApiCall:
        return self.api.wait_for(self.is_question, timeout=timeout, since=since)

    def answer(self, shown: ApiCall, step: str) -> None:
        key = question_key(shown)
        if step.startswith("press:"):
            data = next(b["callback_data"] for row in shown.params["reply_markup"]
                        ["inline_keyboard"] for b in row
                        if b["callback_data"].split(":")[1:] == [key, step[6:]])
            self.api.press_button(self.chat_id, shown.result["message_id"], data)
        else:
            self.api.send_text(self.chat_id, step)

    def play_until(self, key: str) -> ApiCall:
        """/start, then the French business case up to the question ``key``."""
        mark = self.api.mark()
        self.api.send_text(self.chat_id, "/start")
        shown = self.next_question(mark)
        for expected, step in FRENCH_BUSINESS_CASE:
            if expected == key:
                return shown
            assert question_key(shown) == expected
            mark = self.api.mark()
            self.answer(shown, step)
            shown = self.next_question(mark)
        raise AssertionError(f"{key} is not in the script")


def start(api: FakeBotApi, place: Place | Path, log: Path,
          now: datetime) -> Process:
    place = place if isinstance(place, Place) else Place(place)
    mark = api.mark()
    process = launch(api, place.data_dir, log, now, **place.env())
    polling_started(api, mark)
    return process


def stop(process: Process) -> None:
    """A clean stop (SIGTERM): every update under way is finished first."""
    if process.poll() is None:
        process.terminate()
    process.wait(30)


def killed_when_held(api: FakeBotApi, process: Process, method: str,
                     since: int) -> None:
    """SIGKILL the bot once the fake has refused it ``method`` (it then waits to retry)."""
    api.wait_for(lambda c: c.method == method and c.error_code == 429, timeout=30, since=since)
    kill(process)


@pytest.mark.slow(seconds=4)
def test_an_answer_whose_reply_a_sigkill_swallowed_is_answered_at_restart_unasked(
        api: FakeBotApi, place: Place, tmp_path: Path, now: datetime) -> None:
    user = ProcessUser(api, 6101)
    log = tmp_path / "bot.log"
    process = start(api, place, log, now)
    try:
        shown = user.play_until("debtor_name")
        api.inject_error("sendMessage", 429, "Too Many Requests: retry after 60",
                         chat_id=user.chat_id, parameters=HELD)
        mark = api.mark()
        user.answer(shown, "ACME Rénovation SARL")
        killed_when_held(api, process, "sendMessage", mark)
        assert answers_on_disk(place, user.chat_id)["debtor_name"] == "ACME Rénovation SARL"
        assert owed_after(place) == {str(user.chat_id): 0}

        # The user types nothing more: the restarted bot apologises and asks the next question.
        mark = api.mark()
        process = start(api, place, log, now)
        shown = user.next_question(mark)
        assert shown.result["text"].startswith(APOLOGY + "\n\n")
        assert question_key(shown) == "invoice_number"

        # The conversation carries on from there, and nobody is owed anything more.
        mark = api.mark()
        user.answer(shown, "F-2026-042")
        assert question_key(user.next_question(mark)) == "invoice_amount"
        assert sum(m.startswith(APOLOGY) for m in api.texts_to(user.chat_id)) == 1
        stop(process)
    finally:
        kill(process)
    assert owed_after(place) == {}


@pytest.mark.slow(seconds=7)
def test_documents_a_sigkill_interrupted_are_drawn_and_sent_once_at_restart(
        api: FakeBotApi, place: Place, tmp_path: Path, now: datetime) -> None:
    user = ProcessUser(api, 6102)
    log = tmp_path / "bot.log"
    process = start(api, place, log, now)
    try:
        shown = user.play_until("review")
        api.inject_error("sendMediaGroup", 429, "Too Many Requests: retry after 60",
                         chat_id=user.chat_id, parameters=HELD)
        mark = api.mark()
        user.answer(shown, "press:generate")  # drawn, then killed while uploading the album
        killed_when_held(api, process, "sendMediaGroup", mark)
        assert api.documents_to(user.chat_id) == []

        mark = api.mark()
        process = start(api, place, log, now)
        api.wait_documents(user.chat_id, 6, timeout=60, since=mark)
        sent = api.documents_to(user.chat_id)
        kept = place.load_account("6102")
        assert kept is not None
        filed = kept.to_json()["cases"][0]["documents"]
        assert sorted(d.filename or "" for d in sent) == sorted(d["name"] for d in filed)
        assert {d["kind"] for d in filed} == {"demand_letter", "evidence_checklist",
                                              "chronology"}
        letter = next(d for d in sent if d.filename in {
            f["name"] for f in filed if f["kind"] == "demand_letter" and f["name"].endswith(
                ".pdf")})
        assert letter.content is not None
        assert letter.content.startswith(b"%PDF")
        (tmp_path / "letter.pdf").write_bytes(letter.content)
        assert "ACME Rénovation SARL" in pdf_text(tmp_path / "letter.pdf")
        texts = api.texts_to(user.chat_id)
        assert any(m.startswith(APOLOGY) for m in texts)
        assert t("fr", "recovery.documents") in texts

        # The user's next message gets its reply, and the documents are not sent again.
        mark = api.mark()
        api.send_text(user.chat_id, "bonjour")
        user.next_question(mark)
        assert len(api.documents_to(user.chat_id)) == 6
        stop(process)
    finally:
        kill(process)
    assert owed_after(place) == {}
    storage = place.open()
    try:
        chat = storage.accounts.load("6102")
    finally:
        storage.close()
    assert chat is not None
    assert chat.pending_documents == []


@pytest.mark.slow(seconds=5)
def test_an_album_telegram_took_before_a_sigkill_is_not_sent_again(
        api: FakeBotApi, data_dir: Path, tmp_path: Path, now: datetime) -> None:
    """Killed after Telegram answered the album and its message ids were written down, but
    before the documents were marked sent: the restarted bot does not send them again."""
    user = ProcessUser(api, 6103)
    log = tmp_path / "bot.log"
    mark = api.mark()
    process = launch(api, data_dir, log, now, module=("testing.killed_bot",),
                     IMPAYES_TEST_KILL_BEFORE="sent")
    polling_started(api, mark)
    try:
        shown = user.play_until("review")
        user.answer(shown, "press:generate")
        assert process.wait(120) == -signal.SIGKILL  # once Telegram took the album
        [album] = [c for c in api.calls("sendMediaGroup")
                   if c.params.get("chat_id") == user.chat_id and c.ok]
        assert len(api.documents_to(user.chat_id)) == 6
        chat = load_chat(data_dir, user.chat_id)
        assert chat is not None
        ids = [message["message_id"] for message in album.result]
        assert [r.get("sent") for r in chat.pending_documents] == [ids] * 3

        mark = api.mark()
        process = start(api, data_dir, log, now)
        api.wait_for(lambda c: c.method == "sendMessage" and c.ok
                     and c.params.get("chat_id") == user.chat_id
                     and str(c.params.get("text", "")).startswith(APOLOGY), since=mark)
        mark = api.mark()
        api.send_text(user.chat_id, "/cases")
        api.wait_for(lambda c: c.method == "sendMessage" and c.ok
                     and c.params.get("chat_id") == user.chat_id, since=mark)
        assert len(api.documents_to(user.chat_id)) == 6  # not one sent again
        redrawn = t("fr", "recovery.documents")
        assert not any(redrawn in text for text in api.texts_to(user.chat_id))
        stop(process)
    finally:
        kill(process)
    chat = load_chat(data_dir, user.chat_id)
    assert chat is not None
    assert chat.pending_documents == []
    assert len({d["name"] for d in chat.account.cases[0].documents}) == 6
    assert owed_after(data_dir) == {}


# In-process: the data folder as a crash leaves it -------------------------------------------
def at_debtor_name(data_dir: Path, now: datetime, chat_id: int, update_id: int | None = None,
                   answered: bool = False) -> None:
    """The chat's file after /start, France, a business (and the name, if ``answered``)."""
    assistant = Assistant(TinyDBStorage(data_dir), lambda: now)
    reply = assistant.handle(str(chat_id), Command("start"), "fr")
    for value in ("fr", "business"):
        assert reply is not None
        assert reply.prompt is not None
        reply = assistant.handle(str(chat_id), Press(reply.prompt.case_id, reply.prompt.key,
                                                     value))
    if answered:
        assistant.handle(str(chat_id), Text("ACME Rénovation SARL"), update_id=update_id)


def owe(data_dir: Path, *lines: str) -> None:
    (data_dir / "outbox.log").write_text("".join(f"{line}\n" for line in lines), "ascii")


async def recovered(application: Any) -> recovery.Recovery:
    """The startup recovery, once it has answered everyone it had to."""
    service: recovery.Recovery = application.bot_data["recovery"]
    if service.task is not None:
        await asyncio.wait_for(service.task, 30)
    return service


async def test_a_chat_with_no_case_yet_is_asked_to_send_its_message_again(
        api: FakeBotApi, data_dir: Path, now: datetime) -> None:
    owe(data_dir, "+6201")  # its /start came in, and the bot died before saving anything
    async with running_bot(api, data_dir, now) as application:
        await recovered(application)
        assert api.texts_to(6201) == [t("fr", "recovery.resend")]
    assert owed_after(data_dir) == {}
    assert not (data_dir / "chats" / "6201").exists()  # nothing stored about a stranger


async def test_an_answer_telegram_delivers_again_is_answered_and_needs_no_apology(
        api: FakeBotApi, data_dir: Path, now: datetime) -> None:
    at_debtor_name(data_dir, now, 6202)
    owe(data_dir, "+6202")  # the name came in; the bot died before Telegram was told
    api.send_text(6202, "ACME Rénovation SARL")  # so Telegram delivers it again
    async with running_bot(api, data_dir, now) as application:
        await recovered(application)
        await settle()
        texts = api.texts_to(6202)
        assert len(texts) == 1
        assert not texts[0].startswith(APOLOGY)
        assert question_key(api.messages_to(6202)[0].call) == "invoice_number"
    assert owed_after(data_dir) == {}


async def test_an_answer_saved_and_delivered_again_is_ignored_and_the_apology_follows(
        api: FakeBotApi, data_dir: Path, now: datetime) -> None:
    at_debtor_name(data_dir, now, 6203, update_id=9001, answered=True)
    owe(data_dir, "+6203")  # saved, then the bot died before replying or confirming
    api.send_text(6203, "ACME Rénovation SARL", update_id=9001)
    async with running_bot(api, data_dir, now) as application:
        await recovered(application)
        await settle()
        messages = api.messages_to(6203)
        assert [m.text.split("\n\n")[0] for m in messages] == [APOLOGY]
        assert question_key(messages[0].call) == "invoice_number"
    assert answers_on_disk(data_dir, 6203)["debtor_name"] == "ACME Rénovation SARL"


async def test_a_chat_whose_recovery_killed_the_bot_three_times_is_given_up(
        api: FakeBotApi, data_dir: Path, now: datetime) -> None:
    at_debtor_name(data_dir, now, 6204)
    owe(data_dir, "+6204", "~6204", "~6204", "~6204")
    async with running_bot(api, data_dir, now) as application:
        await recovered(application)
        await settle()
        assert api.texts_to(6204) == []
    assert owed_after(data_dir) == {}


async def test_temporary_files_of_dead_writes_are_swept_at_startup_and_fresh_ones_kept(
        api: FakeBotApi, data_dir: Path, now: datetime, caplog: pytest.LogCaptureFixture) -> None:
    folder = data_dir / "chats" / "6205"
    folder.mkdir(parents=True)
    dead = folder / ".tmp-chat.json.4242.140000"
    dead.write_bytes(b'{"account":')
    an_hour_ago = time.time() - 3600
    os.utime(dead, (an_hour_ago, an_hour_ago))
    download = folder / "scratch" / "0123456789abcdef" / "incoming"
    zipped = folder / "scratch" / "fedcba9876543210" / "impayes_export_20261123.zip"
    # What versions before the scratch space left: a download, an export never sent.
    old_download = folder / "cases" / "abcd1234" / "evidence" / ".incoming-0123456789abcdef"
    old_zip = folder / "exports" / "impayes_export_20261120.zip"
    kept = folder / "cases" / "abcd1234" / "documents" / "mise_en_demeure_20261120.pdf"
    for path in (download, zipped, old_download, old_zip, kept):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7 ...")
        os.utime(path, (an_hour_ago, an_hour_ago))
    fresh = folder / ".tmp-chat.json.4243.140001"  # as if written by this process right now
    fresh.write_bytes(b'{"account":')
    caplog.set_level("INFO", logger="impayes.recovery")
    async with running_bot(api, data_dir, now) as application:
        sweeper = application.bot_data["recovery"].sweeper
        await asyncio.to_thread(sweeper.join, 30)
    assert not dead.exists()
    assert not download.exists()
    assert not zipped.exists()
    assert not old_download.exists()
    assert not old_zip.exists()
    assert kept.exists()
    assert fresh.exists()
    assert "temporary files swept: 5" in caplog.messages
