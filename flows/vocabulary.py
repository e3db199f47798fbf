"""The remedies a creditor can choose between, in the product's own words."""

from __future__ import annotations

from enum import StrEnum


class Remedy(StrEnum):
    FRIENDLY_REMINDER = "friendly_reminder"
    FORMAL_DEMAND = "formal_demand"
    SUSPENSION = "suspension"
    PAYMENT_PLAN = "payment_plan"
    RETENTION_OF_TITLE = "retention_of_title"
    COLLECTION_AGENCY = "collection_agency"
    COURT = "court"
    INSOLVENCY_CLAIM = "insolvency_claim"


class DebtorKind(StrEnum):
    BUSINESS = "business"
    CONSUMER = "consumer"


class Jurisdiction(StrEnum):
    FRANCE = "fr"
    BELGIUM = "be"
    QUEBEC = "qc"
