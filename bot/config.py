"""Configuration from the environment (see the README's table)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

TELEGRAM_API = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class Settings:
    token: str | None
    base_url: str
    base_file_url: str
    data_dir: Path
    tz: ZoneInfo
    webhook_secret: str | None
    fixed_now: datetime | None  # IMPAYES_NOW, for demonstrations and end-to-end tests only

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
        )

    def now(self) -> datetime:
        return self.fixed_now if self.fixed_now is not None else datetime.now(self.tz)
