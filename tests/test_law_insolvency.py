"""Insolvency deadlines: proof of claim and revendication windows, with weekend roll-over."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flows.law import InsolvencyFacts, InvalidFacts, pack_for
from flows.vocabulary import Jurisdiction
from tests.law_cases import d, rights


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


def test_french_claim_counts_interest_up_to_the_day_before_the_opening_judgment() -> None:
    # Judgment of Wed 8 Jan 2025, published 10 Jan: it takes effect from 00:00 on 8 Jan, so
    # the claim counts interest up to Tue 7 Jan (L622-28). Invoice 10 000 EUR due 15 Nov 2024:
    # 16 Nov -> 31 Dec 2024 = 46 days at 14.25 % = 10000 x 0.1425 x 46/365 = 179.589 -> 179.59;
    # 1 -> 7 Jan 2025 = 7 days at 13.15 % = 10000 x 0.1315 x 7/365 = 25.219 -> 25.22;
    # total 204.81 (counting 8 Jan too would add a day: 10000 x 0.1315/365 = 3.60).
    guide = pack_for(Jurisdiction.FRANCE).insolvency(
        InsolvencyFacts(d("2025-01-10"), opened_on=d("2025-01-08"))
    )
    assert guide.interest_until == d("2025-01-07")
    assert guide.notes[0].key == "law.insolvency.fr.interest_until"
    assert guide.notes[0].param("day") == d("2025-01-07")
    r = rights(Jurisdiction.FRANCE, "10000", "2024-10-16", "2024-11-15", "2025-01-07")
    assert r.interest.amount == Decimal("204.81")


def test_without_the_judgment_date_the_publication_is_used_and_said() -> None:
    guide = pack_for(Jurisdiction.FRANCE).insolvency(InsolvencyFacts(d("2025-01-10")))
    assert guide.interest_until == d("2025-01-09")
    assert "law.insolvency.fr.opening_assumed" in [n.key for n in guide.notes]


def test_belgian_claim_counts_interest_up_to_the_day_before_the_bankruptcy_judgment() -> None:
    guide = pack_for(Jurisdiction.BELGIUM).insolvency(InsolvencyFacts(d("2025-03-03")))
    assert guide.interest_until == d("2025-03-02")
    assert guide.notes[0].key == "law.insolvency.be.interest_until"


def test_the_four_months_outside_metropolitan_france_are_offered_until_answered() -> None:
    def keys(facts: InsolvencyFacts) -> list[str]:
        return [n.key for n in pack_for(Jurisdiction.FRANCE).insolvency(facts).notes]

    assert "law.insolvency.fr.outside_metropole_offer" in keys(InsolvencyFacts(d("2025-01-10")))
    no = keys(InsolvencyFacts(d("2025-01-10"), creditor_outside_metropole=False))
    assert not [k for k in no if "outside_metropole" in k]
    yes = keys(InsolvencyFacts(d("2025-01-10"), creditor_outside_metropole=True))
    assert "law.insolvency.fr.outside_metropole_applied" in yes


def test_a_judgment_after_its_publication_is_refused() -> None:
    with pytest.raises(InvalidFacts, match="after its publication"):
        InsolvencyFacts(d("2025-01-10"), opened_on=d("2025-01-11"))
