"""A plain `pip install .` carries the templates and data files the bot reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# One worker runs both tests (make test: --dist loadgroup), so the wheel is built once.
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` would install, built once for the tests below."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, timeout=300)
    return next(dist.glob("impayes-*.whl"))


def test_wheel_contains_templates_and_catalogs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("fr", "en"):
        assert f"flows/templates/{lang}/messages.toml" in names
        assert f"flows/templates/{lang}/documents/demand_letter.html" in names
    assert "flows/templates/common/letter.css" in names
    assert "bot/__main__.py" in names


def test_installed_wheel_runs_the_chat_outside_the_source_tree(wheel: Path,
                                                              tmp_path: Path) -> None:
    """What the Docker image does: a non-editable install, run from another folder."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1",
           "IMPAYES_DATA_DIR": str(tmp_path / "d")}
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input="/help\n", cwd=elsewhere,
                            capture_output=True, text=True, env=env, timeout=120, check=True)
    assert "Impayés vous aide à vous faire payer une facture." in result.stdout
    assert "Où êtes-vous établi" in result.stdout
