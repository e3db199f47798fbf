"""Two cases on Telegram: each keeps its own answers and files, /cases switches between them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from testing.driver import plain
from testing.fakebot import FakeBotApi
from tests.casefile_bot import (
    PDF,
    PHOTO,
    FileSendingUser,
    account_json,
    buttons,
    casefile_bot,
    question_key,
)

DUPONT = [
    ("jurisdiction", "press:be"),
    ("debtor_kind", "press:business"),
    ("debtor_name", "Boulangerie Dupont"),
    ("invoice_number", "F-7"),
    ("invoice_amount", "300"),
]



async def test_two_cases_are_kept_apart_with_their_own_files(api: FakeBotApi,
                                                             data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=7001)
    async with casefile_bot(api, data_dir):
        await user.start_case()  # ACME, at the evidence step
        await user.send_file("devis acme.pdf", PDF, "application/pdf")
        await user.tap_label("Devis / contrat")
        first = await user.say("/new")
        await user.play(DUPONT, first)
        await user.send_photo(PHOTO)
        await user.tap_label("Autre chose")
        listing = await user.say("/cases")
        labels = [label for label, _ in buttons(listing)]
        assert labels == ["1. ACME Rénovation SARL", "2. Boulangerie Dupont",
                          "➕ Nouveau dossier"]
        back_to_acme = await user.tap_label("1. ACME Rénovation SARL")
        assert question_key(back_to_acme) == "ev_delivery"
        await user.send_file("bl acme.pdf", PDF + b"bl", "application/pdf")
    account = account_json(data_dir, user.chat_id)
    acme, dupont = account["cases"]
    assert account["active_case"] == acme["id"]
    assert acme["answers"]["debtor_name"] == "ACME Rénovation SARL"
    assert dupont["answers"]["debtor_name"] == "Boulangerie Dupont"
    assert dupont["answers"]["jurisdiction"] == "be"
    assert [r["name"] for r in acme["evidence"]] == ["devis acme.pdf", "bl acme.pdf"]
    assert [r["sha256"] for r in dupont["evidence"]] == [
        hashlib.sha256(PHOTO).hexdigest()]
    cases = data_dir / "chats" / str(user.chat_id) / "cases"
    assert sorted(p.name for p in (cases / acme["id"] / "evidence").iterdir()) == sorted(
        [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PDF + b"bl").hexdigest()])
    assert [p.name for p in (cases / dupont["id"] / "evidence").iterdir()] == [
        hashlib.sha256(PHOTO).hexdigest()]
    text = plain(listing.params["text"])
    assert "Vos dossiers (2) :" in "\n".join(plain(t) for t in user.texts())
    assert text.endswith("\n\nSur quel dossier voulez-vous travailler ?")


async def test_cases_shows_each_balance_and_next_step(api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=7002, language_code="en")
    async with casefile_bot(api, data_dir):
        await user.start_case()
        first = await user.say("/new")
        await user.play(DUPONT, first)
        await user.say("/cases")
    listing = next(plain(t) for t in user.texts() if t.startswith("Your cases"))
    assert ("1. ACME Rénovation SARL (invoices: 1) — still due: €1,200.50 "
            "(€1,256.09 with interest and indemnity today) — to do: the evidence") in listing
    assert "👉 2. Boulangerie Dupont — to do: the invoice facts (open)" in listing
