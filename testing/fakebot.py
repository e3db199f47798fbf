"""A fake Telegram Bot API on 127.0.0.1, for end-to-end tests and benchmarks.

The real python-telegram-bot ``Application`` talks to it over HTTP, exactly as it would talk to
Telegram: in the same process (an async test), in a child process (``python -m bot telegram``
with ``TELEGRAM_BASE_URL=api.base_url``), or in webhook mode. The server runs in its own thread
with its own event loop, so it keeps answering while a test blocks or while the test's own loop
runs the bot.

A test plays the user with the update builders (``send_text``, ``press_button``,
``send_document``…), which queue updates for ``getUpdates``, and checks what the bot did with the
recorded calls (``messages_to``, ``documents_to``, ``wait_for``…).

Behaviour copied from Telegram because bots depend on it:

- ``getUpdates`` long-polls; an update is dropped once it has been delivered and a later
  ``getUpdates`` names an ``offset`` above its ``update_id``. A second concurrent ``getUpdates``
  ends the first one with 409 Conflict, as when two bot instances poll one token.
- Message ids increase per chat; a message's ``reply_markup`` is echoed only for inline keyboards.
- ``editMessageText`` with the same text and keyboard fails with "message is not modified";
  empty or over-long texts, unknown messages and callback data over 64 bytes fail with 400.
- Text sent with ``parse_mode="HTML"`` comes back as the plain text a user would see.

Updates enqueued with an ``update_id`` that was already used are delivered again even if it is
below the current offset: that is how a test simulates Telegram retrying an update.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import aiohttp
from aiohttp import web

DEFAULT_TOKEN = "7000000001:AAFakeTokenForImpayesTests-0123456789"
DEFAULT_BOT_ID = 7000000001
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Telegram's limit for files a bot sends

# Parameters that Telegram treats as strings even when they look like JSON or numbers.
# python-telegram-bot sends str values raw and JSON-encodes everything else, so the fake must
# know which fields never to decode ("123" as a message text stays a string).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "file_id",
        "inline_message_id",
        "language_code",
        "description",
        "short_description",
        "name",
        "action",
        "ip_address",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "title",
        # a file_id or URL given instead of an upload
        "document",
        "photo",
        "audio",
        "video",
        "voice",
        "animation",
        "sticker",
        "thumbnail",
    }
)

Predicate = Callable[["ApiCall"], bool]
MethodHandler = Callable[[dict[str, Any], dict[str, "UploadedFile"]], Any]


class BotApiError(Exception):
    """An error answered the way Telegram answers it: ``{"ok": false, "error_code": ...}``.

    Raise it from a handler registered with :meth:`FakeBotApi.on_method`.
    """

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as the bot uploaded it."""

    field: str
    filename: str | None
    content: bytes
    mime_type: str | None


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request and what the fake answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    token: str
    http_method: str
    at: float  # time.time() when the answer was ready
    ok: bool
    result: Any = None
    error_code: int | None = None
    description: str | None = None

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")


@dataclass(frozen=True)
class SentText:
    """A text the bot sent (``sendMessage``) or rewrote (``editMessageText``) in a chat."""

    chat_id: int | str
    message_id: int
    text: str  # as the user sees it (HTML tags removed)
    raw_text: str  # as the bot sent it
    edited: bool
    reply_markup: dict[str, Any] | None
    call: ApiCall = field(repr=False)


@dataclass(frozen=True)
class SentDocument:
    """A file the bot sent with ``sendDocument``."""

    chat_id: int | str
    message_id: int
    filename: str | None
    content: bytes | None  # None when the bot sent a file_id or URL that the fake did not know
    mime_type: str | None
    caption: str | None
    file_id: str
    call: ApiCall = field(repr=False)


@dataclass
class StoredFile:
    """A file that ``getFile`` and the download route can serve."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes | None
    mime_type: str | None
    file_name: str | None
    announce_size: bool = True  # False: file_size left out, as Telegram sometimes does
    served_bytes: int = 0  # body bytes the download route got written to a client


@dataclass
class _InjectedError:
    method: str | None
    error_code: int
    description: str
    parameters: dict[str, Any] | None
    remaining: int | None  # None: forever
    chat_id: int | str | None


class _PendingUpdate:
    __slots__ = ("delivered", "update", "update_id")

    def __init__(self, update: dict[str, Any]) -> None:
        self.update = update
        self.update_id: int = update["update_id"]
        self.delivered = False


class FakeBotApi:
    """A fake Telegram Bot API server; see the module docstring.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "impayes_test_bot",
        bot_first_name: str = "Impayés",
        port: int = 0,
        deliver_webhooks: bool = False,
    ) -> None:
        self._token = token
        self._bot_username = bot_username
        self._bot_first_name = bot_first_name
        self._requested_port = port
        self._deliver_webhooks = deliver_webhooks

        # One lock for all state: the server thread and test threads both read and write it.
        self._lock = threading.RLock()
        self._calls: list[ApiCall] = []
        self._calls_changed = threading.Condition(self._lock)
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._tokens_seen: set[str] = set()

        self._pending: deque[_PendingUpdate] = deque()
        self._next_update_id = 1
        self._messages: dict[int | str, dict[int, dict[str, Any]]] = {}
        self._next_message_id: dict[int | str, int] = {}
        self._texts: dict[int | str, list[SentText]] = {}
        self._documents: dict[int | str, list[SentDocument]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_counter = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._commands: dict[str, list[dict[str, Any]]] = {}
        # (kind, language_code or "") -> text; kind is "description" or "short_description".
        self._descriptions: dict[tuple[str, str], str] = {}
        self._injected: list[_InjectedError] = []
        self._custom_methods: dict[str, MethodHandler] = {}
        self._webhook: dict[str, Any] = {}
        # The update kinds the bot asked getUpdates for; None until it names them (all kinds).
        self._allowed_updates: list[str] | None = None

        # Owned by the server thread.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._updates_event: asyncio.Event | None = None
        self._poll_generation = 0
        self._closing = False
        self._webhook_task: asyncio.Task[None] | None = None

        self._handlers: dict[str, Callable[..., Any]] = {
            "getme": self._get_me,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "sendmediagroup": self._send_media_group,
            "sendchataction": self._true,
            "getfile": self._get_file,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "close": self._true,
            "logout": self._true,
        }

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeBotApi:
        """Start serving on 127.0.0.1 (a free port unless one was given); returns self."""
        if self._thread is not None:
            raise RuntimeError("FakeBotApi is already started")
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            try:
                loop.run_until_complete(self._start_server())
            except BaseException as exc:  # report it to the starting thread
                failure.append(exc)
                self._loop = None
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._stop_server())
                loop.close()

        self._closing = False
        self._thread = threading.Thread(target=serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API did not start within 10 s")
        if failure:
            self._thread = None
            raise RuntimeError(f"the fake Bot API could not start: {failure[0]!r}") from failure[0]
        return self

    def stop(self) -> None:
        """Stop serving; long polls in progress return at once. Everything recorded and queued
        is kept, and :meth:`start` serves it again on the same port (a Telegram outage)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        self._thread = None
        self._loop = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _start_server(self) -> None:
        self._updates_event = asyncio.Event()
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_download)
        # handler_cancellation: a bot killed in the middle of a long poll must not leave a
        # handler behind that takes the next updates.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._requested_port)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        # A restart serves on the same port, so a bot that outlives the stop finds it again.
        self._requested_port = self._port
        self._maybe_start_webhook_delivery()

    async def _stop_server(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(BaseException):
                await self._webhook_task
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``, which appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``, which appends the token."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def token(self) -> str:
        """The token tests should give the bot (any other token is accepted too)."""
        return self._token

    @property
    def tokens_seen(self) -> set[str]:
        """Every token a request was made with."""
        with self._lock:
            return set(self._tokens_seen)

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot as a Telegram ``User``, as ``getMe`` answers for :attr:`token`."""
        return self._bot_user(self._token)

    # ------------------------------------------------------------------ HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        params, files = await _read_params(request)
        with self._lock:
            self._tokens_seen.add(token)
        try:
            injected = self._take_injected_error(method, params)
            if injected is not None:
                raise injected
            try:
                result = await self._dispatch(token, method, params, files)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                # A malformed parameter: Telegram answers 400, never a bare 500.
                raise BotApiError(400, f"Bad Request: {type(exc).__name__}: {exc}") from exc
        except BotApiError as error:
            self._record(method, params, files, token, request.method, False, None, error)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.error_code,
                "description": error.description,
            }
            if error.parameters:
                body["parameters"] = error.parameters
            return _json_response(body, status=error.error_code)
        self._record(method, params, files, token, request.method, True, result, None)
        return _json_response({"ok": True, "result": result})

    async def _dispatch(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        name = method.lower()  # Bot API method names are case-insensitive
        if name == "getupdates":
            return await self._get_updates(params)
        custom = self._custom_methods.get(name)
        if custom is not None:
            return custom(params, files)
        handler = self._handlers.get(name)
        if handler is None:
            raise BotApiError(404, "Not Found: method not found")
        with self._lock:
            return handler(token, params, files)

    async def _handle_download(self, request: web.Request) -> web.Response:
        with self._lock:
            self._tokens_seen.add(request.match_info["token"])
            stored = self._files_by_path.get(request.match_info["file_path"])
        if stored is None or stored.content is None:
            return _json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: file not found"},
                status=404,
            )
        # Streamed in pieces, counting what reached the client: a bot that stops reading
        # part-way makes the next write fail.
        response = web.StreamResponse(headers={"Content-Type": stored.mime_type or
                                               "application/octet-stream"})
        if stored.announce_size:
            response.content_length = len(stored.content)
        await response.prepare(request)
        piece = 1024 * 1024
        try:
            for start in range(0, len(stored.content), piece):
                await response.write(stored.content[start:start + piece])
                stored.served_bytes += len(stored.content[start:start + piece])
            await response.write_eof()
        except (ConnectionResetError, ConnectionError):
            pass
        return response

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, UploadedFile],
        token: str,
        http_method: str,
        ok: bool,
        result: Any,
        error: BotApiError | None,
    ) -> None:
        call = ApiCall(
            method=method,
            params=params,
            files=files,
            token=token,
            http_method=http_method,
            at=time.time(),
            ok=ok,
            result=result,
            error_code=error.error_code if error else None,
            description=error.description if error else None,
        )
        with self._lock:
            self._calls.append(call)
            if ok:
                self._index_call(call)
            self._calls_changed.notify_all()
            waiters = list(self._async_waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that test's loop is already closed
                loop.call_soon_threadsafe(event.set)

    def _index_call(self, call: ApiCall) -> None:
        """Keep per-chat views of what the bot sent, so helpers never rescan every call."""
        name = call.method.lower()
        result = call.result
        if name in ("sendmessage", "editmessagetext") and isinstance(result, dict):
            chat_id = result["chat"]["id"]
            self._texts.setdefault(chat_id, []).append(
                SentText(
                    chat_id=chat_id,
                    message_id=result["message_id"],
                    text=result.get("text", ""),
                    raw_text=str(call.params.get("text", "")),
                    edited=name == "editmessagetext",
                    reply_markup=call.params.get("reply_markup"),
                    call=call,
                )
            )
        elif name in ("senddocument", "sendmediagroup"):
            messages = result if isinstance(result, list) else [result]
            for message in messages:
                if not isinstance(message, dict) or "document" not in message:
                    continue
                chat_id = message["chat"]["id"]
                document = message["document"]
                stored = self._files.get(document["file_id"])
                self._documents.setdefault(chat_id, []).append(
                    SentDocument(
                        chat_id=chat_id,
                        message_id=message["message_id"],
                        filename=document.get("file_name"),
                        content=stored.content if stored else None,
                        mime_type=document.get("mime_type"),
                        caption=message.get("caption"),
                        file_id=document["file_id"],
                        call=call,
                    )
                )

    # ------------------------------------------------------------------ Bot API methods

    def _bot_user(self, token: str) -> dict[str, Any]:
        # Telegram's bot id is the token's prefix; keep that so `from` matches getMe.
        prefix = token.split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else DEFAULT_BOT_ID
        return {
            "id": bot_id,
            "is_bot": True,
            "first_name": self._bot_first_name,
            "username": self._bot_username,
        }

    def _get_me(self, token: str, params: dict[str, Any], files: object) -> dict[str, Any]:
        return {
            **self._bot_user(token),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _true(self, token: str, params: dict[str, Any], files: object) -> bool:
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _set_my_commands(self, token: str, params: dict[str, Any], files: object) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise BotApiError(400, 'Bad Request: parameter "commands" is required')
        self._commands[self._commands_key(params)] = commands
        return True

    def _delete_my_commands(self, token: str, params: dict[str, Any], files: object) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _get_my_commands(
        self, token: str, params: dict[str, Any], files: object
    ) -> list[dict[str, Any]]:
        return self._commands.get(self._commands_key(params), [])

    # Telegram's limits on the bot's description (shown in an empty chat) and short description.
    DESCRIPTION_LIMITS: ClassVar[dict[str, int]] = {"description": 512, "short_description": 120}

    def _set_text(self, kind: str, params: dict[str, Any]) -> bool:
        text = str(params.get(kind) or "")
        if _utf16_len(text) > self.DESCRIPTION_LIMITS[kind]:
            raise BotApiError(400, f"Bad Request: {kind} is too long")
        key = (kind, str(params.get("language_code") or ""))
        if text:
            self._descriptions[key] = text
        else:  # an empty text removes the one for that language
            self._descriptions.pop(key, None)
        return True

    def _set_my_description(self, token: str, params: dict[str, Any], files: object) -> bool:
        return self._set_text("description", params)

    def _set_my_short_description(self, token: str, params: dict[str, Any],
                                  files: object) -> bool:
        return self._set_text("short_description", params)

    def _get_my_description(self, token: str, params: dict[str, Any],
                            files: object) -> dict[str, str]:
        key = ("description", str(params.get("language_code") or ""))
        return {"description": self._descriptions.get(key, "")}

    def _get_my_short_description(self, token: str, params: dict[str, Any],
                                  files: object) -> dict[str, str]:
        key = ("short_description", str(params.get("language_code") or ""))
        return {"short_description": self._descriptions.get(key, "")}

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        if isinstance(chat_id, int) and chat_id > 0:
            chat: dict[str, Any] = {"id": chat_id, "type": "private"}
            user = self._users.get(chat_id)
            if user is not None:
                chat["first_name"] = user["first_name"]
                if "username" in user:
                    chat["username"] = user["username"]
            else:
                chat["first_name"] = f"User {chat_id}"
            return chat
        if isinstance(chat_id, int):
            kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
            return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        return {"id": -1_000_000_000_001, "type": "channel", "title": chat_id, "username": chat_id}

    def _new_message(self, chat_id: int | str, sender: dict[str, Any]) -> dict[str, Any]:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message = {
            "message_id": message_id,
            "from": sender,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }
        self._messages.setdefault(chat_id, {})[message_id] = message
        return message

    def _stored_message(self, params: dict[str, Any], action: str) -> dict[str, Any]:
        chat_id = _chat_id(params)
        message_id = params.get("message_id")
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise BotApiError(400, f"Bad Request: message to {action} not found")
        return message

    def _send_message(self, token: str, params: dict[str, Any], files: object) -> dict[str, Any]:
        chat_id = _chat_id(params)
        text = _visible_text(params.get("text"), params.get("parse_mode"))
        _check_text(text)
        markup = _inline_markup(params.get("reply_markup"))
        replied = self._replied_message(chat_id, params)
        message = self._new_message(chat_id, self._bot_user(token))
        message["text"] = text
        if markup is not None:
            message["reply_markup"] = markup
        if replied is not None:
            message["reply_to_message"] = replied
        return message

    def _replied_message(self, chat_id: int | str, params: dict[str, Any]) -> dict[str, Any] | None:
        """The message a send quotes (reply_parameters), checked before anything is stored."""
        reply = params.get("reply_parameters")
        target = reply.get("message_id") if isinstance(reply, dict) else None
        target = target or params.get("reply_to_message_id")
        if target is None:
            return None
        quoted = self._messages.get(chat_id, {}).get(target)
        if quoted is None:
            if isinstance(reply, dict) and reply.get("allow_sending_without_reply"):
                return None
            raise BotApiError(400, "Bad Request: message to be replied not found")
        # Telegram does not nest replies further than one level.
        return {key: value for key, value in quoted.items() if key != "reply_to_message"}

    def _replace_message(self, old: dict[str, Any], **changes: Any) -> dict[str, Any]:
        # Copy on write: results already recorded keep showing what was answered then.
        new = {**old, **changes, "edit_date": int(time.time())}
        if new.get("reply_markup") is None:
            new.pop("reply_markup", None)
        self._messages[old["chat"]["id"]][old["message_id"]] = new
        return new

    def _check_editable(self, message: dict[str, Any], token: str) -> None:
        if message["from"]["id"] != self._bot_user(token)["id"]:
            raise BotApiError(400, "Bad Request: message can't be edited")

    def _edit_message_text(self, token: str, params: dict[str, Any], files: object) -> Any:
        if "inline_message_id" in params:
            return True
        old = self._stored_message(params, "edit")
        self._check_editable(old, token)
        text = _visible_text(params.get("text"), params.get("parse_mode"))
        _check_text(text)
        markup = _inline_markup(params.get("reply_markup"))
        if text == old.get("text") and markup == old.get("reply_markup"):
            raise BotApiError(400, _NOT_MODIFIED)
        return self._replace_message(old, text=text, reply_markup=markup)

    def _edit_message_reply_markup(self, token: str, params: dict[str, Any], files: object) -> Any:
        if "inline_message_id" in params:
            return True
        old = self._stored_message(params, "edit")
        self._check_editable(old, token)
        markup = _inline_markup(params.get("reply_markup"))
        if markup == old.get("reply_markup"):
            raise BotApiError(400, _NOT_MODIFIED)
        return self._replace_message(old, reply_markup=markup)

    def _delete_message(self, token: str, params: dict[str, Any], files: object) -> bool:
        message = self._stored_message(params, "delete")
        del self._messages[message["chat"]["id"]][message["message_id"]]
        return True

    def _answer_callback_query(self, token: str, params: dict[str, Any], files: object) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callbacks:
            raise BotApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callbacks.discard(query_id)
        return True

    def _send_document(
        self, token: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        chat_id = _chat_id(params)
        caption = params.get("caption")
        if caption is not None:
            caption = _visible_text(caption, params.get("parse_mode"))
            if _utf16_len(caption) > MAX_CAPTION_LENGTH:
                raise BotApiError(400, "Bad Request: message caption is too long")
        markup = _inline_markup(params.get("reply_markup"))
        replied = self._replied_message(chat_id, params)
        upload = files.get("document")
        if upload is not None:
            stored = self._store_file(
                "documents", upload.content, upload.mime_type, upload.filename
            )
        else:
            reference = params.get("document")
            if not isinstance(reference, str) or not reference:
                raise BotApiError(400, "Bad Request: there is no document in the request")
            known = self._files.get(reference)
            stored = known or self._store_file("documents", None, None, reference.rsplit("/")[-1])
        message = self._new_message(chat_id, self._bot_user(token))
        message["document"] = _document_json(stored)
        if caption:
            message["caption"] = caption
        if markup is not None:
            message["reply_markup"] = markup
        if replied is not None:
            message["reply_to_message"] = replied
        return message

    def _send_media_group(
        self, token: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> list[dict[str, Any]]:
        """An album: 2 to 10 documents (Telegram groups documents only with documents), each
        uploaded as ``attach://<field>`` or given by file_id; one message per item."""
        chat_id = _chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise BotApiError(400, "Bad Request: wrong number of media in the group")
        if any(not isinstance(m, dict) or m.get("type") != "document" for m in media):
            raise BotApiError(400, "Bad Request: documents can be grouped only with documents")
        group = f"{len(self._calls)}{chat_id}"
        messages = []
        for item in media:
            reference = str(item.get("media", ""))
            if reference.startswith("attach://"):
                upload = files.get(reference.removeprefix("attach://"))
                if upload is None:
                    raise BotApiError(400, "Bad Request: file to attach not found")
                stored = self._store_file(
                    "documents", upload.content, upload.mime_type, upload.filename
                )
            else:
                known = self._files.get(reference)
                if known is None:
                    raise BotApiError(400, "Bad Request: wrong file identifier")
                stored = known
            message = self._new_message(chat_id, self._bot_user(token))
            message["document"] = _document_json(stored)
            message["media_group_id"] = group
            caption = item.get("caption")
            if caption:
                message["caption"] = _visible_text(caption, item.get("parse_mode"))
            messages.append(message)
        return messages

    def _get_file(self, token: str, params: dict[str, Any], files: object) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise BotApiError(400, "Bad Request: invalid file_id")
        result: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.content is not None and stored.announce_size:
            result["file_size"] = len(stored.content)
        return result

    def _set_webhook(self, token: str, params: dict[str, Any], files: object) -> bool:
        url = params.get("url") or ""
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise BotApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if not url:
            self._webhook = {}
            return True
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get("max_connections", 40),
            "allowed_updates": params.get("allowed_updates"),
        }
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._maybe_start_webhook_delivery)
        return True

    def _delete_webhook(self, token: str, params: dict[str, Any], files: object) -> bool:
        self._webhook = {}
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_webhook_info(
        self, token: str, params: dict[str, Any], files: object
    ) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        for key in ("max_connections", "allowed_updates", "last_error_date", "last_error_message"):
            if self._webhook.get(key) is not None:
                info[key] = self._webhook[key]
        return info

    # ------------------------------------------------------------------ getUpdates

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            if self._webhook:
                raise BotApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._confirm(int(params.get("offset") or 0))
            if params.get("allowed_updates") is not None:  # kept until named again, as Telegram
                allowed = params["allowed_updates"]
                self._allowed_updates = list(json.loads(allowed) if isinstance(allowed, str)
                                             else allowed)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        # Like Telegram, a newer getUpdates ends an older one that is still waiting.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        while True:
            event = self._updates_event
            assert event is not None
            if generation != self._poll_generation:
                raise BotApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            with self._lock:
                batch = self._take_batch(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        if offset < 0:  # keep only the last -offset updates, as Telegram does
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        # Delivered updates are always at the front: take_batch serves the queue in order.
        while self._pending and self._pending[0].delivered and self._pending[0].update_id < offset:
            self._pending.popleft()

    def _take_batch(self, limit: int) -> list[dict[str, Any]]:
        # A batch has strictly increasing update_ids, so that the offset the bot confirms it
        # with (last id + 1) covers the whole batch even when a test re-sends an old id.
        batch: list[dict[str, Any]] = []
        last_id: int | None = None
        for pending in itertools.islice(self._pending, limit):
            if last_id is not None and pending.update_id <= last_id:
                break
            pending.delivered = True
            if not self._wanted(pending.update):
                continue  # Telegram drops the kinds the bot did not ask for
            batch.append(pending.update)
            last_id = pending.update_id
        return batch

    def _wanted(self, update: dict[str, Any]) -> bool:
        allowed = self._allowed_updates
        return not allowed or any(kind in update for kind in allowed)

    def _wake_pollers(self) -> None:
        """Wake every waiting getUpdates (and the webhook sender); server loop only."""
        event = self._updates_event
        if event is not None:
            self._updates_event = asyncio.Event()
            event.set()

    def _notify_updates(self) -> None:
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the server is stopping
                loop.call_soon_threadsafe(self._wake_pollers)

    # ------------------------------------------------------------------ webhook delivery

    def _maybe_start_webhook_delivery(self) -> None:
        if not self._deliver_webhooks or self._webhook_task is not None:
            return
        self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_to_webhook())

    async def _deliver_to_webhook(self) -> None:
        """Push queued updates to the webhook one at a time, retrying until the bot says 2xx."""
        backoff = 0.05
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self._closing:
                event = self._updates_event
                assert event is not None
                with self._lock:
                    webhook = dict(self._webhook)
                    head = self._pending[0] if self._pending and webhook else None
                if head is None:
                    await event.wait()
                    continue
                headers = {"Content-Type": "application/json"}
                if webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
                error: str | None = None
                try:
                    async with session.post(
                        webhook["url"], data=json.dumps(head.update).encode(), headers=headers
                    ) as response:
                        await response.read()
                        if not 200 <= response.status < 300:
                            error = f"Wrong response from the webhook: {response.status}"
                except (aiohttp.ClientError, TimeoutError) as exc:
                    error = f"Connection failed: {exc!r}"
                with self._lock:
                    if error is None:
                        if self._pending and self._pending[0] is head:
                            self._pending.popleft()
                        backoff = 0.05
                        continue
                    self._webhook["last_error_date"] = int(time.time())
                    self._webhook["last_error_message"] = error
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 1.0)

    # ------------------------------------------------------------------ knobs

    def inject_error(
        self,
        method: str | None,
        error_code: int,
        description: str,
        *,
        times: int | None = 1,
        chat_id: int | str | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (None: any method; ``times=None``:
        forever), to ``chat_id`` if given, with this error instead of handling them.

        Example: a user who blocked the bot,
        ``inject_error("sendMessage", 403, "Forbidden: bot was blocked by the user",
        times=None, chat_id=42)``.
        """
        with self._lock:
            self._injected.append(
                _InjectedError(method, error_code, description, parameters, times, chat_id)
            )

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests."""
        self.inject_error(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            times=times,
            parameters={"retry_after": retry_after},
        )

    def clear_injected_errors(self) -> None:
        with self._lock:
            self._injected.clear()

    def _take_injected_error(self, method: str, params: dict[str, Any]) -> BotApiError | None:
        with self._lock:
            for injected in self._injected:
                if injected.method is not None and injected.method.lower() != method.lower():
                    continue
                if injected.chat_id is not None and params.get("chat_id") != injected.chat_id:
                    continue
                if injected.remaining is not None:
                    injected.remaining -= 1
                    if injected.remaining <= 0:
                        self._injected.remove(injected)
                return BotApiError(injected.error_code, injected.description, injected.parameters)
        return None

    def on_method(self, method: str, handler: MethodHandler) -> None:
        """Serve a method the fake does not know (or replace one): ``handler(params, files)``
        returns the ``result`` or raises :class:`BotApiError`. It runs in the server thread."""
        self._custom_methods[method.lower()] = handler

    # ------------------------------------------------------------------ update builders

    def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update for getUpdates (and the webhook); gives it an update_id if it has
        none. The same dict is delivered later: don't change it after enqueueing."""
        with self._lock:
            if "update_id" in update:
                self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            else:
                update["update_id"] = self._next_update_id
                self._next_update_id += 1
            query = update.get("callback_query")
            if isinstance(query, dict) and "id" in query:
                self._open_callbacks.add(str(query["id"]))
            self._pending.append(_PendingUpdate(update))
        self._notify_updates()
        return update

    def _user(
        self,
        user_id: int,
        first_name: str | None,
        language_code: str | None,
        username: str | None = None,
    ) -> dict[str, Any]:
        known = self._users.get(user_id, {})
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or known.get("first_name") or "Camille",
        }
        language = language_code if language_code is not None else known.get("language_code")
        if language:
            user["language_code"] = language
        if username or known.get("username"):
            user["username"] = username or known["username"]
        self._users[user_id] = user
        return user

    def _user_message(
        self,
        chat_id: int,
        user_id: int | None,
        first_name: str | None,
        language_code: str | None,
    ) -> dict[str, Any]:
        user = self._user(user_id if user_id is not None else chat_id, first_name, language_code)
        return self._new_message(chat_id, user)

    def send_text(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        language_code: str | None = "fr",
        first_name: str | None = None,
        *,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """The user types ``text`` in a private chat; ``/command`` gets its bot_command entity."""
        with self._lock:
            message = self._user_message(chat_id, user_id, first_name, language_code)
            message["text"] = text
            if text.startswith("/") and len(text) > 1:
                command = text.split(maxsplit=1)[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
                ]
        return self.enqueue(_with_id({"message": message}, update_id))

    def send_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        user_id: int | None = None,
        update_id: int | None = None,
        announce_size: bool = True,
    ) -> dict[str, Any]:
        """The user sends a file; the bot can fetch it with getFile and download it
        (``announce_size=False``: neither the message nor getFile gives its size)."""
        with self._lock:
            stored = self._store_file("documents", content, mime_type, filename)
            stored.announce_size = announce_size
            message = self._user_message(chat_id, user_id, None, None)
            message["document"] = _document_json(stored)
            if caption is not None:
                message["caption"] = caption
        return self.enqueue(_with_id({"message": message}, update_id))

    def send_photo(
        self,
        chat_id: int,
        content: bytes,
        *,
        width: int = 1280,
        height: int = 960,
        caption: str | None = None,
        user_id: int | None = None,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """The user sends a photo: a small preview size and the full size, both downloadable
        (the preview serves the same bytes; bots should take ``message.photo[-1]``)."""
        with self._lock:
            sizes = []
            for scale in (0.25, 1.0):
                stored = self._store_file("photos", content, "image/jpeg", None, ".jpg")
                sizes.append(
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": max(int(width * scale), 1),
                        "height": max(int(height * scale), 1),
                        "file_size": len(content),
                    }
                )
            message = self._user_message(chat_id, user_id, None, None)
            message["photo"] = sizes
            if caption is not None:
                message["caption"] = caption
        return self.enqueue(_with_id({"message": message}, update_id))

    def register_file(
        self, content: bytes, *, mime_type: str | None = None, file_name: str | None = None
    ) -> StoredFile:
        """Make bytes available to getFile and the download route; returns their ids."""
        with self._lock:
            return self._store_file("documents", content, mime_type, file_name)

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        user_id: int | None = None,
        *,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """The user taps an inline button carrying ``data`` under message ``message_id``."""
        with self._lock:
            message = self._messages.get(chat_id, {}).get(message_id)
            if message is None:
                known = sorted(self._messages.get(chat_id, {}))
                raise LookupError(
                    f"no message {message_id} in chat {chat_id} (messages there: {known})"
                )
            user = self._user(user_id if user_id is not None else chat_id, None, None)
            query_id = f"{chat_id}-{next(self._callback_counter)}"
            query = {
                "id": query_id,
                "from": user,
                "message": dict(message),
                "chat_instance": f"instance-{chat_id}",
                "data": data,
            }
        return self.enqueue(_with_id({"callback_query": query}, update_id))

    def edit_text(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits their earlier message ``message_id`` to read ``text``."""
        with self._lock:
            message = self._messages.get(chat_id, {}).get(message_id)
            if message is None or message["from"].get("is_bot"):
                raise LookupError(f"no message {message_id} of the user in chat {chat_id}")
            edited = {key: value for key, value in message.items() if key != "entities"}
            edited.update(text=text, edit_date=int(time.time()))
            if text.startswith("/") and len(text) > 1:
                command = text.split(maxsplit=1)[0]
                edited["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
                ]
            self._messages[chat_id][message_id] = edited
        return self.enqueue({"edited_message": edited})

    @property
    def allowed_updates(self) -> list[str] | None:
        """The update kinds the bot last asked getUpdates for (None: it never named any)."""
        with self._lock:
            return None if self._allowed_updates is None else list(self._allowed_updates)

    def last_keyboard(self, chat_id: int) -> list[tuple[str, str | None, int]]:
        """The buttons of the newest message in the chat that still shows an inline keyboard,
        as (text, callback_data, message_id); empty if there is none."""
        with self._lock:
            for message in reversed(self._messages.get(chat_id, {}).values()):
                markup = message.get("reply_markup")
                if markup and message["from"].get("is_bot"):
                    return [
                        (button["text"], button.get("callback_data"), message["message_id"])
                        for row in markup["inline_keyboard"]
                        for button in row
                    ]
        return []

    def press_button_labelled(
        self, chat_id: int, label: str, user_id: int | None = None
    ) -> dict[str, Any]:
        """Tap the button called ``label`` on the chat's last inline keyboard."""
        buttons = self.last_keyboard(chat_id)
        for text, data, message_id in buttons:
            if text == label:
                if data is None:
                    raise LookupError(f"button {label!r} has no callback_data (a URL button?)")
                return self.press_button(chat_id, message_id, data, user_id)
        labels = [text for text, _, _ in buttons]
        raise LookupError(f"no button {label!r} on the last keyboard in chat {chat_id}: {labels}")

    def unanswered_callback_queries(self) -> set[str]:
        """Ids of callback queries the bot has not answered yet (Telegram shows a spinner)."""
        with self._lock:
            return set(self._open_callbacks)

    def _store_file(
        self,
        folder: str,
        content: bytes | None,
        mime_type: str | None,
        file_name: str | None,
        default_suffix: str = "",
    ) -> StoredFile:
        number = next(self._file_counter)
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"FAKE-{folder[:3].upper()}-{number:06d}",
            file_unique_id=f"U{number:06d}",
            file_path=f"{folder}/file_{number}{suffix or default_suffix}",
            content=content,
            mime_type=mime_type,
            file_name=file_name,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    # ------------------------------------------------------------------ recorded calls

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Recorded calls in order, all or those of one method (case-insensitive)."""
        with self._lock:
            if method is None:
                return list(self._calls)
            name = method.lower()
            return [call for call in self._calls if call.method.lower() == name]

    def mark(self) -> int:
        """A position in the call log, for ``since=``: wait only for calls made after it."""
        with self._lock:
            return len(self._calls)

    def clear_calls(self) -> None:
        """Forget recorded calls (benchmarks between rounds); chats and files are kept."""
        with self._lock:
            self._calls.clear()
            self._texts.clear()
            self._documents.clear()

    def messages_to(self, chat_id: int | str) -> list[SentText]:
        """Texts the bot sent or edited in a chat, in order; ``edited`` marks edits."""
        with self._lock:
            return list(self._texts.get(chat_id, []))

    def texts_to(self, chat_id: int | str) -> list[str]:
        """Just the texts of :meth:`messages_to`."""
        return [sent.text for sent in self.messages_to(chat_id)]

    def documents_to(self, chat_id: int | str) -> list[SentDocument]:
        """Files the bot sent to a chat with sendDocument, in order."""
        with self._lock:
            return list(self._documents.get(chat_id, []))

    def message(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """A message as it stands now (after edits), or None if unknown or deleted."""
        with self._lock:
            return self._messages.get(chat_id, {}).get(message_id)

    @property
    def pending_update_count(self) -> int:
        with self._lock:
            return len(self._pending)

    @property
    def webhook(self) -> dict[str, Any]:
        """The webhook the bot set (url, secret_token, …), empty if none."""
        with self._lock:
            return dict(self._webhook)

    def wait_for(
        self, predicate: Predicate | str, timeout: float = 10.0, *, since: int = 0
    ) -> ApiCall:
        """Block until a call at or after position ``since`` matches; return the first match.

        ``predicate`` is a function of an :class:`ApiCall` or a method name. In an async test
        use :meth:`await_for`: blocking there would stop the bot running on the same loop.
        """
        return self.wait_for_count(1, predicate, timeout=timeout, since=since)[0]

    def wait_for_count(
        self,
        count: int,
        predicate: Predicate | str | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
    ) -> list[ApiCall]:
        """Block until ``count`` calls from ``since`` on match; return the first ``count``."""
        _refuse_inside_event_loop("wait_for_count", "await_for_count")
        match = _matcher(predicate)
        found: list[ApiCall] = []
        cursor = since
        deadline = time.monotonic() + timeout
        with self._calls_changed:
            while True:
                cursor = self._scan(match, cursor, found, count)
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._fail_wait(predicate, count, found, since, timeout)
                self._calls_changed.wait(remaining)

    async def await_for(
        self, predicate: Predicate | str, timeout: float = 10.0, *, since: int = 0
    ) -> ApiCall:
        """Like :meth:`wait_for`, without blocking the caller's event loop."""
        return (await self.await_for_count(1, predicate, timeout=timeout, since=since))[0]

    def _documents_since(self, chat_id: int | str, since: int) -> list[SentDocument]:
        with self._lock:
            recent = {id(call) for call in self._calls[since:]}
            return [d for d in self._documents.get(chat_id, []) if id(d.call) in recent]

    async def await_documents(
        self, chat_id: int | str, count: int, timeout: float = 30.0, *, since: int = 0
    ) -> list[SentDocument]:
        """Wait until the bot has sent ``count`` documents to the chat since the mark
        ``since``, counted in documents: alone (sendDocument) or grouped (sendMediaGroup)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(docs := self._documents_since(chat_id, since)) < count:
            if loop.time() > deadline:
                raise AssertionError(f"{count} documents to chat {chat_id} not sent within "
                                     f"{timeout}s: {len(docs)} were")
            await asyncio.sleep(0.02)
        return docs[:count]

    def wait_documents(
        self, chat_id: int | str, count: int, timeout: float = 30.0, *, since: int = 0
    ) -> list[SentDocument]:
        """Like :meth:`await_documents`, for a test without an event loop."""
        deadline = time.monotonic() + timeout
        while len(docs := self._documents_since(chat_id, since)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} documents to chat {chat_id} not sent within "
                                     f"{timeout}s: {len(docs)} were")
            time.sleep(0.02)
        return docs[:count]

    async def await_for_count(
        self,
        count: int,
        predicate: Predicate | str | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
    ) -> list[ApiCall]:
        """Like :meth:`wait_for_count`, without blocking the caller's event loop."""
        match = _matcher(predicate)
        found: list[ApiCall] = []
        cursor = since
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        waiter = (loop, asyncio.Event())
        with self._lock:
            self._async_waiters.add(waiter)
        try:
            while True:
                waiter[1].clear()  # before the scan, so a call recorded during it wakes us
                with self._lock:
                    cursor = self._scan(match, cursor, found, count)
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    with self._lock:
                        self._fail_wait(predicate, count, found, since, timeout)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter[1].wait(), remaining)
        finally:
            with self._lock:
                self._async_waiters.discard(waiter)

    def _scan(self, match: Predicate, cursor: int, found: list[ApiCall], count: int) -> int:
        calls = self._calls
        while cursor < len(calls) and len(found) < count:
            if match(calls[cursor]):
                found.append(calls[cursor])
            cursor += 1
        return cursor

    def _fail_wait(
        self,
        predicate: Predicate | str | None,
        count: int,
        found: list[ApiCall],
        since: int,
        timeout: float,
    ) -> None:
        recent = self._calls[max(since, len(self._calls) - 15) :]
        lines = "\n".join(f"  {_describe(call)}" for call in recent) or "  (none)"
        what = predicate if isinstance(predicate, str) else getattr(predicate, "__name__", "?")
        raise AssertionError(
            f"waited {timeout:g} s for {count} call(s) matching {what}, saw {len(found)}; "
            f"{len(self._calls) - since} call(s) since position {since}, the last ones:\n{lines}"
        )

    # ------------------------------------------------------------------ webhook helpers

    def post_webhook(
        self, url: str, update: dict[str, Any], secret_token: str | None = None
    ) -> int:
        """POST an update to the bot's webhook as Telegram does; return the HTTP status.
        Once the bot has taken it (2xx), Telegram no longer holds it: it stops counting in
        ``getWebhookInfo``'s ``pending_update_count``, which a restarted bot waits for.

        Blocking; from an async test whose loop runs the bot use :meth:`apost_webhook`.
        """
        _refuse_inside_event_loop("post_webhook", "apost_webhook")
        request = urllib.request.Request(
            url, data=json.dumps(update).encode(), headers=_webhook_headers(secret_token)
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                status = int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        self._taken_by_webhook(update, status)
        return status

    async def apost_webhook(
        self, url: str, update: dict[str, Any], secret_token: str | None = None
    ) -> int:
        """Like :meth:`post_webhook`, without blocking the caller's event loop."""
        timeout = aiohttp.ClientTimeout(total=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(
                url, data=json.dumps(update).encode(), headers=_webhook_headers(secret_token)
            ) as response,
        ):
            await response.read()
        self._taken_by_webhook(update, response.status)
        return response.status

    def _taken_by_webhook(self, update: dict[str, Any], status: int) -> None:
        if not 200 <= status < 300:
            return
        with self._lock:
            for pending in self._pending:
                if pending.update_id == update.get("update_id"):
                    self._pending.remove(pending)
                    return


# ---------------------------------------------------------------------- helpers

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    try:
        encoded = json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate a test sends: escaped, as JSON allows
        encoded = json.dumps(body).encode()
    return web.Response(
        body=encoded,
        status=status,
        content_type="application/json",
    )


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    params: dict[str, Any] = {
        key: _decode_value(key, value) for key, value in request.query.items()
    }
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = UploadedFile(
                field=key,
                filename=value.filename,
                content=value.file.read(),
                mime_type=value.content_type,
            )
        else:
            params[key] = _decode_value(key, str(value))
    return params, files


def _decode_value(name: str, value: str) -> Any:
    """Undo python-telegram-bot's form encoding: non-string values are sent as JSON."""
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _chat_id(params: dict[str, Any]) -> int | str:
    chat_id = params.get("chat_id")
    if isinstance(chat_id, bool) or not isinstance(chat_id, int | str) or chat_id == "":
        raise BotApiError(400, "Bad Request: chat_id is empty")
    return chat_id


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible_text(text: Any, parse_mode: Any) -> str:
    if text is None:
        return ""
    text = str(text)
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    return text


def _check_text(text: str) -> None:
    if not text.strip():
        raise BotApiError(400, "Bad Request: message text is empty")
    if _utf16_len(text) > MAX_TEXT_LENGTH:
        raise BotApiError(400, "Bad Request: message is too long")


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """The markup Telegram echoes in a Message: inline keyboards only."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _document_json(stored: StoredFile) -> dict[str, Any]:
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    if stored.content is not None and stored.announce_size:
        document["file_size"] = len(stored.content)
    return document


def _with_id(update: dict[str, Any], update_id: int | None) -> dict[str, Any]:
    if update_id is not None:
        return {"update_id": update_id, **update}
    return update


def _webhook_headers(secret_token: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret_token is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
    return headers


def _matcher(predicate: Predicate | str | None) -> Predicate:
    if predicate is None:
        return lambda call: True
    if isinstance(predicate, str):
        name = predicate.lower()
        return lambda call: call.method.lower() == name
    return predicate


def _refuse_inside_event_loop(name: str, async_name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"{name}() blocks the thread, and this thread runs an event loop (maybe the bot's): "
        f"use `await api.{async_name}(...)` instead"
    )


def _describe(call: ApiCall) -> str:
    shown = {key: value for key, value in call.params.items() if key != "reply_markup"}
    text = json.dumps(shown, ensure_ascii=False, default=str)
    if len(text) > 160:
        text = text[:157] + "..."
    outcome = "ok" if call.ok else f"error {call.error_code}"
    return f"{call.method} {text} -> {outcome}"


def main() -> None:
    """Serve until interrupted, for trying the bot by hand: ``python -m testing.fakebot``."""
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    api = FakeBotApi(port=args.port).start()
    print(f"TELEGRAM_BASE_URL={api.base_url}")
    print(f"TELEGRAM_BOT_TOKEN={api.token}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        api.stop()


if __name__ == "__main__":
    main()
