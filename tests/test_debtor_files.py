"""The debtor's files with their objection, on the web page (over real HTTP on 127.0.0.1) and in
Telegram (over the fake Bot API): screened like the creditor's evidence, kept in the case as the
debtor's, sent to the creditor with the objection, named in the chronology and the export."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from html import unescape
from pathlib import Path

import pytest
from aiohttp import ClientResponse, FormData
from weasyprint import HTML

from bot import debtor_web, export
from bot.service import Assistant
from bot.storage.tinydb_backend import TinyDBStorage
from bot.telegram_app import TelegramAdapter
from flows import casefile, casefile_export
from flows.debtor import answers
from flows.debtor import files as debtor_files
from flows.debtor.answers import DebtorInputError
from flows.evidence import locker
from flows.i18n import t
from flows.payment import creditor_reference
from testing.fakebot import FakeBotApi
from testing.telegram_harness import running_bot, settings_for
from tests.followup_cases import FORMAL_DEMAND, NOW, followed
from tests.test_debtor_telegram import (
    CREDITOR as TG_CREDITOR,
)
from tests.test_debtor_telegram import (
    DEBTOR as TG_DEBTOR,
)
from tests.test_debtor_telegram import (
    NOW as TG_NOW,
)
from tests.test_debtor_telegram import (
    creditor_sends_a_demand,
    hears,
    say,
    stored,
    tap,
)
from tests.test_debtor_web import CREDITOR, FORM, Page, body, debtor_page, sent_to_creditor

WORDS = "Seules 2 pages sur 5 ont été livrées, voir le bon de livraison signé."
# A PDF that runs a script when opened: refused like any such evidence.
HOSTILE_PDF = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript "
               b"/JS (app.alert(1)) >> >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def delivery_note() -> bytes:
    """A real PDF, as a debtor's scanner or invoicing tool makes one."""
    pdf = HTML(string="<h1>Bon de livraison n° 118</h1><p>Livré le 3 octobre 2026 : "
                      "2 pages sur les 5 commandées.</p><p>Signé : P. Durand</p>").write_pdf()
    assert pdf is not None
    return pdf


async def post_files(page: Page, fields: dict[str, str],
                     files: list[tuple[str, bytes, str]], form: str | None = None
                     ) -> ClientResponse:
    """The objection's form as a browser sends it: the form token first, then the fields in
    the page's order, the files last (``multipart/form-data``)."""
    if form is None:
        found = FORM.search(await body(await page.get()))
        assert found is not None
        form = found.group(1)
    data = FormData(quote_fields=False)  # as a browser: names as typed, in quotes
    data.add_field("form", form)
    data.add_field("lang", "fr")
    for name, value in fields.items():
        data.add_field(name, value)
    for filename, content, mime in files:
        data.add_field("files", content, filename=filename, content_type=mime)
    return await page.client.post(f"/d/{page.token}/contest", data=data,
                                  allow_redirects=False)


def case_folder(data_dir: Path, case_id: str) -> Path:
    return data_dir / "chats" / str(CREDITOR) / "cases" / case_id / "evidence"


def files_in(folder: Path) -> list[str]:
    """Every file in the case's evidence folder; fails if any file received for the chat is
    left anywhere else (a scratch file of an upload, kept or refused, must be gone)."""
    chat = folder.parents[2]
    stray = [path.relative_to(chat).as_posix() for path in chat.rglob("*")
             if path.is_file() and path.name != "chat.json" and path.parent != folder]
    assert stray == []
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


# What the creditor sees of them --------------------------------------------------------------
def test_the_debtors_files_are_listed_apart_and_the_creditor_is_not_asked_about_them() -> None:
    d = followed(FORMAL_DEMAND)
    record = debtor_files.record("photo chantier.jpg", "image/jpeg", 300_000, "ab" * 32, NOW)
    done = answers.contest(d.case, "quality", "Travaux mal finis.", NOW.date(), NOW, [record])
    reply = d.command("evidence")
    shown = "\n".join(reply.messages)
    assert done.files == (record,)
    assert "debtor.contest.files" in [m.key for m in done.creditor]
    assert "Pièces du débiteur (jointes à sa contestation) :" in shown
    assert "photo chantier.jpg" in shown
    assert reply.prompt is None or reply.prompt.key != casefile.TAG  # never "what does it prove?"
    assert locker.untagged(d.case) == []
    assert [e["kind"] for e in d.case.events][-2:] == ["debtor_contested", "debtor_file"]


def test_an_objection_carries_five_files_at_most() -> None:
    d = followed(FORMAL_DEMAND)
    records = [debtor_files.record(f"p{n}.jpg", "image/jpeg", 10, f"{n:064x}", NOW)
               for n in range(debtor_files.MAX_FILES + 1)]
    with pytest.raises(DebtorInputError) as refused:
        answers.contest(d.case, "quality", "Travaux mal finis.", NOW.date(), NOW, records)
    assert refused.value.key == "files_count"
    assert "dispute" not in (d.case.debtor or {})


# The web page ---------------------------------------------------------------------------------
async def test_an_objection_with_a_pdf_reaches_the_creditor_with_the_file(
        api: FakeBotApi, data_dir: Path) -> None:
    note = delivery_note()
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await post_files(page, {"reason": "quantity", "text": WORDS},
                                    [("bon de livraison.pdf", note, "application/pdf")])
        assert response.status == 303
        assert response.headers["Location"].endswith("done=contest#done")
        await api.await_for(sent_to_creditor("conteste la créance"), since=mark)
        [sent] = await api.await_documents(CREDITOR, 1, since=mark)
        told = "\n".join(page.to_creditor())
        after = await body(await page.client.get(response.headers["Location"]))
        case = page.case()
    digest = hashlib.sha256(note).hexdigest()
    # The creditor gets the objection, then the debtor's file, named as the debtor named it.
    assert f"Selon ses mots : « {WORDS} »" in told
    assert "Il joint 1 fichier, ci-dessous" in told
    assert sent.filename == "bon de livraison.pdf"
    assert sent.content == note
    assert sent.caption == "Pièce du débiteur, jointe à sa contestation : bon de livraison.pdf"
    # The case keeps it as the debtor's evidence, under its SHA-256, nothing half-received.
    [record] = debtor_files.kept(case)
    assert (record["name"], record["sha256"], record["size"], record["from"]) == (
        "bon de livraison.pdf", digest, len(note), "debtor")
    assert files_in(case_folder(data_dir, case.id)) == [digest]
    assert (case_folder(data_dir, case.id) / digest).read_bytes() == note
    assert case.answers["disputed"] is True
    assert t("fr", "debtor.contest.done") in after
    # The chronology and the export's evidence index name it as the debtor's.
    chronology = casefile_export.chronology_text(case, "fr")
    assert (f"Pièce jointe par le débiteur à sa contestation : bon de livraison.pdf "
            f"({(len(note) + 512) // 1024} Ko), SHA-256 {digest}") in chronology
    rows = casefile_export.evidence_index(case, "fr")
    [row] = [row for row in rows if row[5] == digest]
    assert row[1] == "bon de livraison.pdf"
    assert row[6] == "pièce du débiteur (contestation)"


async def test_a_hostile_file_is_refused_nothing_is_sent_and_the_form_keeps_what_was_typed(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await post_files(page, {"reason": "quality", "text": WORDS}, [
            ("bon de livraison.pdf", delivery_note(), "application/pdf"),
            ("facture corrigée.pdf", HOSTILE_PDF, "application/pdf")])
        html = await body(response)
        calls = api.calls()[mark:]
        case = page.case()
    assert response.status == 400
    assert "Rien n'a été envoyé : un fichier a été refusé." in html
    assert ("Je ne garde pas « facture corrigée.pdf » : ce PDF contient un script ou une "
            "commande qui peut s'exécuter à l'ouverture.") in html
    assert f">{WORDS}</textarea>" in html  # typed, kept for the second try
    assert '<option value="quality" selected>' in html
    assert "dispute" not in (case.debtor or {})
    assert not debtor_files.kept(case)
    assert files_in(case_folder(data_dir, case.id)) == []  # neither file stays
    assert not [c for c in calls if c.params.get("chat_id") == CREDITOR]


async def test_a_program_named_as_one_is_refused_before_its_bytes_are_written(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        response = await post_files(page, {"reason": "paid", "text": "Déjà payé."},
                                    [("preuve.exe", b"MZ\x90\x00" + b"\x00" * 200,
                                      "application/octet-stream")])
        html = await body(response)
        case = page.case()
    assert response.status == 400
    assert "Je ne garde pas « preuve.exe » : ce type de fichier peut lancer un programme" in html
    assert files_in(case_folder(data_dir, case.id)) == []


async def test_a_file_over_ten_megabytes_is_refused_with_the_limit_and_the_text_kept(
        api: FakeBotApi, data_dir: Path) -> None:
    big = b"%PDF-1.7\n" + b"0" * debtor_files.MAX_FILE_BYTES
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await post_files(page, {"reason": "quantity", "text": WORDS},
                                    [("scan.pdf", big, "application/pdf")])
        html = await body(response)
        calls = api.calls()[mark:]
        case = page.case()
    assert response.status == 400
    assert "Ce fichier dépasse 10 Mo : je ne l'ai pas gardé." in html
    assert f">{WORDS}</textarea>" in html
    assert files_in(case_folder(data_dir, case.id)) == []
    assert "dispute" not in (case.debtor or {})
    assert not [c for c in calls if c.params.get("chat_id") == CREDITOR]


async def test_more_files_than_an_objection_carries_are_refused(api: FakeBotApi,
                                                                 data_dir: Path) -> None:
    photos = [(f"photo{n}.jpg", b"\xff\xd8\xff\xe0 photo %d " % n + bytes(range(256)), "image/jpeg")
              for n in range(debtor_files.MAX_FILES + 1)]
    async with debtor_page(api, data_dir) as page:
        response = await post_files(page, {"reason": "quality", "text": WORDS}, photos)
        html = await body(response)
        case = page.case()
    assert response.status == 400
    assert "Une contestation porte 5 fichiers au plus" in html
    assert files_in(case_folder(data_dir, case.id)) == []


async def test_a_request_larger_than_the_form_can_send_is_not_read(
        api: FakeBotApi, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(debtor_web, "MAX_UPLOAD_BYTES", 256 * 1024)  # the same rule, smaller
    async with debtor_page(api, data_dir) as page:
        response = await post_files(page, {"reason": "quality", "text": WORDS},
                                    [("scan.pdf", b"%PDF-1.7\n" + b"0" * 300 * 1024,
                                      "application/pdf")])
        html = await body(response)
        case = page.case()
    assert response.status == 413
    assert "Ensemble, ces fichiers dépassent ce qu'une contestation peut porter" in html
    assert files_in(case_folder(data_dir, case.id)) == []


async def test_files_without_a_valid_form_token_are_not_kept(api: FakeBotApi,
                                                             data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await post_files(page, {"reason": "quality", "text": WORDS},
                                    [("bon.pdf", delivery_note(), "application/pdf")],
                                    form="99999999999.deadbeef")
        html = await body(response)
        calls = api.calls()[mark:]
        case = page.case()
    assert response.status == 400
    assert t("fr", "debtor_web.form_expired") in html
    assert f">{WORDS}</textarea>" in html
    assert files_in(case_folder(data_dir, case.id)) == []
    assert not [c for c in calls if c.params.get("chat_id") == CREDITOR]


async def test_the_objection_form_sends_files_without_any_script(api: FakeBotApi,
                                                                 data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        html = unescape(await (await page.get()).text())
    assert f'action="/d/{page.token}/contest" enctype="multipart/form-data"' in html
    assert '<input type="file" id="files" name="files" multiple>' in html
    assert "5 fichiers de 10 Mo au plus chacun" in html
    assert "<script" not in html


async def test_the_export_holds_the_debtors_file_marked_as_theirs(api: FakeBotApi,
                                                                  data_dir: Path) -> None:
    note = delivery_note()
    async with debtor_page(api, data_dir) as page:
        response = await post_files(page, {"reason": "quantity", "text": WORDS},
                                    [("bon de livraison.pdf", note, "application/pdf")])
        assert response.status == 303
        storage = page.application.bot_data["adapter"].assistant.storage
        [zipped] = export.build(storage, str(CREDITOR), NOW)
        with zipfile.ZipFile(zipped) as archive:
            contents = {name: archive.read(name) for name in archive.namelist()}
        export.discard([zipped])
    [kept] = [name for name in contents if name.endswith("_bon de livraison.pdf")]
    assert contents[kept] == note
    [index] = [name for name in contents if name.endswith("evidence/index.csv")]
    rows = list(csv.reader(io.StringIO(contents[index].decode("utf-8-sig"))))
    [row] = [row for row in rows if row[1] == "bon de livraison.pdf"]
    assert row[6] == "pièce du débiteur (contestation)"
    [chronology] = [name for name in contents if name.endswith("chronology.txt")]
    assert "Pièce jointe par le débiteur à sa contestation : bon de livraison.pdf" in \
        contents[chronology].decode()


# Telegram --------------------------------------------------------------------------------------
@pytest.mark.slow(seconds=2)
async def test_a_debtor_on_telegram_sends_files_after_the_reason_until_done(
        api: FakeBotApi, data_dir: Path) -> None:
    note = delivery_note()
    async with running_bot(api, data_dir, TG_NOW):
        case_id, token = await creditor_sends_a_demand(api, data_dir)
        mark = say(api, TG_DEBTOR, f"/start {token}", "en")
        await hears(api, TG_DEBTOR, "Total due today", mark)
        mark = tap(api, TG_DEBTOR, f"d:{token}:pay")  # how to pay, before contesting
        paying = await hears(api, TG_DEBTOR, "Reference to give", mark)
        # The reference the letter prints (RF + the case), so the bank statement names the case.
        assert f"Reference to give: {creditor_reference(case_id)}" in paying
        assert "IBAN FR76 3000 6000 0112 3456 7890 189" in paying
        tap(api, TG_DEBTOR, f"d:{token}:contest")
        await hears(api, TG_DEBTOR, "What do you contest?", mark)
        tap(api, TG_DEBTOR, f"d:{token}:r.quantity")
        await hears(api, TG_DEBTOR, "Explain in a few words", mark)
        mark = say(api, TG_DEBTOR, "Only 2 of the 5 pages were delivered.", "en")
        asked = await hears(api, TG_DEBTOR, "Then press Done", mark)
        assert "up to 5 files of 10 MB each" in asked
        # Nothing reaches the creditor before Done.
        assert not [c for c in api.calls()[mark:] if c.params.get("chat_id") == TG_CREDITOR]
        mark = api.mark()
        api.send_document(TG_DEBTOR, "delivery note.pdf", note, "application/pdf")
        await hears(api, TG_DEBTOR, "Received: “delivery note.pdf” (1 of 5 files at most).",
                    mark)
        mark = api.mark()
        api.send_document(TG_DEBTOR, "invoice.pdf", HOSTILE_PDF, "application/pdf")
        refused = await hears(api, TG_DEBTOR, "I don't keep", mark)
        assert "this PDF holds a script or a command that can run when it is opened" in refused
        draft = stored(data_dir).cases[0].debtor
        assert draft is not None
        assert [f["name"] for f in draft["contest_draft"]["files"]] == ["delivery note.pdf"]
        mark = tap(api, TG_DEBTOR, f"d:{token}:done")
        await hears(api, TG_DEBTOR, "Your objection was sent to the creditor", mark)
        told = await hears(api, TG_CREDITOR, "conteste la créance", mark)
        [sent] = await api.await_documents(TG_CREDITOR, 1, since=mark)
    assert "« Only 2 of the 5 pages were delivered. »" in told
    assert "Il joint 1 fichier" in told
    assert (sent.filename, sent.content) == ("delivery note.pdf", note)
    [case] = stored(data_dir).cases
    assert case.id == case_id
    [record] = debtor_files.kept(case)
    assert record["sha256"] == hashlib.sha256(note).hexdigest()
    assert "contest_draft" not in (case.debtor or {})
    kinds = [e["kind"] for e in case.events]
    assert kinds[-2:] == ["debtor_contested", "debtor_file"]
    folder = data_dir / "chats" / str(TG_CREDITOR) / "cases" / case.id / "evidence"
    assert sorted(p.name for p in folder.iterdir()) == [record["sha256"]]  # the refused: gone



def test_a_debtors_telegram_downloads_wait_in_the_evidences_queue(
        api: FakeBotApi, data_dir: Path) -> None:
    # At most PARALLEL_DOWNLOADS files come down at once, the creditor's and the debtors'
    # together: a debtor sending many files cannot hold up the creditors' evidence more.
    adapter = TelegramAdapter(settings_for(api, data_dir, NOW),
                              Assistant(TinyDBStorage(data_dir), lambda: NOW))
    assert adapter.debtors.files.downloads is adapter.desk.downloads
