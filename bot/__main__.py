"""Command line: ``python -m bot {chat,telegram,rights,documents}``."""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "chat": ("bot.console", "the unpaid-invoice journey in this terminal"),
    "telegram": ("bot.telegram_app", "the Telegram bot (polling, or --webhook-url)"),
    "rights": ("bot.cli_rights", "the rights for one invoice: interest, indemnity, deadlines"),
    "documents": ("bot.cli_documents", "render every document of a saved case"),
    "migrate": ("bot.migrate", "copy every chat to a PostgreSQL database or a data folder"),
    "rates": ("bot.rates", "fetch the ECB rate into the data folder (update), or show status"),
}


def usage() -> str:
    lines = ["usage: python -m bot COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<10} {text}" for name, (_, text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    result: int = module.main(rest)
    return result


if __name__ == "__main__":
    sys.exit(main())
