"""The invoice sent in the console chat (/send): read, confirmed with one answer, then the
journey goes on to the demand letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.i18n import t
from testing.console import run_console
from testing.driver import plain
from tests.invoice_samples import facturx_pdf

# After the invoice: what is still asked, as typed in the console (numbers pick a choice;
# "rien" to the payments, answered in one or more lines, ends with an empty line).
REST = ["rien\n", "2", "1", "1", "aucun", "1", "1", "oui", "oui", "oui", "non", "non", "non",
        "oui", "non", "Mise en demeure", "8", "1", "02/11/2026", "1"]


def test_console_reads_a_sent_invoice_and_reaches_the_demand_letter(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMPAYES_LOOKUPS", "off")  # no BODACC call for the debtor's SIREN
    invoice = tmp_path / "facture F-2026-042.pdf"
    invoice.write_bytes(facturx_pdf())
    output = plain(run_console(data_dir, [f"/send {invoice}", "1", *REST]))
    assert "J'ai lu 15 réponses" in output
    assert "• Facture n° : F-2026-042 (facture, données Factur-X)" in output
    assert "• Adresse du client : 4 avenue Foch, 69006 Lyon (facture, données Factur-X)" in output
    assert "   1. ✅ Tout accepter" in output
    assert "C'est noté : 15 réponses enregistrées." in output
    for key in ("debtor_name", "invoice_amount", "creditor_address", "payment_details"):
        assert plain(t("fr", f"q.{key}", debtor="ACME Rénovation SARL")) not in output
    assert "📨 Votre mise en demeure est prête." in output
    assert "mise_en_demeure_20261123.pdf" in output
