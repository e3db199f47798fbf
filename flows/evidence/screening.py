"""Screening the files a user sends: which are kept, which are refused, and why.

Screening is decided here and applied twice by the adapter: on what Telegram announces (name,
type, size) before anything is downloaded, then on the bytes themselves, since a name or a
size can lie. A file is refused when it is too big, when the user's space is full, or when it
could run code: an executable or a script (by name, announced type or first bytes), an Office
file with macros (Office Open XML, or the older .doc/.xls/.ppt read with olefile), a PDF with
JavaScript or a launch action, or an archive holding any of these.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

import olefile

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
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#_.+-]+)")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_MAX_INFLATED = 64 * MB  # what the object streams of one PDF may hold once inflated


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
                   held: int = 0) -> Refusal | None:
    """The downloaded bytes, checked again: their real size, what they start with, and what
    an archive (or an Office file, which is one) holds. ``content`` must be seekable."""
    content.seek(0, io.SEEK_END)
    size = content.tell()
    content.seek(0)
    if size == 0:
        return Refusal("empty")
    refusal = screen(name, mime_type, size, policy, held)
    if refusal:
        return refusal
    head = content.read(8)
    content.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        return Refusal("dangerous", clean_name(name))
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(content, policy, depth=1)
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(name, content)
    if b"%PDF-" in content.read(1024):  # the header may follow up to 1 kB of other bytes
        content.seek(0)
        return _inspect_pdf(name, content.read())
    content.seek(0)
    return None


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


def _inspect_pdf(name: str, data: bytes) -> Refusal | None:
    """A PDF: refused if an object names JavaScript or a launch action, whether in the file's
    plain objects or in the compressed object streams where PDF 1.5+ keeps most of them. The
    contents of other streams (images, fonts, page drawings) are never read as objects: random
    bytes of a scan would spell ``/JS`` now and then. An object stream that cannot be decoded
    makes the file unreadable, not harmless."""
    plain, budget, at = [], PDF_MAX_INFLATED, 0
    for found in _PDF_STREAM.finditer(data):
        if found.start() < at or data[found.start() - 3:found.start()] == b"end":
            continue  # inside a stream already skipped, or the end of one
        end = data.find(b"endstream", found.end())
        end = len(data) if end < 0 else end
        dictionary = data[data.rfind(b"obj", at, found.start()) + 3:found.start()]
        plain.append(data[at:found.start()])
        at = end
        names = _pdf_names(dictionary)
        if b"ObjStm" not in names:
            continue
        filters = [n for n in names if n.endswith(b"Decode")]
        body = data[found.end():end]
        if filters == [b"FlateDecode"]:
            inflater = zlib.decompressobj()
            try:
                body = inflater.decompress(body, budget)
            except zlib.error:
                return Refusal("unreadable")
        elif filters:
            return Refusal("unreadable")  # a chain of filters we do not undo: cannot tell
        budget -= len(body)
        if budget <= 0:
            return Refusal("unreadable")
        if _pdf_names(body) & PDF_ACTIVE_NAMES:
            return Refusal("pdf_active", clean_name(name))
    plain.append(data[at:])
    if _pdf_names(b"".join(plain)) & PDF_ACTIVE_NAMES:
        return Refusal("pdf_active", clean_name(name))
    return None


def _pdf_names(data: bytes) -> set[bytes]:
    """Every name (``/Something``) in ``data``, with ``#xx`` escapes undone (/J#61vaScript
    is /JavaScript)."""
    names = set()
    for found in _PDF_NAME.finditer(data):
        token = found.group(1)
        if b"#" in token:
            token = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), token)
        names.add(token)
    return names


def _inspect_zip(content: IO[bytes], policy: Policy, depth: int) -> Refusal | None:
    """Look inside a zip (or a .docx, .xlsx, .odt…) without unpacking it to disk."""
    try:
        with zipfile.ZipFile(content) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if (len(members) > policy.max_members
                    or sum(m.file_size for m in members) > policy.max_unpacked):
                return Refusal("archive_bomb")
            for member in members:
                refusal = _inspect_member(archive, member, policy, depth)
                if refusal:
                    return refusal
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError, zlib.error):
        # Corrupt, an unsupported compression, or a password: we cannot tell what is inside.
        return Refusal("unreadable")
    return None


def _inspect_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, policy: Policy,
                    depth: int) -> Refusal | None:
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
        # The declared size bounds what zipfile will inflate, and the total was checked.
        inner = io.BytesIO(archive.read(member))
        found = (_inspect_ole(shown, inner) if head.startswith(OLE_MAGIC)
                 else _inspect_pdf(shown, inner.getvalue()))
        if found is not None and found.code in ("dangerous", "pdf_active"):
            return Refusal("archive_dangerous", shown)
        if found is not None:
            return found
    if head.startswith(ZIP_MAGIC):
        if depth >= policy.max_depth:
            return Refusal("archive_bomb")
        # The declared size bounds what zipfile will inflate, and the total was checked.
        return _inspect_zip(io.BytesIO(archive.read(member)), policy, depth + 1)
    return None
