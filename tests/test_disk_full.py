"""A full disk: the bot starts all the same (saying in its log that its outbox cannot be
written), answers "temporarily unavailable" rather than "something went wrong", and works again
once space is freed, without a restart. The data folder is a real, small tmpfs filled up."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.i18n import t
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import question_key, running_bot

CHAT = 7801



@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(bytes(4096))
        except OSError:
            pass
    return filler


def to_chat(call: ApiCall) -> bool:
    return call.method == "sendMessage" and call.params.get("chat_id") == CHAT


async def test_a_full_disk_is_temporarily_unavailable_and_recovers_without_restart(
        api: FakeBotApi, small_disk: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    data_dir = small_disk / "data"
    data_dir.mkdir()
    # The last run left a chat owed a reply: the outbox must be rewritten at startup.
    (data_dir / "outbox.log").write_text("+7802\n")
    filler = fill(small_disk)
    async with running_bot(api, data_dir):
        assert "cannot be written (ENOSPC)" in caplog.text  # said at startup, and it runs
        mark = api.mark()
        api.send_text(CHAT, "/start", language_code="en")
        answer = await api.await_for(to_chat, since=mark, timeout=30)
        assert answer.params["text"] == t("en", "error.unavailable")
        filler.unlink()  # space freed: the next message is answered as usual
        mark = api.mark()
        api.send_text(CHAT, "/start", language_code="en")
        answer = await api.await_for(to_chat, since=mark, timeout=30)
    assert question_key(answer) == "jurisdiction"
    assert (data_dir / "chats" / str(CHAT) / "chat.json").exists()
