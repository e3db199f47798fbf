"""Two bot processes in webhook mode on one PostgreSQL database, behind one address.

The test stands for Telegram and for the proxy in front of the instances
(docker-compose.yml): each update is POSTed to one instance's webhook, a chat's updates
alternating between the two, and to the other one when an instance is down (as the proxy
retries). What the users may rely on, checked at the end:

- **No acknowledged answer is lost**: one instance is SIGKILLed right after it accepted an
  update (the answer in flight); every answer that got a reply, from either instance, is in
  the database with the value given, and every user finishes the journey with one case.
- **Nobody is left waiting**: the killed instance, restarted under the same name, answers the
  chat its crash left owed (its outbox is in the database, under its name).
- **Documents are sent once**: each user's formal demand files reach them exactly once.
- **Every due reminder is sent exactly once**: both instances restarted after the due date
  (the clock moved as in the other end-to-end tests: ``IMPAYES_NOW``) claim the due chats at
  the same moment, the journey's and many more seeded chats; each gets its reminder once.
- The logs hold neither the bot's token nor the database's password.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.storage import StoredChat
from bot.storage.postgres_backend import PostgresStorage
from flows import followup
from flows.i18n import t
from flows.model import Account
from testing.bot_process import free_port, kill, launch
from testing.driver import FRENCH_BUSINESS_CASE, Driver
from testing.fakebot import ApiCall, FakeBotApi
from testing.forkserver import Process
from testing.telegram_harness import question_key
from tests.followup_cases import FORMAL_DEMAND, followed

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
AFTER_DUE = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)  # the demand's 8 days are over
SECRET = "two-Instances_webhook-secret"
PASSWORD = "pg-Passw0rd-never-logged"  # trust auth ignores it; logs must not show it
PUBLIC = "https://bot.example.org/telegram"  # the proxy's address, given to Telegram
USERS = (7101, 7102, 7103)
SEEDED = range(7200, 7240)  # chats whose formal demand went out on NOW
APOLOGY = t("fr", "recovery.interrupted")
LAST = FRENCH_BUSINESS_CASE[-1][0]  # the review: its button draws the documents
# a is killed with the first of these answers it takes (mid-journey, a typed answer).
KILL_AT = {"invoice_amount", "issue_date", "due_date"}
DEMAND = "mise_en_demeure_20261123.pdf"  # with the letter's other copies and documents


def expected_answers() -> dict[str, Any]:
    driver = Driver(now=NOW)
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE)
    return driver.answers()


@dataclass
class Instance:
    """One ``python -m bot telegram --webhook-url …`` process, on its own port and folder."""

    name: str
    folder: Path
    url: str  # the database
    port: int = field(default_factory=free_port)
    process: Process | None = None
    taken: int = 0  # updates it accepted

    @property
    def log(self) -> Path:
        return self.folder.parent / f"{self.name}.log"

    def start(self, api: FakeBotApi, now: datetime) -> None:
        self.launch(api, now)
        self.wait_listening()

    def launch(self, api: FakeBotApi, now: datetime) -> None:
        self.process = launch(api, self.folder, self.log, now,
                              args=["--webhook-url", PUBLIC, "--listen", "127.0.0.1",
                                    "--port", str(self.port)],
                              TELEGRAM_WEBHOOK_SECRET=SECRET, IMPAYES_DATABASE_URL=self.url,
                              IMPAYES_SEND_RATE="0", IMPAYES_LOOKUPS="off")

    def wait_listening(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log.read_text('utf-8')}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError(f"{self.name} never listened:\n{self.log.read_text('utf-8')}")

    def post(self, api: FakeBotApi, update: dict[str, Any]) -> bool:
        """Deliver one update as Telegram does; whether the instance accepted it. Through
        the fake API, which then stops counting it pending as Telegram does: a restarted
        instance first waits for the updates Telegram says it still holds."""
        try:
            status = api.post_webhook(f"http://127.0.0.1:{self.port}/telegram", update,
                                      secret_token=SECRET)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        return status == 200


def start_all(instances: list[Instance], api: FakeBotApi, now: datetime) -> None:
    """Start the instances side by side (as a deployment does), each then listening."""
    for instance in instances:
        instance.launch(api, now)
    for instance in instances:
        instance.wait_listening()


def stop_all(instances: list[Instance]) -> None:
    """Ask every running instance to stop at once (SIGTERM, as the orchestrator does), then
    wait for each; one that does not stop in time is killed."""
    running = [i for i in instances if i.process is not None and i.process.poll() is None]
    for instance in running:
        assert instance.process is not None
        instance.process.terminate()
    for instance in running:
        assert instance.process is not None
        try:
            instance.process.wait(30)
        except subprocess.TimeoutExpired:
            kill(instance.process)
    for instance in instances:
        instance.process = None


@dataclass
class User:
    chat_id: int
    shown: ApiCall | None = None  # the last question shown
    sent: int = 0  # updates sent: the next goes to instance ``sent % 2``
    acknowledged: dict[str, Any] = field(default_factory=dict)  # question → answer, replied


class Proxy:
    """Telegram and the proxy: a chat's updates to each instance in turn, to the other one
    when the chosen one does not take it."""

    def __init__(self, api: FakeBotApi, instances: list[Instance]) -> None:
        self.api = api
        self.instances = instances

    def deliver(self, user: User, update: dict[str, Any]) -> Instance:
        first = user.sent % 2
        user.sent += 1
        for index in (first, 1 - first):
            instance = self.instances[index]
            if instance.process is not None and instance.post(self.api, update):
                instance.taken += 1
                return instance
        raise AssertionError("no instance took the update")

    def question_to(self, user: User, since: int, timeout: float = 30) -> ApiCall:
        def asks(call: ApiCall) -> bool:
            return (call.method == "sendMessage" and call.ok
                    and str(call.params.get("chat_id")) == str(user.chat_id)
                    and question_key(call) is not None)
        return self.api.wait_for(asks, timeout=timeout, since=since)

    def answer(self, user: User, steps: dict[str, str]) -> tuple[dict[str, Any], Instance]:
        """The user answers the question shown (or says /start): the update and its taker."""
        if user.shown is None:
            update = self.api.send_text(user.chat_id, "/start")
        else:
            key = question_key(user.shown)
            assert key is not None
            step = steps[key]
            if step.startswith("press:"):
                data = next(button["callback_data"] for row in
                            user.shown.params["reply_markup"]["inline_keyboard"]
                            for button in row
                            if button["callback_data"].split(":")[1:] == [key, step[6:]])
                update = self.api.press_button(user.chat_id, user.shown.result["message_id"],
                                               data)
            else:
                update = self.api.send_text(user.chat_id, step)
        return update, self.deliver(user, update)


@pytest.fixture
def database(pg_url: str) -> str:
    """The throwaway database's URL, with a password the server does not ask for (trust):
    it must still never reach a log."""
    return pg_url.replace("postgresql://impayes@", f"postgresql://impayes:{PASSWORD}@")


def seed_due_chats(url: str, folder: Path) -> None:
    template = followed(FORMAL_DEMAND).account
    followup.refresh(template, NOW)
    storage = PostgresStorage(url, folder, instance="seed")
    try:
        for chat_id in SEEDED:  # the same chat, under each id
            account = Account.from_json(template.to_json() | {"chat_id": str(chat_id)})
            storage.accounts.save(StoredChat(account), followup.next_wakeup(account, NOW))
    finally:
        storage.close()


def names_sent(api: FakeBotApi, chat_id: int) -> Counter[str | None]:
    return Counter(document.filename for document in api.documents_to(chat_id))


def settle(api: FakeBotApi, quiet: float = 3.0) -> None:
    """Wait until the bots have sent nothing for ``quiet`` seconds, counted from their last
    call (not in whole periods from now, which waited up to twice as long)."""
    while True:
        calls = api.calls()
        last = calls[-1].at if calls else 0.0
        left = last + quiet - time.time()
        if left <= 0:
            return
        time.sleep(min(left, 0.2))


def is_reminder(call: ApiCall) -> bool:
    markup = call.params.get("reply_markup") or {}
    data = [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
    return (call.method == "sendMessage" and call.ok
            and any(d.split(":")[1:2] == ["fu"] for d in data))


@pytest.fixture
def instances(database: str, tmp_path: Path) -> Iterator[list[Instance]]:
    pair = [Instance(name, tmp_path / name, database) for name in ("a", "b")]
    try:
        yield pair
    finally:
        stop_all(pair)


@pytest.mark.slow(seconds=34)
def test_two_instances_share_every_chat_lose_nothing_and_send_each_reminder_once(
        instances: list[Instance], database: str, tmp_path: Path) -> None:
    a, b = instances
    steps = dict(FRENCH_BUSINESS_CASE)
    expected = expected_answers()
    users = [User(chat_id) for chat_id in USERS]
    with FakeBotApi() as api:
        proxy = Proxy(api, instances)
        start_all(instances, api, NOW)
        killed = False
        # The users take turns, one answer each, until all have reached the documents.
        while not all(user.shown is not None and question_key(user.shown) == LAST
                      for user in users):
            for user in users:
                if user.shown is not None and question_key(user.shown) == LAST:
                    continue
                mark = api.mark()
                key = question_key(user.shown) if user.shown is not None else None
                update, taker = proxy.answer(user, steps)
                if not killed and taker is a and key in KILL_AT:
                    # The answer is accepted (200) and in flight in a: a dies with it.
                    kill(a.process)  # type: ignore[arg-type]
                    a.process, killed = None, True
                    replied_in_time = any(
                        call.method == "sendMessage" and question_key(call) is not None
                        and str(call.params.get("chat_id")) == str(user.chat_id)
                        for call in api.calls()[mark:])
                    a.start(api, NOW)  # same name: it finds its outbox and answers
                    shown = proxy.question_to(user, mark)
                    # Unless a replied before it died, the restarted a apologises and asks
                    # where the case stands (the answer may or may not have been kept).
                    assert replied_in_time or str(shown.params["text"]).startswith(APOLOGY)
                    user.shown = shown
                    continue
                user.shown = proxy.question_to(user, mark)
                if key is not None:
                    user.acknowledged[key] = expected[key]
        assert killed, "instance a never took an answer about the invoice"
        assert min(a.taken, b.taken) > 40  # every chat's updates went to both
        # The review's button: the documents are drawn and sent, once, by either instance.
        for user in users:
            proxy.answer(user, steps)
        deadline = time.monotonic() + 90
        while not all(DEMAND in names_sent(api, user.chat_id) for user in users):
            assert time.monotonic() < deadline, "the formal demands were not all sent"
            time.sleep(0.1)
        settle(api)  # anything sent twice, or late, is out by now

        storage = PostgresStorage(database, tmp_path / "check", instance="check")
        try:
            for user in users:
                stored = storage.accounts.load(str(user.chat_id))
                assert stored is not None
                assert len(stored.account.cases) == 1, "a crash made a second case"
                answers = stored.account.cases[0].answers
                for key, value in user.acknowledged.items():
                    assert answers.get(key) == value, (user.chat_id, key, answers.get(key))
                assert {key: answers.get(key) for key in expected} == expected
                names = names_sent(api, user.chat_id)
                assert names[DEMAND] == 1
                assert set(names.values()) == {1}, f"sent twice: {names}"
        finally:
            storage.close()

        # The clock moves past the demand's deadline: both instances restart on it at once,
        # with forty more chats due, and claim the due chats side by side.
        seed_due_chats(database, tmp_path / "seed")
        stop_all(instances)
        start_all(instances, api, AFTER_DUE)
        due = {str(chat) for chat in (*USERS, *SEEDED)}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            sent = Counter(str(call.params["chat_id"]) for call in api.calls("sendMessage")
                           if is_reminder(call))
            if set(sent) >= due:
                break
            time.sleep(0.2)
        settle(api)  # a second sending of any of them would be out by now
        sent = Counter(str(call.params["chat_id"]) for call in api.calls("sendMessage")
                       if is_reminder(call))
        assert set(sent) == due
        assert set(sent.values()) == {1}, {chat: n for chat, n in sent.items() if n > 1}
        senders = {instance.name: instance.log.read_text("utf-8") for instance in instances}
        stop_all(instances)
    for name, text in senders.items():
        assert api.token not in text, f"{name}'s log shows the token"
        assert PASSWORD not in text, f"{name}'s log shows the database's password"
