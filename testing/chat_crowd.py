"""Users talking to a bot process through the fake Bot API, all driven from one loop (no
threads, no races): each answers the question last shown, waits for the reply, and notes how
long it took. Used by the hardening scenarios (``testing/hardening.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import question_key


@dataclass
class ChatUser:
    chat_id: int
    script: dict[str, str]  # question key -> answer ("press:value" for a button)
    until: str  # the question at which this user stops
    shown: ApiCall | None = None  # the last question the bot showed this user
    sent_at: float | None = None  # when the message still awaiting its reply was sent
    ready_at: float = 0.0  # when this user, having read the reply, answers
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (sent at, seconds)

    @property
    def done(self) -> bool:
        return (self.shown is not None and question_key(self.shown) == self.until
                and self.sent_at is None)


class Crowd:
    """Users answering a script; with ``renew``, one who reaches the end starts over in a new
    chat, so that the crowd keeps talking for as long as the loop runs. Each answers ``pause``
    seconds after the reply, as a person reads it: without a pause, a crowd answers as fast
    as the bot's rate limit (Telegram's 30 messages a second) lets replies out, and every
    latency is that queue's."""

    def __init__(self, api: FakeBotApi, users: list[ChatUser], renew: bool = False,
                 pause: float = 0.0) -> None:
        self.api = api
        self.users = {user.chat_id: user for user in users}
        self.renew = renew
        self.pause = pause
        self.cursor = api.mark()
        self.finished: list[ChatUser] = []  # users renewed: their latencies still count

    def send(self, user: ChatUser) -> None:
        user.sent_at = time.time()
        if user.shown is None:
            self.api.send_text(user.chat_id, "/start")
            return
        key = question_key(user.shown)
        step = user.script[str(key)]
        if step.startswith("press:"):
            data = next(b["callback_data"] for row in user.shown.params["reply_markup"]
                        ["inline_keyboard"] for b in row
                        if b["callback_data"].split(":")[1:] == [key, step[6:]])
            self.api.press_button(user.chat_id, user.shown.result["message_id"], data)
        else:
            self.api.send_text(user.chat_id, step)

    def read(self) -> list[ApiCall]:
        """Take in the calls made since the last read; returns them for other observers."""
        calls = self.api.calls()[self.cursor:]
        self.cursor += len(calls)
        for call in calls:
            if call.method != "sendMessage" or not call.ok or question_key(call) is None:
                continue
            user = self.users.get(int(call.params["chat_id"]))
            if user is None:
                continue
            user.shown = call
            if user.sent_at is not None:
                user.latencies.append((user.sent_at, call.at - user.sent_at))
                user.sent_at = None
                user.ready_at = time.time() + self.pause
        return calls

    def step(self) -> None:
        for chat_id, user in list(self.users.items()):
            if user.done and self.renew:
                self.finished.append(user)
                del self.users[chat_id]
                fresh = ChatUser(chat_id + 1000, user.script, user.until)
                self.users[fresh.chat_id] = fresh
                user = fresh
            if not user.done and user.sent_at is None and time.time() >= user.ready_at:
                self.send(user)

    def latencies(self, since: float = 0.0, until: float = float("inf")) -> list[float]:
        """Seconds each reply took, for the messages sent between ``since`` and ``until``."""
        everyone = [*self.finished, *self.users.values()]
        return [seconds for user in everyone for sent, seconds in user.latencies
                if since <= sent < until]

    def waiting_since(self, now: float) -> list[float]:
        """How long each user still waiting has waited: a stall shows here too."""
        return [now - user.sent_at for user in self.users.values() if user.sent_at is not None]
