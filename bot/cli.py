"""What the operator commands (``python -m bot rights``, ``python -m bot documents``) share:
a bad argument or unusable input is one line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import NoReturn

EXIT_USAGE = 2  # argparse's convention for bad arguments
EXIT_INPUT = 1  # arguments well-formed, but the input cannot be used


class UsageError(Exception):
    """A bad command-line argument, reported as one line."""


class InputError(Exception):
    """Arguments well-formed, input unusable (contradictory facts, a case that is not one);
    the message says why, in one line."""


class Parser(argparse.ArgumentParser):
    """argparse, raising instead of printing its usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def run(name: str, parser: argparse.ArgumentParser, argv: list[str],
        command: Callable[[argparse.Namespace], str]) -> int:
    """Parse ``argv``, run ``command`` and print what it returns; errors become one line."""
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        output = command(args)
    except InputError as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    try:
        print(output)
    except BrokenPipeError:  # piped into `head`: not an error worth a traceback
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
    return 0
