"""The debtor's web page over real HTTP on 127.0.0.1: what the debtor reads, each of their
answers reaching the creditor's chat (the fake Bot API), and what a stranger cannot do."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from bot import debtor_web
from bot.debtor_web import FormKey, SlidingWindow
from bot.storage import StoredChat
from flows.debtor import link
from flows.i18n import t
from flows.model import Account
from flows.vocabulary import Remedy
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import running_bot
from tests.documents_samples import SAMPLES, with_remedy
from tests.followup_cases import FORMAL_DEMAND, followed, press_reminder, reminder

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
CREDITOR = 7301
FORM = re.compile(r'name="form" value="([^"]+)"')


@dataclass
class Page:
    client: TestClient[Any, Any]
    api: FakeBotApi
    token: str
    application: Any

    async def get(self, path: str = "", **headers: str) -> ClientResponse:
        return await self.client.get(f"/d/{self.token}{path}", headers=headers,
                                     allow_redirects=False)

    async def post(self, action: str, fields: dict[str, str],
                   form: str | None = None) -> ClientResponse:
        if form is None:
            opened = await body(await self.get())
            found = FORM.search(opened)
            assert found is not None
            form = found.group(1)
        return await self.client.post(f"/d/{self.token}/{action}",
                                      data={"form": form, "lang": "fr", **fields},
                                      allow_redirects=False)

    def case(self) -> Any:
        account = self.application.bot_data["adapter"].assistant.account(str(CREDITOR))
        return account.cases[0]

    def to_creditor(self) -> list[str]:
        return [m.text for m in self.api.messages_to(CREDITOR)]


def creditor_account(remedy: Remedy = Remedy.FORMAL_DEMAND) -> tuple[Account, str]:
    """A French creditor whose demand letter went out: the case has its debtor's token."""
    account = Account.new(str(CREDITOR), "fr")
    case = with_remedy(SAMPLES["fr_business"](), remedy)
    account.cases.append(case)
    account.active_case = case.id
    return account, link.issue(case, NOW)


@asynccontextmanager
async def debtor_page(api: FakeBotApi, data_dir: Path,
                      pages: debtor_web.DebtorWeb | None = None) -> AsyncIterator[Page]:
    """The bot running on the fake Bot API, and its debtor page on a real HTTP server."""
    async with running_bot(api, data_dir, NOW) as application:
        assistant = application.bot_data["adapter"].assistant
        account, token = creditor_account()
        assistant.save(StoredChat(account))
        app = web.Application()
        debtor_web.add_routes(app, pages or debtor_web.debtor_web(
            application.bot_data["debtor_desk"], application.bot, assistant.clock))
        async with TestServer(app, host="127.0.0.1") as server, TestClient(server) as client:
            yield Page(client, api, token, application)


def asks_creditor(call: ApiCall) -> bool:
    """A message to the creditor with buttons under it."""
    return (call.method == "sendMessage" and call.params.get("chat_id") == CREDITOR
            and "reply_markup" in call.params)


async def body(response: ClientResponse) -> str:
    """The page's text as the browser shows it (``&#39;`` read as an apostrophe)."""
    return unescape(await response.text())


def sent_to_creditor(text: str):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        return (call.method == "sendMessage" and call.params.get("chat_id") == CREDITOR
                and text in str(call.params.get("text", "")))
    return match


# What the debtor reads ------------------------------------------------------------------------
async def test_the_page_shows_who_claims_what_how_it_is_computed_and_how_to_pay(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        response = await page.get()
        html = await body(response)
        reference = page.case().id
    assert response.status == 200
    for expected in ("Studio Martin SAS", "F-2026-031", "F-2026-042",
                     "Intérêts de retard à ce jour", "Total dû aujourd'hui",
                     "FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP",
                     'src="data:image/png;base64,', "Proposer un échéancier",
                     "Reconnaître la dette", "Contester"):
        assert expected in html, expected
    assert reference.upper() in html  # the RF reference is built on the case id
    assert "<script" not in html


async def test_the_page_answers_with_headers_that_forbid_scripts_framing_and_referrers(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        headers = (await page.get()).headers
        missing = (await page.client.get("/d/AAAAAAAAAAAAAAAAAAAAAA")).headers
    for sent in (headers, missing):
        policy = sent["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy  # no script may run, from anywhere
        assert "frame-ancestors 'none'" in policy
        assert sent["X-Frame-Options"] == "DENY"
        assert sent["Referrer-Policy"] == "no-referrer"
        assert sent["Cache-Control"] == "no-store"


async def test_the_page_speaks_the_browsers_language_and_switches(api: FakeBotApi,
                                                                  data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        english = await body(await page.get(**{"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}))
        french = await body(await page.get("?lang=fr", **{"Accept-Language": "en"}))
        default = await body(await page.get(**{"Accept-Language": "de-DE"}))
    assert "What is claimed" in english
    assert 'href="?lang=fr"' in english
    assert "Ce qui est réclamé" in french
    assert 'href="?lang=en"' in french
    assert "Ce qui est réclamé" in default


async def test_unknown_revoked_and_malformed_links_get_the_same_404(api: FakeBotApi,
                                                                     data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        live = await page.get()
        assert live.status == 200
        assistant = page.application.bot_data["adapter"].assistant
        account = assistant.account(str(CREDITOR))
        assert link.revoke(account.cases[0], NOW)
        assistant.save(StoredChat(account))
        answers = [await page.client.get(path) for path in (
            f"/d/{page.token}",                     # revoked
            "/d/Zq3J1l0bWn2xV8cT5kR7aA",            # well shaped, never issued
            "/d/abc",                               # mistyped
            "/d/" + "A" * 500,                      # absurd
            "/d/-/nothing")]                        # no such page at all
        bodies = {await body(answer) for answer in answers}
        posted = await page.client.post(f"/d/{page.token}/plan",
                                        data={"form": "1.x", "count": "3"})
    assert [answer.status for answer in answers] == [404] * 5
    assert len(bodies) == 1
    assert "Ce lien ne fonctionne pas" in bodies.pop()
    assert posted.status == 404


# Each answer reaches the creditor ------------------------------------------------------------
async def test_a_plan_proposed_on_the_page_reaches_the_creditor_with_buttons(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await page.post("plan", {"count": "4", "first": "2026-12-10",
                                            "interval": "monthly"})
        assert response.status == 303
        assert response.headers["Location"].endswith("done=plan#done")
        await api.await_for(sent_to_creditor("propose un échéancier"), since=mark)
        call = await api.await_for(asks_creditor, since=mark)
        after = await body(await page.client.get(response.headers["Location"]))
        proposal = page.case().debtor["proposal"]
    buttons = [b["text"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [t("fr", "debtor.plan.choice.accept"), t("fr", "debtor.plan.choice.counter"),
                       t("fr", "debtor.plan.choice.refuse")]
    assert "4 échéances mensuelles à partir du 10 décembre 2026" in "\n".join(page.to_creditor())
    assert (proposal["count"], proposal["first"], proposal["by"]) == (4, "2026-12-10", "debtor")
    assert "transmise au créancier" in after


async def test_an_acknowledgement_on_the_page_reaches_the_creditor_and_is_recorded(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await page.post("acknowledge", {"name": "Paul Durand", "confirm": "yes"})
        assert response.status == 303
        await api.await_for(sent_to_creditor("Paul Durand a confirmé devoir"), since=mark)
        acknowledgement = page.case().debtor["acknowledgement"]
    assert acknowledgement["name"] == "Paul Durand"
    assert acknowledgement["on"] == "2026-11-23"


async def test_an_acknowledgement_without_the_confirmation_box_records_nothing(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await page.post("acknowledge", {"name": "Paul Durand"})
        html = await body(response)
        calls = api.calls()[mark:]
        record = page.case().debtor or {}
    assert response.status == 400
    assert t("fr", "debtor.error.not_confirmed") in html
    assert 'value="Paul Durand"' in html  # what was typed is kept for the second try
    assert "acknowledgement" not in record
    assert not [c for c in calls if c.params.get("chat_id") == CREDITOR]


async def test_a_dispute_on_the_page_reaches_the_creditor_and_marks_the_case_disputed(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        response = await page.post("contest", {
            "reason": "quality", "text": "Le site livré ne fonctionne pas sur mobile."})
        assert response.status == 303
        await api.await_for(sent_to_creditor("Le site livré ne fonctionne pas sur mobile."),
                            since=mark)
        case = page.case()
        after = await body(await page.client.get(response.headers["Location"]))
    assert case.answers["disputed"] is True
    assert case.debtor["dispute"]["reason"] == "quality"
    assert t("fr", "debtor.claim.status_disputed") in after
    assert 'action="/d/' + page.token + '/contest"' not in after  # contested once is enough


async def test_bad_input_gets_a_friendly_error_and_keeps_what_was_typed(
        api: FakeBotApi, data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        too_many = await page.post("plan", {"count": "40", "first": "2026-12-10"})
        no_date = await page.post("plan", {"count": "3", "first": "demain"})
        too_many_html, no_date_html = await body(too_many), await body(no_date)
        calls = api.calls()[mark:]
    assert too_many.status == no_date.status == 400
    assert "Un échéancier compte de 2 à 24 échéances." in too_many_html
    assert 'value="40"' in too_many_html
    assert t("fr", "debtor.error.web_date") in no_date_html
    assert not [c for c in calls if c.params.get("chat_id") == CREDITOR]


# What a stranger cannot do --------------------------------------------------------------------
async def test_a_post_without_a_valid_form_token_records_nothing(api: FakeBotApi,
                                                                 data_dir: Path) -> None:
    async with debtor_page(api, data_dir) as page:
        mark = api.mark()
        forged = await page.post("contest", {"reason": "paid", "text": "Déjà payé."},
                                 form="99999999999.deadbeef")
        missing = await page.client.post(f"/d/{page.token}/contest",
                                         data={"reason": "paid", "text": "Déjà payé."})
        html = await body(forged)
        record = page.case().debtor or {}
        calls = api.calls()[mark:]
    assert forged.status == missing.status == 400
    assert t("fr", "debtor_web.form_expired") in html
    assert "Déjà payé." in html  # kept, to send again with the fresh form
    assert "dispute" not in record
    assert not [c for c in calls if c.params.get("chat_id") == CREDITOR]


def test_a_form_token_is_bound_to_its_link_and_expires() -> None:
    clock = [1_000_000.0]
    key = FormKey("123:bot-token", clock=lambda: clock[0])
    form = key.issue("Zq3J1l0bWn2xV8cT5kR7aA")
    assert key.valid("Zq3J1l0bWn2xV8cT5kR7aA", form)
    assert not key.valid("Zq3J1l0bWn2xV8cT5kR7aB", form)  # another case's link
    assert not FormKey("456:other-bot", clock=lambda: clock[0]).valid(
        "Zq3J1l0bWn2xV8cT5kR7aA", form)
    clock[0] += debtor_web.FORM_LIFETIME + 1
    assert not key.valid("Zq3J1l0bWn2xV8cT5kR7aA", form)


async def test_too_many_requests_get_a_friendly_429_per_link_and_per_address(
        api: FakeBotApi, data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW) as application:
        assistant = application.bot_data["adapter"].assistant
        account, token = creditor_account()
        assistant.save(StoredChat(account))
        pages = debtor_web.DebtorWeb(application.bot_data["debtor_desk"], application.bot,
                                     FormKey(api.token), assistant.clock,
                                     per_token=SlidingWindow(3), per_address=SlidingWindow(5))
        app = web.Application()
        debtor_web.add_routes(app, pages)
        async with TestServer(app, host="127.0.0.1") as server, TestClient(server) as client:
            by_link = [await client.get(f"/d/{token}") for _ in range(4)]
            # Other links from the same address: the address's own limit.
            by_address = [await client.get("/d/Zq3J1l0bWn2xV8cT5kR7a" + c) for c in "BCD"]
            refused = await by_link[-1].text()
    assert [r.status for r in by_link] == [200, 200, 200, 429]
    assert int(by_link[-1].headers["Retry-After"]) > 0
    assert "Patientez quelques minutes" in refused
    assert [r.status for r in by_address] == [404, 429, 429]


def test_the_sliding_window_lets_requests_through_again_once_it_has_passed() -> None:
    clock = [0.0]
    window = SlidingWindow(2, window=60, clock=lambda: clock[0])
    assert window.allow("a") == 0
    assert window.allow("a") == 0
    assert window.allow("a") == pytest.approx(60)
    assert window.allow("b") == 0  # another key has its own count
    clock[0] = 61
    assert window.allow("a") == 0


async def test_the_page_dies_when_the_creditor_closes_the_case(api: FakeBotApi,
                                                               data_dir: Path) -> None:
    d = followed(FORMAL_DEMAND, chat_id=str(CREDITOR))  # the demand's letter carries the link
    token = link.live(d.case)
    async with running_bot(api, data_dir, NOW) as application:
        assistant = application.bot_data["adapter"].assistant
        assistant.save(StoredChat(d.account))
        app = web.Application()
        debtor_web.add_routes(app, debtor_web.debtor_web(
            application.bot_data["debtor_desk"], application.bot, assistant.clock))
        async with TestServer(app, host="127.0.0.1") as server, TestClient(server) as client:
            before = await client.get(f"/d/{token}")
            found = FORM.search(await body(before))
            assert found is not None
            press_reminder(d, "paid", reminder(d, "demand_ended"))  # paid: the case closes
            assistant.save(StoredChat(d.account))
            after = await client.get(f"/d/{token}")
            posted = await client.post(f"/d/{token}/contest", data={
                "form": found.group(1), "reason": "paid", "text": "Déjà payé."})
            mistyped = await client.get("/d/Zq3J1l0bWn2xV8cT5kR7aA")
            dead, unknown = await body(after), await body(mistyped)
    assert before.status == 200
    assert d.case.state == "closed"
    assert (after.status, posted.status) == (404, 404)
    assert dead == unknown  # told apart from nothing
