"""Documents asked for and not yet drawn: the records the service keeps beside the account.

Drawing a turn's documents takes a second or more, after the turn was saved and often after its
messages were shown: a crash in that second would leave the case in follow-up with the
documents never sent. So the save of the turn that asks for documents also records them (in
the chat's envelope, ``bot.storage.StoredChat.pending_documents``: bookkeeping of the service,
no part of the conversation), each job with the number of times its drawing was started, and
the save that records the drawn files clears them. Whatever is still pending at the next reply
to that chat (the bot's restart, or the user's next message) is drawn again and sent, with a
word of explanation. After ``MAX_ATTEMPTS`` starts they are no longer drawn by themselves, and
the user is told: a document whose drawing kills the process must not do so at every restart.
They stay pending, marked ``failed`` as ``INTERRUPTED``, so that ``/documents`` draws them when
the user asks: a storm of restarts must not lose them either.

Telegram's answer to an upload is recorded too: once an album (or a lone document) is taken,
the message ids Telegram gave it are written into its jobs' records (``mark_delivered``) before
the save that forgets them; a crash between the two leaves records that say "delivered", which
the next reply forgets without sending them again.

A drawing that raises is different: the job stays pending, marked ``failed`` with the reason,
and is not redrawn by itself (it would fail again at every reply); ``/documents`` (a reply
carrying a ``Redraw``) or the review screen's "generate" asks for it again, and the new job
takes its place.

Every function here works on those records and on what a turn returned; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flows.conversation import DocumentJob, Reply
from flows.i18n import t

MAX_ATTEMPTS = 2
INTERRUPTED = "interrupted"  # the ``failed`` reason of documents given up after MAX_ATTEMPTS

Records = list[dict[str, Any]]


def carry(records: Records, lang: str, reply: Reply) -> Records | None:
    """Add to ``reply`` the documents an interruption left (or, for a ``Redraw``, those that
    failed), and record all the documents it asks for as pending: the records to keep with
    the turn's save, or None when they did not change."""
    _redraw_failed(records, reply)
    failed = [r for r in records if r.get("failed")]
    left = [r for r in records if not r.get("failed")]
    if not left and not reply.documents:
        return None
    again: Records = []
    given_up: Records = []
    lost = 0
    for record in left:
        if record.get("sent"):
            continue  # Telegram took them (its message ids were recorded): done, not resent
        job = _job(record)
        if job is None:
            lost += 1
        elif _attempts(record) >= MAX_ATTEMPTS:
            given_up.append({"job": record["job"], "attempts": _attempts(record),
                             "failed": INTERRUPTED})
        else:
            again.append({"job": record["job"], "attempts": _attempts(record) + 1})
    if again:
        reply.messages.append(t(lang, "recovery.documents"))
    if given_up:
        reply.messages.append(t(lang, "recovery.documents_interrupted"))
    if lost:
        reply.messages.append(t(lang, "recovery.documents_lost"))
    new = [{"job": job.to_json(), "attempts": 1} for job in reply.documents]
    reply.documents[:0] = [DocumentJob.from_json(record["job"]) for record in again]
    asked = {_identity(job.to_json()) for job in reply.documents}
    return [r for r in [*failed, *given_up] if not isinstance(r.get("job"), dict)
            or _identity(r["job"]) not in asked] + again + new


def _redraw_failed(records: Records, reply: Reply) -> None:
    """/documents: the case's documents whose drawing failed are drawn now, instead of
    sending the files of its last drawing."""
    if reply.redraw is None:
        return
    retry = failed(records, reply.redraw.case_id)
    if retry:
        reply.messages = [reply.redraw.message]
        reply.files = []
        reply.documents = retry
        reply.changed = True


def failed(records: Records, case_id: str) -> list[DocumentJob]:
    """The case's documents whose drawing failed, still to be drawn again."""
    jobs = [_job(r) for r in records if r.get("failed")]
    return [job for job in jobs if job is not None and job.case_id == case_id]


def mark_failed(records: Records, jobs: Iterable[DocumentJob], reason: str) -> bool:
    """These jobs' drawing raised: kept pending with the reason, not redrawn by themselves."""
    names = {_identity(job.to_json()) for job in jobs}
    changed = False
    for record in records:
        if isinstance(record.get("job"), dict) and _identity(record["job"]) in names:
            record["failed"] = reason
            changed = True
    return changed


def mark_delivered(records: Records, jobs: Iterable[DocumentJob],
                   message_ids: list[int]) -> bool:
    """These jobs' files reached the user as these Telegram messages: recorded, so that they
    are never sent again, even if forgetting them (``clear``) is cut short by a crash."""
    names = {_identity(job.to_json()) for job in jobs}
    changed = False
    for record in records:
        if isinstance(record.get("job"), dict) and _identity(record["job"]) in names:
            record["sent"] = list(message_ids)
            changed = True
    return changed


def clear(records: Records, jobs: Iterable[DocumentJob]) -> Records | None:
    """Forget these jobs (drawn, or failed for good): the records left, None if unchanged."""
    done = {_identity(job.to_json()) for job in jobs}
    kept = [r for r in records
            if not isinstance(r.get("job"), dict) or _identity(r["job"]) not in done]
    return kept if len(kept) != len(records) else None


def _identity(job: dict[str, Any]) -> tuple[Any, ...]:
    return job.get("case_id"), job.get("kind"), job.get("filename"), job.get("lang")


def _attempts(record: dict[str, Any]) -> int:
    value = record.get("attempts", 0)
    return value if isinstance(value, int) else MAX_ATTEMPTS


def _job(record: dict[str, Any]) -> DocumentJob | None:
    try:
        return DocumentJob.from_json(record["job"])
    except (KeyError, TypeError, ValueError):
        return None  # not ours, or damaged: given up like a document that failed too often
