"""Read a PDF's text the way a person reading it would (pdftotext, spaces normalised)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            check=True, text=True)
    # Line breaks fall wherever the layout puts them: read the text as one flow of words.
    return re.sub(r"[\s\u00a0\u202f]+", " ", result.stdout)
