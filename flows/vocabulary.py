"""The remedies a creditor can choose between, in the product's own words."""

from __future__ import annotations

from enum import StrEnum

from flows.i18n import t


class Remedy(StrEnum):
    FRIENDLY_REMINDER = "friendly_reminder"
    FORMAL_DEMAND = "formal_demand"
    SUSPENSION = "suspension"
    PAYMENT_PLAN = "payment_plan"
    RETENTION_OF_TITLE = "retention_of_title"
    COLLECTION_AGENCY = "collection_agency"
    COURT = "court"
    INSOLVENCY_CLAIM = "insolvency_claim"


# What a debtor may dispute: the creditor's question (``dispute_reason``) and the debtor's own
# page offer the same points, so a debtor's contest pre-answers the creditor's question.
DISPUTE_POINTS = ("quality", "quantity", "delay", "price", "paid", "other")


class DebtorKind(StrEnum):
    BUSINESS = "business"
    CONSUMER = "consumer"


class Jurisdiction(StrEnum):
    FRANCE = "fr"
    BELGIUM = "be"
    QUEBEC = "qc"


class CountryWord(StrEnum):
    """Words each country says its own way, in its own legal French (and their English)."""

    INCL_TAX = "incl_tax"  # after an amount: TTC (France), TVAC (Belgium), taxes incluses (Quebec)
    INCL_TAX_LONG = "incl_tax_long"  # the same, spelt out, in a question
    BAILIFF = "bailiff"  # commissaire de justice (France since 2022), huissier de justice
    INSOLVENCY = "insolvency"  # the country's insolvency proceedings, as a question names them
    GAZETTE = "gazette"  # where an opening judgment is published: BODACC, Moniteur belge


def country_word(lang: str, jurisdiction: str, word: CountryWord) -> str:
    """``word`` as the law of ``jurisdiction`` says it, in ``lang`` (catalog ``country.*``)."""
    return t(lang, f"country.{jurisdiction}.{word.value}")
