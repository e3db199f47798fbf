"""Drawing documents (a second or more per PDF) never holds up other users.

Rendering is slowed down here by a hook that waits until the test lets it go: other chats must
be answered meanwhile, so their replies come before the document. Nothing is timed; the order
of events says it all. The user whose documents are being drawn keeps their own order: what
they type meanwhile is answered after the documents.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flows.conversation import DocumentJob
from flows.documents import drawing
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import TelegramUser, question_key, running_bot

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


class SlowRendering:
    """Replaces ``draw``: each drawing waits for ``release`` before drawing for real."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.real = drawing.draw

    def __call__(self, job: DocumentJob, *where: object) -> dict[str, bytes]:
        self.started.set()
        if not self.release.wait(60):
            raise AssertionError("the test never released the rendering")
        return self.real(job, *where)  # type: ignore[arg-type]


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowRendering]:
    hook = SlowRendering()
    monkeypatch.setattr(drawing, "draw", hook)
    yield hook
    hook.release.set()



def position(api: FakeBotApi, call: ApiCall) -> int:
    return next(i for i, c in enumerate(api.calls()) if c is call)


def to_chat(chat_id: int, method: str) -> Any:
    return lambda c: c.method == method and c.params.get("chat_id") == chat_id


async def test_other_users_are_answered_while_documents_render(
        api: FakeBotApi, data_dir: Path, slow: SlowRendering) -> None:
    writer = TelegramUser(api, chat_id=7001)
    others = [TelegramUser(api, chat_id=7002), TelegramUser(api, chat_id=7003, language_code="en")]
    async with running_bot(api, data_dir, NOW):
        review = await writer.play(FRENCH_BUSINESS_CASE, await writer.say("/start"),
                                   until="review")
        assert question_key(review) == "review"
        mark = api.mark()
        generate = next(data for _, data, _ in api.last_keyboard(writer.chat_id)
                        if data and data.endswith(":review:generate"))
        api.press_button(writer.chat_id, review.result["message_id"], generate)
        assert await asyncio.to_thread(slow.started.wait, 30), "rendering never started"

        # While the writer's letter is being drawn, two other people start their case…
        answered = []
        for user in others:
            first = await user.say("/start")
            answered.append(await user.press("jurisdiction", "fr"))
            answered.append(first)
        # …and the writer, impatient, types something: that waits for their documents.
        api.send_text(writer.chat_id, "alors ?")
        await asyncio.sleep(0.3)
        assert not [c for c in api.calls()[mark:] if c.method in ("sendDocument",
                                                                   "sendMediaGroup")]

        slow.release.set()
        sent = [d.call for d in await api.await_documents(writer.chat_id, 2, since=mark,
                                                             timeout=60)]
        outcome = await api.await_for(
            lambda c: to_chat(writer.chat_id, "sendMessage")(c) and question_key(c) == "outcome",
            since=mark, timeout=20)
        later = await api.await_for(to_chat(writer.chat_id, "sendMessage"),
                                    since=position(api, outcome) + 1, timeout=20)

    first_document = position(api, sent[0])
    assert all(position(api, call) < first_document for call in answered)
    assert position(api, later) > position(api, sent[-1])
    names = [d.filename or "" for d in api.documents_to(writer.chat_id)]
    assert names[0].startswith("mise_en_demeure")
