"""Screening the files a user sends: which are kept, which are refused, and why.

Screening is decided here and applied twice by the adapter: on what Telegram announces (name,
type, size) before anything is downloaded, then on the bytes themselves, since a name or a
size can lie. A file is refused when it is too big, when the user's space is full, or when it
could run code: an executable or a script (by name, announced type or first bytes), an Office
file with macros (Office Open XML, or the older .doc/.xls/.ppt read with olefile), a PDF with
JavaScript or a launch action, or an archive holding any of these; and when it hides one file
behind another (a zip found by its end record after other bytes, anything after a PDF's end),
or would cost more to check than its budget (``flows.evidence.budget``).

What is not screened: viruses inside ordinary documents and images (no antivirus runs here),
exploits of a PDF reader's or an image decoder's bugs, Excel 4 and PowerPoint 97 macros kept
inside the document's own stream, and archives other than zip (refused, not opened).
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

import olefile

from flows.evidence import pdf_objects
from flows.evidence.budget import Budget, OverBudget

MB = 1024 * 1024

# Telegram lets a bot download files up to 20 MB with getFile.
DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_QUOTA_BYTES = 200 * MB


@dataclass(frozen=True)
class Policy:
    """Limits on what the locker accepts (the operator may change the first two)."""

    max_bytes: int = DEFAULT_MAX_BYTES  # one file
    quota_bytes: int = DEFAULT_QUOTA_BYTES  # everything one user keeps, every case together
    max_members: int = 2000  # files inside one archive
    max_unpacked: int = 10 * DEFAULT_MAX_BYTES  # an archive's content once unpacked
    max_ratio: int = 200  # unpacked/packed for one member: beyond, it is a zip bomb
    max_depth: int = 3  # archives inside archives


@dataclass(frozen=True)
class Refusal:
    """Why a file is not kept: ``code`` names the message, ``detail`` fills it in."""

    code: str
    detail: str = ""


# Names and types that run code when opened. Double extensions are caught by looking at the
# last one only (``facture.pdf.exe`` is an .exe; ``facture.exe.pdf`` is a PDF).
DANGEROUS_EXTENSIONS = frozenset({
    # Windows programs, installers, libraries, shortcuts and scripts
    "exe", "com", "scr", "pif", "bat", "cmd", "msi", "msp", "mst", "msix", "msixbundle",
    "appx", "appxbundle", "dll", "sys", "drv", "ocx", "cpl", "inf", "reg", "lnk", "scf",
    "url", "hta", "chm", "gadget", "application", "js", "jse", "vb", "vbs", "vbe", "wsf",
    "wsh", "ws", "wsc", "ps1", "ps1xml", "ps2", "psm1", "psd1", "msc", "xll", "iqy", "slk",
    # Unix, macOS, Android, Java and interpreted scripts
    "sh", "bash", "zsh", "csh", "ksh", "fish", "command", "run", "bin", "elf", "so",
    "dylib", "app", "pkg", "dmg", "apk", "aab", "xapk", "ipa", "deb", "rpm", "snap",
    "flatpak", "appimage", "jar", "class", "jnlp", "py", "pyc", "pyo", "pyw", "pyz", "pl",
    "rb", "php", "phar", "lua", "desktop", "workflow", "action", "scpt", "applescript",
    # Office documents with macros
    "docm", "dotm", "xlsm", "xltm", "xlsb", "xlam", "pptm", "potm", "ppsm", "ppam", "sldm",
})
# Archives we cannot look into: refused, since they might hide any of the above.
OPAQUE_ARCHIVES = frozenset({
    "rar", "7z", "tar", "gz", "tgz", "bz2", "tbz", "tbz2", "xz", "txz", "zst", "lz", "lzma",
    "z", "cab", "arj", "lzh", "ace", "iso", "img", "vhd", "vhdx", "wim", "cpio", "sit", "sitx",
})
DANGEROUS_TYPES = frozenset({
    "application/x-msdownload", "application/x-msdos-program", "application/x-dosexec",
    "application/x-executable", "application/x-elf", "application/x-mach-binary",
    "application/x-sharedlib", "application/vnd.microsoft.portable-executable",
    "application/x-ms-installer", "application/x-msi", "application/x-ms-shortcut",
    "application/x-sh", "application/x-shellscript", "text/x-shellscript", "text/x-sh",
    "application/x-bat", "application/x-csh", "application/x-python-code", "text/x-python",
    "text/x-script.python", "application/x-perl", "text/x-perl", "application/x-php",
    "application/javascript", "text/javascript", "application/x-javascript",
    "application/java-archive", "application/x-java-archive", "application/x-java-jnlp-file",
    "application/vnd.android.package-archive", "application/x-apple-diskimage",
    "application/hta", "application/x-hta", "application/vnd.ms-word.document.macroenabled.12",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.ms-powerpoint.presentation.macroenabled.12",
})
# First bytes of programs whatever their name: Windows PE/DOS, ELF, Mach-O (thin and fat,
# which Java class files share), and scripts with an interpreter line.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
                    b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with files, an empty zip
# Macros inside Office Open XML files, whatever the extension says.
MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")
# Older Office files (.doc, .xls, .ppt) are OLE compound files; their macros live in storages
# with these names (Word: Macros, Excel: _VBA_PROJECT_CUR, both holding a VBA storage).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_MACRO_STORAGES = frozenset({"macros", "_vba_project_cur", "_vba_project", "vba"})
# PDF actions that run something when the file is opened or clicked (as pdfid counts them).
# Embedded files are allowed: a Factur-X invoice carries its XML that way.
PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"RichMedia"})
# A zip is found by its end-of-central-directory record, as unzip tools find it: at the very
# end of the file, after at most a 64 KB comment; whatever comes before the zip is not looked at
# by them, so a zip glued after other bytes is still a zip.
_ZIP_END = b"PK\x05\x06"
_ZIP_END_SIZE = 22
_PDF_END = b"%%EOF"
_PDF_BLANKS = b"\x00\t\n\x0c\r "


# Names ------------------------------------------------------------------------------------
def clean_name(name: str, fallback: str = "file") -> str:
    """The name as the user gave it, made safe to show and to store: no folders, no control
    characters, not absurdly long (the extension is kept)."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    if not base:
        return fallback
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:110] + dot + ext[:9]) if dot and len(ext) <= 9 else base[:120]
    return base


def extension(name: str) -> str:
    """The last extension, lower case; Windows ignores trailing dots and spaces, so do we."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].rstrip(" .")
    return base.rpartition(".")[2].lower() if "." in base else ""


def _dangerous_name(name: str) -> bool:
    return extension(name) in DANGEROUS_EXTENSIONS


# Screening --------------------------------------------------------------------------------
def screen(name: str, mime_type: str, size: int | None, policy: Policy,
           held: int = 0) -> Refusal | None:
    """What Telegram announces about a file, checked before downloading it.

    ``size`` is None when Telegram did not say; ``held`` is what the user already keeps.
    """
    if size is not None:
        refusal = _screen_size(size, policy, held)
        if refusal:
            return refusal
    if _dangerous_name(name) or mime_type.lower().split(";")[0].strip() in DANGEROUS_TYPES:
        return Refusal("dangerous", clean_name(name))
    if extension(name) in OPAQUE_ARCHIVES:
        return Refusal("archive_unsupported", clean_name(name))
    return None


def _screen_size(size: int, policy: Policy, held: int) -> Refusal | None:
    if size > policy.max_bytes:
        return Refusal("too_big", str(policy.max_bytes))
    if held + size > policy.quota_bytes:
        return Refusal("quota", str(policy.quota_bytes))
    return None


def screen_content(name: str, mime_type: str, content: IO[bytes], policy: Policy,
                   held: int = 0, budget: Budget | None = None) -> Refusal | None:
    """The downloaded bytes, checked again: their real size, what they start with, and what
    an archive (or an Office file, which is one) holds. ``content`` must be seekable. The
    checks of one upload share ``budget``: past it, the file is refused as too complex."""
    content.seek(0, io.SEEK_END)
    size = content.tell()
    content.seek(0)
    if size == 0:
        return Refusal("empty")
    refusal = screen(name, mime_type, size, policy, held)
    if refusal:
        return refusal
    try:
        return _screen_bytes(name, content, size, policy, budget or Budget())
    except OverBudget:
        return Refusal("too_complex")
    finally:
        content.seek(0)


def _screen_bytes(name: str, content: IO[bytes], size: int, policy: Policy,
                  budget: Budget) -> Refusal | None:
    head = content.read(8)
    content.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        return Refusal("dangerous", clean_name(name))
    if _ends_with_zip(content, size):
        refusal = _inspect_zip(content, policy, 1, budget)
        if refusal is None and not head.startswith(ZIP_MAGIC):
            return Refusal("glued", clean_name(name))  # other bytes, then a zip
        return refusal
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(content, policy, 1, budget)  # no end record: unreadable
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(name, content)
    if b"%PDF-" in content.read(1024):  # the header may follow up to 1 kB of other bytes
        content.seek(0)
        return _inspect_pdf(name, content.read(), budget)
    return None


def _ends_with_zip(content: IO[bytes], size: int) -> bool:
    """Whether the file ends with a zip's end record (its comment reaching the last byte)."""
    start = max(0, size - _ZIP_END_SIZE - 0xFFFF)
    content.seek(start)
    tail = content.read()
    content.seek(0)
    at = tail.rfind(_ZIP_END)
    while at >= 0:
        if len(tail) - at >= _ZIP_END_SIZE:
            (comment,) = struct.unpack_from("<H", tail, at + 20)
            if at + _ZIP_END_SIZE + comment == len(tail):
                return True
        at = tail.rfind(_ZIP_END, 0, at)
    return False


def _inspect_ole(name: str, content: IO[bytes]) -> Refusal | None:
    """An old Office file: refused if it holds VBA macro storages, or if it is an encrypted
    Office file (its macros, if any, cannot be seen). Excel 4 and PowerPoint 97 macros, kept
    inside the document's own stream, are not detected."""
    try:
        with olefile.OleFileIO(content) as ole:
            paths = ole.listdir(streams=True, storages=True)
    except Exception:  # olefile raises many kinds of error on a broken file
        return Refusal("unreadable")
    finally:
        content.seek(0)
    parts = {part.lower() for path in paths for part in path}
    if parts & OLE_MACRO_STORAGES:
        return Refusal("dangerous", clean_name(name))
    if "encryptedpackage" in parts:
        return Refusal("unreadable")
    return None


def _inspect_pdf(name: str, data: bytes, budget: Budget) -> Refusal | None:
    """A PDF: refused if an object names JavaScript or a launch action, whether in the file's
    plain objects or in the compressed object streams where PDF 1.5+ keeps most of them (read
    as a reader tokenizes them, ``flows.evidence.pdf_objects``), or if anything but blanks
    follows its last ``%%EOF`` (a file glued behind it). An object stream that cannot be
    decoded makes the file unreadable, not harmless."""
    try:
        names = pdf_objects.names(data, budget)
    except pdf_objects.Unreadable:
        return Refusal("unreadable")
    if names & PDF_ACTIVE_NAMES:
        return Refusal("pdf_active", clean_name(name))
    end = data.rfind(_PDF_END)
    if end >= 0 and data[end + len(_PDF_END):].strip(_PDF_BLANKS):
        return Refusal("glued", clean_name(name))
    return None


def _inspect_zip(content: IO[bytes], policy: Policy, depth: int,
                 budget: Budget) -> Refusal | None:
    """Look inside a zip (or a .docx, .xlsx, .odt…) without unpacking it to disk."""
    try:
        with zipfile.ZipFile(content) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if (len(members) > policy.max_members
                    or sum(m.file_size for m in members) > policy.max_unpacked):
                return Refusal("archive_bomb")
            for member in members:
                budget.tick()
                refusal = _inspect_member(archive, member, policy, depth, budget)
                if refusal:
                    return refusal
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError, zlib.error):
        # Corrupt, an unsupported compression, or a password: we cannot tell what is inside.
        return Refusal("unreadable")
    return None


def _inspect_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, policy: Policy,
                    depth: int, budget: Budget) -> Refusal | None:
    shown = clean_name(member.filename)
    if member.flag_bits & 0x1:
        return Refusal("archive_locked", shown)
    if _dangerous_name(member.filename) or shown.lower() in MACRO_MEMBERS:
        return Refusal("archive_dangerous", shown)
    if extension(member.filename) in OPAQUE_ARCHIVES:
        return Refusal("archive_unsupported", shown)
    if member.file_size > MB and member.file_size > policy.max_ratio * max(
            member.compress_size, 1):
        return Refusal("archive_bomb")
    with archive.open(member) as stream:
        head = stream.read(1024)
    if head.startswith(EXECUTABLE_MAGIC):
        return Refusal("archive_dangerous", shown)
    if head.startswith(OLE_MAGIC) or b"%PDF-" in head:
        # The declared size bounds what zipfile will inflate: counted before it is read.
        budget.spend(member.file_size)
        inner = io.BytesIO(archive.read(member))
        found = (_inspect_ole(shown, inner) if head.startswith(OLE_MAGIC)
                 else _inspect_pdf(shown, inner.getvalue(), budget))
        if found is not None and found.code in ("dangerous", "pdf_active"):
            return Refusal("archive_dangerous", shown)
        if found is not None:
            return found
    if head.startswith(ZIP_MAGIC):
        if depth >= policy.max_depth:
            return Refusal("archive_bomb")
        budget.spend(member.file_size)
        return _inspect_zip(io.BytesIO(archive.read(member)), policy, depth + 1, budget)
    return None
