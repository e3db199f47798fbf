"""Letters in the language of the law: a user chatting in English about a debtor in France,
Belgium or Quebec gets the letters and court papers in French, and on request an English copy
of the letters, marked as a translation on every page and in its file name, never a letter to
send. What the user alone reads (the evidence checklist) is in English."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows import journey
from flows.conversation import Role, Text
from flows.documents.catalog import jobs_to_send
from flows.documents.drawing import draw
from flows.turn import turn
from flows.vocabulary import Remedy
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import FakeBotApi, SentDocument
from testing.telegram_harness import TelegramUser, running_bot
from tests.documents_samples import SAMPLES, TODAY, with_remedy
from tests.pdf import pdf_text
from tests.test_properties import NOW as PROPERTIES_NOW
from tests.test_properties import snapshot_account

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
NOTICE = "Translation for your information — the French letter is the one to send"


def text_of(document: SentDocument, folder: Path) -> str:
    assert document.content is not None
    path = folder / (document.filename or "document.pdf")
    path.write_bytes(document.content)
    return pdf_text(path)


async def test_an_english_speaker_in_france_gets_the_demand_in_french_and_a_translation(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    user = TelegramUser(api, language_code="en")
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        mark = api.mark()
        await user.play(FRENCH_BUSINESS_CASE, first)
        sent = {d.filename: d for d in await api.await_documents(user.chat_id, 6, since=mark)}
        letter = text_of(sent["mise_en_demeure_20261123.pdf"], tmp_path)
        assert "MISE EN DEMEURE" in letter
        assert "Mise en demeure de payer" in letter or "mise en demeure" in letter
        assert "1 200,50 €" in letter
        assert NOTICE not in letter
        assert "Evidence" in text_of(sent["evidence_checklist_20261123.pdf"], tmp_path)
        assert any("the language of the law in 🇫🇷 France" in m for m in user.texts())
        mark = api.mark()
        await user.press("outcome", "__translation")  # under the follow-up's question
        copies = {d.filename: d for d in await api.await_documents(user.chat_id, 2, since=mark)}
        # /documents sends the letters again, never the translation in their place.
        mark = api.mark()
        api.send_text(user.chat_id, "/documents", language_code="en")
        again = [d.filename for d in await api.await_documents(user.chat_id, 6, since=mark)]
    assert sorted(copies) == ["translation_for_information_chronology_20261123.pdf",
                              "translation_for_information_formal_demand_20261123.pdf"]
    translation = text_of(copies["translation_for_information_formal_demand_20261123.pdf"],
                          tmp_path)
    assert NOTICE in translation
    assert "FORMAL DEMAND" in translation
    assert "€1,200.50" in translation
    assert "1 December 2026" in translation  # the French letter's deadline, in English
    assert "mise_en_demeure_20261123.pdf" in again
    assert not [name for name in again if name and name.startswith("translation")]


@pytest.mark.parametrize(("sample", "remedy", "kind", "french"), [
    ("qc_business", Remedy.COURT, "qc_small_claims",
     "Division des petites créances de la Cour du Québec"),
    ("be_business", Remedy.FORMAL_DEMAND, "demand_letter", "MISE EN DEMEURE"),
])
def test_court_papers_and_letters_are_in_french_for_an_english_speaker(
        sample: str, remedy: Remedy, kind: str, french: str, tmp_path: Path) -> None:
    case = with_remedy(SAMPLES[sample](), remedy)
    jobs = {job.kind: job for job in jobs_to_send(case, "en", TODAY)}
    assert jobs["evidence_checklist"].lang == "en"  # for the user alone
    assert jobs[kind].lang == "fr"
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(next(content for name, content in draw(jobs[kind]).items()
                         if name.endswith(".pdf")))
    text = pdf_text(pdf)
    assert french in text
    assert NOTICE not in text


def test_the_translation_buttons_number_typed_sends_the_translation_and_asks_again() -> None:
    # At the follow-up's question, typing a button's number is pressing it, the translation's
    # included: no "this button is no longer active", and the question stays on screen.
    account = snapshot_account("en", "followup")  # an English speaker, letters in French
    case = account.current
    assert case is not None
    shown = journey.reprompt(account, case, PROPERTIES_NOW.date())
    assert shown is not None
    number = next(place for place, button in enumerate(shown.buttons, 1)
                  if button.role is Role.TRANSLATION)
    reply = turn(account, Text(str(number)), PROPERTIES_NOW)
    assert reply.notice is None
    assert [job.kind for job in reply.documents] == ["demand_letter", "chronology"]
    assert all(job.lang == "en" and job.filename.startswith("translation_for_information_")
               for job in reply.documents)
    assert reply.prompt is not None
    assert reply.prompt.key == "outcome"
    assert reply.prompt.buttons == shown.buttons
