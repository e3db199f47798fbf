"""Fake public registers on 127.0.0.1: the company search and the BODACC, as their APIs answer.

Shapes from the public documentation: "Recherche d'entreprises"
(https://recherche-entreprises.api.gouv.fr/docs/, ``GET /search?q=``: ``results`` of companies
with ``siren``, ``nom_complet``, ``nom_raison_sociale``, ``siege`` {``adresse``,
``code_postal``, ``libelle_commune``…}, ``nature_juridique``, ``activite_principale``,
``etat_administratif``, ``date_fermeture``…) and the BODACC on Opendatasoft's Explore API v2.1
(``GET /api/explore/v2.1/catalog/datasets/annonces-commerciales/records?where=…``:
``total_count`` and ``results`` of announcements with ``registre``, ``familleavis``,
``dateparution``, ``tribunal``, ``jugement`` as a JSON text…).

A SIREN may be set to answer slowly (past the bot's timeout), fail (HTTP 500) or find nothing.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BODACC_PATH = "/api/explore/v2.1/catalog/datasets/annonces-commerciales/records"
SLOW_SECONDS = 5.0

# Valid SIRENs (Luhn check digit) for the fake companies.
ACME = "812345676"  # a SAS in Lyon, active
SCI = "443061841"  # a société civile immobilière: not a trader
CLOSED = "532089794"  # a SARL closed in 2025
SLOW = "901122333"  # answers after SLOW_SECONDS
FAILING = "776655441"  # HTTP 500
UNKNOWN = "332211002"  # valid, yet in no register


def company(siren: str, name: str, form: str, street: str, postcode: str, town: str,
            state: str = "A", closed: str | None = None) -> dict[str, Any]:
    """One result of ``/search``, with the fields the documentation lists."""
    return {
        "siren": siren, "nom_complet": name, "nom_raison_sociale": name, "sigle": None,
        "nombre_etablissements": 1, "nombre_etablissements_ouverts": 0 if closed else 1,
        "siege": {"activite_principale": "62.01Z", "adresse": f"{street} {postcode} {town}",
                  "code_postal": postcode, "commune": "69386", "libelle_commune": town,
                  "etat_administratif": state, "est_siege": True, "siret": f"{siren}00013"},
        "activite_principale": "62.01Z", "categorie_entreprise": "PME",
        "date_creation": "2015-03-02", "date_fermeture": closed, "etat_administratif": state,
        "nature_juridique": form, "section_activite_principale": "J",
        "tranche_effectif_salarie": "11", "dirigeants": [],
        "complements": {"est_entrepreneur_individuel": form.startswith("10"),
                        "est_association": form.startswith("92")},
        "matching_etablissements": [],
    }


def opening(siren: str, published: str, judged: str, nature: str, number: int = 1234,
            ) -> dict[str, Any]:
    """One BODACC announcement of an opening judgment (collective proceedings)."""
    judgment = {"type": "initial", "famille": "Jugement d'ouverture", "nature": nature,
                "date": judged, "complementJugement": f"{nature}, date de cessation des "
                "paiements le 1er novembre 2026, désignant mandataire judiciaire SELARL MJ "
                "Exemple, 10 quai de Saône 69002 Lyon."}
    return {
        "id": f"A{published.replace('-', '')}{number}", "publicationavis": "A",
        "publicationavis_facette": "Bodacc A", "parution": published.replace("-", ""),
        "dateparution": published, "numeroannonce": number, "typeavis": "annonce",
        "typeavis_lib": "Avis initial", "familleavis": "collective",
        "familleavis_lib": "Procédures collectives", "numerodepartement": "69",
        "departement_nom_officiel": "Rhône", "tribunal":
        "GREFFE DU TRIBUNAL DES ACTIVITES ECONOMIQUES DE LYON", "commercant": "ACME",
        "ville": "Lyon", "cp": "69006",
        "registre": [f"{siren[:3]} {siren[3:6]} {siren[6:]}", siren],
        "jugement": json.dumps(judgment, ensure_ascii=False),
        "url_complete": f"https://www.bodacc.fr/annonce/detail-annonce/A/{number}",
    }


def sale(siren: str, published: str) -> dict[str, Any]:
    """An announcement of another family (a sale of the business): never an insolvency."""
    record = opening(siren, published, published, "Vente")
    record.update(familleavis="vente", familleavis_lib="Ventes et cessions", jugement=None)
    return record


@dataclass
class Registers:
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    announcements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)  # the paths asked, in order


def default_registers() -> Registers:
    return Registers(companies={
        ACME: company(ACME, "ACME SOLUTIONS", "5710", "4 AVENUE FOCH", "69006", "LYON"),
        SCI: company(SCI, "SCI LES TILLEULS", "6540", "12 RUE DES LILAS", "75011", "PARIS"),
        CLOSED: company(CLOSED, "ANCIENNE SARL", "5499", "3 RUE BASSE", "13001", "MARSEILLE",
                        state="C", closed="2025-06-30"),
    })


class _Handler(BaseHTTPRequestHandler):
    registers: Registers

    def do_GET(self) -> None:
        self.registers.asked.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/search":
            wanted = query.get("q", "").replace(" ", "")[:9]
            self._answer(wanted, lambda: self._search(wanted))
        elif url.path == BODACC_PATH:
            found = re.search(r'registre like "(\d{9})"', query.get("where", ""))
            wanted = found.group(1) if found else ""
            self._answer(wanted, lambda: self._records(wanted, query.get("where", "")))
        else:
            self.send_error(404)

    def _answer(self, siren: str, body: Any) -> None:
        if siren == SLOW:
            time.sleep(SLOW_SECONDS)
        if siren == FAILING:
            self.send_error(500)
            return
        payload = json.dumps(body()).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the bot gave up waiting (the slow answer): as a real server, say nothing

    def _search(self, siren: str) -> dict[str, Any]:
        results = [self.registers.companies[siren]] if siren in self.registers.companies else []
        return {"results": results, "total_results": len(results), "page": 1, "per_page": 5,
                "total_pages": 1 if results else 0}

    def _records(self, siren: str, where: str) -> dict[str, Any]:
        records = self.registers.announcements.get(siren, [])
        if 'familleavis="collective"' in where:
            records = [r for r in records if r["familleavis"] == "collective"]
        return {"total_count": len(records), "results": records}

    def log_message(self, *_args: object) -> None:
        pass


class FakeRegisters:
    """Both fakes on one port: ``company_url`` and ``bodacc_url`` are the two base addresses."""

    def __init__(self, registers: Registers | None = None) -> None:
        self.registers = registers or default_registers()
        handler = type("Handler", (_Handler,), {"registers": self.registers})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.company_url = base
        self.bodacc_url = f"{base}/api/explore/v2.1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeRegisters:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
