"""A journey started from the invoice: read, confirmed, filed as evidence, and much shorter."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from bot.invoice_reader import read_invoice
from flows.conversation import Upload
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from tests.invoice_samples import facturx_pdf, text_pdf

Make = Callable[..., Driver]
SCRIPT = dict(FRENCH_BUSINESS_CASE)


def _send_invoice(d: Driver, tmp_path: Path, data: bytes, name: str = "facture.pdf") -> None:
    """The invoice as the adapter hands it over: kept under its SHA-256, then read."""
    digest = hashlib.sha256(data).hexdigest()
    path = tmp_path / digest
    path.write_bytes(data)
    event = Upload(d.case.id, name, "application/pdf", len(data), digest, f"evidence/{digest}",
                   reading=read_invoice(str(path), "application/pdf", name))
    d.replies.append(turn(d.account, event, d.now))


def _answer_until_the_letter(d: Driver) -> int:
    """Answer whatever is asked, as in the scripted case, until the documents are drawn;
    returns how many answers were typed rather than tapped."""
    typed = 0
    while d.prompt.key != "outcome":
        step = SCRIPT[d.prompt.key]
        typed += not step.startswith("press:")
        d.answer(step)
    return typed


def test_starting_from_the_invoice_pdf_halves_the_typing_to_the_demand_letter(
    driver: Make, tmp_path: Path,
) -> None:
    today = driver()
    today.command("start")
    typed_today = _answer_until_the_letter(today)

    d = driver()
    d.command("start")
    _send_invoice(d, tmp_path, facturx_pdf())
    assert d.prompt.key == "prefill"
    d.press("all")
    typed_with_invoice = _answer_until_the_letter(d)

    # 13 answers typed today (names, addresses, number, amount, dates, SIRET, IBAN…); with
    # the invoice, only the last reminder's date is left to type.
    assert typed_today == 13
    assert typed_with_invoice == 1
    assert typed_with_invoice * 2 < typed_today
    [letter] = [job for reply in d.replies for job in reply.documents
                if job.kind == "demand_letter"]
    [same] = [job for reply in today.replies for job in reply.documents
              if job.kind == "demand_letter"]
    # The same letter, the figures and wording alike; the invoice adds what was not typed:
    # the debtor's SIREN and the full SIRET. (Its upload is the bot's event, not the case's,
    # so the letter's chronology is the same.)
    # (The payment reference and the debtor's link are each case's own.)
    differing = {k for k in letter.context if letter.context[k] != same.context.get(k)}
    assert differing - {"payment", "debtor_token"} == {"debtor", "creditor"}
    assert letter.context["payment"]["iban"] == same.context["payment"]["iban"]
    for party in ("debtor", "creditor"):
        for key in ("name", "address"):
            assert letter.context[party][key] == same.context[party][key]
    assert letter.context["debtor"]["id"] == "552 100 554"
    assert letter.context["creditor"]["id"] == "732 829 320 00074"


def test_the_invoice_is_filed_as_evidence_with_its_sha256(driver: Make, tmp_path: Path) -> None:
    d = driver()
    d.command("start")
    data = facturx_pdf()
    _send_invoice(d, tmp_path, data)
    digest = hashlib.sha256(data).hexdigest()
    [record] = d.case.evidence
    assert record["sha256"] == digest
    assert record["stored_as"] == f"evidence/{digest}"
    shown = d.text_of_last()
    assert f"Empreinte (SHA-256) : {digest}" in shown
    assert "J'ai lu 15 réponses" in shown
    assert "Client : ACME Rénovation SARL (facture, données Factur-X)" in shown
    assert "1 200,50 €" in shown
    assert d.case.answers == {}  # nothing kept before the user says so


def test_a_text_only_pdf_is_read_from_its_labels(driver: Make, tmp_path: Path) -> None:
    d = driver(lang="en")
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _send_invoice(d, tmp_path, text_pdf())
    shown = plain(d.text_of_last())
    assert "text of the PDF invoice" in shown
    assert "Invoice no.: F-2026-042" in shown
    assert "Amount incl. tax: €1,200.50" in shown
    d.press("one")  # checked one by one: each question offers what was read
    assert d.prompt.key == "debtor_name"
    assert d.prompt.buttons[0].label == "✅ ACME Rénovation SARL"


def test_a_file_sent_later_in_the_case_is_evidence_only(driver: Make, tmp_path: Path) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="ev_contract")
    data = facturx_pdf()
    digest = hashlib.sha256(data).hexdigest()
    # The adapter reads a file only while the invoice is asked about: here it sends none.
    d.replies.append(turn(d.account, Upload(d.case.id, "facture.pdf", "application/pdf",
                                            len(data), digest, f"evidence/{digest}"), d.now))
    assert d.prompt.key == "evtag"
    assert d.case.proposals == []


def test_a_pdf_with_no_invoice_in_it_says_so_and_the_questions_go_on(
    driver: Make, tmp_path: Path,
) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    _send_invoice(d, tmp_path, text_pdf(["Bon de livraison", "Merci de votre confiance"]),
                  "livraison.pdf")
    assert "Je n'ai pas trouvé les informations de la facture" in d.text_of_last()
    assert d.prompt.key == "evtag"  # what the file proves, as for any evidence
