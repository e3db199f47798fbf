"""A plain `pip install .` carries the templates and data files the bot reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_templates_and_catalogs(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, timeout=300)
    wheel = next(tmp_path.glob("impayes-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("fr", "en"):
        assert f"flows/templates/{lang}/messages.toml" in names
        assert f"flows/templates/{lang}/documents/demand_letter.html" in names
    assert "flows/templates/common/letter.css" in names
    assert "bot/__main__.py" in names
