"""Nothing a button carries is trusted: forged or stale buttons never reach another user's case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from testing.fakebot import FakeBotApi
from tests.casefile_bot import (
    PDF,
    FileSendingUser,
    account_json,
    casefile_bot,
)

REFUSAL = "Ce bouton ne correspond à aucun de vos dossiers : rien n'a été modifié."



def without_update_ids(account: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in account.items() if k != "seen_updates"}


def files_of(data_dir: Path, chat_id: int) -> dict[str, bytes]:
    folder = data_dir / "chats" / str(chat_id)
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "chat.json"}


async def test_a_forged_button_naming_another_users_case_changes_nothing(
        api: FakeBotApi, data_dir: Path) -> None:
    mallory = FileSendingUser(api, chat_id=8001)
    alice = FileSendingUser(api, chat_id=8002)
    async with casefile_bot(api, data_dir):
        await alice.start_case()
        await alice.send_file("devis.pdf", PDF, "application/pdf")
        await alice.command("/delete")  # Alice has an erase confirmation pending
        await mallory.start_case(until="invoice_amount")
        alice_before = (data_dir / "chats/8002/chat.json").read_bytes()
        alice_files = files_of(data_dir, alice.chat_id)
        mallory_before = without_update_ids(account_json(data_dir, mallory.chat_id))
        alice_account = account_json(data_dir, alice.chat_id)
        [case] = alice_account["cases"]
        evidence_id = case["evidence"][0]["id"]
        token = alice_account["asking"]["about"]
        forged = [
            f"{case['id']}:evtag:{evidence_id}.contract",  # file Alice's evidence
            f"{case['id']}:ev_contract:no",  # answer Alice's question
            f"{case['id']}:review:generate",
            f":cases:{case['id']}",  # open Alice's case as one's own
            f":erase:{token}",  # confirm Alice's erasure
            "0000000:remedy:court",  # a case id that does not exist anywhere
            f"../{case['id']}:evtag:x.y",
        ]
        answers = [await mallory.tap(data) for data in forged]
    toasts = [a.params.get("text") for a in answers]
    assert toasts[:4] == [REFUSAL] * 4
    assert toasts[4] == "Cette confirmation n'est plus valable : renvoyez /delete."
    assert toasts[5:] == [REFUSAL] * 2
    assert (data_dir / "chats/8002/chat.json").read_bytes() == alice_before
    assert files_of(data_dir, alice.chat_id) == alice_files
    assert without_update_ids(account_json(data_dir, mallory.chat_id)) == mallory_before
    # Mallory's chat never heard anything of Alice's case or files.
    assert not any("devis.pdf" in text or case["id"] in text for text in mallory.texts())
    assert not any(evidence_id in json.dumps(a.params) for a in answers)


async def test_a_stale_button_of_ones_own_other_case_is_refused_politely(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=8003)
    async with casefile_bot(api, data_dir):
        await user.start_case(until="invoice_amount")
        first_case = account_json(data_dir, user.chat_id)["cases"][0]["id"]
        await user.say("/new")
        before = without_update_ids(account_json(data_dir, user.chat_id))
        answer = await user.tap(f"{first_case}:jurisdiction:qc")
    assert answer.params.get("text") == (
        "Ce bouton n'est plus actif : la question a déjà reçu une réponse.")
    assert without_update_ids(account_json(data_dir, user.chat_id)) == before
