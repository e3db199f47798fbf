"""How a reply becomes Telegram messages: its text in bubbles of Telegram's size, its
question's keyboard, its files as albums. Used by the adapter for every reply and by the
reminders for theirs, so that a reminder looks like any other reply."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaDocument

from bot import message_size
from bot.service import Document, Rendered
from flows.conversation import EXPORT, Button, Press, Prompt, Reply, Role

ALBUM = 10  # documents Telegram groups in one message at most


def bubbles(reply: Reply) -> tuple[list[str], str | None]:
    """The reply's messages cut to Telegram's size, and the text of its question. The question
    rides on the message before it when nothing comes between them (no files): one bubble
    instead of two on the phone, and one request fewer."""
    chunks = [chunk for message in reply.messages for chunk in message_size.chunks(message)]
    question = message_size.clip(reply.prompt.text) if reply.prompt is not None else None
    if (question is not None and chunks and not reply.documents and not reply.files
            and reply.action != EXPORT
            and message_size.units(chunks[-1]) + 2 + message_size.units(question)
            <= message_size.MAX_TEXT):
        question = f"{chunks.pop()}\n\n{question}"
    return chunks, question


async def send_files(bot: Bot, chat_id: int, documents: list[Document]) -> list[int]:
    """Documents as albums of up to ten (one message on the phone instead of one per file);
    a file left alone goes as a plain document, since an album needs two. The ids of the
    messages Telegram made of them, in order."""
    sent: list[int] = []
    for start in range(0, len(documents), ALBUM):
        batch = documents[start:start + ALBUM]
        if len(batch) == 1:
            message = await bot.send_document(chat_id, batch[0].content,
                                              filename=batch[0].name)
            sent.append(message.message_id)
        else:
            messages = await bot.send_media_group(chat_id, [
                InputMediaDocument(item.content, filename=item.name) for item in batch])
            sent += [message.message_id for message in messages]
    return sent


def albums(rendered: list[Rendered]) -> list[list[Rendered]]:
    """Drawn files in albums of up to ten, in order, the files of one job never split between
    two albums: each album's delivery is recorded for the jobs it carries whole."""
    jobs: list[list[Rendered]] = []
    for item in rendered:
        if jobs and jobs[-1][-1].job == item.job:
            jobs[-1].append(item)
        else:
            jobs.append([item])
    batches: list[list[Rendered]] = []
    for files in jobs:
        if not batches or len(batches[-1]) + len(files) > ALBUM:
            batches.append([])
        batches[-1].extend(files)
    return batches


# A button's callback data is "<case>:<question>:<value>"; a button with a role other than
# giving its value carries the role's mark instead of a value (no answer code starts with "__").
# Keyboards already in users' chats carry these same marks, so they keep working.
_MARKS = {Role.BACK: "__back", Role.KEEP: "__keep", Role.OTHER_NUMBER: "__other",
          Role.COMPARE: "__compare", Role.PROPOSED: "__proposed",
          Role.DETAILS: "__details", Role.TRANSLATION: "__translation"}
_ROLES = {mark: role for role, mark in _MARKS.items()}


def callback_data(prompt: Prompt, button: Button) -> str:
    value = _MARKS.get(button.role, button.value)
    return f"{prompt.case_id}:{prompt.key}:{value}"


def press_from(data: str) -> Press:
    """The press a button's callback data stands for (the inverse of ``callback_data``)."""
    case_id, _, rest = data.partition(":")
    key, _, value = rest.partition(":")
    role = _ROLES.get(value, Role.ANSWER)
    return Press(case_id, key, "" if role is not Role.ANSWER else value, role)


def keyboard(prompt: Prompt) -> InlineKeyboardMarkup | None:
    """Choices as buttons: short answers two to a row, long ones alone, "back" last."""
    if not prompt.buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    row_roles: list[Role] = []  # the role of each row's first button
    for button in prompt.buttons:
        item = InlineKeyboardButton(button.label, callback_data=callback_data(prompt, button))
        if (len(button.label) <= 18 and rows and len(rows[-1]) == 1
                and len(rows[-1][0].text) <= 18 and button.role is Role.ANSWER
                and row_roles[-1] is Role.ANSWER):
            rows[-1].append(item)
        else:
            rows.append([item])
            row_roles.append(button.role)
    return InlineKeyboardMarkup(rows)
