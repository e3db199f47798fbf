"""The journey in a terminal: numbered choices, documents written to files.

The documents and exports it shows are copies in the chat's scratch space (``Blobs.scratch``:
local files the storage hands out), for the user to open; the case keeps its own in the
storage, and ``/documents`` shows them again.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import TextIO

from bot import company_registry, export, rates
from bot.config import Settings
from bot.console_reminders import ConsoleReminders
from bot.evidence import EvidenceDesk
from bot.insolvency import alerts_for
from bot.service import Assistant, Document, DrawingFailed
from bot.storage import open_storage
from flows import followup
from flows.conversation import (
    EXPORT,
    Button,
    Command,
    CompanyLookup,
    Event,
    InsolvencyCheck,
    Press,
    Prompt,
    Reply,
    Role,
    Text,
)
from flows.evidence.screening import Policy
from flows.i18n import t

SEND = "/send "  # the console's way to send evidence: /send <path of a file>


def show(reply: Reply, out: TextIO) -> None:
    if reply.notice:
        print(f"({reply.notice})", file=out)
    for message in reply.messages:
        print(message, file=out)
        print(file=out)


def numbered(prompt: Prompt) -> list[Button]:
    """The choices a number can pick; going back is the /back command, never a number."""
    return [b for b in prompt.buttons if b.role is not Role.BACK]


def show_prompt(prompt: Prompt, lang: str, out: TextIO) -> None:
    print(f"❓ {prompt.text}", file=out)
    choices = numbered(prompt)
    for number, button in enumerate(choices, start=1):
        # Some labels already carry their number (the list of cases): don't print it twice.
        label = button.label.removeprefix(f"{number}. ")
        print(f"   • {label}" if prompt.numbers_are_answers else f"   {number}. {label}", file=out)
    hints = []
    if choices and prompt.numbers_are_answers:
        hints.append(t(lang, "console.type_value"))
    elif choices:
        hints.append(t(lang, "console.pick_or_type" if prompt.free_text else "console.pick_hint"))
    if prompt.several_lines:
        hints.append(t(lang, "console.several_lines"))
    if len(choices) < len(prompt.buttons):
        hints.append(t(lang, "console.back_hint"))
    if hints:
        print(f"({' · '.join(hints)})", file=out)


def event_for(line: str, prompt: Prompt | None) -> Event:
    text = line.strip()
    if text.startswith("/"):
        name, _, arg = text[1:].partition(" ")
        return Command(name.split("@")[0], arg)
    if (prompt and not prompt.numbers_are_answers and text.isdigit()
            and 1 <= int(text) <= len(numbered(prompt))):
        chosen = numbered(prompt)[int(text) - 1]
        return Press(prompt.case_id, prompt.key, chosen.value, chosen.role)
    return Text(line.rstrip("\n"))


def rest_of_block(stdin: TextIO) -> list[str]:
    """The lines after a block's first, up to the empty line (or the end of input) ending it."""
    lines = []
    for line in iter(stdin.readline, ""):
        if not line.strip():
            break
        lines.append(line.rstrip("\n"))
    return lines


def run(assistant: Assistant, chat_id: str, stdin: TextIO, out: TextIO,
        desk: EvidenceDesk | None = None, settings: Settings | None = None) -> int:
    """The chat in this terminal; ``settings`` names the outside sources to ask (none when
    not given)."""
    prompt: Prompt | None = None
    desk = desk or EvidenceDesk(assistant.storage, Policy(), assistant.clock)

    def present(reply: Reply) -> None:
        nonlocal prompt
        show(reply, out)
        # Documents drawn now, then documents drawn before and asked for again.
        try:
            documents = [r.document for r in assistant.render(chat_id, reply.documents)]
        except DrawingFailed:  # kept pending: /documents draws them again
            print(t(assistant.account(chat_id).lang, "documents_retry.failed"), file=out)
            documents = []
        documents += assistant.drawn(chat_id, reply.files)
        paths = copies(assistant, chat_id, documents)
        for path in paths:
            print(f"📄 {t(assistant.account(chat_id).lang, 'console.document')} {path}",
                  file=out)
        if paths:
            print(file=out)
        if reply.action == EXPORT:  # the case file's /export: zips beside the data
            for path in export.build(assistant.storage, chat_id, assistant.clock()):
                print(f"📦 {t(assistant.account(chat_id).lang, 'casefile.export.saved')} "
                      f"{path}", file=out)
            print(file=out)
        if reply.prompt is not None or reply.chosen is not None:
            prompt = reply.prompt
        if reply.prompt is not None:
            show_prompt(reply.prompt, assistant.account(chat_id).lang, out)
        if settings is not None:
            look_up(reply)

    def look_up(reply: Reply) -> None:
        """The company register while the user waits; the BODACC once the reply is shown
        (the console has no background: its alert comes before the next prompt)."""
        assert settings is not None
        for lookup in reply.lookups:
            if isinstance(lookup, CompanyLookup):
                found = assistant.handle(chat_id, company_registry.look_up(settings, lookup))
                if found is not None:
                    present(found)
        for lookup in reply.lookups:
            if isinstance(lookup, InsolvencyCheck):
                chat, alerts = alerts_for(settings, assistant, chat_id, lookup.case_id)
                if chat is not None:
                    assistant.save(chat)
                for alert in alerts:
                    present(alert)

    def ask() -> None:
        print("> ", end="", file=out, flush=True)

    # Reminders come from a timer thread while the user types: a turn and a delivery never
    # interleave (one lock), and the user is asked for input again after a reminder.
    lock = threading.Lock()
    reminders = ConsoleReminders(assistant, chat_id, present, lock,
                                 settings is not None and settings.clock_moves_by_jumps)
    event: Event | None = Command("start")
    try:
        while True:
            if event is not None:
                with lock:
                    reply = assistant.handle(chat_id, event)
                    if reply is not None:
                        present(reply)
            if reminders.idle():  # at start: what is due comes before the first prompt
                reminders.deliver_due()
                reminders.start(before=lambda: print(file=out), after=ask)
            with lock:
                ask()
            line = stdin.readline()
            if not line:
                print(file=out)
                return 0
            if not line.strip():
                event = None
                continue
            if line.startswith(SEND):  # a file on this computer, as Telegram users send theirs
                with lock:
                    event = desk.receive_local(chat_id,
                                               Path(line[len(SEND):].strip()).expanduser())
                continue
            with lock:
                event = event_for(line, prompt)
                several_lines = prompt is not None and prompt.several_lines
            # An answer in several lines is one answer, as one Telegram message is; a command
            # or a choice's number is taken at once.
            if isinstance(event, Text) and several_lines:
                event = Text("\n".join([event.text, *rest_of_block(stdin)]))
    finally:
        reminders.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot chat",
                                     description="The Impayés journey in this terminal.")
    parser.add_argument("--data-dir", help="where cases are kept (default: IMPAYES_DATA_DIR)")
    parser.add_argument("--user", default="console", help="which local user's cases to open")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    rates.load_overrides(Path(args.data_dir) if args.data_dir else settings.data_dir)
    # A folder named on the command line is that folder; otherwise the settings' storage.
    storage = (open_storage(args.data_dir) if args.data_dir
               else open_storage(settings.data_dir, settings.database_url))
    assistant = Assistant(storage, settings.now)
    storage.reminders.open(lambda account: followup.next_wakeup(account, settings.now()))
    desk = EvidenceDesk(storage, Policy(settings.evidence_max_bytes,
                                        settings.evidence_quota_bytes), settings.now)
    try:
        return run(assistant, args.user, sys.stdin, sys.stdout, desk, settings)
    except KeyboardInterrupt:
        print()
        return 130
    finally:
        storage.close()


def copies(assistant: Assistant, chat_id: str, documents: list[Document]) -> list[Path]:
    """The documents as files the user can open: copies in one scratch folder of the chat."""
    if not documents:
        return []
    folder = assistant.storage.blobs.scratch(chat_id, "documents")
    folder.mkdir()
    paths = []
    for document in documents:
        path = folder / document.name
        path.write_bytes(document.content)
        paths.append(path)
    return paths
