"""The debtor's web page, ``/d/<token>``, served by the bot's own aiohttp server (webhook mode).

For debtors without Telegram: the letter's link opens a page that shows the claim and lets
them pay, propose a plan, acknowledge the debt or contest it, with plain HTML forms (no
script). Each answer goes through the same desk as the debtor's Telegram chat
(``bot.debtor_desk.DebtorDesk.act``): the case changes and the creditor is told in their chat.

What a stranger holding a guessed or old link could do is bounded here:
- an unknown, revoked or dead token, or one not even shaped like a token, gets the very same
  404 page (the same bytes) as a mistyped address;
- every form carries a form token, an HMAC of the link's token and an expiry time under a key
  derived from the bot's token, checked before anything is read further (CSRF);
- requests are counted per link token and per client address over a sliding window, and past
  the limit get a friendly 429 page with ``Retry-After``;
- every answer has headers that forbid scripts, framing and referrers;
- an objection may carry files (``bot.debtor_upload`` reads them as they stream in, within
  ``flows.debtor.files``' limits); they are screened like the creditor's evidence, and a
  refused one sends nothing: the page comes back with why, and what was typed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aiohttp import web
from telegram import Bot

from bot import debtor_upload
from bot.debtor_desk import DebtorDesk
from bot.debtor_files import Screened, discard
from flows import limits
from flows.debtor import answers, link
from flows.debtor import files as debtor_files
from flows.debtor.answers import Answered, DebtorInputError, Side
from flows.debtor_page import ACTIONS, page_facts
from flows.evidence import screening
from flows.i18n import LANGUAGES, normalize_language, t, templates_dir
from flows.law.render import Renderer
from flows.model import Case
from flows.templating import render
from flows.vocabulary import Jurisdiction

log = logging.getLogger("impayes.debtor_web")

PAGE = "/d/{token}"
STYLESHEET = "/d/-/page.css"  # "-" is never a token (22 characters, ``flows.debtor.link``)
FORM_LIFETIME = 2 * 3600  # seconds a page's forms stay valid: a debtor may take their time
# Per link token: one debtor reading, going back and forth, answering; per address: a few
# debtors behind one office network. Past these, 429 for the rest of the window.
WINDOW = 600.0
PER_TOKEN = 60
PER_ADDRESS = 120
MAX_FORM_BYTES = 64 * 1024  # the longest dispute text with room
# The objection's form with its files: the most files of the most bytes, and the text.
MAX_UPLOAD_BYTES = debtor_files.MAX_FILES * debtor_files.MAX_FILE_BYTES + MAX_FORM_BYTES
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

Act = Callable[[Case, date, datetime], Answered]


class FormKey:
    """Form tokens: ``<expiry>.<HMAC-SHA256(key, link token | expiry)>``. The key is derived
    from the bot's token, so every instance of the bot accepts the others' forms and a
    restart does not void a page a debtor has open."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._key = hmac.new(secret.encode(), b"impayes debtor forms", hashlib.sha256).digest()
        self._clock = clock

    def issue(self, token: str) -> str:
        expiry = int(self._clock()) + FORM_LIFETIME
        return f"{expiry}.{self._sign(token, expiry)}"

    def valid(self, token: str, form: str) -> bool:
        expiry_text, _, signature = form.partition(".")
        if not expiry_text.isdigit() or len(expiry_text) > 12:
            return False
        expiry = int(expiry_text)
        right = hmac.compare_digest(signature, self._sign(token, expiry))
        return right and self._clock() <= expiry

    def _sign(self, token: str, expiry: int) -> str:
        message = f"{token}|{expiry}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


class SlidingWindow:
    """How many requests a key made in the last ``window`` seconds, up to ``limit``."""

    def __init__(self, limit: int, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str) -> float:
        """0 when the request may go on (and is counted), else the seconds to wait."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        if len(self._hits) > 10_000:
            self._forget_idle(now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        """Keys not seen for a whole window go, so that the table stays small."""
        idle = [key for key, hits in self._hits.items()
                if not hits or hits[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]


@dataclass
class DebtorWeb:
    desk: DebtorDesk
    bot: Bot  # the creditor hears of each answer in their chat
    forms: FormKey
    clock: Callable[[], datetime]
    per_token: SlidingWindow
    per_address: SlidingWindow

    # Pages ---------------------------------------------------------------------------------
    async def page(self, request: web.Request) -> web.Response:
        """The debtor opened their link: the claim, how to pay, and the three forms."""
        token = request.match_info["token"]
        lang = language(request)
        limited = self._limited(request, token, lang)
        if limited is not None:
            return limited
        case = await self._case(token)
        if case is None:
            return not_found(lang)
        done = request.query.get("done", "")
        return self._show(case, token, lang, done=done if done in ACTIONS else "")

    async def answer(self, request: web.Request) -> web.Response:
        """A form was sent: check it, hand it to the desk, then show the page again."""
        token = request.match_info["token"]
        action = request.match_info["action"]
        lang = language(request)
        limited = self._limited(request, token, lang)
        if limited is not None:
            return limited
        if action not in ACTIONS or not link.looks_like_token(token):
            return not_found(lang)
        with_files = action == "contest" and request.content_type == "multipart/form-data"
        limit = MAX_UPLOAD_BYTES if with_files else MAX_FORM_BYTES
        if request.content_length is None or request.content_length > limit:
            return await self._too_large(token, lang, with_files)
        if with_files:
            return await self._contest_with_files(request, token, lang)
        form = await request.post()
        lang = normalize_language(str(form.get("lang", lang)))
        if not self.forms.valid(token, str(form.get("form", ""))):
            case = await self._case(token)
            if case is None:
                return not_found(lang)
            # An expired page (or a forged post): nothing is recorded, the page comes back
            # with fresh forms and what was typed, to send again.
            return self._show(case, token, lang, error=t(lang, "debtor_web.form_expired"),
                              action=action, typed=_typed(form), status=400)
        try:
            do = _act(action, form)
            answered = await self.desk.act(self.bot, token, do)
        except DebtorInputError as error:
            case = await self._case(token)
            if case is None:
                return not_found(lang)
            said = Renderer(lang, Jurisdiction(case.jurisdiction))(error.message())
            return self._show(case, token, lang, error=said, action=action,
                              typed=_typed(form), status=400)
        if answered is None:
            return not_found(lang)
        # After a POST, a GET: reloading the page does not send the answer twice.
        return web.Response(status=303,
                            headers={"Location": f"/d/{token}?lang={lang}&done={action}#done"})

    async def _contest_with_files(self, request: web.Request, token: str,
                                  lang: str) -> web.Response:
        """The objection with its files: read, checked, screened, kept, then recorded as from
        Telegram (``DebtorDesk.act``). Any refusal records nothing and keeps what was typed."""
        where = self.desk.links.find(token)
        if where is None:
            return not_found(lang)
        try:
            read = await debtor_upload.read_contest(
                request, lambda form: self.forms.valid(token, form),
                lambda: self.desk.files.receive(where[0]))
        except (debtor_upload.FieldTooLong, ValueError):  # not what the page sends
            return web.Response(status=400, headers={"Connection": "close"})
        fields = read.fields
        lang = normalize_language(fields.get("lang", lang))
        case = await self._case(token)
        if case is None:
            await discard([received.path for received in read.received])
            return not_found(lang)

        def again(error: str, status: int = 400) -> web.Response:
            return self._show(case, token, lang, error=error, action="contest",
                              typed=_typed(fields), status=status)
        if not read.form_ok:
            return again(t(lang, "debtor_web.form_expired"))
        if read.refusal is not None:
            return again(_files_refused(lang, read.refusal))
        reason, text = fields.get("reason", ""), fields.get("text", "")
        say = Renderer(lang, Jurisdiction(case.jurisdiction))
        try:
            answers.check_contest(reason, text)
        except DebtorInputError as error:
            await discard([received.path for received in read.received])
            return again(say(error.message()))
        screened, refusal = await self._screen(read.received)
        if refusal is None and screened and limits.evidence_full(
                case, debtor_files.held([{"size": file.size} for file in screened])):
            refusal = screening.Refusal("case_full")
        if refusal is not None:
            await discard([file.path for file in screened])
            return again(_files_refused(lang, refusal))
        kept = [await asyncio.to_thread(self.desk.files.keep, where[0], where[1], file)
                for file in screened]

        def do(case: Case, today: date, now: datetime) -> Answered:
            records = [debtor_files.record(file.name, file.mime_type, file.size, file.sha256,
                                           now) for file in screened]
            return answers.contest(case, reason, text, today, now, records)
        try:
            answered = await self.desk.act(self.bot, token, do)
        except DebtorInputError as error:
            await self.desk.drop_unheld(where, kept)
            return again(say(error.message()))
        if answered is None:
            await self.desk.drop_unheld(where, kept)
            return not_found(lang)
        return web.Response(status=303,
                            headers={"Location": f"/d/{token}?lang={lang}&done=contest#done"})

    async def _screen(self, received: list[debtor_upload.Received]
                      ) -> tuple[list[Screened], screening.Refusal | None]:
        """Each file screened in turn (the same bytes twice: once); on the first refusal the
        files not yet screened are deleted, and the refusal returned with those that passed."""
        screened: list[Screened] = []
        for at, file in enumerate(received):
            held = debtor_files.held([{"size": done.size} for done in screened])
            result = await self.desk.files.screen(file.path, file.name, file.mime_type, held)
            if isinstance(result, screening.Refusal):
                await discard([later.path for later in received[at + 1:]])
                return screened, result
            if any(done.sha256 == result.sha256 for done in screened):
                await discard([result.path])
                continue
            screened.append(result)
        return screened, None

    async def _too_large(self, token: str, lang: str, with_files: bool) -> web.Response:
        """More bytes than the page's forms can send: not read. For files, the page says so."""
        closing = {"Connection": "close"}
        case = await self._case(token) if with_files else None
        if case is None:
            return web.Response(status=413, headers=closing)
        response = self._show(case, token, lang, action="contest", status=413,
                              error=_files_refused(lang, screening.Refusal("quota")))
        response.headers.update(closing)
        return response

    def _show(self, case: Case, token: str, lang: str, done: str = "", error: str = "",
              action: str = "", typed: dict[str, str] | None = None,
              status: int = 200) -> web.Response:
        today = self.clock().date()
        html = render("debtor/page.html", lang, **page_facts(case, lang, today),
                      token=token, form=self.forms.issue(token), lang_switch=_other(lang),
                      done=done, error=error, action=action, typed=typed or {},
                      stylesheet=STYLESHEET)
        return _html(html, status)

    async def _case(self, token: str) -> Case | None:
        """The open case ``token`` opens now, read without changing it (the index is only a
        hint: the chat file has the last word, ``flows.debtor.link.holds``)."""
        where = self.desk.links.find(token) if link.looks_like_token(token) else None
        if where is None:
            return None
        stored = await asyncio.to_thread(self.desk.assistant.load, where[0])
        case = stored.account.case(where[1]) if stored is not None else None
        return case if case is not None and link.holds(case, token) else None

    def _limited(self, request: web.Request, token: str, lang: str) -> web.Response | None:
        wait = max(self.per_address.allow(client_address(request)),
                   self.per_token.allow(token_key(token)))
        if not wait:
            return None
        log.info("debtor page: too many requests")
        response = _html(render("debtor/too_many.html", lang, stylesheet=STYLESHEET), 429)
        response.headers["Retry-After"] = str(max(1, int(wait) + 1))
        return response


def _act(action: str, form: Any) -> Act:
    """The desk's call for a form (``flows.debtor.answers``), its fields read and checked."""
    if action == "plan":
        count = _whole_number(str(form.get("count", "")))
        first = _day(str(form.get("first", "")))
        interval = str(form.get("interval", "monthly"))
        return lambda case, today, now: answers.propose_plan(
            case, Side.DEBTOR, count, first, today, now, interval)
    if action == "acknowledge":
        name = str(form.get("name", ""))
        confirmed = form.get("confirm") == "yes"
        return lambda case, today, now: answers.acknowledge(case, name, confirmed, today, now)
    reason = str(form.get("reason", ""))
    text = str(form.get("text", ""))
    return lambda case, today, now: answers.contest(case, reason, text, today, now)


def _files_refused(lang: str, refusal: screening.Refusal) -> str:
    return t(lang, "debtor.files.web_refused",
             why=debtor_files.refusal_text(lang, refusal.code, refusal.detail))


def _whole_number(text: str) -> int:
    digits = text.strip()
    if not digits.isdigit() or len(digits) > 3:
        raise DebtorInputError("plan_count", low=answers.MIN_INSTALMENTS,
                               high=answers.MAX_INSTALMENTS)
    return int(digits)


def _day(text: str) -> date:
    """A date as a browser's date field sends it (``2026-12-15``)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise DebtorInputError("web_date") from error


def _typed(form: Any) -> dict[str, str]:
    """What the debtor typed, to fill the form again after a refusal (never the form token)."""
    return {key: str(value) for key, value in form.items()
            if key in {"count", "first", "interval", "name", "reason", "text"}}


def _other(lang: str) -> str:
    return next(other for other in LANGUAGES if other != lang)


def language(request: web.Request) -> str:
    """``?lang=`` (the page's switch) first, then the browser's Accept-Language."""
    chosen = request.query.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, str]] = []
    for part in request.headers.get("Accept-Language", "").split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        short = tag.split("-")[0].lower()
        if short in LANGUAGES:
            ranked.append((weight, short))
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else normalize_language(None)


def client_address(request: web.Request) -> str:
    """The debtor's address. Behind a reverse proxy on this machine (the README's set-up) every
    request comes from 127.0.0.1: then the proxy's ``X-Forwarded-For`` says who it was for."""
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if remote in {"127.0.0.1", "::1"} and forwarded:
        return forwarded.split(",")[-1].strip()
    return remote


def token_key(token: str) -> str:
    """Tokens are counted under a hash: the limiter's table holds no working link."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def not_found(lang: str) -> web.Response:
    """The one answer for an unknown, revoked, dead or malformed link, or a wrong address."""
    return _html(render("debtor/not_found.html", lang, stylesheet=STYLESHEET), 404)


def _html(html: str, status: int) -> web.Response:
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


@web.middleware
async def security_headers(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                           ) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as raised:
        response = raised
        if raised.status in {404, 405}:  # no such page, or a form's address opened
            response = not_found(language(request))
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)  # the stylesheet may be cached
    return response


async def stylesheet(_request: web.Request) -> web.Response:
    css = await asyncio.to_thread((templates_dir() / "common" / "debtor.css").read_text,
                                  encoding="utf-8")
    return web.Response(text=css, content_type="text/css", charset="utf-8",
                        headers={"Cache-Control": "public, max-age=3600"})


def add_routes(app: web.Application, pages: DebtorWeb) -> None:
    """``GET /d/<token>``, ``POST /d/<token>/<action>`` and the page's stylesheet."""
    app.middlewares.append(security_headers)
    app.router.add_get(STYLESHEET, stylesheet)
    app.router.add_get(PAGE, pages.page)
    app.router.add_post(PAGE + "/{action}", pages.answer)


def debtor_web(desk: DebtorDesk, bot: Bot, clock: Callable[[], datetime]) -> DebtorWeb:
    """The page as the bot serves it: form tokens keyed on the bot's token."""
    return DebtorWeb(desk, bot, FormKey(bot.token), clock, SlidingWindow(PER_TOKEN),
                     SlidingWindow(PER_ADDRESS))
