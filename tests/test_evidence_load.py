"""Hostile uploads do not stall other users: screening has a budget per upload and runs in
processes of its own, apart from the threads that make every answer durable."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from flows.i18n import t
from testing.fakebot import ApiCall, FakeBotApi
from testing.hostile_files import hostile_zip
from testing.stored import save_account
from testing.telegram_harness import question_key
from tests.casefile_bot import casefile_bot
from tests.followup_cases import FORMAL_DEMAND, followed

SENDERS = [7400 + n for n in range(6)]



def question_to(chat_id: int):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        return (call.method == "sendMessage" and call.params.get("chat_id") == chat_id
                and question_key(call) is not None)
    return match


async def reply_times(api: FakeBotApi, chats: range) -> list[float]:
    """Seconds from each new user's /start to the bot's first question, one after another."""
    times = []
    for chat_id in chats:
        mark = api.mark()
        sent = time.time()
        api.send_text(chat_id, "/start")
        answer = await api.await_for(question_to(chat_id), since=mark, timeout=600)
        times.append(answer.at - sent)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


async def test_other_chats_stay_fast_while_six_hostile_zips_are_screened(
        api: FakeBotApi, data_dir: Path) -> None:
    hostile = hostile_zip()  # 184 KB, three PDFs of 60 MB of names each once inflated
    for chat_id in SENDERS:
        save_account(data_dir, followed(FORMAL_DEMAND, chat_id=str(chat_id)).account)
    async with casefile_bot(api, data_dir):
        baseline = await reply_times(api, range(7500, 7520))
        mark = api.mark()
        for chat_id in SENDERS:
            api.send_document(chat_id, "pieces.zip", hostile, "application/zip")
        during = await reply_times(api, range(7600, 7620))
        refusal = t("fr", "casefile.evidence.refused.too_complex")
        for chat_id in SENDERS:
            await api.await_for(lambda c, chat_id=chat_id: c.method == "sendMessage"
                                and c.params.get("chat_id") == chat_id
                                and refusal in str(c.params.get("text")), since=mark,
                                timeout=600)
    assert not list(data_dir.rglob("evidence/*"))  # nothing of the six uploads was kept
    # A generous bound, relative to the same machine a moment before: once, six such uploads
    # delayed an unrelated /start by minutes.
    assert p95(during) < 4 * p95(baseline) + 2.0, (p95(baseline), p95(during))
