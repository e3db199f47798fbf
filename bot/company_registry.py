"""The French company register, asked by number: "Recherche d'entreprises" (no key).

``GET <IMPAYES_COMPANY_API_URL>/search?q=<SIREN or SIRET>`` answers ``{"results": [...],
"total_results": n, ...}``, each result a company with ``siren``, ``nom_complet``,
``nom_raison_sociale``, ``siege`` (``adresse``, ``code_postal``, ``libelle_commune``…),
``nature_juridique``, ``activite_principale``, ``etat_administratif`` ("A" active, "C" closed)
and ``date_fermeture`` (https://recherche-entreprises.api.gouv.fr/docs/). Reading that answer
is ``flows.company``'s job; this module only fetches it.
"""

from __future__ import annotations

from bot.config import Settings
from bot.public_api import SourceUnavailable, fetch_json
from flows.conversation import LOOKUPS_OFF, UNAVAILABLE, CompanyFound, CompanyLookup


def look_up(settings: Settings, lookup: CompanyLookup) -> CompanyFound:
    """The register's answer about the number, as the event the journey reads."""
    if not settings.lookups:
        return CompanyFound(lookup.case_id, lookup.number, failure=LOOKUPS_OFF)
    try:
        answer = fetch_json(settings.company_api_url, "/search",
                            {"q": lookup.number, "page": "1", "per_page": "5"})
    except SourceUnavailable:
        return CompanyFound(lookup.case_id, lookup.number, failure=UNAVAILABLE)
    if not isinstance(answer, dict):
        return CompanyFound(lookup.case_id, lookup.number, failure=UNAVAILABLE)
    return CompanyFound(lookup.case_id, lookup.number, answer=answer)
