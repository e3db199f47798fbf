"""The letters' legal sentences, as each pack words them: cited once, in both languages alike."""

from __future__ import annotations

import itertools
import string
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import pytest

from flows.i18n import catalog
from flows.law import Message, Percent, pack_for
from flows.law.letters import (
    Addressee,
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
    one_after_another,
    rate_basis,
)
from flows.law.messages import Ordinal, message_from_json, message_to_json
from flows.law.render import HtmlRenderer
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction

ON = date(2026, 11, 23)
# What only the document knows, filled in at layout time (see LetterWording's field notes).
LAYOUT = {"on", "principal", "total", "deadline", "pay_how", "pay_by", "clause", "today", "court"}


def facts(kind: DebtorKind, with_figures: bool) -> LetterFacts:
    ecb = Message.of("law.basis.fr.ecb_plus", ecb=Percent(Decimal("2.15")), points=10)
    return LetterFacts(
        debtor_kind=kind, on=ON, legal_rate=Percent(Decimal("6.67")),
        contract_rate=None if with_figures else Percent(Decimal("12.125")),
        rate_bases=(rate_basis(Percent(Decimal("12.15")), ecb),) if with_figures else (),
        has_interest=with_figures,
        indemnity_each=Money(Decimal(40), "EUR") if with_figures else None,
        demand_on=date(2026, 10, 1) if with_figures else None,
        services_running=with_figures,
        consumer_damages=Money(Decimal(25), "EUR") if with_figures else None,
        small_claims_open=with_figures,
    )


CASES = list(itertools.product(Jurisdiction, DebtorKind, (True, False)))


def wording(jurisdiction: Jurisdiction, kind: DebtorKind, with_figures: bool) -> LetterWording:
    return pack_for(jurisdiction).letters(facts(kind, with_figures))


def messages(words: LetterWording) -> list[Message]:
    found = [getattr(words, f.name) for f in fields(words)]
    return [nested for message in found if message is not None for nested in message.walk()]


@pytest.mark.parametrize(("jurisdiction", "kind", "with_figures"), CASES)
def test_every_letter_sentence_is_worded_in_both_languages(
        jurisdiction: Jurisdiction, kind: DebtorKind, with_figures: bool) -> None:
    for message in messages(wording(jurisdiction, kind, with_figures)):
        for lang in ("fr", "en"):
            text = catalog(lang).get(message.key)
            assert text is not None, (lang, message.key)
            wanted = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            given = {name for name, _ in message.params}
            assert wanted - given <= LAYOUT, (lang, message.key, wanted - given)


def test_a_french_business_demand_cites_the_commercial_code_and_the_civil_code() -> None:
    say = HtmlRenderer("fr", Jurisdiction.FRANCE)
    words = wording(Jurisdiction.FRANCE, DebtorKind.BUSINESS, True)
    assert words.legal_basis is not None
    basis = say(words.legal_basis)
    assert "article L441-10 du Code de commerce" in basis
    assert "au taux de 12,15\u00a0% (taux BCE 2,15\u00a0% + 10 points)" in basis
    assert "indemnité forfaitaire pour frais de recouvrement de 40,00\u00a0€" in basis
    assert say(words.formal_notice) == ("La présente vaut mise en demeure au sens de l'article "
                                        "1344 du Code civil.")


def test_a_belgian_consumer_letter_states_the_book_xix_time_to_pay() -> None:
    words = wording(Jurisdiction.BELGIUM, DebtorKind.CONSUMER, True)
    assert words.first_reminder is not None
    assert words.reminder_law is None
    # 14 calendar days from the 3rd working day after posting (CDE XIX.2, data table).
    fr = HtmlRenderer("fr", Jurisdiction.BELGIUM)(words.first_reminder, principal="100,00 €")
    en = HtmlRenderer("en", Jurisdiction.BELGIUM)(words.first_reminder, principal="€100.00")
    assert "14 jours calendrier, qui commence le 3e jour ouvrable" in fr
    assert "14 calendar days, starting on the 3rd working day" in en
    assert "l'indemnité forfaitaire de 25,00\u00a0€" in fr


def test_quebec_announces_the_small_claims_division_only_when_it_is_open() -> None:
    say = HtmlRenderer("en", Jurisdiction.QUEBEC)
    pack = pack_for(Jurisdiction.QUEBEC)
    known = facts(DebtorKind.BUSINESS, True)
    opened = pack.letters(known).demand_action
    unknown = pack.letters(replace(known, small_claims_open=None)).demand_action
    closed = pack.letters(replace(known, small_claims_open=False)).demand_action
    assert "Small Claims Division" in say(opened)
    assert "Small Claims Division" in say(unknown)
    assert "Small Claims Division" not in say(closed)


def test_several_rates_read_one_after_another() -> None:
    say = HtmlRenderer("en", Jurisdiction.FRANCE)
    rates = tuple(Message.of("law.letter.rate_basis", rate=Percent(Decimal(r)), basis="x")
                  for r in ("12.15", "12.00", "11.50"))
    joined = one_after_another(rates)
    assert isinstance(joined, Message)
    assert say(joined) == "12.15% (x), then 12.00% (x), then 11.50% (x)"


def test_a_sentence_survives_the_documents_json_with_its_types() -> None:
    message = Message.of("law.letter.legal_basis.fr_business",
                         rate=Message.of("law.letter.rate.agreed_qc", rate=Percent(Decimal("5"))),
                         amount=Money(Decimal("40"), "EUR"), on=ON, n=Ordinal(3), count=2,
                         share=Decimal("1.5"), text="ACME")
    assert message_from_json(message_to_json(message)) == message


def test_a_name_in_a_letter_sentence_is_escaped_but_the_bold_is_kept() -> None:
    say = HtmlRenderer("fr", Jurisdiction.FRANCE)
    words = wording(Jurisdiction.FRANCE, DebtorKind.BUSINESS, True)
    text = say(words.rot_ownership, clause="<script>alert(1)</script> & co")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    warning = say(words.last_reminder_warning, pay_by="1er décembre 2026", pay_how="par virement")
    assert "<strong>1er décembre 2026</strong>" in warning


PROCEEDINGS = {Jurisdiction.FRANCE: ("fr_safeguard", "fr_reorganisation", "fr_liquidation"),
               Jurisdiction.BELGIUM: ("be_bankruptcy", "be_reorganisation"),
               Jurisdiction.QUEBEC: ("qc_bankruptcy", "qc_proposal")}
INSOLVENCY_CASES = [(jurisdiction, proceedings, known)
                    for jurisdiction, names in PROCEEDINGS.items() for proceedings in names
                    for known in (True, False)]
# Filled by the letter layout: "until" is the last day of interest the figures were computed to.
INSOLVENCY_LAYOUT = {"debtor", "debtor_dot", "principal", "rates", "last_day", "article", "until"}


def insolvency(jurisdiction: Jurisdiction, proceedings: str, known: bool) -> InsolvencyWording:
    return pack_for(jurisdiction).insolvency_letters(InsolvencyLetterFacts(
        proceedings=proceedings, judgment_date=date(2026, 10, 5) if known else None,
        published_on=date(2026, 10, 12), court="Tribunal de commerce de Lyon" if known else "",
        administrator_named=known, interest_rates_known=known))


@pytest.mark.parametrize(("jurisdiction", "proceedings", "known"), INSOLVENCY_CASES)
def test_every_insolvency_letter_sentence_is_worded_in_both_languages(
        jurisdiction: Jurisdiction, proceedings: str, known: bool) -> None:
    words = insolvency(jurisdiction, proceedings, known)
    found = [getattr(words, f.name) for f in fields(words)]
    for message in (m for top in found if isinstance(top, Message) for m in top.walk()):
        for lang in ("fr", "en"):
            text = catalog(lang).get(message.key)
            assert text is not None, (lang, message.key)
            wanted = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            given = {name for name, _ in message.params}
            assert wanted - given <= INSOLVENCY_LAYOUT, (lang, message.key, wanted - given)


@pytest.mark.parametrize(("proceedings", "known", "to", "copy"), [
    # R624-13: to the administrator, else the debtor, copy to the representative...
    ("fr_reorganisation", True, Addressee.ADMINISTRATOR, True),
    ("fr_safeguard", False, Addressee.DEBTOR, True),
    # ...and in liquidation to the liquidator alone.
    ("fr_liquidation", True, Addressee.REPRESENTATIVE, False),
])
def test_a_french_claim_for_goods_goes_to_whom_the_commercial_code_says(
        proceedings: str, known: bool, to: Addressee, copy: bool) -> None:
    words = insolvency(Jurisdiction.FRANCE, proceedings, known)
    assert (words.revendication_to, words.revendication_copy) == (to, copy)


def test_a_french_proof_of_claim_cites_its_articles_and_stops_interest() -> None:
    say = HtmlRenderer("fr", Jurisdiction.FRANCE)
    words = insolvency(Jurisdiction.FRANCE, "fr_liquidation", True)
    opening = say(words.claim_opening, debtor_dot="ACME SARL.")
    assert opening.startswith("Par jugement du 5 octobre 2026 (Tribunal de commerce de Lyon), "
                              "publié au BODACC le 12 octobre 2026, une procédure de "
                              "liquidation judiciaire a été ouverte à l'égard d'ACME SARL.")
    assert "articles L622-24 et suivants et R622-23 du Code de commerce" in opening
    interest = say(words.claim_interest, rates="12,15\u00a0%", principal="3 200,50\u00a0€")
    assert "(article L622-28 du Code de commerce)" in interest
    assert say(words.representative) == "Liquidateur judiciaire"


def test_a_belgian_proof_of_claim_goes_on_regsol_within_the_judgments_time() -> None:
    say = HtmlRenderer("en", Jurisdiction.BELGIUM)
    words = insolvency(Jurisdiction.BELGIUM, "be_bankruptcy", False)
    assert say(words.claim_send_mode) == "Filed on RegSol or by registered mail"
    assert words.claim_in_time_undated is not None
    assert say(words.claim_in_time_undated) == ("This claim is lodged within the period set by "
                                                "the bankruptcy judgment.")
