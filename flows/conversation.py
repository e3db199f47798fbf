"""The seam between the brain and the adapters: what the user did, what the bot answers.

An adapter turns a Telegram update or a terminal line into an *event*, calls
``flows.turn.turn`` and shows the ``Reply``: messages, then the next question with its
choices, then documents once rendered. No conversation logic lives on the other side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """What pressing a button does besides giving its value as the answer: go back, keep the
    current answer, type a number not on the list, compare the remedies, take the answer
    proposed, or see the details."""

    ANSWER = "answer"
    BACK = "back"
    KEEP = "keep"
    OTHER_NUMBER = "other_number"
    COMPARE = "compare"
    PROPOSED = "proposed"  # take the answer read from an invoice or looked up (flows.proposals)
    DETAILS = "details"  # the rights in full, under their short card
    TRANSLATION = "translation"  # the letters in the chat's language, for the user to read


# Events -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """The user typed something."""

    text: str


@dataclass(frozen=True)
class Press:
    """The user pressed a choice; it names the case and question it was offered for."""

    case_id: str
    key: str
    value: str
    role: Role = Role.ANSWER


@dataclass(frozen=True)
class Command:
    """A slash command such as ``/new`` (``arg`` is what followed it)."""

    name: str
    arg: str = ""


@dataclass(frozen=True)
class Reading:
    """What the adapter read in a file that may be the case's invoice (``flows.invoice_reading``):
    how (``method``: Factur-X data, a PDF's text, a photo's text), and what."""

    method: str
    text: str = ""  # the text layer, or what OCR read
    fields: dict[str, Any] = field(default_factory=dict)  # Factur-X: EN 16931 business terms


@dataclass(frozen=True)
class Upload:
    """The user sent a file or a photo for the case file (``flows.casefile``).

    The adapter screens it first (``flows.evidence.screening``), then downloads it, screens the
    bytes and keeps them in the case folder; ``refused`` then holds a refusal code (nothing
    was kept) and ``detail`` what it is about (a size limit, a file inside an archive).
    """

    case_id: str
    file_name: str
    mime_type: str
    size: int
    sha256: str = ""
    stored_as: str = ""  # path relative to the case folder, e.g. ``evidence/<sha256>``
    caption: str = ""
    refused: str = ""
    detail: str = ""
    reading: Reading | None = None  # what the file says, read when it may be the invoice


@dataclass(frozen=True)
class CompanyFound:
    """What the company register answered about a number the user typed (``CompanyLookup``):
    its ``/search`` answer as JSON, or why there is none (``flows.company``)."""

    case_id: str
    number: str
    answer: dict[str, Any] | None = None
    failure: str = ""  # UNAVAILABLE (slow, failing, offline) or LOOKUPS_OFF


Event = Text | Press | Command | Upload | CompanyFound

# Why a look-up gave nothing: the source did not answer in time or at all, or the operator
# turned look-ups off (IMPAYES_LOOKUPS=off). Either way the chat asks, as without it.
UNAVAILABLE = "unavailable"
LOOKUPS_OFF = "off"

# What an adapter does besides showing a reply (``Reply.action``): the case file's export and
# erasure touch files, which the brain never does itself.
EXPORT = "export"  # build the zip of everything held on the user and send it
ERASE = "erase"  # delete everything held on the user, files included, instead of saving

# ``Command("resume", INTERRUPTED)``: the bot restarted after a crash swallowed this chat's
# reply; the journey apologises and shows where the case stands.
INTERRUPTED = "interrupted"


# Reply ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Button:
    value: str
    label: str
    role: Role = Role.ANSWER


@dataclass(frozen=True)
class Prompt:
    """The question now asked: its text, its choices, and whether typing is welcome."""

    case_id: str
    key: str
    text: str
    buttons: tuple[Button, ...] = ()
    free_text: bool = True
    # The answer is a number, so a typed number is that answer, never a choice's position.
    numbers_are_answers: bool = False
    # The answer may take several lines (an address, goods one a line): one message on
    # Telegram, a block ended by an empty line in the console.
    several_lines: bool = False


@dataclass(frozen=True)
class DocumentJob:
    """A document to render off the conversation path (it may take a few hundred ms)."""

    kind: str
    lang: str
    case_id: str
    filename: str  # without extension
    context: dict[str, Any]
    formats: tuple[str, ...] = ("pdf",)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (the context already is), to be kept until the files are drawn."""
        return {"kind": self.kind, "lang": self.lang, "case_id": self.case_id,
                "filename": self.filename, "context": self.context,
                "formats": list(self.formats)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentJob:
        return cls(kind=data["kind"], lang=data["lang"], case_id=data["case_id"],
                   filename=data["filename"], context=dict(data["context"]),
                   formats=tuple(data.get("formats", ("pdf",))))


@dataclass(frozen=True)
class CompanyLookup:
    """Ask the company register about this number, then hand its answer back as a
    ``CompanyFound`` event (the network is the adapter's, never the brain's)."""

    case_id: str
    number: str


@dataclass(frozen=True)
class InsolvencyCheck:
    """Look for collective proceedings against this SIREN in the BODACC, in the background
    (``flows.insolvency_watch``): the reply never waits for it."""

    case_id: str
    siren: str


Lookup = CompanyLookup | InsolvencyCheck


@dataclass(frozen=True)
class DocumentFile:
    """A document already drawn, kept in its case's folder, to send again as it is."""

    case_id: str
    name: str  # the file's name in ``<case>/documents/``


@dataclass(frozen=True)
class Redraw:
    """/documents for a case: if documents of it failed to draw (they wait in the chat's
    envelope, ``flows.pending``, out of the brain's sight), they are drawn instead of sending
    the files, with ``message`` in place of the reply's messages."""

    case_id: str
    message: str


@dataclass
class Reply:
    messages: list[str] = field(default_factory=list)
    prompt: Prompt | None = None
    documents: list[DocumentJob] = field(default_factory=list)
    files: list[DocumentFile] = field(default_factory=list)  # drawn before, sent again
    notice: str | None = None  # a short toast for a button press (stale button, etc.)
    chosen: str | None = None  # the label of the button just pressed, to mark the keyboard used
    changed: bool = True  # False when nothing stored changed (no need to save)
    action: str | None = None  # EXPORT or ERASE, see above
    lookups: list[Lookup] = field(default_factory=list)  # outside sources to ask, see above
    redraw: Redraw | None = None  # documents that failed to draw come first, see ``Redraw``
