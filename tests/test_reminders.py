"""Reminders pushed by the real Telegram application over HTTP to the fake Bot API, with a clock
the test moves: the right local time, never at night, across restarts, many at once."""

from __future__ import annotations

import bisect
import dataclasses
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiolimiter import AsyncLimiter

from bot.config import DEFAULT_SEND_RATE
from bot.reminders import ReminderService
from bot.service import Assistant
from bot.storage import StoredChat, TinyDBStorage
from bot.telegram_app import build_application
from flows import followup
from flows.model import Account
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import Place
from testing.telegram_harness import TelegramUser, settings_for
from tests.followup_cases import FORMAL_DEMAND, NOW, followed

PARIS = ZoneInfo("Europe/Paris")
DUE = datetime(2026, 12, 2, 9, 0, tzinfo=PARIS)  # the day after the demand's 8 days


class Clock:
    """The time as the test says it is."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now



@asynccontextmanager
async def running(api: FakeBotApi, place: Place | Path, clock: Clock,
                  send_rate: float = DEFAULT_SEND_RATE) -> AsyncIterator[ReminderService]:
    """The application as ``python -m bot telegram`` builds it, on the test's clock and the
    place's backend (the data folder, or a PostgreSQL database; a bare folder: TinyDB)."""
    place = place if isinstance(place, Place) else Place(place)
    settings = dataclasses.replace(settings_for(api, place.data_dir, None), send_rate=send_rate,
                                   database_url=place.database_url)
    application = build_application(settings, clock)
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    service: ReminderService = application.bot_data["reminders"]
    try:
        await service.run_due()  # whatever fell due while the bot was down is out
        yield service
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


def is_reminder(call: ApiCall) -> bool:
    markup = call.params.get("reply_markup") or {}
    data = [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
    return call.method == "sendMessage" and any(d.split(":")[1:2] == ["fu"] for d in data)


def reminders_to(api: FakeBotApi, chat_id: int) -> list[ApiCall]:
    return [c for c in api.calls("sendMessage") if is_reminder(c)
            and str(c.params.get("chat_id")) == str(chat_id)]


def template(**settings: Any) -> dict[str, Any]:
    """A chat whose formal demand went out on 23/11/2026 (its check is due 02/12 at 9:00)."""
    d = followed(FORMAL_DEMAND)
    d.account.settings.update(settings)
    followup.refresh(d.account, NOW)
    return d.account.to_json()


def seed(place: Place, chat_ids: range | list[int], **settings: Any) -> None:
    """Chats whose formal demand went out. On TinyDB, chat files in its layout without the
    fsyncs of a real save (setting up 2 000 users is not what is being measured) and without
    the reminder index, which the bot rebuilds at start; on PostgreSQL, saved rows."""
    base = template(**settings)
    if place.database_url:
        storage = place.open()
        try:
            for chat_id in chat_ids:
                account = Account.from_json(base | {"chat_id": str(chat_id)})
                storage.accounts.save(StoredChat(account), followup.next_wakeup(account, NOW))
        finally:
            storage.close()
        return
    for chat_id in chat_ids:
        folder = place.data_dir / "chats" / str(chat_id)
        folder.mkdir(parents=True)
        account = base | {"chat_id": str(chat_id)}
        (folder / "chat.json").write_text(json.dumps({"account": {"1": account}},
                                                     ensure_ascii=False), "utf-8")


def stored(place: Place, chat_id: int) -> list[dict[str, Any]]:
    account = place.load_account(chat_id)
    assert account is not None
    return list((account.cases[0].followup or {})["reminders"])


# The right time ----------------------------------------------------------------------------
async def test_reminder_fires_at_nine_in_the_users_own_time_zone(api: FakeBotApi,
                                                                 place: Place) -> None:
    seed(place, [501])
    seed(place, [502], tz="America/Toronto")  # 9:00 in Montreal is 15:00 in Paris
    clock = Clock(datetime(2026, 12, 2, 8, 59, 59, tzinfo=PARIS))
    async with running(api, place, clock) as service:
        assert await service.run_due() == 0
        clock.now = DUE
        assert await service.run_due() == 1
        assert len(reminders_to(api, 501)) == 1
        assert reminders_to(api, 502) == []
        clock.now = datetime(2026, 12, 2, 14, 59, tzinfo=PARIS)
        assert await service.run_due() == 0
        clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("America/Toronto"))
        assert await service.run_due() == 1
    text = reminders_to(api, 501)[0].params["text"]
    assert "Le délai donné dans votre mise en demeure a pris fin le 1er décembre 2026" in text
    labels = [b["text"] for row in reminders_to(api, 501)[0].params["reply_markup"][
        "inline_keyboard"] for b in row]
    assert {"✅ Payé", "💶 Payé en partie", "⏭️ Toujours impayé → étape suivante", "⏰ Demain",
            "⏰ La semaine prochaine", "🔕 Arrêter les rappels de ce dossier"} <= set(labels)


async def test_a_reminder_due_while_the_bot_slept_at_night_waits_for_the_morning(
        api: FakeBotApi, place: Place) -> None:
    seed(place, [601])
    clock = Clock(datetime(2026, 12, 2, 23, 30, tzinfo=PARIS))  # restarted late at night
    async with running(api, place, clock) as service:
        assert reminders_to(api, 601) == []
        assert service.index.next_due() == datetime(2026, 12, 3, 9, 0, tzinfo=PARIS)
        clock.now = datetime(2026, 12, 3, 7, 59, tzinfo=PARIS)
        assert await service.run_due() == 0
        clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=PARIS)
        assert await service.run_due() == 1
    assert len(reminders_to(api, 601)) == 1


# Restarts -----------------------------------------------------------------------------------
async def test_reminders_survive_restarts_missed_ones_go_out_once(api: FakeBotApi,
                                                                  place: Place) -> None:
    clock = Clock(NOW)
    user = TelegramUser(api, chat_id=701)
    async with running(api, place, clock):  # the user sends a formal demand
        first = await user.say("/start")
        mark = api.mark()
        await user.play(FRENCH_BUSINESS_CASE, first)
        await api.await_documents(701, 2, since=mark, timeout=30)
    assert reminders_to(api, 701) == []
    clock.now = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)  # down over the due date
    async with running(api, place, clock):
        pass
    assert len(reminders_to(api, 701)) == 1  # sent at startup
    async with running(api, place, clock) as service:
        assert await service.run_due() == 0
    assert len(reminders_to(api, 701)) == 1  # and not again after a second restart
    statuses = {r["kind"]: r["status"] for r in stored(place, 701)}
    assert statuses["demand_ended"] == "sent"


async def test_the_timer_survives_a_rearm_between_a_job_firing_and_its_tick(
        api: FakeBotApi, place: Place) -> None:
    seed(place, [851])
    clock = Clock(datetime(2026, 12, 2, 8, 0, tzinfo=PARIS))  # an hour before it is due
    async with running(api, place, clock) as service:
        armed = service._job
        assert armed is not None
        # The job fires (the scheduler drops it) on a busy loop, and before its tick runs a
        # save plans an earlier instant: the timer is armed again, and the tick still runs.
        armed.job.remove()
        clock.now = DUE
        service.arm()
        await api.await_for_count(1, is_reminder, timeout=30)
    assert len(reminders_to(api, 851)) == 1


async def test_a_failed_save_after_sending_never_sends_twice_in_the_same_run(
        api: FakeBotApi, place: Place, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(place, [801])
    clock = Clock(datetime(2026, 12, 2, 9, 5, tzinfo=PARIS))
    saves = {"failing": True}
    original = Assistant.save

    def flaky(self: Assistant, chat: StoredChat) -> None:
        if saves["failing"] and chat.chat_id == "801":
            raise OSError("disk full")
        original(self, chat)

    monkeypatch.setattr(Assistant, "save", flaky)
    async with running(api, place, clock) as service:
        assert len(reminders_to(api, 801)) == 1  # sent, but the record could not be saved
        saves["failing"] = False
        clock.now = datetime(2026, 12, 2, 9, 15, tzinfo=PARIS)  # the retry after the error
        assert await service.run_due() == 0
    assert len(reminders_to(api, 801)) == 1
    assert stored(place, 801)[0]["status"] == "sent"


async def test_paid_under_a_pushed_reminder_closes_the_case(api: FakeBotApi,
                                                            place: Place) -> None:
    seed(place, [901])
    clock = Clock(DUE)
    user = TelegramUser(api, chat_id=901)
    async with running(api, place, clock):
        pushed = reminders_to(api, 901)[0]
        message_id = pushed.result["message_id"]
        data = next(b["callback_data"] for row in pushed.params["reply_markup"]["inline_keyboard"]
                    for b in row if b["callback_data"].split(":")[2].startswith("paid."))
        mark = api.mark()
        api.press_button(901, message_id, data)
        await api.await_for(lambda c: c.method == "sendMessage" and "Bravo" in str(
            c.params.get("text")), since=mark)
    assert "acompte" in "\n".join(user.texts())
    account = place.load_account("901")
    assert account is not None
    assert account.cases[0].state == "closed"
    assert followup.pending(account) == []


async def test_a_user_who_blocked_the_bot_is_not_retried(api: FakeBotApi,
                                                         place: Place) -> None:
    seed(place, [1001, 1002])
    api.inject_error("sendMessage", 403, "Forbidden: bot was blocked by the user", times=None,
                     chat_id=1001)
    clock = Clock(DUE)
    async with running(api, place, clock):
        pass
    async with running(api, place, clock):
        pass
    assert len([c for c in api.calls("sendMessage") if c.params.get("chat_id") == 1001]) == 1
    assert stored(place, 1001)[0]["status"] == "failed"
    assert len(reminders_to(api, 1002)) == 1


# Many at once -----------------------------------------------------------------------------------
@pytest.mark.slow(seconds=16)
async def test_two_thousand_reminders_due_at_once_are_all_delivered_once(
        api: FakeBotApi, place: Place) -> None:
    chats = range(20000, 22000)
    seed(place, chats)
    api.rate_limit("sendMessage", times=3, retry_after=1)  # Telegram pushes back: retried
    clock = Clock(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    # IMPAYES_SEND_RATE=0: the fake has no limits (the pace: the test below).
    async with running(api, place, clock, send_rate=0):
        await api.await_for_count(len(chats), is_reminder, timeout=120)
    async with running(api, place, clock, send_rate=0) as service:  # none again after a restart
        assert await service.run_due() == 0
    per_chat = Counter(str(c.params["chat_id"]) for c in api.calls("sendMessage")
                       if is_reminder(c) and c.ok)
    assert set(per_chat) == {str(c) for c in chats}
    assert set(per_chat.values()) == {1}


async def test_reminders_are_paced_within_telegrams_rate(api: FakeBotApi, place: Place,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # When each reminder is let through, read on the bot's own clock: arrival times at the
    # server bunch up whenever a busy machine stalls the bot, which says nothing of its pace.
    let_through: list[tuple[int, float]] = []
    acquire = AsyncLimiter.acquire

    async def timed(self: AsyncLimiter, amount: float = 1) -> None:
        await acquire(self, amount)
        let_through.append((id(self), time.monotonic()))

    monkeypatch.setattr(AsyncLimiter, "acquire", timed)
    chats = range(30000, 30060)
    seed(place, chats)
    clock = Clock(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    async with running(api, place, clock, send_rate=30) as service:  # Telegram's rate
        await api.await_for_count(len(chats), is_reminder, timeout=60)
        assert service.limiter is not None
        times = sorted(t for owner, t in let_through if owner == id(service.limiter))
    # Reminders take two thirds of the rate (20 a second) after a first burst of 20 (a leaky
    # bucket): no second of the run may let more than 40 of them through.
    busiest = max(bisect.bisect_left(times, start + 1.0) - i for i, start in enumerate(times))
    assert len(times) == len(chats)
    assert busiest <= 40, busiest


# The index (the TinyDB storage's log) ------------------------------------------------------------
def test_index_keeps_the_last_line_per_chat_and_ignores_a_torn_one(tmp_path: Path) -> None:
    index = TinyDBStorage(tmp_path).reminders
    index.plan("1", datetime(2026, 12, 2, 9, tzinfo=PARIS))
    index.plan("2", datetime(2026, 12, 3, 9, tzinfo=PARIS))
    index.plan("1", None)
    with index.path.open("a") as fh:
        fh.write("3 17")  # the process died in the middle of a line
    fresh = TinyDBStorage(tmp_path).reminders
    assert fresh.open(lambda _account: None) == 1
    assert fresh.entries == {"2": int(datetime(2026, 12, 3, 9, tzinfo=PARIS).timestamp())}
    assert index.path.read_text().splitlines() == [f"2 {fresh.entries['2']}"]  # compacted


def test_a_save_that_brings_a_reminder_forward_writes_the_index_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = TinyDBStorage(tmp_path)
    account = Account.from_json(template())
    storage.reminders.plan(account.chat_id, datetime(2027, 1, 1, tzinfo=PARIS))  # a later hint

    def crash(_path: Path, _data: bytes) -> Path:
        raise OSError("disk full")

    # The chat file, not the index.
    monkeypatch.setattr("bot.storage.tinydb_backend.write_atomic", crash)
    with pytest.raises(OSError, match="disk full"):
        Assistant(storage, lambda: NOW).save(StoredChat(account))
    monkeypatch.undo()
    reread = TinyDBStorage(tmp_path).reminders
    reread.open(lambda _account: None)
    assert reread.entries[account.chat_id] == int(DUE.timestamp())  # early, never late


def test_a_lost_index_is_rebuilt_from_the_chat_files(tmp_path: Path) -> None:
    seed(Place(tmp_path), [41, 42])
    index = TinyDBStorage(tmp_path).reminders
    assert index.open(lambda account: followup.next_wakeup(account, NOW)) == 2
    assert index.entries == {"41": int(DUE.timestamp()), "42": int(DUE.timestamp())}


async def test_reminders_command_on_telegram_sends_the_calendar_file(api: FakeBotApi,
                                                                     place: Place) -> None:
    seed(place, [1101])
    async with running(api, place, Clock(NOW)):
        mark = api.mark()
        api.send_text(1101, "/reminders")
        menu = await api.await_for(lambda c: c.method == "sendMessage" and "Vos rappels" in str(
            c.params.get("text")), since=mark)
        assert ("Mise en demeure : délai de paiement terminé le 1er décembre 2026"
                in menu.params["text"])
        data = next(b["callback_data"] for row in menu.params["reply_markup"]["inline_keyboard"]
                    for b in row if b["callback_data"] == ":rm:ics")
        api.press_button(1101, menu.result["message_id"], data)
        await api.await_for("sendDocument", since=mark, timeout=20)
    calendar = api.documents_to(1101)[0]
    assert calendar.filename is not None
    assert calendar.filename.endswith(".ics")
    assert calendar.content is not None
    assert b"BEGIN:VCALENDAR" in calendar.content
