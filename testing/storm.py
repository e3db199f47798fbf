"""A storm of users answering non-stop while the bot process is SIGKILLed and restarted.

Used by the crash test (tests/test_crash.py, which states what a user may rely on) and by the
crash benchmark at a larger size. Every check runs at each crash and at the end.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.storage.postgres_backend import PostgresStorage
from flows.i18n import t
from flows.model import Account
from testing.bot_process import kill, launch
from testing.driver import FRENCH_BUSINESS_CASE, Driver
from testing.fakebot import ApiCall, FakeBotApi
from testing.forkserver import Process
from testing.telegram_harness import question_key

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
# Everything up to the review: drawing documents is another test's subject.
SCRIPT = [(key, step) for key, step in FRENCH_BUSINESS_CASE[:FRENCH_BUSINESS_CASE.index(
    next(s for s in FRENCH_BUSINESS_CASE if s[0] == "review"))]]
LAST = "review"
APOLOGY = t("fr", "recovery.interrupted")  # then the question where the case stands
RESEND = t("fr", "recovery.resend")  # no case yet: "send your message again"


def expected_answers() -> dict[str, Any]:
    """The stored value of each scripted answer, from the same journey driven in-process."""
    driver = Driver(now=NOW)
    driver.command("start")
    driver.play(SCRIPT)
    assert driver.prompt.key == LAST
    return driver.answers()


@dataclass
class Sent:
    chat_id: int
    key: str | None  # the question answered (None for /start)
    update_id: int
    replied: bool = False
    recovered: bool = False  # the wait ended with the restarted bot's apology


@dataclass
class StormUser:
    chat_id: int
    steps: dict[str, str]
    shown: ApiCall | None = None  # the last question the bot showed this user
    waiting: Sent | None = None
    waited_alive: float = 0.0  # seconds the bot was up while this user waited for a reply
    sent: list[Sent] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.shown is not None and question_key(self.shown) == LAST and not self.waiting


@dataclass
class StormReport:
    kills: int = 0
    answers_sent: int = 0
    answers_replied: int = 0
    stored_without_reply: int = 0  # saved, but the bot died before showing the next question
    redelivered_skipped: int = 0  # updates Telegram delivered again after a crash, ignored
    left_without_reply: int = 0  # waits the crash left unanswered, ended by the apology
    restarts_by_user: int = 0  # the /start typed after a reply that never came
    temp_files_left: int = 0
    checks: int = 0


class Storm:
    """Drives the users and the killer from one loop: no threads, no races in the test."""

    def __init__(self, api: FakeBotApi, data_dir: Path, log: Path, users: int, seed: int,
                 give_up_after: float = 5.0, database_url: str | None = None) -> None:
        self.api, self.data_dir, self.log = api, data_dir, log
        # On PostgreSQL (IMPAYES_DATABASE_URL) the chats are rows, checked through the storage.
        self.database_url = database_url
        self.rng = random.Random(seed)
        self.expected = expected_answers()
        self.users = {6000 + n: StormUser(6000 + n, dict(SCRIPT)) for n in range(users)}
        self.give_up_after = give_up_after
        self.report = StormReport()
        self.process: Process | None = None
        self.ready = False
        self.launched_at = self.api.mark()
        self.cursor = 0

    # The bot -----------------------------------------------------------------------------
    def start_bot(self) -> None:
        self.launched_at = self.api.mark()
        self.ready = False
        extra = {"IMPAYES_DATABASE_URL": self.database_url} if self.database_url else {}
        self.process = launch(self.api, self.data_dir, self.log, NOW, **extra)

    def kill_bot(self) -> None:
        assert self.process is not None
        kill(self.process)
        self.report.kills += 1
        self.ready = False
        self.check_disk()

    # The users ---------------------------------------------------------------------------
    def send(self, user: StormUser) -> None:
        if user.shown is None:
            update = self.api.send_text(user.chat_id, "/start")
            user.waiting = Sent(user.chat_id, None, update["update_id"])
        else:
            key = question_key(user.shown)
            assert key is not None
            step = user.steps[key]
            if step.startswith("press:"):
                data = next(b["callback_data"] for row in user.shown.params["reply_markup"]
                            ["inline_keyboard"] for b in row
                            if b["callback_data"].split(":")[1:] == [key, step[6:]])
                update = self.api.press_button(user.chat_id, user.shown.result["message_id"],
                                               data)
            else:
                update = self.api.send_text(user.chat_id, step)
            user.waiting = Sent(user.chat_id, key, update["update_id"])
            self.report.answers_sent += 1
        user.sent.append(user.waiting)
        user.waited_alive = 0.0

    def read_calls(self) -> None:
        calls = self.api.calls()
        for call in calls[self.cursor:]:
            if call.method == "deleteWebhook" and calls.index(call) >= self.launched_at:
                self.ready = True
            if call.method != "sendMessage" or not call.ok:
                continue
            user = self.users.get(int(call.params["chat_id"]))
            if user is None:
                continue
            text = str(call.params.get("text", ""))
            if (text.startswith(APOLOGY) or text == RESEND) and user.waiting is not None:
                if not user.waiting.recovered:
                    self.report.left_without_reply += 1
                user.waiting.recovered = True
                if text == RESEND:
                    user.waiting = None  # they send it again
            if question_key(call) is None:
                continue
            user.shown = call
            if user.waiting is not None:
                if not user.waiting.recovered:
                    user.waiting.replied = True
                    if user.waiting.key is not None:
                        self.report.answers_replied += 1
                user.waiting = None
        self.cursor = len(calls)

    def step_users(self, elapsed: float, stop_at_end: bool = True) -> None:
        for user in self.users.values():
            if user.done and stop_at_end:
                continue
            if user.waiting is None:
                self.send(user)
            elif self.ready:
                user.waited_alive += elapsed
                if user.waited_alive > self.give_up_after:
                    # No reply though the bot is up: as a person would, ask where we are.
                    update = self.api.send_text(user.chat_id, "/start")
                    user.waiting = Sent(user.chat_id, None, update["update_id"])
                    user.sent.append(user.waiting)
                    user.waited_alive = 0.0
                    self.report.restarts_by_user += 1

    def run(self, cycles: int, alive: tuple[float, float]) -> StormReport:
        """Kill the bot ``cycles`` times at random moments, then let everyone finish."""
        self.start_bot()
        try:
            for _ in range(cycles):
                deadline = time.monotonic() + self.rng.uniform(*alive)
                self.loop_until(lambda d=deadline: time.monotonic() >= d)  # type: ignore[misc]
                self.kill_bot()
                self.start_bot()
            self.loop_until(lambda: all(u.done for u in self.users.values()), timeout=120)
        finally:
            if self.process is not None:
                kill(self.process)
        self.check_disk(final=True)
        return self.report

    def loop_until(self, finished: Any, timeout: float = 600) -> None:
        limit = time.monotonic() + timeout
        last = time.monotonic()
        while not finished():
            if time.monotonic() > limit:
                states = {u.chat_id: (question_key(u.shown) if u.shown else None, u.waiting)
                          for u in self.users.values()}
                tail = self.log.read_text("utf-8")[-3000:]
                raise AssertionError(f"users stuck: {states}\n{tail}")
            time.sleep(0.01)
            now = time.monotonic()
            self.read_calls()
            self.step_users(now - last)
            last = now

    # The checks --------------------------------------------------------------------------
    def stored_accounts(self) -> dict[int, Account | None]:
        """Each user's account as kept now. On the data folder, read from the files
        themselves: every one must be whole JSON (an interrupted write leaves at most an
        unused temporary file); on PostgreSQL, through the storage (a COMMIT is whole)."""
        if self.database_url:
            storage = PostgresStorage(self.database_url, self.data_dir.parent / "storm-check",
                                      instance="storm-check")
            try:
                return {chat_id: chat.account if (chat := storage.accounts.load(str(chat_id)))
                        else None for chat_id in self.users}
            finally:
                storage.close()
        chats = self.data_dir / "chats"
        leftovers = 0
        for path in chats.rglob("*.json"):
            if path.name.startswith(".tmp-"):
                leftovers += 1  # an interrupted write's temporary file: never read
            else:
                json.loads(path.read_text("utf-8"))  # every data file is whole JSON
        self.report.temp_files_left = leftovers
        found: dict[int, Account | None] = {}
        for chat_id in self.users:
            path = chats / str(chat_id) / "chat.json"
            found[chat_id] = (Account.from_json(json.loads(path.read_text("utf-8"))["account"]
                                                ["1"]) if path.exists() else None)
        return found

    def check_disk(self, final: bool = False) -> None:
        self.report.checks += 1
        self.read_calls()  # replies sent before the kill count
        accounts = self.stored_accounts()
        for user in self.users.values():
            replied = [s for s in user.sent if s.replied and s.key is not None]
            account = accounts[user.chat_id]
            if account is None:
                assert not replied, f"chat {user.chat_id}: replied answers but nothing kept"
                continue
            assert len(account.cases) == 1, "a crash made a second case"
            answers = account.cases[0].answers
            for sent in replied:
                assert sent.key is not None
                assert answers.get(sent.key) == self.expected[sent.key], (
                    f"chat {user.chat_id}: {sent.key} was answered and acknowledged, "
                    f"but the disk has {answers.get(sent.key)!r}")
            # Whatever is stored is a prefix of the script, with the values given.
            keys = [key for key, _ in SCRIPT]
            stored = [key for key in keys if key in answers]
            assert stored == keys[:len(stored)], f"chat {user.chat_id}: gaps in {stored}"
            assert set(answers) <= set(keys)
            for key in stored:
                assert answers[key] == self.expected[key], (user.chat_id, key, answers[key])
            if final:
                assert stored == keys, f"chat {user.chat_id} did not finish: {stored}"
                acknowledged = {s.key for s in user.sent if s.replied}
                self.report.stored_without_reply += len(set(stored) - acknowledged)
        if final:
            self.report.redelivered_skipped = self.log.read_text("utf-8").count(
                "already handled")
