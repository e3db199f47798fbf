"""IMPAYES_DATABASE_URL: read from the environment, its password never shown nor logged."""

from __future__ import annotations

import logging

import pytest

from bot import redact
from bot.config import Settings, shown_url

URL = "postgresql://impayes:s3cr%40t-pass@db.internal:5432/impayes"


def test_without_a_database_url_everything_stays_in_the_data_folder(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMPAYES_DATABASE_URL", raising=False)
    assert Settings.from_env().database_url is None
    monkeypatch.setenv("IMPAYES_DATABASE_URL", "  ")
    assert Settings.from_env().database_url is None


def test_the_database_url_is_read_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPAYES_DATABASE_URL", f" {URL} ")
    assert Settings.from_env().database_url == URL


def test_a_url_that_is_not_postgresql_is_refused_without_quoting_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPAYES_DATABASE_URL", "mysql://root:hunter2secret@db/x")
    with pytest.raises(SystemExit) as refused:
        Settings.from_env()
    assert "postgresql://" in str(refused.value)
    assert "hunter2secret" not in str(refused.value)


def test_the_password_is_among_the_secrets_as_written_and_decoded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPAYES_DATABASE_URL", URL)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCDEFGH")
    secrets = Settings.from_env().secrets()
    assert {"s3cr%40t-pass", "s3cr@t-pass", "123456:ABCDEFGH"} <= set(secrets)


def test_a_password_given_as_a_parameter_is_a_secret_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPAYES_DATABASE_URL",
                       "postgresql:///impayes?host=/run/pg&user=bot&password=p%26ss-word9")
    assert {"p%26ss-word9", "p&ss-word9"} <= set(Settings.from_env().secrets())


@pytest.mark.parametrize(("url", "printed"), [
    (URL, "postgresql://impayes:***@db.internal:5432/impayes"),
    ("postgresql://impayes@db/x", "postgresql://impayes@db/x"),
    ("postgresql:///x?user=bot&password=hunter2&sslmode=require",
     "postgresql:///x?user=bot&password=***&sslmode=require"),
])
def test_a_url_is_printed_without_its_password(url: str, printed: str) -> None:
    assert shown_url(url) == printed


def test_a_log_record_quoting_the_url_shows_no_password(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("IMPAYES_DATABASE_URL", URL)
    redact.install(Settings.from_env().secrets())
    with caplog.at_level(logging.WARNING):
        logging.getLogger("impayes.test").warning("could not reach %s", URL)
    assert "s3cr%40t-pass" not in caplog.text
    assert "db.internal" in caplog.text
