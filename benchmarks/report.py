"""The table ``make bench`` prints: one row per figure, ours next to its reference."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    section: str
    figure: str
    ours: str
    reference: str = ""  # the floor or the tool alone, measured in the same run
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, section: str, figure: str, ours: str, reference: str = "",
            note: str = "") -> None:
        self.rows.append(Row(section, figure, ours, reference, note))
        print(f"  {figure}: {ours}" + (f"  (reference {reference})" if reference else "")
              + (f"  — {note}" if note else ""), flush=True)

    def markdown(self) -> str:
        lines = ["| | figure | Impayés | reference | |", "|---|---|---:|---:|---|"]
        section = None
        for row in self.rows:
            shown = row.section if row.section != section else ""
            section = row.section
            lines.append(f"| {shown} | {row.figure} | {row.ours} | {row.reference} "
                         f"| {row.note} |")
        return "\n".join(lines)

    def text(self) -> str:
        widths = [max(len(getattr(r, name)) for r in self.rows) if self.rows else 0
                  for name in ("section", "figure", "ours", "reference")]
        out = []
        section = None
        for row in self.rows:
            shown = row.section if row.section != section else ""
            section = row.section
            out.append(f"{shown:<{widths[0]}}  {row.figure:<{widths[1]}}  "
                       f"{row.ours:>{widths[2]}}  {row.reference:>{widths[3]}}  {row.note}")
        return "\n".join(out)


def machine() -> str:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh
                          if line.startswith("model name")), platform.processor())
    except OSError:
        model = platform.processor()

    return (f"{os.cpu_count()} CPU ({model}), Python {sys.version.split()[0]}, "
            f"{platform.system()} {platform.release()}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"
