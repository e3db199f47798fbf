"""docker-compose.yml: PostgreSQL, two bot instances in webhook mode, one address in front.

Docker may not run where the tests do, so the file is checked as data: what each service is
given, resolved as Compose would resolve it from a .env file, against what the bot reads
(``Settings.from_env``) and accepts on its command line. Where ``docker compose`` is
installed, Compose itself checks the file too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Settings
from bot.telegram_app import webhook_path

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV = {"TELEGRAM_BOT_TOKEN": "123456:ABCDEF-test", "TELEGRAM_WEBHOOK_SECRET": "s" * 40,
       "IMPAYES_DOMAIN": "bot.example.org", "POSTGRES_PASSWORD": "p" * 32}
BOTS = ("bot1", "bot2")
VARIABLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::\?[^}]*)?\}")


def resolved(text: str) -> str:
    """``${NAME}`` and ``${NAME:?message}`` replaced as Compose does from the .env file."""
    return VARIABLE.sub(lambda match: ENV[match.group(1)], text)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(resolved(COMPOSE.read_text("utf-8")))
    return loaded


def bot_settings(service: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in service["environment"].items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("IMPAYES_DATA_DIR", raising=False)
    return Settings.from_env()


def test_the_file_names_only_variables_the_deploying_guide_explains() -> None:
    named = set(VARIABLE.findall(COMPOSE.read_text("utf-8")))
    assert named == set(ENV)
    guide = (ROOT / "docs" / "deploying.md").read_text("utf-8")
    assert {name for name in named if f"`{name}`" not in guide} == set()


def test_postgresql_and_two_instances_behind_one_proxy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "bot1", "bot2", "proxy"}
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    for name in BOTS:
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["build"] == "."
    assert (ROOT / "Dockerfile").is_file()


def test_both_instances_use_the_database_the_db_service_makes(
        compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    db = compose["services"]["db"]["environment"]
    for name in BOTS:
        settings = bot_settings(compose["services"][name], monkeypatch)
        assert settings.database_url == (f"postgresql://{db['POSTGRES_USER']}:"
                                         f"{db['POSTGRES_PASSWORD']}@db:5432/{db['POSTGRES_DB']}")
        assert db["POSTGRES_PASSWORD"] in settings.secrets()  # masked in the bot's logs
        assert settings.token == ENV["TELEGRAM_BOT_TOKEN"]
        assert settings.webhook_secret == ENV["TELEGRAM_WEBHOOK_SECRET"]
        assert settings.public_url == "https://bot.example.org"


def test_each_instance_has_its_own_name_and_scratch_volume(compose: dict[str, Any]) -> None:
    services = compose["services"]
    # The host name (with the data folder) names an instance's outbox: fixed, and distinct.
    assert [services[name]["hostname"] for name in BOTS] == list(BOTS)
    volumes = [services[name]["volumes"][0].split(":") for name in BOTS]
    assert volumes[0][0] != volumes[1][0]
    assert {target for _, target in volumes} == {"/data"}  # the image's IMPAYES_DATA_DIR
    assert "IMPAYES_DATA_DIR=/data" in (ROOT / "Dockerfile").read_text("utf-8")
    declared = set(compose["volumes"])
    assert {volumes[0][0], volumes[1][0]} <= declared


def command_options(command: list[str]) -> dict[str, str]:
    assert command[:4] == ["python", "-m", "bot", "telegram"]
    pairs = command[4:]
    return dict(zip(pairs[::2], pairs[1::2], strict=True))


def test_the_instances_serve_the_webhook_on_the_port_the_proxy_sends_to(
        compose: dict[str, Any]) -> None:
    caddyfile = compose["configs"]["caddyfile"]["content"]
    site = caddyfile.split("{", 1)[0].strip()
    assert site == ENV["IMPAYES_DOMAIN"]
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile)
    assert upstreams is not None
    for name in BOTS:
        options = command_options(compose["services"][name]["command"])
        assert options["--webhook-url"] == "https://bot.example.org/telegram"
        assert webhook_path(options["--webhook-url"]) == "telegram"
        assert options["--listen"] == "0.0.0.0"  # noqa: S104 (inside the compose network)
        assert f"{name}:{options['--port']}" in upstreams.group(1).split()
    assert "lb_policy round_robin" in caddyfile
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert proxy["configs"][0] == {"source": "caddyfile", "target": "/etc/caddy/Caddyfile"}


def test_the_bot_accepts_the_command_line_the_file_gives_it() -> None:
    shown = subprocess.run([sys.executable, "-m", "bot", "telegram", "--help"], cwd=ROOT,
                           capture_output=True, text=True, check=True, timeout=60).stdout
    compose = yaml.safe_load(resolved(COMPOSE.read_text("utf-8")))
    for option in command_options(compose["services"]["bot1"]["command"]):
        assert option in shown


def test_compose_itself_accepts_the_file(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    works = docker is not None and subprocess.run(
        [docker, "compose", "version"], capture_output=True, check=False).returncode == 0
    if not works:
        pytest.skip("docker compose not installed here: the file was checked as data only")
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in ENV.items()))
    result = subprocess.run([str(docker), "compose", "--env-file", str(tmp_path / ".env"),
                             "-f", str(COMPOSE), "config", "--quiet"],
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
