"""The three forms of the documents as a user opens them: the PDF, the DOCX, the e-mail text.

One representative case per document kind and language is drawn for real (WeasyPrint, python-
docx), and the key facts are read back from the files: names, amounts, dates, deadlines,
articles. The wording of every document in every sample is covered by the snapshots
(``test_documents.py``); here it is the files themselves that are checked.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from bot.files import write_all
from flows.conversation import DocumentJob
from flows.documents.catalog import jobs_for
from flows.documents.drawing import draw
from flows.vocabulary import Remedy
from testing.driver import plain
from tests.documents_samples import SAMPLES, TODAY, with_remedy
from tests.pdf import pdf_text

R = Remedy
LEAKS = re.compile(r"\{\{|\{%|\bNone\b|\bnan\b|Undefined|\b[a-z]+_[a-z_]+\b")

# (sample, remedy, kind) → facts each language must show. "{fr|en}" variants are chosen below.
FACTS: list[tuple[str, Remedy, str, dict[str, list[str]]]] = [
    ("fr_business", R.FORMAL_DEMAND, "demand_letter", {
        "fr": ["MISE EN DEMEURE", "ACME Rénovation SARL", "Studio Martin SAS", "732 829 320",
               "F-2026-031", "F-2026-042", "3 200,50 €", "71,51 €", "80,00 €", "3 352,01 €",
               "12,15 %", "L441-10", "D441-5", "1er décembre 2026", "article 1344"],
        "en": ["FORMAL DEMAND", "ACME Rénovation SARL", "€3,200.50", "€71.51", "€80.00",
               "€3,352.01", "12.15%", "L441-10", "D441-5", "1 December 2026", "Article 1344"]}),
    ("fr_consumer", R.FORMAL_DEMAND, "demand_letter", {
        "fr": ["Paul Durand", "850,00 €", "1231-6", "2,62 %", "1er décembre 2026"],
        "en": ["Paul Durand", "€850.00", "1231-6", "2.62%", "1 December 2026"]}),
    ("be_consumer", R.FORMAL_DEMAND, "demand_letter", {
        "fr": ["Sophie Lambert", "livre XIX", "14 jours calendrier", "3e jour ouvrable", "100,00 €",
               "0403.170.701"],
        "en": ["Sophie Lambert", "Book XIX", "14 calendar days", "3rd working day", "€100.00",
               "0403.170.701"]}),
    ("qc_business", R.FORMAL_DEMAND, "demand_letter", {
        "fr": ["Érablière Tremblay inc.", "3 599,00 $", "1594", "1619", "petites créances",
               "taxes incluses"],
        "en": ["Érablière Tremblay inc.", "$3,599.00", "1594", "1619", "Small Claims"]}),
    ("fr_business", R.FRIENDLY_REMINDER, "reminder_1", {
        "fr": ["Objet : Rappel", "F-2026-031", "3 200,50 €", "IBAN FR76"],
        "en": ["Subject: Reminder", "F-2026-031", "€3,200.50", "IBAN FR76"]}),
    ("fr_business", R.FRIENDLY_REMINDER, "reminder_3", {
        "fr": ["Dernier rappel", "3 352,01 €", "14 décembre 2026"],
        "en": ["Final reminder", "€3,352.01", "14 December 2026"]}),
    ("fr_consumer", R.FRIENDLY_REMINDER, "phone_script", {
        "fr": ["Paul Durand", "850,00 €", "34 jours"], "en": ["Paul Durand", "€850.00",
                                                             "34 days late"]}),
    ("fr_business", R.SUSPENSION, "suspension_notice", {
        "fr": ["Maintenance du site", "3 décembre 2026", "Hébergement du site", "2 jours ouvrés",
               "1219"],
        "en": ["Maintenance du site", "3 December 2026", "Hébergement du site",
               "2 working days", "1219"]}),
    ("fr_business", R.PAYMENT_PLAN, "plan_letter", {
        "fr": ["1 066,83 €", "1 066,84 €", "3 200,50 €", "151,51 €", "15 décembre 2026",
               "15 février 2027"],
        "en": ["€1,066.83", "€1,066.84", "€3,200.50", "€151.51", "15 December 2026",
               "15 February 2027"]}),
    ("fr_business", R.PAYMENT_PLAN, "plan_agreement", {
        "fr": ["reconnaissance de dette", "Déchéance du terme", "Pénalités et indemnité",
               "1376", "3 200,50 €", "Le débiteur"],
        "en": ["acknowledgment of debt", "Acceleration", "Penalties and indemnity", "1376",
               "€3,200.50", "The debtor"]}),
    ("fr_goods", R.RETENTION_OF_TITLE, "rot_claim", {
        "fr": ["Felder K700", "A341-0457", "2367", "7 800,00 €"],
        "en": ["Felder K700", "A341-0457", "2367", "€7,800.00"]}),
    ("fr_insolvency", R.RETENTION_OF_TITLE, "revendication", {
        "fr": ["Me Louis Bernard", "Copie : Mandataire judiciaire", "L624-9", "R624-13",
               "5 février 2027", "Dell R750"],
        "en": ["Me Louis Bernard", "Copy:", "L624-9", "R624-13", "5 February 2027",
               "Dell R750"]}),
    # Judgment of 28 Oct 2026: interest stops the day before (L622-28), 10 Aug -> 27 Oct =
    # 79 days at 15 %: 18450 x 0.15 x 79/365 = 598.99, + 40 + 18450 = 19 088.99.
    ("fr_insolvency", R.INSOLVENCY_CLAIM, "proof_of_claim", {
        "fr": ["DÉCLARATION DE CRÉANCE", "SELARL Mandataires Associés", "28 octobre 2026",
               "19 088,99 €", "27 octobre 2026", "veille du jugement", "R622-23", "L622-28",
               "5 janvier 2027", "sincère et véritable"],
        "en": ["PROOF OF CLAIM", "SELARL Mandataires Associés", "28 October 2026",
               "€19,088.99", "27 October 2026", "the day before the opening judgment",
               "R622-23", "L622-28", "5 January 2027", "true and accurate"]}),
    ("fr_business", R.COLLECTION_AGENCY, "agency_brief", {
        "fr": ["Dossier de recouvrement", "3 352,01 €", "2 novembre 2026", "R124-3"],
        "en": ["Collection file", "€3,352.01", "2 November 2026", "R124-3"]}),
    ("fr_business", R.COURT, "injonction_request", {
        "fr": ["Requête en injonction de payer", "12946",
               "tribunal des activités économiques de Lyon", "3 352,01 €",
               "F-2026-042"],
        "en": ["order for payment", "12946", "3,352.01", "F-2026-042"]}),
    ("fr_business", R.COURT, "small_claims_request", {
        "fr": ["L125-1", "5 000,00 €", "commissaire de justice"],
        "en": ["L125-1", "€5,000.00", "commissaire de justice"]}),
    ("be_business", R.COURT, "uncontested_debt_request", {
        "fr": ["1394/20", "0403.170.701", "0202.239.951", "3 725,35 €"],
        "en": ["1394/20", "0403.170.701", "0202.239.951", "€3,725.35"]}),
    ("be_consumer", R.COURT, "lawyer_brief", {
        "fr": ["Dossier pour l'avocat", "justice de paix"],
        "en": ["File for the lawyer", "1,200.00"]}),
    ("qc_business", R.COURT, "qc_small_claims", {
        "fr": ["Division des petites créances", "3 599,00 $", "P-1", "15 000,00 $",
               "s'en remet au tribunal pour le calcul de l'indemnité additionnelle",
               "article 28 de la Loi sur l'administration fiscale"],
        "en": ["Small Claims Division", "$3,599.00", "P-1", "$15,000.00",
               "leaves the computation of the additional indemnity to the court",
               "section 28 of the Tax Administration Act"]}),
    ("fr_business", R.FORMAL_DEMAND, "chronology", {
        "fr": ["1er août 2026", "31 août 2026", "2 novembre 2026", "1er décembre 2026"],
        "en": ["1 August 2026", "31 August 2026", "2 November 2026", "1 December 2026"]}),
    ("fr_business", R.SUSPENSION, "evidence_checklist", {
        "fr": ["avis de suspension"], "en": ["notice of suspension"]}),
]
CASES = [(s, r, k, lang, facts[lang]) for s, r, k, facts in FACTS for lang in ("fr", "en")]


@cache
def drawn(sample: str, remedy: Remedy, kind: str, lang: str, folder: str) -> tuple[Path, ...]:
    case = with_remedy(SAMPLES[sample](), remedy)
    job = next(j for j in jobs_for(case, lang, TODAY) if j.kind == kind)
    return tuple(write_all(Path(folder) / f"{sample}-{remedy.value}-{lang}", draw(job)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("documents"))


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return plain(" ".join(parts))


@pytest.mark.parametrize(("sample", "remedy", "kind", "lang", "facts"), CASES,
                         ids=[f"{c[2]}-{c[0]}-{c[3]}" for c in CASES])
def test_pdf_and_docx_state_the_key_facts(sample: str, remedy: Remedy, kind: str, lang: str,
                                          facts: list[str], folder: str) -> None:
    paths = {p.suffix: p for p in drawn(sample, remedy, kind, lang, folder)}
    pdf = plain(pdf_text(paths[".pdf"]))
    for fact in facts:
        assert fact in pdf, f"{fact!r} missing from the PDF of {kind}"
    assert not LEAKS.search(pdf), LEAKS.search(pdf)
    if ".docx" in paths:
        text = docx_text(paths[".docx"])
        for fact in facts:
            assert fact in text, f"{fact!r} missing from the DOCX of {kind}"
        assert not LEAKS.search(text), LEAKS.search(text)


def test_long_letter_is_numbered_from_the_second_page(folder: str) -> None:
    pdf = next(p for p in drawn("fr_business", R.FORMAL_DEMAND, "demand_letter", "fr", folder)
               if p.suffix == ".pdf")
    text = pdf_text(pdf)
    pages = len(PdfReader(pdf).pages)  # the letter, then how to pay, maybe on a page of its own
    assert pages >= 2
    assert re.search(rf"\b2 ?/ ?{pages}\b", text)
    assert not re.search(rf"\b1 ?/ ?{pages}\b", text)  # none on the first page, as on letterhead


def test_docx_is_a4_with_page_numbers_in_the_footer(folder: str) -> None:
    path = next(p for p in drawn("fr_business", R.FORMAL_DEMAND, "demand_letter", "fr", folder)
                if p.suffix == ".docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    assert 'w:instr="NUMPAGES"' in footer
    assert document.core_properties.author == "Studio Martin SAS"
    # The subject line is bold and the recipient block sits on the right, as in the PDF.
    subject = next(p for p in document.paragraphs if p.text.startswith("Objet :"))
    assert all(run.bold for run in subject.runs)
    recipient = next(p for p in document.paragraphs if p.text == "4 avenue Foch")
    assert recipient.paragraph_format.left_indent.cm > 9


def test_emails_come_as_text_ready_to_paste(folder: str) -> None:
    paths = drawn("fr_business", R.FRIENDLY_REMINDER, "reminder_2", "en", folder)
    assert sorted(p.suffix for p in paths) == [".docx", ".pdf", ".txt"]
    text = next(p for p in paths if p.suffix == ".txt").read_text(encoding="utf-8")
    assert text.startswith("Subject: Second reminder")
    assert "To:" not in text  # the address goes in the mail client, not in the body
    assert "\n\nHello,\n\n" in text
    # The signature, then how to pay, as the e-mail's last lines.
    assert "06 12 34 56 78\n\nHow to pay\n" in text
    assert text.rstrip().endswith("Reference: RF45FRBIZ001")


def test_letters_are_not_sent_as_text_but_their_pdf_is(folder: str) -> None:
    paths = drawn("fr_insolvency", R.INSOLVENCY_CLAIM, "proof_of_claim", "fr", folder)
    assert sorted(p.suffix for p in paths) == [".docx", ".pdf"]


def test_user_text_is_printed_as_text_never_as_markup(tmp_path: Path) -> None:
    case = with_remedy(SAMPLES["fr_business"](), R.FORMAL_DEMAND)
    case.answers["debtor_name"] = "<b>Evil</b> & {{ 7*7 }}"
    job: DocumentJob = next(j for j in jobs_for(case, "fr", TODAY) if j.kind == "demand_letter")
    paths = {p.suffix: p for p in write_all(tmp_path, draw(job))}
    text = pdf_text(paths[".pdf"])
    assert "<b>Evil</b> & {{ 7*7 }}" in text
    assert "<b>Evil</b> & {{ 7*7 }}" in paths[".txt"].read_text(encoding="utf-8")
    assert "<b>Evil</b> & {{ 7*7 }}" in docx_text(paths[".docx"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_agency_brief_fits_on_one_page(folder: str, lang: str) -> None:
    # The busiest sample: two invoices, a partial payment, reminders, a chronology.
    pdf = next(p for p in drawn("fr_business", R.COLLECTION_AGENCY, "agency_brief", lang, folder)
               if p.suffix == ".pdf")
    assert len(PdfReader(str(pdf)).pages) == 1


@pytest.mark.parametrize(("remedy", "kind"), [(R.FORMAL_DEMAND, "demand_letter"),
                                              (R.FORMAL_DEMAND, "evidence_checklist")])
def test_quebec_documents_say_taxes_incluses_never_ttc(folder: str, remedy: Remedy,
                                                         kind: str) -> None:
    paths = {p.suffix: p for p in drawn("qc_business", remedy, kind, "fr", folder)}
    pdf = plain(pdf_text(paths[".pdf"]))
    assert "TTC" not in pdf
    assert "taxes incluses" in pdf
