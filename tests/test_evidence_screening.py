"""What the evidence locker accepts and refuses, on what Telegram announces and on the bytes."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.config import Settings
from flows.evidence.screening import MB, Policy, Refusal, clean_name, screen, screen_content

POLICY = Policy()
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03" + bytes(300)
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01" + bytes(300)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def password_protected(data: bytes) -> bytes:
    """The same zip with every entry flagged as encrypted (bit 0 of the general flags)."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = patched.find(signature)
        while start != -1:
            patched[start + offset] |= 0x1
            start = patched.find(signature, start + 4)
    return bytes(patched)


def verdict(name: str, data: bytes, mime: str = "application/octet-stream",
            policy: Policy = POLICY, held: int = 0) -> Refusal | None:
    return screen_content(name, mime, io.BytesIO(data), policy, held)


# Before downloading: what Telegram announces ---------------------------------------------------
@pytest.mark.parametrize(("name", "mime", "code"), [
    ("facture.exe", "application/octet-stream", "dangerous"),
    ("FACTURE.PDF.EXE", "application/pdf", "dangerous"),
    ("relance.bat", "text/plain", "dangerous"),
    ("script.ps1", "text/plain", "dangerous"),
    ("install.sh", "text/plain", "dangerous"),
    ("app.apk", "application/zip", "dangerous"),
    ("devis.docm", "application/octet-stream", "dangerous"),
    ("evil.exe. ", "application/octet-stream", "dangerous"),  # Windows drops the trailing dot
    ("photo.jpg", "application/x-msdownload", "dangerous"),
    ("notes.txt", "text/x-shellscript", "dangerous"),
    ("pieces.rar", "application/vnd.rar", "archive_unsupported"),
    ("pieces.7z", "application/x-7z-compressed", "archive_unsupported"),
    ("pieces.tar.gz", "application/gzip", "archive_unsupported"),
])
def test_dangerous_or_opaque_files_are_refused_before_any_download(name: str, mime: str,
                                                                   code: str) -> None:
    refusal = screen(name, mime, 1000, POLICY)
    assert refusal is not None
    assert refusal.code == code


@pytest.mark.parametrize(("name", "mime"), [
    ("devis signé.pdf", "application/pdf"), ("facture.exe.pdf", "application/pdf"),
    ("photo.jpg", "image/jpeg"), ("capture.PNG", "image/png"), ("mail.eml", "message/rfc822"),
    ("contrat.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("relevé.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("message vocal.ogg", "audio/ogg"), ("pieces.zip", "application/zip"),
])
def test_ordinary_evidence_passes_the_first_screening(name: str, mime: str) -> None:
    assert screen(name, mime, 5 * MB, POLICY) is None


def test_a_file_over_the_limit_is_refused_with_the_limit_to_show() -> None:
    assert screen("video.mp4", "video/mp4", 20 * MB + 1, POLICY) == Refusal("too_big",
                                                                            str(20 * MB))
    assert screen("video.mp4", "video/mp4", 20 * MB, POLICY) is None
    small = Policy(max_bytes=1000)
    assert screen("scan.pdf", "application/pdf", 1001, small) == Refusal("too_big", "1000")


def test_a_file_that_would_overflow_the_users_space_is_refused() -> None:
    policy = Policy(quota_bytes=10 * MB)
    assert screen("scan.pdf", "application/pdf", 2 * MB, policy, held=9 * MB) == Refusal(
        "quota", str(10 * MB))
    assert screen("scan.pdf", "application/pdf", MB, policy, held=9 * MB) is None


def test_unknown_size_is_left_to_the_check_on_the_bytes() -> None:
    assert screen("scan.pdf", "application/pdf", None, POLICY) is None
    assert verdict("scan.pdf", bytes(2000), policy=Policy(max_bytes=1000)) == Refusal(
        "too_big", "1000")


# On the bytes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "data"), [
    ("facture.pdf", WINDOWS_PROGRAM), ("photo.jpg", LINUX_PROGRAM),
    ("notes.txt", b"#!/bin/sh\nrm -rf ~\n"), ("image.png", b"\xcf\xfa\xed\xfe" + bytes(64)),
])
def test_a_program_renamed_as_a_document_is_refused_on_its_bytes(name: str, data: bytes) -> None:
    assert verdict(name, data) == Refusal("dangerous", name)


def test_ordinary_documents_pass_the_check_on_the_bytes() -> None:
    assert verdict("devis.pdf", PDF, "application/pdf") is None
    assert verdict("photo.jpg", JPEG, "image/jpeg") is None


def test_an_empty_file_is_refused() -> None:
    assert verdict("vide.pdf", b"") == Refusal("empty")


def test_a_zip_of_scans_is_accepted() -> None:
    data = zipped({"scans/devis.pdf": PDF, "scans/livraison.jpg": JPEG, "scans/": b""})
    assert verdict("pieces.zip", data, "application/zip") is None


def test_a_zip_holding_a_program_is_refused_naming_the_program() -> None:
    data = zipped({"devis.pdf": PDF, "outils/setup.exe": b"anything"})
    assert verdict("pieces.zip", data) == Refusal("archive_dangerous", "setup.exe")


def test_a_zip_holding_a_renamed_program_is_refused() -> None:
    data = zipped({"devis.pdf": PDF, "facture.pdf": WINDOWS_PROGRAM})
    assert verdict("pieces.zip", data) == Refusal("archive_dangerous", "facture.pdf")


def test_a_program_hidden_in_a_zip_inside_a_zip_is_found() -> None:
    inner = zipped({"lisezmoi.txt": b"hello", "run.vbs": b"MsgBox 1"})
    data = zipped({"devis.pdf": PDF, "plus.zip": inner})
    assert verdict("pieces.zip", data) == Refusal("archive_dangerous", "run.vbs")


def test_archives_nested_too_deep_are_refused() -> None:
    data = zipped({"devis.pdf": PDF})
    for level in range(4):
        data = zipped({f"niveau{level}.zip": data})
    assert verdict("pieces.zip", data) == Refusal("archive_bomb")


def test_a_password_protected_zip_cannot_be_checked_and_is_refused() -> None:
    data = password_protected(zipped({"devis.pdf": PDF}))
    assert verdict("pieces.zip", data) == Refusal("archive_locked", "devis.pdf")


def test_a_zip_bomb_is_refused_without_being_unpacked() -> None:
    data = zipped({"zeros.txt": bytes(30 * MB)})
    assert len(data) < MB
    assert verdict("pieces.zip", data) == Refusal("archive_bomb")


def test_a_zip_with_thousands_of_files_is_refused() -> None:
    data = zipped({f"f{n}.txt": b"x" for n in range(POLICY.max_members + 1)})
    assert verdict("pieces.zip", data) == Refusal("archive_bomb")


def test_a_rar_inside_a_zip_is_refused_since_it_cannot_be_opened() -> None:
    data = zipped({"devis.pdf": PDF, "reste.rar": b"Rar!\x1a\x07\x00"})
    assert verdict("pieces.zip", data) == Refusal("archive_unsupported", "reste.rar")


def test_a_damaged_zip_is_refused_as_unreadable() -> None:
    data = zipped({"devis.pdf": PDF * 50})
    assert verdict("pieces.zip", data[: len(data) // 2]) == Refusal("unreadable")


def test_a_word_document_with_macros_is_refused_whatever_its_extension() -> None:
    docx = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    assert verdict("contrat.docx", zipped(docx)) is None
    with_macros = zipped({**docx, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert verdict("contrat.docx", with_macros) == Refusal("archive_dangerous", "vbaProject.bin")


# Names -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "clean"), [
    ("devis signé.pdf", "devis signé.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\jeanne\\Bureau\\facture.pdf", "facture.pdf"),
    ("bad\x00name\x1b.pdf", "badname.pdf"),
    ("...", "file"),
    ("", "file"),
    ("x" * 300 + ".pdf", "x" * 110 + ".pdf"),
])
def test_file_names_are_kept_as_sent_but_never_as_paths(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_the_operator_sets_the_limits_in_megabytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPAYES_EVIDENCE_MAX_MB", "0,5")
    monkeypatch.setenv("IMPAYES_EVIDENCE_QUOTA_MB", "50")
    settings = Settings.from_env()
    assert settings.evidence_max_bytes == 512 * 1024
    assert settings.evidence_quota_bytes == 50 * MB
    monkeypatch.setenv("IMPAYES_EVIDENCE_MAX_MB", "beaucoup")
    with pytest.raises(SystemExit, match="IMPAYES_EVIDENCE_MAX_MB must be a number"):
        Settings.from_env()


def test_by_default_a_file_may_be_as_large_as_telegram_lets_a_bot_download(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMPAYES_EVIDENCE_MAX_MB", raising=False)
    assert Settings.from_env().evidence_max_bytes == 20 * MB
