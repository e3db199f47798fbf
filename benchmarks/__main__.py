"""``python -m benchmarks [--quick] [--only NAME …] [--markdown]``: print every figure.

Sections run one after the other (each starts its own fake Bot API and bot processes) and the
table is printed at the end; ``--markdown`` prints it as docs/performance.md's table.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable

from benchmarks import crash, hardening, postgres, render, startup, steps, storage
from benchmarks.report import Report, machine

SECTIONS: dict[str, Callable[[Report, bool], None]] = {
    "steps": steps.step_cost,
    "load": steps.throughput,
    "render": render.render,
    "storage": storage.saving,
    "startup": startup.startup,
    "crash": crash.crash,
    "hardening": hardening.hardening,
    "postgres": postgres.postgres,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds and users: about 2½ minutes, rougher figures")
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), metavar="NAME",
                        help=f"run only these sections ({', '.join(SECTIONS)})")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    # Stopped from outside: unwind, so that every bot process started is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = Report()
    started = time.perf_counter()
    print(f"Impayés benchmarks on {machine()}{' (quick)' if args.quick else ''}", flush=True)
    for name, section in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        print(f"\n[{name}]", flush=True)
        section(report, args.quick)
    print(f"\nAll figures ({time.perf_counter() - started:.0f} s):\n")
    print(report.markdown() if args.markdown else report.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
