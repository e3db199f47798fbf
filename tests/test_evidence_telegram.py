"""Sending evidence on Telegram: getFile, the download, the file kept, the refusals."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from bot.http import MAX_RESPONSE_BYTES
from testing.driver import plain
from testing.fakebot import FakeBotApi
from tests.casefile_bot import (
    NOW,
    PDF,
    PHOTO,
    FileSendingUser,
    account_json,
    buttons,
    casefile_bot,
    question_key,
)


def _largest_socket_buffers() -> int:
    """The most a TCP connection's receive and send buffers hold together (Linux)."""
    largest = 0
    for name in ("tcp_rmem", "tcp_wmem"):
        try:
            largest += int(Path(f"/proc/sys/net/ipv4/{name}").read_text().split()[2])
        except (OSError, IndexError, ValueError):
            largest += 8 * 1024 * 1024
    return largest


def evidence_folder(data_dir: Path, chat_id: int) -> Path:
    [folder] = (data_dir / "chats" / str(chat_id) / "cases").glob("*/evidence")
    return folder


def kept_files(data_dir: Path, chat_id: int) -> list[Path]:
    return sorted(p for p in (data_dir / "chats" / str(chat_id)).rglob("evidence/*"))


async def test_a_pdf_and_a_photo_are_downloaded_and_kept_with_their_sha256(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6001)
    async with casefile_bot(api, data_dir):
        await user.start_case()
        asked = await user.send_file("devis signé.pdf", PDF, "application/pdf")
        assert question_key(asked) == "evtag"
        assert "Que prouve « devis signé.pdf » ?" in asked.params["text"]
        filed = await user.tap_label("Devis / contrat")
        assert question_key(filed) == "ev_delivery"
        update, asked = await user.send_photo(PHOTO)
        assert question_key(asked) == "evtag"
        await user.tap_label("Preuve de livraison")
    # getFile was asked for the document, then for the photo's largest size.
    [document_call, photo_call] = api.calls("getFile")
    assert photo_call.params["file_id"] == update["message"]["photo"][-1]["file_id"]
    assert document_call.params["file_id"].startswith("FAKE-DOC")
    folder = evidence_folder(data_dir, user.chat_id)
    for data in (PDF, PHOTO):
        digest = hashlib.sha256(data).hexdigest()
        assert (folder / digest).read_bytes() == data
    [case] = account_json(data_dir, user.chat_id)["cases"]
    records = case["evidence"]
    assert [r["sha256"] for r in records] == [hashlib.sha256(PDF).hexdigest(),
                                              hashlib.sha256(PHOTO).hexdigest()]
    assert [r["size"] for r in records] == [len(PDF), len(PHOTO)]
    assert [r["proves"] for r in records] == ["contract", "delivery"]
    assert records[0]["name"] == "devis signé.pdf"
    assert records[0]["mime"] == "application/pdf"
    assert records[1]["name"] == "photo_20261123_100000.jpg"
    assert case["answers"]["ev_contract"] is True
    texts = [plain(t) for t in user.texts()]
    assert any(f"Empreinte (SHA-256) : {hashlib.sha256(PDF).hexdigest()}" in t for t in texts)
    assert not list(folder.glob(".incoming-*"))


async def test_a_file_over_the_size_limit_is_refused_before_downloading(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6002)
    async with casefile_bot(api, data_dir, evidence_max_bytes=10 * 1024):
        await user.start_case()
        refused = await user.send_refused_file("video du chantier.mp4", bytes(50_000), "video/mp4")
    assert "Ce fichier est trop lourd : 10 Ko au plus par fichier" in plain(
        refused.params["text"])
    assert api.calls("getFile") == []
    assert kept_files(data_dir, user.chat_id) == []
    [case] = account_json(data_dir, user.chat_id)["cases"]
    assert case["evidence"] == []


async def test_a_file_whose_size_was_not_announced_is_checked_on_its_bytes(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6003)
    big = b"%PDF-1.7 " + bytes(50_000)
    stored = api.register_file(big, mime_type="application/pdf", file_name="scan.pdf")
    # Telegram may leave sizes out: neither the message nor getFile says how big it is.
    api.on_method("getFile", lambda params, files: {
        "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
        "file_path": stored.file_path})
    async with casefile_bot(api, data_dir, evidence_max_bytes=10 * 1024):
        await user.start_case()
        mark = api.mark()
        person = {"id": user.chat_id, "is_bot": False, "first_name": "Camille"}
        api.enqueue({"message": {
            "message_id": 900_001, "date": int(NOW.timestamp()), "from": person,
            "chat": {"id": user.chat_id, "type": "private", "first_name": "Camille"},
            "document": {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                         "file_name": "scan.pdf", "mime_type": "application/pdf"}}})
        answer = await api.await_for("sendMessage", since=mark)
    assert len(api.calls("getFile")) == 1  # downloaded, then refused on its real size
    assert "trop lourd : 10 Ko au plus" in plain(answer.params["text"])
    assert kept_files(data_dir, user.chat_id) == []


async def test_a_program_is_refused_without_being_downloaded(api: FakeBotApi,
                                                             data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6004, language_code="en")
    async with casefile_bot(api, data_dir):
        first = await user.say("/start")
        await user.play([("jurisdiction", "press:fr")], first)
        refused = await user.send_refused_file("facture.pdf.exe", b"MZ" + bytes(100),
                                       "application/octet-stream")
        renamed = await user.send_refused_file("facture.pdf", b"MZ\x90\x00" + bytes(100),
                                       "application/pdf")
    assert "I don't keep \"facture.pdf.exe\": this kind of file can run a program" in (
        refused.params["text"])
    assert "I don't keep \"facture.pdf\"" in renamed.params["text"]
    assert len(api.calls("getFile")) == 1  # only the one whose name looked harmless
    assert kept_files(data_dir, user.chat_id) == []


async def test_a_zip_of_documents_is_kept_and_one_hiding_a_program_is_not(
        api: FakeBotApi, data_dir: Path) -> None:
    def zipped(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    user = FileSendingUser(api, chat_id=6005)
    good = zipped({"devis.pdf": PDF, "photo.jpg": PHOTO})
    bad = zipped({"devis.pdf": PDF, "lisez-moi.js": b"WScript.Echo(1)"})
    async with casefile_bot(api, data_dir):
        await user.start_case()
        kept = await user.send_file("pieces.zip", good, "application/zip")
        refused = await user.send_refused_file("autres.zip", bad, "application/zip")
    assert question_key(kept) == "evtag"
    assert "elle contient « lisez-moi.js »" in plain(refused.params["text"])
    assert [p.name for p in kept_files(data_dir, user.chat_id)] == [
        hashlib.sha256(good).hexdigest()]


async def test_a_file_sent_before_any_case_asks_to_open_one_and_keeps_nothing(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6006)
    async with casefile_bot(api, data_dir):
        answer = await user.send_refused_file("devis.pdf", PDF, "application/pdf")
    assert "ouvrez d'abord un dossier : /new" in answer.params["text"]
    assert api.calls("getFile") == []
    assert not (data_dir / "chats" / str(user.chat_id)).exists()


async def test_the_filing_buttons_carry_the_case_and_the_file(api: FakeBotApi,
                                                              data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6007)
    async with casefile_bot(api, data_dir):
        await user.start_case()
        asked = await user.send_file("devis.pdf", PDF, "application/pdf")
    [case] = account_json(data_dir, user.chat_id)["cases"]
    evidence_id = case["evidence"][0]["id"]
    data = [d for _, d in buttons(asked)]
    assert data[0] == f"{case['id']}:evtag:{evidence_id}.contract"
    assert all(len(d.encode()) <= 64 for d in data)


async def test_a_download_stops_at_20_mb_when_the_size_was_not_announced(
        api: FakeBotApi, data_dir: Path) -> None:
    user = FileSendingUser(api, chat_id=6009)
    huge = b"%PDF-1.7 " + bytes(120 * 1024 * 1024)
    async with casefile_bot(api, data_dir):
        await user.start_case()
        mark = api.mark()
        # Neither the message, getFile nor the download's headers say how big it is.
        api.send_document(user.chat_id, "scan.pdf", huge, "application/pdf",
                          announce_size=False)
        answer = await api.await_for("sendMessage", since=mark, timeout=60)
    assert "trop lourd : 20 Mo au plus" in plain(answer.params["text"])
    assert kept_files(data_dir, user.chat_id) == []
    [stored] = [f for f in api._files.values() if f.file_name == "scan.pdf"]
    # The bot stopped reading at Telegram's 20 MB. The fake server counts what the kernel took
    # from it, so the sockets' buffers come on top: on loopback they grow up to the largest
    # receive and send buffers the kernel allows (32 MB + 4 MB on Linux by default), and fill
    # up while a loaded machine is slow to close the connection.
    read_at_most = MAX_RESPONSE_BYTES + _largest_socket_buffers() + 1024 * 1024
    assert read_at_most < len(huge)  # else the file is too small to tell
    assert stored.served_bytes < read_at_most
