"""`make test` runs the suite on every core with ``--dist loadgroup``: tests marked with one
``xdist_group`` share a worker, and with it the bot process, browser or console run their
module starts once. pytest 9.2 broke that silently (each worker then starts its own); this
fails instead, on the run that matters."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("grouping_probe")


def test_a_grouped_test_reaches_the_scheduler_with_its_group(
        request: pytest.FixtureRequest) -> None:
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not a parallel run with --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping_probe"), (
        "pytest-xdist no longer sees the xdist_group marks: see the pytest pin in pyproject.toml")
