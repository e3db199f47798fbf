"""Issue 14, "Done when": over Telegram, a French user who types "2" reminders and a plan of 5
instalments gets a recap that says 2 reminders and a plan agreement of 5 instalments — typed
numbers are values, never the position of a button ("2" was "Une", "5" was "10").

Over the real python-telegram-bot stack and the fake Bot API; the agreement is the PDF sent,
read back with pdftotext.

Worked example: 1 200,50 € in 5 monthly instalments from 15 December 2026:
1 200,50 / 5 = 240,10 €, the last one on 15 April 2027.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from testing.driver import FRENCH_BUSINESS_CASE, plain
from testing.fakebot import FakeBotApi
from testing.telegram_harness import TelegramUser, question_key, running_bot
from tests.pdf import pdf_text

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
TYPED = [("reminders_sent", "2") if key == "reminders_sent" else (key, step)
         for key, step in FRENCH_BUSINESS_CASE[:FRENCH_BUSINESS_CASE.index(
             ("remedy", "press:formal_demand"))]]
DETAILS = {
    "creditor_name": "Jeanne Martin EI", "creditor_address": "12 rue des Lilas\n75011 Paris",
    "debtor_address": "4 avenue Foch\n69006 Lyon", "city": "Paris", "plan_count": "5",
    "plan_first_date": "15/12/2026", "plan_interval": "press:monthly",
    "plan_waive": "press:no", "supply_description": "Refonte du site internet",
    "creditor_id": "732 829 320", "signatory": "press:self", "payment_details": "press:invoice",
    "last_reminder_date": "02/11/2026",
}


async def test_typed_2_reminders_and_5_instalments_are_2_and_5(api: FakeBotApi,
                                                               data_dir: Path,
                                                               tmp_path: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        current = await user.play(TYPED, await user.say("/start"))
        current = await user.press("remedy", "payment_plan")
        for _ in range(len(DETAILS)):
            key = question_key(current)
            if key == "review":
                break
            assert key in DETAILS, f"unexpected question {key!r}"
            step = DETAILS[key]
            current = (await user.press(key, step.removeprefix("press:"))
                       if step.startswith("press:") else await user.say(step))
        assert question_key(current) == "review"
        recap = plain(str(current.params["text"]))
        assert "Relances envoyées : 2" in recap
        assert "Échéances : 5" in recap
        mark = api.mark()
        await user.press("review", "generate")
        # The proposal letter then the agreement, each as PDF and DOCX.
        sent = await api.await_documents(user.chat_id, 4, since=mark, timeout=60)
    pdfs = {document.filename: document.content for document in sent
            if (document.filename or "").endswith(".pdf")}
    assert set(pdfs) == {"proposition_echeancier_20261123.pdf", "accord_echeancier_20261123.pdf"}
    for name, content in pdfs.items():
        assert content is not None
        pdf = tmp_path / str(name)
        pdf.write_bytes(content)
        text = plain(pdf_text(pdf))
        assert "en 5 échéances mensuelles" in text, name
        assert "5/5 15 avril 2027 240,10 €" in text, name
