"""An invoice sent to the bot: kept as evidence, then what it says proposed as answers.

The case file keeps the file with its SHA-256 like any evidence (``flows.casefile``); when the
adapter could read it (``Upload.reading``), the facts found become proposals shown on the
confirmation screen (``flows.prefill``) instead of the evidence's "what does this file prove?"
question, which waits in ``/evidence``. The adapter reads a file only while the case still asks
about its invoice (``wants_invoice``): later, a file is evidence and nothing more.
"""

from __future__ import annotations

from datetime import datetime

from flows import invoice_reading, prefill
from flows.conversation import Reply, Upload
from flows.i18n import t
from flows.model import Account, Case

# The stages where an invoice sent answers questions still to come: the start (before the
# country), and the invoice's facts.
READING_STAGES = frozenset({"start", "facts"})


def wants_invoice(case: Case | None) -> bool:
    """Whether a PDF or a photo sent now should be read as the case's invoice."""
    return case is not None and case.state in READING_STAGES


def after_upload(account: Account, event: Upload, reply: Reply, now: datetime) -> Reply:
    """The case file's reply to a kept file, with the invoice's proposals when it was read."""
    case = account.case(event.case_id)
    if event.reading is None or event.refused or case is None:
        return reply
    lang = account.lang
    facts = invoice_reading.read(event.reading, now.date())
    source = event.reading.method
    screen = prefill.propose(account, case, invoice_reading.proposals(facts, case, source), now) \
        if facts.found else None
    if screen is None:
        if not facts.found:
            reply.messages.append(t(lang, "prefill.nothing_read"))
        return reply
    reply.messages += screen.messages
    reply.prompt = screen.prompt
    reply.changed = True
    return reply
