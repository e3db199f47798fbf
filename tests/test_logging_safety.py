"""Logs carry ids, never the token, a document's content or what the user told us."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import redact
from flows import casefile
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import DEFAULT_TOKEN, FakeBotApi
from tests.casefile_bot import PDF, FileSendingUser, casefile_bot

NOTE = "appelé le 12/10, il promet de payer vendredi"
WHAT_THE_USER_TYPED = "ACME Rénovation SARL, 4 avenue Foch"
PERSONAL = ("ACME", "Rénovation", "Jeanne Martin", "rue des Lilas", "avenue Foch", "F-2026-042",
            "devis signé", "promet de payer")



async def whole_journey(api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=9501)
    async with casefile_bot(api, data_dir):
        current = await user.start_case()
        await user.send_file("devis signé.pdf", PDF, "application/pdf")
        current = await user.tap_label("Devis / contrat")
        # The note is kept, then the question the case waits on is asked again.
        current = await user.say(f"/note {NOTE}")
        mark = api.mark()
        start = [k for k, _ in FRENCH_BUSINESS_CASE].index("ev_delivery")
        await user.play(FRENCH_BUSINESS_CASE[start:], current)
        await api.await_documents(user.chat_id, 2, since=mark, timeout=30)
        mark = api.mark()
        api.send_text(user.chat_id, "/export")
        await api.await_for("sendDocument", since=mark, timeout=30)
        await user.say("/cases")


async def test_info_logs_of_a_whole_journey_hold_no_token_and_no_personal_data(
        api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await whole_journey(api, data_dir)
    text = caplog.text
    assert "handled for chat 9501" in text  # the capture did see the bot's logs
    assert "file kept for chat 9501" in text
    assert DEFAULT_TOKEN not in text
    assert DEFAULT_TOKEN.split(":")[1] not in text
    for word in PERSONAL:
        assert word not in text, word


async def test_even_debug_logs_never_show_the_token(api: FakeBotApi, data_dir: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await whole_journey(api, data_dir)
    assert len(caplog.records) > 100
    assert DEFAULT_TOKEN not in caplog.text
    assert DEFAULT_TOKEN.split(":")[1] not in caplog.text


async def test_debug_logs_of_a_whole_journey_hold_no_personal_data(
        api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    # python-telegram-bot's DEBUG records quote updates and request parameters: off by
    # default even when everything else logs at DEBUG (bot/redact.py, README).
    caplog.set_level(logging.DEBUG)
    await whole_journey(api, data_dir)
    assert any(r.levelno == logging.DEBUG for r in caplog.records)
    for word in PERSONAL:
        assert word not in caplog.text, word


def test_a_token_quoted_in_a_message_or_an_error_is_masked(
        caplog: pytest.LogCaptureFixture) -> None:
    token = "123456:SECRET-token-for-masking-test"
    redact.install([token])
    log = logging.getLogger("impayes.test")
    caplog.set_level(logging.INFO)
    log.info("calling %s", f"https://api.telegram.org/bot{token}/getMe")
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{token}/getUpdates")
    except ConnectionError:
        log.exception("network down")
    assert token not in caplog.text
    assert "bot«secret»/getMe" in caplog.text
    assert "bot«secret»/getUpdates" in caplog.text
    assert "network down" in caplog.text


def test_http_client_loggers_stay_quiet_at_info() -> None:
    redact.install([])
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() >= logging.WARNING


async def test_a_failure_is_logged_with_its_place_but_without_what_the_user_typed(
        api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(account: object, now: object) -> None:
        raise ValueError(f"cannot list {WHAT_THE_USER_TYPED!r}")

    monkeypatch.setattr(casefile, "cases_reply", broken)
    caplog.set_level(logging.INFO)
    user = FileSendingUser(api, chat_id=9502)
    async with casefile_bot(api, data_dir):
        await user.start_case(until="invoice_number")
        answer = await user.command("/cases")
    assert "Désolé, un problème est survenu de notre côté" in answer.params["text"]
    [failure] = [r for r in caplog.records if r.levelno == logging.ERROR]
    logged = caplog.text
    assert "failed: ValueError" in logged
    assert "in broken" in logged  # where it happened
    assert "ACME" not in logged
    assert "avenue Foch" not in logged
    assert failure.exc_info is None
