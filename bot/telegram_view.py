"""How a reply becomes Telegram messages: its text in bubbles of Telegram's size, its
question's keyboard, its files as albums. Used by the adapter for every reply and by the
reminders for theirs, so that a reminder looks like any other reply."""

from __future__ import annotations

import contextlib
from pathlib import Path

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaDocument

from bot import message_size
from flows.conversation import EXPORT, Prompt, Reply

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


async def send_files(bot: Bot, chat_id: int, paths: list[Path]) -> None:
    """Documents as albums of up to ten (one message on the phone instead of one per file);
    a file left alone goes as a plain document, since an album needs two."""
    for start in range(0, len(paths), ALBUM):
        batch = paths[start:start + ALBUM]
        with contextlib.ExitStack() as files:
            handles = [files.enter_context(path.open("rb")) for path in batch]
            if len(batch) == 1:
                await bot.send_document(chat_id, handles[0], filename=batch[0].name)
            else:
                await bot.send_media_group(chat_id, [
                    InputMediaDocument(fh, filename=path.name)
                    for fh, path in zip(handles, batch, strict=True)])


def keyboard(prompt: Prompt) -> InlineKeyboardMarkup | None:
    """Choices as buttons: short ones two to a row, long ones alone, "back" last."""
    if not prompt.buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for button in prompt.buttons:
        data = f"{prompt.case_id}:{prompt.key}:{button.value}"
        item = InlineKeyboardButton(button.label, callback_data=data)
        if (len(button.label) <= 18 and rows and len(rows[-1]) == 1
                and len(rows[-1][0].text) <= 18 and not button.value.startswith("__")
                and not str(rows[-1][0].callback_data).rsplit(":", 1)[-1].startswith("__")):
            rows[-1].append(item)
        else:
            rows.append([item])
    return InlineKeyboardMarkup(rows)
