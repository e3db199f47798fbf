"""Every letter to the debtor ends with how to pay and the debtor's own link, each with its QR
code: read back from the PDF (its text, and its pictures decoded as a phone would) and from the
DOCX (its pictures), as the debtor and the creditor would see them."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pyzbar import pyzbar

from flows.conversation import DocumentJob
from flows.documents.catalog import jobs_for
from flows.documents.drawing import draw
from flows.documents.links import LinkBases
from flows.vocabulary import Remedy
from testing.fakebot import FakeBotApi
from testing.telegram_harness import running_bot
from tests.documents_samples import SAMPLES, TODAY, with_remedy
from tests.pdf import pdf_text
from tests.test_debtor_telegram import CREDITOR, NOW, creditor_sends_a_demand

TOKEN = "Zq3J1l0bWn2xV8cT5kR7aA"  # the shape of a case's token (22 URL-safe characters)
BASES = LinkBases(bot_username="impayes_bot", public_url="https://impayes.example.org")
TELEGRAM = f"https://t.me/impayes_bot?start={TOKEN}"
WEB = f"https://impayes.example.org/d/{TOKEN}"
LETTERS = {Remedy.FRIENDLY_REMINDER: "reminder_2", Remedy.FORMAL_DEMAND: "demand_letter",
           Remedy.PAYMENT_PLAN: "plan_letter", Remedy.SUSPENSION: "suspension_notice"}


def letter(sample: str, remedy: Remedy, lang: str = "fr", token: str = TOKEN) -> DocumentJob:
    case = with_remedy(SAMPLES[sample](), remedy)
    job = next(j for j in jobs_for(case, lang, TODAY) if j.kind == LETTERS[remedy])
    return dataclasses.replace(job, context={**job.context, "debtor_token": token})


def qr_codes_in_pdf(pdf: bytes, folder: Path) -> list[str]:
    """The QR codes a phone reads on the printed letter (poppler's pdfimages, then zbar)."""
    (folder / "letter.pdf").write_bytes(pdf)
    subprocess.run(["pdfimages", "-png", str(folder / "letter.pdf"), str(folder / "img")],
                   check=True)
    found = []
    for image in sorted(folder.glob("img-*.png")):
        found += [s.data.decode("utf-8") for s in pyzbar.decode(Image.open(image))]
    return found


def qr_codes_in_docx(docx: bytes) -> list[str]:
    document = Document(io.BytesIO(docx))
    found = []
    for shape in document.inline_shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill
                                           .blip.embed].blob
        found += [s.data.decode("utf-8") for s in pyzbar.decode(Image.open(io.BytesIO(blob)))]
    return found


@pytest.mark.parametrize("remedy", list(LETTERS))
def test_each_french_letter_shows_the_account_reference_and_links(remedy: Remedy,
                                                                  tmp_path: Path) -> None:
    sample = "fr_business" if remedy != Remedy.PAYMENT_PLAN else "fr_consumer"
    job = letter(sample, remedy)
    files = draw(dataclasses.replace(job, formats=("pdf",)), BASES)
    (tmp_path / "l.pdf").write_bytes(files[f"{job.filename}.pdf"])
    text = pdf_text(tmp_path / "l.pdf")
    reference = job.context["payment"]["reference"]
    assert reference.startswith("RF")
    for expected in ("Pour payer", "IBAN : FR76 3000 6000 0112 3456 7890 189", "BIC : AGRIFRPP",
                     f"Référence : {reference}", TELEGRAM, WEB,
                     "Payer, proposer un échéancier, reconnaître la dette ou la contester"):
        assert expected in text, expected


def test_the_demand_letters_qr_codes_pay_the_demanded_sum_and_open_the_links(
        tmp_path: Path) -> None:
    job = letter("fr_business", Remedy.FORMAL_DEMAND)
    files = draw(dataclasses.replace(job, formats=("pdf", "docx")), BASES)
    total = job.context["demand"]["figures"]["total"]["amount"]
    reference = job.context["payment"]["reference"]
    for codes in (qr_codes_in_pdf(files[f"{job.filename}.pdf"], tmp_path),
                  qr_codes_in_docx(files[f"{job.filename}.docx"])):
        assert codes[1:] == [TELEGRAM, WEB]
        epc = codes[0].split("\n")
        assert epc[:8] == ["BCD", "002", "1", "SCT", "AGRIFRPP", "Studio Martin SAS",
                           "FR7630006000011234567890189", f"EUR{total}"]
        assert epc[9] == reference
    # The demand asks for 3 352,01 € (the snapshot's figure): the code asks for the same.
    assert total == "3352.01"


def test_a_belgian_letter_carries_the_structured_communication_in_its_code(
        tmp_path: Path) -> None:
    job = letter("be_business", Remedy.FORMAL_DEMAND, lang="en")
    files = draw(dataclasses.replace(job, formats=("pdf",)), BASES)
    communication = job.context["payment"]["reference"]
    (tmp_path / "l.pdf").write_bytes(files[f"{job.filename}.pdf"])
    assert f"Structured communication: {communication}" in pdf_text(tmp_path / "l.pdf")
    epc = qr_codes_in_pdf(files[f"{job.filename}.pdf"], tmp_path)[0].split("\n")
    assert epc[6] == "BE71096123456769"
    assert epc[10] == communication


def test_a_quebec_letter_gives_the_transfer_details_without_an_epc_code(
        tmp_path: Path) -> None:
    job = letter("qc_business", Remedy.FORMAL_DEMAND)
    files = draw(dataclasses.replace(job, formats=("pdf",)), BASES)
    (tmp_path / "l.pdf").write_bytes(files[f"{job.filename}.pdf"])
    text = pdf_text(tmp_path / "l.pdf")
    assert "Virement Interac à paiement@conseilsgagnon.ca" in text
    assert "Message à indiquer : Q-1088" in text
    assert qr_codes_in_pdf(files[f"{job.filename}.pdf"], tmp_path) == [TELEGRAM, WEB]


def test_without_a_public_address_only_the_telegram_link_is_printed(tmp_path: Path) -> None:
    job = letter("fr_business", Remedy.FORMAL_DEMAND)
    files = draw(dataclasses.replace(job, formats=("pdf",)),
                 LinkBases(bot_username="impayes_bot"))
    (tmp_path / "l.pdf").write_bytes(files[f"{job.filename}.pdf"])
    text = pdf_text(tmp_path / "l.pdf")
    assert TELEGRAM in text
    assert "/d/" not in text


async def test_the_demand_drawn_in_the_creditors_chat_carries_the_debtors_links(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    """Through the bot: the creditor drafts the formal demand, and the PDF they receive shows
    the case's own token in the Telegram link (the bot's username comes from getMe)."""
    async with running_bot(api, data_dir, NOW):
        _, token = await creditor_sends_a_demand(api, data_dir)
    demand = next(sent.content for sent in api.documents_to(CREDITOR)
                  if (sent.filename or "").startswith("mise_en_demeure")
                  and (sent.filename or "").endswith(".pdf"))
    assert demand is not None
    (tmp_path / "demand.pdf").write_bytes(demand)
    text = pdf_text(tmp_path / "demand.pdf")
    assert f"https://t.me/impayes_test_bot?start={token}" in text
    assert "Répondre sur Telegram" in text
    assert "/d/" not in text  # polling mode: no public address, no web page
    assert f"https://t.me/impayes_test_bot?start={token}" in qr_codes_in_pdf(demand, tmp_path)
