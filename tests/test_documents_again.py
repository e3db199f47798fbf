"""/documents: the last documents drawn for the case, sent again exactly as they were made."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.service import Assistant
from bot.storage import StoredChat, TinyDBStorage
from flows.casefile import documents_again
from flows.conversation import Command, DocumentFile
from flows.model import Account
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver
from testing.fakebot import FakeBotApi
from testing.telegram_harness import TelegramUser, running_bot

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def drawn(account: Account, stamp: str, *names: str) -> None:
    case = account.current
    assert case is not None
    case.documents += [{"kind": "demand_letter", "name": n, "created_at": stamp,
                        "sha256": "0" * 64, "size": 1} for n in names]


@pytest.mark.parametrize(("lang", "start", "end"), [
    ("fr", "Aucun document préparé pour « ", "ils le sont après le récapitulatif du dossier."),
    ("en", 'No documents prepared for "', "they come after the case summary."),
])
def test_before_any_document_the_user_is_told_when_they_come(lang: str, start: str,
                                                            end: str) -> None:
    account = Account.new("1", lang)
    account.open_new_case(NOW)
    reply = turn(account, Command("documents"), NOW)
    assert reply.files == []
    assert reply.messages[0].startswith(start)
    assert reply.messages[0].endswith(end)
    assert reply.changed is False


def test_only_the_last_drawing_is_sent_again_and_the_older_files_are_pointed_to() -> None:
    account = Account.new("1", "fr")
    account.open_new_case(NOW)
    drawn(account, "2026-11-20T10:00:00+01:00", "relance_1_20261120.pdf")
    drawn(account, "2026-11-23T10:00:00+01:00", "mise_en_demeure_20261123.pdf",
          "mise_en_demeure_20261123.docx")
    assert account.current is not None
    reply = documents_again(account, account.current)
    assert reply.files == [DocumentFile(account.current.id, "mise_en_demeure_20261123.pdf"),
                           DocumentFile(account.current.id, "mise_en_demeure_20261123.docx")]
    assert "préparés le 23 novembre 2026" in reply.messages[0]
    assert "(2 fichiers)" in reply.messages[0]
    assert "1 fichier plus ancien reste dans l'export" in reply.messages[0]


def test_the_files_sent_again_are_those_kept_in_the_case_folder(tmp_path: Path) -> None:
    driver = Driver(now=NOW)
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE)
    jobs = next(r.documents for r in reversed(driver.replies) if r.documents)
    assistant = Assistant(TinyDBStorage(tmp_path), lambda: NOW)
    assistant.save(StoredChat(driver.account))
    made = {r.document for r in assistant.render(driver.account.chat_id, jobs)}
    reply = assistant.handle(driver.account.chat_id, Command("documents"))
    assert reply is not None
    assert set(assistant.drawn(driver.account.chat_id, reply.files)) == made
    assert len(made) == 6
    forged = [DocumentFile(reply.files[0].case_id, "../../chat.json"),
              DocumentFile("../..", "chat.json")]
    assert assistant.drawn(driver.account.chat_id, forged) == []  # never a blob elsewhere


async def test_on_telegram_the_same_files_arrive_again_byte_for_byte(
        data_dir: Path) -> None:
    with FakeBotApi() as api:
        user = TelegramUser(api)
        async with running_bot(api, data_dir, NOW):
            await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"))
            await api.await_documents(user.chat_id, 6, timeout=30)
            first = {d.filename: d.content for d in api.documents_to(user.chat_id)}
            mark = api.mark()
            api.send_text(user.chat_id, "/documents", language_code="fr")
            await api.await_documents(user.chat_id, 6, since=mark, timeout=30)
        again = api.documents_to(user.chat_id)[6:]
    assert {d.filename: d.content for d in again} == first
    assert any(text.startswith("📄 Les documents de « ACME Rénovation SARL » préparés le "
                               "23 novembre 2026") for text in user.texts())
