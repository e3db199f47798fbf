"""Free text checked before it is printed on a letter: names have letters, addresses a street and
a postcode and town of the country, IBANs and registration numbers their check digits. Each
error is friendly, in the user's language, and the same question is asked again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from flows import question_checks as checks
from flows.i18n import t
from flows.model import Case
from flows.parsing import ParseError
from testing.driver import FRENCH_BUSINESS_CASE, Driver

Make = Callable[..., Driver]
TODAY = date(2026, 11, 23)


def case_in(jurisdiction: str) -> Case:
    case = Case.new(datetime(2026, 11, 23, 10, 0))
    case.answers["jurisdiction"] = jurisdiction
    return case


def refusal(check: Callable[[Case, str, date], None], case: Case, value: str) -> str:
    with pytest.raises(ParseError) as refused:
        check(case, value, TODAY)
    return refused.value.key


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_name_without_letters_gets_a_friendly_error_and_a_second_chance(
        driver: Make, lang: str) -> None:
    d = driver(lang=lang)
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="debtor_name")
    d.say("12345")
    assert d.last.messages == [t(lang, "error.name_letters")]
    assert d.prompt.key == "debtor_name"
    assert d.answers()["debtor_kind"] == "business"  # nothing already entered is lost
    d.say("ACME Rénovation SARL")
    assert d.prompt.key == "invoice_number"


def test_a_french_address_needs_a_street_and_a_valid_postcode_and_town(driver: Make) -> None:
    d = driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="creditor_address")
    for incomplete in ("75011 Paris",  # no street
                       "12 rue des Lilas",  # no postcode nor town
                       "12 rue des Lilas\n75011",  # no town
                       "12 rue des Lilas\n00011 Paris"):  # no département 00
        d.say(incomplete)
        assert d.last.messages == [t("fr", "error.address_fr")], incomplete
        assert d.prompt.key == "creditor_address"
    assert "code postal" in t("fr", "error.address_fr")
    d.say("12 rue des Lilas, 75011 Paris")
    assert d.answers()["creditor_address"] == "12 rue des Lilas, 75011 Paris"
    assert d.prompt.key == "debtor_address"


def test_belgian_and_quebec_addresses_follow_their_postcodes() -> None:
    belgian, quebec = case_in("be"), case_in("qc")
    checks.postal_address(belgian, "Rue Royale 45\n1000 Bruxelles", TODAY)
    checks.postal_address(belgian, "Place du Marché 3, B-4000 Liège", TODAY)
    assert refusal(checks.postal_address, belgian, "Rue Royale 45\n75011 Paris") == (
        "error.address_be")
    checks.postal_address(quebec, "455 rue Saint-Paul Ouest\nMontréal (Québec) H2Y 2A1", TODAY)
    checks.postal_address(quebec, "455 rue Saint-Paul Ouest\nMontréal QC\nH2Y 2A1", TODAY)
    assert refusal(checks.postal_address, quebec, "455 rue Saint-Paul Ouest\nMontréal") == (
        "error.address_qc")
    assert "A1A 1A1" in t("en", "error.address_qc")


def test_a_belgian_iban_with_a_right_key_but_an_unknown_bank_code_is_accepted() -> None:
    # BBAN 999 1234567 21: 9991234567 mod 97 = 21, so the national key is right; bank code
    # 999 is in no bank list. The IBAN key 17 makes the whole number mod 97 equal 1.
    belgian = case_in("be")
    checks.payment_details(belgian, "IBAN BE17 9991 2345 6721", TODAY)
    assert refusal(checks.payment_details, belgian, "IBAN BE18 9991 2345 6721") == "error.iban"


@pytest.mark.parametrize("typed", [
    "IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP",
    "IBAN FR7630006000011234567890189 BIC AGRIFRPP",
    "IBAN BE71 0961 2345 6769 BIC GEBABEBB"])
def test_a_bic_written_after_the_iban_without_a_comma_is_not_read_into_it(typed: str) -> None:
    # The IBAN pattern runs on into "BIC …": the valid IBAN at its start is what counts.
    checks.payment_details(case_in(typed[5:7].lower()), typed, TODAY)
    wrong = typed.replace("189 BIC", "188 BIC").replace("6769 BIC", "6768 BIC").replace(
        "0189 BIC", "0188 BIC")
    assert refusal(checks.payment_details, case_in(typed[5:7].lower()), wrong) == "error.iban"


@pytest.mark.parametrize("typed", ["ABC-123", "0403.170.702", "12345"])
def test_a_wrong_belgian_number_is_spoken_of_as_a_bce_number(typed: str) -> None:
    key = refusal(checks.company_id, case_in("be"), typed)
    for lang in ("fr", "en"):
        assert "BCE" in t(lang, key)
        assert "SIREN" not in t(lang, key)
