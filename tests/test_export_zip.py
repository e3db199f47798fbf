"""The export zip, built from real files on disk, and erasing everything with /delete."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot import export
from bot.service import Assistant
from bot.storage import Storage, StoredChat, TinyDBStorage
from flows.conversation import ERASE, EXPORT, Command, Press, Upload
from flows.model import Account
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver

Make = Callable[..., Driver]
DEVIS = b"%PDF-1.7 devis signe " * 200
PHOTO = b"\xff\xd8\xff\xe0 bon de livraison " * 300


def keep_file(storage: Storage, d: Driver, name: str, data: bytes) -> None:
    """What the Telegram adapter does for a file: the bytes kept, then the Upload event."""
    digest = hashlib.sha256(data).hexdigest()
    storage.blobs.put(d.account.chat_id, d.case.id, f"evidence/{digest}", data)
    d._record(turn(d.account, Upload(d.case.id, name, "application/pdf", len(data), digest,
                                     f"evidence/{digest}"), d.now))


def saved_case_file(make: Make, data_dir: Path) -> tuple[Storage, Driver]:
    store = TinyDBStorage(data_dir)
    d = make()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="ev_contract")
    keep_file(store, d, "devis signé.pdf", DEVIS)
    d.press_label("Devis / contrat")
    keep_file(store, d, "bon de livraison.jpg", PHOTO)
    d.press_label("Preuve de livraison")
    d.command("note", "appelé le 12/10, il promet de payer vendredi")
    store.blobs.put(d.account.chat_id, d.case.id, "documents/mise_en_demeure_20261123.pdf",
                    b"%PDF lettre")
    d.command("new")
    d.press("be")
    store.accounts.save(StoredChat(d.account), None)
    return store, d


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_holds_every_case_document_file_and_chronology(driver: Make,
                                                              data_dir: Path) -> None:
    store, d = saved_case_file(driver, data_dir)
    acme = d.account.cases[0]
    [path] = export.build(store, d.account.chat_id, d.now)
    assert path.name == "impayes_export_20261123.zip"
    entries = read_zip(path)
    folder = f"impayes_export/cases/01_acme-renovation-sarl_{acme.id}"
    second = d.account.cases[1]
    assert set(entries) == {
        "impayes_export/README.txt",
        "impayes_export/account.json",
        f"{folder}/case.json",
        f"{folder}/chronology.txt",
        f"{folder}/chronology.csv",
        f"{folder}/evidence/index.csv",
        f"{folder}/evidence/01_devis signé.pdf",
        f"{folder}/evidence/02_bon de livraison.jpg",
        f"{folder}/documents/mise_en_demeure_20261123.pdf",
        f"impayes_export/cases/02_nouveau-dossier-du-23-novembre-2026_{second.id}/case.json",
        f"impayes_export/cases/02_nouveau-dossier-du-23-novembre-2026_{second.id}/"
        "chronology.txt",
        f"impayes_export/cases/02_nouveau-dossier-du-23-novembre-2026_{second.id}/"
        "chronology.csv",
        f"impayes_export/cases/02_nouveau-dossier-du-23-novembre-2026_{second.id}/"
        "evidence/index.csv",
    }
    assert entries[f"{folder}/evidence/01_devis signé.pdf"] == DEVIS
    assert json.loads(entries[f"{folder}/case.json"])["answers"]["debtor_name"] == (
        "ACME Rénovation SARL")
    assert json.loads(entries["impayes_export/account.json"])["cases"][1]["answers"] == {
        "jurisdiction": "be"}
    chronology = entries[f"{folder}/chronology.txt"].decode()
    assert "Chronologie — ACME Rénovation SARL" in chronology
    assert "23/11/2026 10:00  Note : appelé le 12/10, il promet de payer vendredi" in chronology
    assert "Fichier reçu : devis signé.pdf (4 Ko), SHA-256 " + hashlib.sha256(
        DEVIS).hexdigest() in chronology
    readme = entries["impayes_export/README.txt"].decode()
    assert "Impayés — export du 23 novembre 2026 à 10:00" in readme
    assert "(2 dossiers)" in readme


def test_evidence_index_matches_the_files_in_the_zip(driver: Make, data_dir: Path) -> None:
    store, d = saved_case_file(driver, data_dir)
    entries = read_zip(export.build(store, d.account.chat_id, d.now)[0])
    [index_name] = [n for n in entries if n.endswith("01_acme-renovation-sarl_"
                                                     f"{d.account.cases[0].id}/evidence/index.csv")]
    header, *files = rows(entries[index_name])
    assert header == ["fichier", "nom d'origine", "type", "taille (octets)", "reçu le",
                      "SHA-256", "prouve", "légende"]
    assert [f[1] for f in files] == ["devis signé.pdf", "bon de livraison.jpg"]
    folder = index_name.rsplit("/evidence/", 1)[0]
    for row in files:
        content = entries[f"{folder}/{row[0]}"]
        assert hashlib.sha256(content).hexdigest() == row[5]
        assert int(row[3]) == len(content)
        assert row[4] == "2026-11-23T10:00:00+01:00"
    assert files[0][6].startswith("Devis signé, bon de commande ou contrat")


def test_chronology_csv_has_one_dated_row_per_event(driver: Make, data_dir: Path) -> None:
    store, d = saved_case_file(driver, data_dir)
    entries = read_zip(export.build(store, d.account.chat_id, d.now)[0])
    [name] = [n for n in entries if "01_acme" in n and n.endswith("chronology.csv")]
    header, *events = rows(entries[name])
    assert header == ["date", "nature", "ce qui s'est passé"]
    assert [e[1] for e in events] == ["opened", "evidence", "evidence", "note"]


def test_a_large_export_comes_in_parts_each_a_valid_zip(driver: Make, data_dir: Path) -> None:
    store, d = saved_case_file(driver, data_dir)
    paths = export.build(store, d.account.chat_id, d.now, limit=5000)
    assert len(paths) >= 2
    assert paths[0].name == f"impayes_export_20261123_1of{len(paths)}.zip"
    names: list[str] = []
    for path in paths:
        names += read_zip(path)
    assert len(names) == len(set(names)) == 13
    export.discard(paths)
    assert not any(path.exists() or path.parent.exists() for path in paths)


def test_export_command_asks_the_adapter_for_the_zip(driver: Make) -> None:
    d = driver()
    d.command("export")
    assert d.last.action == EXPORT
    assert d.last.changed is False
    assert "tout ce que je garde sur vous" in d.text_of_last()


def test_delete_asks_for_confirmation_and_warns_it_cannot_be_undone(driver: Make) -> None:
    d = driver("en")
    d.command("start")
    d.command("delete")
    assert "erases, for good, everything I hold about you" in d.text_of_last()
    assert "It cannot be undone" in d.text_of_last()
    assert [b.label for b in d.prompt.buttons] == ["🗑 Yes, erase everything", "Keep my data"]
    assert d.last.action is None
    d.press("no")
    assert d.text_of_last() == "Nothing was erased."
    assert d.account.cases


def test_an_old_or_forged_erase_button_erases_nothing(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.command("delete")
    token = d.prompt.buttons[0].value
    forged = turn(d.account, Press("", "erase", "00000000"), d.now)
    assert forged.action is None
    assert forged.notice == "Cette confirmation n'est plus valable : renvoyez /delete."
    later = turn(d.account, Press("", "erase", token), d.now + timedelta(minutes=16))
    assert later.action is None
    confirmed = turn(d.account, Press("", "erase", token), d.now + timedelta(minutes=5))
    assert confirmed.action == ERASE


def test_confirmed_delete_leaves_nothing_of_the_user_on_disk(driver: Make,
                                                            data_dir: Path) -> None:
    store, d = saved_case_file(driver, data_dir)
    other = Driver(account=Account.new("2002", "fr"), now=d.now)
    other.command("start")
    store.accounts.save(StoredChat(other.account), None)
    assistant = Assistant(store, lambda: d.now)
    assistant.handle(d.account.chat_id, Press("", "erase", "x"))  # nothing pending: refused
    assert store.accounts.load(d.account.chat_id) is not None
    reply = assistant.handle(d.account.chat_id, Command("delete"))
    assert reply is not None
    assert reply.prompt is not None
    reply = assistant.handle(d.account.chat_id,
                             Press("", "erase", reply.prompt.buttons[0].value), update_id=77)
    assert reply is not None
    assert reply.messages == ["🗑 C'est fait : tout ce que je gardais sur vous est effacé. "
                              "/start pour recommencer."]
    left = [p for p in data_dir.rglob("*") if d.account.chat_id in p.parts]
    assert left == []
    assert store.accounts.load("2002") is not None  # the other user keeps everything
    # The same confirmation delivered again, or any old button, writes nothing back.
    assert assistant.handle(d.account.chat_id, Press("", "erase", "x"), update_id=77) is not None
    assert [p for p in data_dir.rglob("*") if d.account.chat_id in p.parts] == []
