"""The case file in the console chat: a local file sent with /send, then /evidence and /export."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from testing.console import run_console, typed_lines
from testing.driver import FRENCH_BUSINESS_CASE


def test_console_keeps_a_local_file_and_exports_it(data_dir: Path, tmp_path: Path) -> None:
    devis = tmp_path / "devis signé.pdf"
    devis.write_bytes(b"%PDF-1.7 devis " * 50)
    program = tmp_path / "outil.exe"
    program.write_bytes(b"MZ" + bytes(50))
    lines = typed_lines(FRENCH_BUSINESS_CASE)
    upto = [key for key, _ in FRENCH_BUSINESS_CASE].index("ev_contract")
    output = run_console(data_dir, [*lines[:upto], f"/send {devis}", "1", f"/send {program}",
                                    "/evidence", "/export"])
    digest = hashlib.sha256(devis.read_bytes()).hexdigest()
    assert f"Empreinte (SHA-256) : {digest}" in output
    assert "« devis signé.pdf » classé dans : Devis / contrat." in output
    assert "Je ne garde pas « outil.exe »" in output
    assert "📎 devis signé.pdf · 750 octets · 23/11/2026" in output
    [zip_path] = re.findall(r"📦 Export enregistré : (\S+\.zip)", output)
    with zipfile.ZipFile(zip_path) as archive:
        [kept] = [n for n in archive.namelist() if n.endswith("/evidence/01_devis signé.pdf")]
        assert archive.read(kept) == devis.read_bytes()
