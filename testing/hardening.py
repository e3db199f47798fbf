"""The attack review's two reruns (issue 17), against the bot as its own process: crafted
uploads from several chats while others talk, and SIGKILLs while documents are drawn.

Shared by the test (tests/test_hardening_reruns.py: what a user may rely on, no timing) and
the benchmark (benchmarks/hardening.py: the same at a larger size, with the latencies).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flows.casefile import refusal_message
from flows.i18n import t
from testing.bot_process import kill, launch, polling_started
from testing.chat_crowd import ChatUser, Crowd
from testing.driver import FRENCH_BUSINESS_CASE, Driver
from testing.fakebot import ApiCall, FakeBotApi
from testing.forkserver import Process
from testing.hostile_files import Crafted, crafted
from testing.storm import NOW

SCRIPT = dict(FRENCH_BUSINESS_CASE)
EVIDENCE_QUESTION = "ev_contract"  # where a case takes files (any later question would do)
LOST = t("fr", "recovery.documents_interrupted")
DRAWING_SIGNS = {"sendChatAction", "sendMediaGroup", "sendDocument"}
QUIET = 8.0  # seconds without a call from the bot: nothing more is coming
FAILED = t("fr", "documents_retry.failed")


def drive(crowds: list[Crowd], finished: Callable[[], bool], timeout: float,
          observe: Callable[[list[ApiCall]], None] | None = None) -> None:
    """Step every crowd until ``finished()``; ``observe`` sees each new call once."""
    limit = time.monotonic() + timeout
    while not finished():
        if time.monotonic() > limit:
            raise AssertionError(f"not finished within {timeout:g} s")
        time.sleep(0.005)
        for number, crowd in enumerate(crowds):
            calls = crowd.read()
            if number == 0 and observe is not None:
                observe(calls)
            crowd.step()


def started(api: FakeBotApi, data_dir: Path, log: Path) -> Process:
    mark = api.mark()
    process = launch(api, data_dir, log, NOW)
    polling_started(api, mark, timeout=60)
    return process


def text_of(call: ApiCall) -> str:
    return str(call.params.get("text", ""))


# Crafted uploads while others talk ------------------------------------------------------------
@dataclass
class Upload:
    file: Crafted
    sent_at: float
    answer: str | None = None
    seconds: float = 0.0

    @property
    def refused_as_expected(self) -> bool:
        expected = refusal_message("fr", self.file.refusal, self.file.detail)
        return self.answer is not None and expected in self.answer


@dataclass
class HostileReport:
    baseline: list[float] = field(default_factory=list)  # other chats' replies, before
    during: list[float] = field(default_factory=list)  # ...while the uploads are screened
    still_waiting: list[float] = field(default_factory=list)  # waits cut by the end
    uploads: list[Upload] = field(default_factory=list)
    files_kept: int = 0  # of the crafted uploads, found in the data folder afterwards


def hostile_uploads(api: FakeBotApi, data_dir: Path, log: Path, senders: int = 6,
                    talkers: int = 8, rounds: int = 1, baseline_seconds: float = 5.0,
                    pause: float = 1.0) -> HostileReport:
    """``senders`` chats upload the crafted files in waves, all at once as in the attack
    (each wave a file from every sender; every crafted file ``rounds`` times), the next wave
    ``pause`` seconds after the last refusal, while ``talkers`` chats answer the journey, each
    ``pause`` seconds after its reply (and in a new chat once done). The pauses keep the bot
    under its sending rate (Telegram's 30 messages a second): a flood of refusals would make
    everyone queue for that rate, which says nothing of the screening."""
    report = HostileReport()
    process = started(api, data_dir, log)
    try:
        sending = Crowd(api, [ChatUser(7400 + n, SCRIPT, EVIDENCE_QUESTION)
                              for n in range(senders)])
        drive([sending], lambda: all(u.done for u in sending.users.values()), timeout=300)
        talking = Crowd(api, [ChatUser(8000 + n, SCRIPT, "review") for n in range(talkers)],
                        renew=True, pause=pause)
        begin = time.time()
        drive([talking], lambda: time.time() > begin + baseline_seconds, timeout=300)
        queues = {chat_id: crafted() * rounds for chat_id in sending.users}
        waiting: dict[int, Upload] = {}
        next_wave = [0.0]

        def answers(calls: list[ApiCall]) -> None:
            for call in calls:
                if call.method == "sendMessage" and call.ok:
                    upload = waiting.pop(int(call.params["chat_id"]), None)
                    if upload is not None:
                        upload.answer, upload.seconds = text_of(call), call.at - upload.sent_at
                        next_wave[0] = time.time() + pause

        def upload_next() -> bool:
            if waiting or time.time() < next_wave[0]:
                return False
            for chat_id, queue in queues.items():
                if queue:
                    file = queue.pop(0)
                    waiting[chat_id] = Upload(file, time.time())
                    report.uploads.append(waiting[chat_id])
                    api.send_document(chat_id, file.name, file.data, file.mime_type)
            return not waiting

        hostile = time.time()
        drive([talking], upload_next, timeout=600, observe=answers)
        over = time.time()
        report.still_waiting = talking.waiting_since(over)
        report.baseline = talking.latencies(begin, hostile)
        report.during = talking.latencies(hostile, over)
    finally:
        kill(process)
    names = {file.name for file in crafted()}
    report.files_kept = sum(1 for path in data_dir.rglob("*") if path.name in names)
    return report


# SIGKILLs while documents are drawn ---------------------------------------------------------
def expected_files() -> set[str]:
    """The files the scripted case's "Generate" draws, from the same journey in-process."""
    driver = Driver(now=NOW)
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE)
    return {f"{job.filename}.{fmt}" for reply in driver.replies for job in reply.documents
            for fmt in job.formats}


@dataclass
class DrawingReport:
    users: int = 0
    kills: int = 0
    kills_while_drawing: int = 0  # some user's documents were not all sent at that moment
    expected: int = 0  # files owed, every user counted
    delivered: int = 0  # of those, sent at least once
    doubles: int = 0  # files sent more than once to the same user
    told_lost: int = 0  # "I could not prepare your documents" messages
    asked_again: int = 0  # /documents typed after such a message, as a person would
    seconds: float = 0.0  # from "Generate" to the last user's last file

    @property
    def lost(self) -> int:
        return self.expected - self.delivered


def drawing_storm(api: FakeBotApi, data_dir: Path, log: Path, users: int, kills: int,
                  seed: int, window: tuple[float, float] = (0.05, 1.5),
                  settle: float = 180.0) -> DrawingReport:
    """``users`` chats reach the review and press "Generate" together; the bot is then
    SIGKILLed ``kills`` times, each a random moment after the restarted bot starts drawing
    again, and restarted. A user told the documents could not be prepared types /documents,
    as the message asks."""
    rng = random.Random(seed)
    files = expected_files()
    report = DrawingReport(users=users, expected=users * len(files))
    told: Counter[int] = Counter()
    chats: list[ChatUser] = []

    def react() -> None:
        for user in chats:
            now_told = sum(LOST in text or FAILED in text for text in api.texts_to(user.chat_id))
            if now_told > told[user.chat_id]:
                told[user.chat_id] = now_told
                api.send_text(user.chat_id, "/documents")
                report.asked_again += 1

    def all_sent() -> bool:
        return all(files <= received(api, user.chat_id) for user in chats)

    process = started(api, data_dir, log)
    try:
        crowd = Crowd(api, [ChatUser(6500 + n, SCRIPT, "review") for n in range(users)])
        drive([crowd], lambda: all(u.done for u in crowd.users.values()), timeout=300)
        chats.extend(crowd.users.values())
        generated = time.time()
        launched = api.mark()
        for user in chats:
            crowd.send(user)  # "Generate" on the review screen
        for _ in range(kills):
            # The (restarted) bot at work on the documents; with nothing left to draw, it
            # is killed all the same.
            limit = time.monotonic() + 30
            while time.monotonic() < limit and not any(
                    c.method in DRAWING_SIGNS for c in api.calls()[launched:]):
                react()
                time.sleep(0.02)
            pause = time.monotonic() + rng.uniform(*window)
            while time.monotonic() < pause:
                react()
                time.sleep(0.01)
            kill(process)
            report.kills += 1
            report.kills_while_drawing += not all_sent()
            launched = api.mark()
            process = started(api, data_dir, log)
        limit = time.monotonic() + settle
        quiet_since, seen = time.monotonic(), 0
        while time.monotonic() < limit and time.monotonic() - quiet_since < QUIET:
            if all_sent():
                break
            react()
            activity = len([c for c in api.calls() if c.method != "getUpdates"])
            if activity != seen:
                quiet_since, seen = time.monotonic(), activity
            time.sleep(0.05)
        last = max((d.call.at for user in chats for d in api.documents_to(user.chat_id)),
                   default=generated)
        report.seconds = last - generated
    finally:
        kill(process)
    for user in chats:
        sent = Counter(d.filename for d in api.documents_to(user.chat_id) if d.filename)
        report.delivered += len(files & set(sent))
        report.doubles += sum(count - 1 for name, count in sent.items() if name in files)
        report.told_lost += told[user.chat_id]
    return report


def received(api: FakeBotApi, chat_id: int) -> set[str]:
    return {d.filename for d in api.documents_to(chat_id) if d.filename}
