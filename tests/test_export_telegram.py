"""/export and /delete on Telegram: the zip a user receives, and nothing left after erasure."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import FakeBotApi
from tests.casefile_bot import (
    PDF,
    PHOTO,
    FileSendingUser,
    account_json,
    buttons,
    casefile_bot,
)


async def complete_case_file(user: FileSendingUser) -> None:
    """A whole journey to the letter, with two files and a note on the way."""
    current = await user.start_case()
    await user.send_file("devis signé.pdf", PDF, "application/pdf")
    await user.tap_label("Devis / contrat")
    await user.send_photo(PHOTO)
    current = await user.tap_label("Preuve de livraison")
    # The note is kept, then the question the case waits on is asked again.
    current = await user.say("/note appelé le 12/10, il promet de payer vendredi")
    mark = user.api.mark()
    start = [k for k, _ in FRENCH_BUSINESS_CASE].index("ev_invoice_sent")
    await user.play(FRENCH_BUSINESS_CASE[start:], current)
    # The demand in three forms, the checklist, the chronology in two (flows.documents.catalog).
    await user.api.await_documents(user.chat_id, 6, since=mark, timeout=30)


async def test_export_sends_a_zip_with_every_document_file_and_a_matching_index(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=9001)
    async with casefile_bot(api, data_dir):
        await complete_case_file(user)
        mark = api.mark()
        api.send_text(user.chat_id, "/export")
        sent = await api.await_for("sendDocument", since=mark, timeout=30)
    assert sent.files["document"].filename == "impayes_export_20261123.zip"
    archive = zipfile.ZipFile(io.BytesIO(sent.files["document"].content))
    names = archive.namelist()
    [case] = account_json(data_dir, user.chat_id)["cases"]
    folder = f"impayes_export/cases/01_acme-renovation-sarl_{case['id']}"
    expected = {"impayes_export/README.txt", "impayes_export/account.json",
                f"{folder}/case.json", f"{folder}/chronology.txt", f"{folder}/chronology.csv",
                f"{folder}/evidence/index.csv", f"{folder}/evidence/01_devis signé.pdf",
                f"{folder}/evidence/02_photo_20261123_100000.jpg"}
    assert expected <= set(names)
    generated = {n.rsplit("/", 1)[1] for n in names if "/documents/" in n}
    assert generated == {"mise_en_demeure_20261123.pdf", "mise_en_demeure_20261123.docx",
                         "mise_en_demeure_20261123.txt", "liste_des_preuves_20261123.pdf",
                         "chronologie_20261123.pdf", "chronologie_20261123.docx"}
    for name in names:
        if "/documents/" in name and name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF")
    index = list(csv.reader(io.StringIO(archive.read(f"{folder}/evidence/index.csv")
                                        .decode("utf-8-sig"))))[1:]
    assert len(index) == 2
    for row in index:
        content = archive.read(f"{folder}/{row[0]}")
        assert hashlib.sha256(content).hexdigest() == row[5]
    assert archive.read(f"{folder}/evidence/01_devis signé.pdf") == PDF
    chronology = archive.read(f"{folder}/chronology.txt").decode()
    assert "Note : appelé le 12/10, il promet de payer vendredi" in chronology
    assert "Documents rédigés (Mise en demeure)" in chronology
    # The zip was a temporary copy: it does not stay on disk.
    assert not list(data_dir.rglob("*.zip"))


async def test_delete_after_confirmation_leaves_nothing_of_the_user_on_disk(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=9002)
    neighbour = FileSendingUser(api, chat_id=9003)
    async with casefile_bot(api, data_dir):
        await neighbour.start_case()
        await neighbour.send_file("devis.pdf", PDF, "application/pdf")
        await complete_case_file(user)
        asked = await user.say("/delete")
        assert [label for label, _ in buttons(asked)] == ["🗑 Oui, tout effacer",
                                                         "Garder mes données"]
        mark = api.mark()
        api.press_button_labelled(user.chat_id, "🗑 Oui, tout effacer")
        done = await api.await_for(lambda c: c.method == "sendMessage"
                                   and c.params.get("chat_id") == user.chat_id, since=mark)
        # An old button pressed afterwards finds nothing, and writes nothing back.
        await user.tap(f"{asked.params['reply_markup']['inline_keyboard'][0][0]['callback_data']}")
    assert "tout ce que je gardais sur vous est effacé" in done.params["text"]
    left = [p for p in data_dir.rglob("*") if "9002" in p.as_posix()]
    assert left == []
    assert account_json(data_dir, neighbour.chat_id)["cases"]
    assert list((data_dir / "chats" / "9003").rglob("evidence/*"))


async def test_delete_kept_when_the_user_changes_their_mind(api: FakeBotApi,
                                                           data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=9004, language_code="en")
    async with casefile_bot(api, data_dir):
        await user.start_case(until="debtor_name")
        await user.say("/delete")
        kept = await user.tap_label("Keep my data", question=False)
    assert kept.params["text"] == "Nothing was erased."
    assert account_json(data_dir, user.chat_id)["cases"]


async def test_export_index_neutralises_spreadsheet_formulas_in_names_and_captions(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=9003)
    async with casefile_bot(api, data_dir):
        await user.start_case()
        # A file name and a caption a spreadsheet would run as formulas if opened as is.
        mark = api.mark()
        api.send_document(user.chat_id, "=1+2 devis.pdf", PDF,
                          "application/pdf", caption="@SUM(A1:A9)")
        await user.next_question(mark)
        mark = api.mark()
        api.send_text(user.chat_id, "/export")
        sent = await api.await_for("sendDocument", since=mark, timeout=30)
    archive = zipfile.ZipFile(io.BytesIO(sent.files["document"].content))
    [index_name] = [n for n in archive.namelist() if n.endswith("evidence/index.csv")]
    rows = list(csv.reader(io.StringIO(archive.read(index_name).decode("utf-8-sig"))))[1:]
    [row] = rows
    cells = [cell for cell in row if cell]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]
    assert "'=1+2 devis.pdf" in row
    assert "'@SUM(A1:A9)" in row
    assert row[3] == str(len(PDF))  # a plain number stays a number
