"""The README stays true: its diagram is the machine's, its commands exist."""

from __future__ import annotations

from pathlib import Path

from bot.__main__ import COMMANDS
from flows.diagram import readme_block

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_diagram_is_generated_from_the_current_machine() -> None:
    assert readme_block() in README, "run `make diagram` to refresh the README"


def test_readme_shows_the_two_commands_and_every_subcommand() -> None:
    assert "make run" in README
    assert "make test" in README
    for name in COMMANDS:
        assert f"python -m bot {name}" in README


def test_readme_transcript_reaches_the_demand_letter() -> None:
    assert "> 1 200,50 €" in README
    assert "mise_en_demeure_" in README
