"""The debtor's side over the fake Bot API: two people, the creditor and the debtor, each in
their own private chat with the bot (the creditor in French, the debtor in English)."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flows.law import from_case
from flows.model import Account
from testing.driver import FRENCH_BUSINESS_CASE, plain
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import TelegramUser, running_bot, settle
from tests.pdf import pdf_text

pytestmark = pytest.mark.slow(seconds=2)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
CREDITOR, DEBTOR = 5001, 6001
UNKNOWN = ("This link does not work. Check that it was copied in full from the letter, or ask "
           "the sender for a new one.")


def stored(data_dir: Path, chat_id: int = CREDITOR) -> Account:
    data = json.loads((data_dir / "chats" / str(chat_id) / "chat.json").read_text())
    return Account.from_json(data["account"]["1"])


async def creditor_sends_a_demand(api: FakeBotApi, data_dir: Path) -> tuple[str, str]:
    """The creditor drafts the formal demand; the case's id and the token its letter carries."""
    creditor = TelegramUser(api, chat_id=CREDITOR)
    mark = api.mark()
    await creditor.play(FRENCH_BUSINESS_CASE, await creditor.say("/start"))
    await api.await_documents(CREDITOR, 6, since=mark, timeout=60)
    [case] = stored(data_dir).cases
    assert case.debtor is not None
    return case.id, str(case.debtor["token"])


def said_to(chat_id: int, words: str) -> Any:
    def found(call: ApiCall) -> bool:
        return (call.method == "sendMessage" and str(call.params.get("chat_id")) == str(chat_id)
                and words in str(call.params.get("text", "")))
    return found


async def hears(api: FakeBotApi, chat_id: int, words: str, since: int) -> str:
    """Wait for ``words`` in the chat; every message the chat got since ``since``, joined."""
    await api.await_for(said_to(chat_id, words), timeout=30, since=since)
    return plain("\n".join(str(call.params.get("text", "")) for call in api.calls()[since:]
                     if call.method == "sendMessage"
                     and str(call.params.get("chat_id")) == str(chat_id)))


def tap(api: FakeBotApi, chat_id: int, data: str) -> int:
    """Tap the button carrying ``data`` under the chat's newest keyboard; the mark before."""
    mark = api.mark()
    for _, button, message_id in api.last_keyboard(chat_id):
        if button == data:
            api.press_button(chat_id, message_id, data)
            return mark
    raise AssertionError(f"no button {data} in {api.last_keyboard(chat_id)}")


def say(api: FakeBotApi, chat_id: int, text: str, language_code: str) -> int:
    mark = api.mark()
    api.send_text(chat_id, text, language_code=language_code)
    return mark


async def test_debtor_proposes_a_plan_the_creditor_accepts_and_both_get_the_agreement(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    async with running_bot(api, data_dir, NOW):
        case_id, token = await creditor_sends_a_demand(api, data_dir)
        mark = say(api, DEBTOR, f"/start {token}", "en")
        claim = await hears(api, DEBTOR, "Total due today", mark)
        assert "Claim of Jeanne Martin EI" in claim
        assert "Invoice F-2026-042 of 15 September 2026: €1,200.50" in claim
        assert "recovery indemnity €40.00" in claim
        assert "Deadline given in the formal demand: 1 December 2026" in claim
        # The debtor's chat shows this claim only: not the creditor's menu, nor other cases.
        assert not any("/cases" in m.text for m in api.messages_to(DEBTOR))
        opened = await hears(api, CREDITOR, "ouvert le lien", mark)
        assert "ACME Rénovation SARL" in opened

        tap(api, DEBTOR, f"d:{token}:plan")
        await hears(api, DEBTOR, "In how many instalments?", mark)
        tap(api, DEBTOR, f"d:{token}:n.3")
        await hears(api, DEBTOR, "3 instalments: from which date", mark)
        # In a week, two weeks, a month: days in words, short enough for a phone.
        assert [label for label, _, _ in api.last_keyboard(DEBTOR)] == [
            "30 Nov", "7 Dec", "23 Dec"]
        mark = tap(api, DEBTOR, f"d:{token}:f.3.20261207")
        await hears(api, DEBTOR, "Your proposal was sent to the creditor", mark)
        proposal = await hears(api, CREDITOR, "Votre réponse à cet échéancier", mark)
        # 1 200,50 € in 3: 400,16 € twice, then 400,18 € (the rounding cents last).
        assert "3 échéances mensuelles à partir du 7 décembre 2026, 1 200,50 € au total" \
            in proposal
        assert "première échéance 400,16 €" in proposal

        mark = tap(api, CREDITOR, f"c:{case_id}:accept")
        creditor_files = await api.await_documents(CREDITOR, 1, since=mark, timeout=60)
        debtor_files = await api.await_documents(DEBTOR, 1, since=mark, timeout=60)
        await hears(api, DEBTOR, "Payment plan agreed: 3 instalments from 7 December 2026",
                    mark)

    assert creditor_files[0].filename.startswith("accord_echeancier_")
    assert debtor_files[0].filename.startswith("payment_plan_agreement_")
    for document, words in ((creditor_files[0], "par le débiteur le 23/11/2026 10:00:00"),
                            (debtor_files[0], "by the debtor on 23/11/2026 10:00:00")):
        assert document.content is not None
        pdf = tmp_path / (document.filename or "agreement.pdf")
        pdf.write_bytes(document.content)
        text = pdf_text(pdf)
        assert words in text
        assert "ACME Rénovation SARL" in text
    account = stored(data_dir)
    [case] = account.cases
    assert case.text("remedy") == "payment_plan"
    plan_reminders = [r for r in case.followup["reminders"] if r["kind"] == "instalment"]
    assert [r["id"].split("-")[1] for r in plan_reminders] == ["20261208", "20270108",
                                                               "20270208"]
    chronology = [e["kind"] for e in case.events]
    assert chronology[-3:] == ["debtor_opened", "plan_proposed_by_debtor", "plan_agreed"]


async def test_acknowledging_restarts_limitation_and_contesting_changes_the_advice(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    async with running_bot(api, data_dir, NOW):
        _case_id, token = await creditor_sends_a_demand(api, data_dir)
        advice_before = from_case.advice_for(stored(data_dir).cases[0], NOW.date())
        mark = say(api, DEBTOR, f"/start {token}", "en")
        await hears(api, DEBTOR, "Total due today", mark)
        tap(api, DEBTOR, f"d:{token}:ack")
        await hears(api, DEBTOR, "type your full name", mark)
        mark = say(api, DEBTOR, "Paul", "en")
        await hears(api, DEBTOR, "Please type your first and last name", mark)
        mark = say(api, DEBTOR, "Paul Durand", "en")
        statement = await hears(api, DEBTOR, "Do you confirm?", mark)
        assert statement.startswith("I, Paul Durand, acknowledge owing Jeanne Martin EI the "
                                    "sum of €1,200.50 for invoice F-2026-042.")
        mark = tap(api, DEBTOR, f"d:{token}:ackyes")
        # Both get the acknowledgement to sign by hand, stronger evidence than the online one.
        to_sign = await api.await_documents(DEBTOR, 1, since=mark, timeout=60)
        creditor_copy = await api.await_documents(CREDITOR, 1, since=mark, timeout=60)
        assert to_sign[0].filename.startswith("acknowledgement_of_debt_")
        assert creditor_copy[0].filename.startswith("reconnaissance_de_dette_")
        assert to_sign[0].content is not None
        (tmp_path / "ack.pdf").write_bytes(to_sign[0].content)
        assert "ACME Rénovation SARL" in pdf_text(tmp_path / "ack.pdf")
        done = await hears(api, DEBTOR, "What would you like to do?", mark)
        assert "Recorded: you acknowledged owing €1,200.50, on 23 November 2026." in done
        assert "A signed acknowledgement is stronger evidence" in done
        # Invoice of 15/09/2026 between traders: 5 years (L110-4), to 15/09/2031; the
        # acknowledgement of 23/11/2026 starts a new 5-year period (C. civ. 2240, 2231).
        told = await hears(api, CREDITOR, "a reconnu la dette", mark)
        assert "Paul Durand a confirmé devoir 1 200,50 €" in told
        assert ("nouveau dernier jour pour agir en justice le 23 novembre 2031 "
                "(C. civ. 2240, 2231)") in told
        case = stored(data_dir).cases[0]
        assert from_case.rights_for(case, NOW.date())[0].limitation.last_day == \
            date(2031, 11, 23)

        tap(api, DEBTOR, f"d:{token}:contest")
        await hears(api, DEBTOR, "What do you contest?", mark)
        tap(api, DEBTOR, f"d:{token}:r.quality")
        await hears(api, DEBTOR, "Explain in a few words", mark)
        mark = say(api, DEBTOR, "The site does not work on mobile phones.", "en")
        await hears(api, DEBTOR, "Then press Done", mark)
        mark = tap(api, DEBTOR, f"d:{token}:done")  # no file: sent as it is
        await hears(api, DEBTOR, "Your objection was sent to the creditor", mark)
        disputed = await hears(api, CREDITOR, "conteste la créance", mark)
    assert "la qualité de ce qui a été fourni" in disputed
    assert "« The site does not work on mobile phones. »" in disputed
    case = stored(data_dir).cases[0]
    assert case.flag("disputed") is True
    advice_after = from_case.advice_for(case, NOW.date())
    assert advice_before is not None
    assert advice_after is not None
    # Disputed: no more friendly reminders nor collection agency; a reply on the point
    # disputed and free conciliation first (issue 13 item 6).
    assert [r.remedy for r in advice_after.recommended] != \
        [r.remedy for r in advice_before.recommended]
    assert advice_before.first.reason.key == "law.remedy.why.plan_responsive"
    assert advice_after.first.reason.key == "law.remedy.why.dispute_reply.fr"
    assert "Étape recommandée" in disputed


async def test_revoked_unknown_and_mistyped_links_get_the_same_answer(
        api: FakeBotApi, data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW):
        _case_id, token = await creditor_sends_a_demand(api, data_dir)
        mark = say(api, CREDITOR, "/revoke", "fr")
        await hears(api, CREDITOR, "ne fonctionne plus", mark)
        answers = []
        for link in (token, secrets.token_urlsafe(16), token[:-1], "nimportequoi"):
            mark = say(api, DEBTOR, f"/start {link}", "en")
            answers.append(await hears(api, DEBTOR, "", mark))
            await settle()
    assert answers == [UNKNOWN] * 4
    assert "debtor_link_revoked" in [e["kind"] for e in stored(data_dir).cases[0].events]
