"""Configuration from the environment (see the README's table)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from flows.evidence.screening import DEFAULT_MAX_BYTES, DEFAULT_QUOTA_BYTES, MB

TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_SEND_RATE = 30.0  # Telegram: about 30 messages a second overall for one bot
ECB_API = "https://data-api.ecb.europa.eu/service"  # the ECB Data Portal's SDMX REST API
# The French administration's company search (no key; https://recherche-entreprises.api.gouv.fr/docs/)
COMPANY_API = "https://recherche-entreprises.api.gouv.fr"
# The DILA's BODACC open data on Opendatasoft, Explore API v2.1 (no key; dataset
# ``annonces-commerciales``, https://www.data.gouv.fr/en/datasets/bodacc/)
BODACC_API = "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1"


OFF_WORDS = frozenset({"off", "0", "no", "false"})


@dataclass(frozen=True)
class Settings:
    token: str | None
    base_url: str
    base_file_url: str
    data_dir: Path
    tz: ZoneInfo
    webhook_secret: str | None
    fixed_now: datetime | None  # IMPAYES_NOW, for demonstrations and end-to-end tests only
    # The evidence locker: one file at most (Telegram lets bots download 20 MB), and all of
    # one user's files together (IMPAYES_EVIDENCE_MAX_MB, IMPAYES_EVIDENCE_QUOTA_MB).
    evidence_max_bytes: int = DEFAULT_MAX_BYTES
    evidence_quota_bytes: int = DEFAULT_QUOTA_BYTES
    # Bot API messages a second for the whole bot (IMPAYES_SEND_RATE); 0 turns limiting off.
    send_rate: float = DEFAULT_SEND_RATE
    # The ECB rate tables (bot/rates.py): where to fetch, and whether the running bot does it
    # daily (IMPAYES_RATES_UPDATE=daily; off by default).
    ecb_api_url: str = ECB_API
    rates_daily: bool = False
    # Outside look-ups (docs/lookups.md): the company register and the BODACC, each at a base
    # address tests and private mirrors can change; IMPAYES_LOOKUPS=off calls neither. The
    # insolvency watch runs daily in the bot only when IMPAYES_LOOKUPS=daily.
    company_api_url: str = COMPANY_API
    bodacc_api_url: str = BODACC_API
    lookups: bool = False  # settings made in code ask no one; from_env turns them on
    insolvency_watch: bool = False
    # The address debtors open their page at (IMPAYES_PUBLIC_URL; in webhook mode the webhook
    # URL's scheme and host by default): "" prints only the Telegram link in letters.
    public_url: str = ""
    # The shared storage (IMPAYES_DATABASE_URL, ``postgresql://user:password@host/db``): every
    # instance on it serves any chat; None keeps everything in ``data_dir`` (TinyDB). It holds
    # a password: never logged (``secrets``), printed only through ``shown_url``.
    database_url: str | None = None
    # IMPAYES_NOW_FILE: a file holding the time (ISO), read at every reading, so that an
    # end-to-end test moves a running process's clock (IMPAYES_NOW only freezes it).
    now_file: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        base = os.environ.get("TELEGRAM_BASE_URL", TELEGRAM_API).rstrip("/")
        if not base.endswith("/bot"):
            base += "/bot"
        file_base = os.environ.get("TELEGRAM_BASE_FILE_URL") or base.replace("/bot", "/file/bot")
        tz = ZoneInfo(os.environ.get("IMPAYES_TZ", "Europe/Paris"))
        fixed = os.environ.get("IMPAYES_NOW")
        fixed_now = datetime.fromisoformat(fixed).replace(tzinfo=tz) if fixed else None
        return cls(
            token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            base_url=base,
            base_file_url=file_base,
            data_dir=Path(os.environ.get("IMPAYES_DATA_DIR", "./data")),
            tz=tz,
            webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
            fixed_now=fixed_now,
            evidence_max_bytes=_megabytes("IMPAYES_EVIDENCE_MAX_MB", DEFAULT_MAX_BYTES),
            evidence_quota_bytes=_megabytes("IMPAYES_EVIDENCE_QUOTA_MB", DEFAULT_QUOTA_BYTES),
            send_rate=_rate("IMPAYES_SEND_RATE", DEFAULT_SEND_RATE),
            ecb_api_url=os.environ.get("IMPAYES_ECB_API_URL") or ECB_API,
            rates_daily=os.environ.get("IMPAYES_RATES_UPDATE", "").strip().lower() == "daily",
            company_api_url=os.environ.get("IMPAYES_COMPANY_API_URL") or COMPANY_API,
            bodacc_api_url=os.environ.get("IMPAYES_BODACC_API_URL") or BODACC_API,
            lookups=os.environ.get("IMPAYES_LOOKUPS", "").strip().lower() not in OFF_WORDS,
            insolvency_watch=os.environ.get("IMPAYES_LOOKUPS", "").strip().lower() == "daily",
            public_url=os.environ.get("IMPAYES_PUBLIC_URL", "").strip().rstrip("/"),
            database_url=_database_url(os.environ.get("IMPAYES_DATABASE_URL", "")),
            now_file=Path(os.environ["IMPAYES_NOW_FILE"]) if os.environ.get("IMPAYES_NOW_FILE")
            else None,
        )

    def now(self) -> datetime:
        if self.now_file is not None:
            return datetime.fromisoformat(self.now_file.read_text("utf-8").strip()).replace(
                tzinfo=self.tz)
        return self.fixed_now if self.fixed_now is not None else datetime.now(self.tz)

    @property
    def clock_moves_by_jumps(self) -> bool:
        """The test's clock file can jump ahead at any moment: a timer must look again often
        rather than sleep until what the clock said."""
        return self.now_file is not None

    def secrets(self) -> list[str]:
        """What no log may show (``bot.redact.install``): the token, the webhook secret, the
        database's password."""
        found = [self.token or "", self.webhook_secret or ""]
        if self.database_url:
            found += database_passwords(self.database_url)
        return [secret for secret in found if secret]


DATABASE_SCHEMES = ("postgresql://", "postgres://")


def _database_url(raw: str) -> str | None:
    url = raw.strip()
    if not url:
        return None
    if not url.startswith(DATABASE_SCHEMES):
        # The value itself is not quoted: it may hold a password.
        raise SystemExit("IMPAYES_DATABASE_URL must start with postgresql://")
    return url


def database_passwords(url: str) -> list[str]:
    """The password a ``postgresql://`` URL carries (in its user part or as a ``password=``
    parameter), as written and as decoded: a log may quote either."""
    parts = urlsplit(url)
    written = [parts.password] if parts.password else []
    written += re.findall(r"[?&]password=([^&]*)", parts.query)
    return sorted({form for password in written for form in (password, unquote(password))
                   if form})


def shown_url(url: str) -> str:
    """A database URL as it may be printed: its password replaced by ``***``."""
    shown = re.sub(r"(://[^:/@?]*):[^@/?]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", shown)


def _megabytes(name: str, default: int) -> int:
    """A size given in megabytes (decimals allowed: ``0.5``), in bytes."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation as error:
        raise SystemExit(f"{name} must be a number of megabytes, not {raw!r}") from error
    if not value.is_finite() or value <= 0:
        raise SystemExit(f"{name} must be a positive number of megabytes")
    return int(value * MB)


def _rate(name: str, default: float) -> float:
    """A number of messages a second, 0 or more."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError as error:
        raise SystemExit(f"{name} must be a number of messages a second, not {raw!r}") from error
    if not value >= 0 or value == float("inf"):
        raise SystemExit(f"{name} must be a number of messages a second, 0 or more")
    return value
