"""Insolvency deadlines: proof of claim and revendication windows, with weekend roll-over."""

from __future__ import annotations

from flows.law import InsolvencyFacts, pack_for
from flows.vocabulary import Jurisdiction
from tests.law_cases import d


def test_french_proof_of_claim_is_due_two_months_after_the_bodacc_publication() -> None:
    guide = pack_for(Jurisdiction.FRANCE).insolvency(InsolvencyFacts(d("2025-01-10")))
    assert guide.proof_of_claim.last_day == d("2025-03-10")  # R622-24: 2 months
    assert guide.revendication is not None
    assert guide.revendication.last_day == d("2025-04-10")  # L624-9: 3 months
    assert [x.last_day for x in guide.other_deadlines] == [d("2025-07-10")]  # L622-26: 6 months
    assert guide.proof_of_claim.extended_to is None


def test_publication_on_31_december_gives_28_february() -> None:
    guide = pack_for(Jurisdiction.FRANCE).insolvency(InsolvencyFacts(d("2024-12-31")))
    assert guide.proof_of_claim.last_day == d("2025-02-28")
    assert guide.revendication is not None
    assert guide.revendication.last_day == d("2025-03-31")


def test_creditor_outside_metropolitan_france_gets_four_months_rolled_past_the_weekend() -> None:
    guide = pack_for(Jurisdiction.FRANCE).insolvency(
        InsolvencyFacts(d("2025-01-10"), creditor_outside_metropole=True)
    )
    assert guide.proof_of_claim.last_day == d("2025-05-10")  # a Saturday
    assert guide.proof_of_claim.extended_to == d("2025-05-12")


def test_belgian_claim_deadline_is_the_one_set_by_the_judgment() -> None:
    guide = pack_for(Jurisdiction.BELGIUM).insolvency(
        InsolvencyFacts(d("2025-03-03"), claims_deadline=d("2025-04-02"))
    )
    assert guide.proof_of_claim.last_day == d("2025-04-02")
    assert guide.revendication is not None
    assert guide.revendication.last_day is None
    assert [x.last_day for x in guide.other_deadlines] == [d("2026-03-03"), d("2025-06-03")]


def test_quebec_goods_delivered_before_bankruptcy_must_be_claimed_within_15_days() -> None:
    guide = pack_for(Jurisdiction.QUEBEC).insolvency(InsolvencyFacts(d("2025-03-03")))
    assert guide.revendication is not None
    assert guide.revendication.last_day == d("2025-03-18")
    assert guide.proof_of_claim.last_day is None
