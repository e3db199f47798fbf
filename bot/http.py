"""The Bot API over aiohttp: python-telegram-bot's request interface on a leaner HTTP client.

python-telegram-bot sends through httpx by default. Measured on this bot (``make bench``), the
httpx connection pool was a tenth of the CPU of every update: each request it queues makes it
re-check every idle connection of the pool, with a system call per connection. aiohttp keeps its
idle connections in a queue and parses HTTP in C. ``BaseRequest`` is the library's documented
seam for this; everything above it (retries, rate limiting, types) is python-telegram-bot's own.

Proxies come from the environment (``HTTPS_PROXY``, ``NO_PROXY``…), looked up once per address
the bot talks to (the Bot API and its file server) rather than by aiohttp's ``trust_env`` on
every request: that re-read the whole environment and ``~/.netrc`` in two worker threads per
message, a tenth of the CPU of sending a reminder. One thing ``trust_env`` did is left out: it
would also send a ``~/.netrc`` login for the Bot API's own host, which needs none (the token is
in the address).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote_plus

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

# Telegram lets a bot download files up to 20 MB, and no Bot API answer comes near that: a
# response is read up to this much and no further, even when the file's size was not announced
# (a photo, a forwarded document) and its download would otherwise fill the memory.
MAX_RESPONSE_BYTES = 20 * 1024 * 1024

# Each byte of a UTF-8 text as a form field writes it (``urllib.parse.urlencode``'s own
# spelling): applied to the bytes read as Latin-1, one ``str.translate`` encodes a whole field
# in C, where ``urlencode`` quotes byte by byte in Python (a twentieth of a message's client cost).
_FORM_BYTES = {byte: quote_plus(bytes([byte])) for byte in range(256)}


class ResponseTooLarge(NetworkError):
    """The server sent more than ``MAX_RESPONSE_BYTES``: the rest was not read."""


class AiohttpRequest(BaseRequest):
    """Requests to the Bot API through one aiohttp session (made in the running loop)."""

    def __init__(self, connection_pool_size: int = 8, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0,
                 ) -> None:
        self._size = connection_pool_size
        self._read, self._write = read_timeout, write_timeout
        self._media_write = media_write_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None
        # (scheme, host, port) -> the proxy from the environment and its credentials, if any.
        self._proxies: dict[tuple[str, str | None, int | None],
                            tuple[URL | None, aiohttp.BasicAuth | None]] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._size, limit_per_host=self._size)
            # Our own User-Agent on every request; no cookies (the Bot API sets none);
            # HTTPS_PROXY and NO_PROXY from the environment honoured, as httpx did
            # (``_proxy_for``).
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar())

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if isinstance(write_timeout, DefaultValue):  # as python-telegram-bot's own client
            write = self._media_write if files else self._write
        else:
            write = write_timeout
        # aiohttp has no write timeout of its own: the whole exchange gets the sum of the four
        # (so a stalled upload cannot hold the chat's lock for minutes), and waiting for a
        # pooled connection counts against the connect timeout.
        parts = (pool, connect, write, read)
        total = None if None in parts else sum(p for p in parts if p is not None)
        if connect is None or pool is None:
            waiting = connect if pool is None else pool
        else:
            waiting = connect + pool
        timeout = aiohttp.ClientTimeout(total=total, sock_read=read, sock_connect=connect,
                                        connect=waiting)
        body = _body(request_data, files)
        proxy, proxy_auth = await self._proxy_for(URL(url))
        try:
            async with self._session.request(method, url, data=body, timeout=timeout,
                                             proxy=proxy, proxy_auth=proxy_auth) as response:
                return response.status, await _capped(response)
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    async def _proxy_for(self, url: URL) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """The proxy the environment names for ``url``'s address, as aiohttp's ``trust_env``
        finds it (``NO_PROXY`` honoured, the proxy's credentials from ``~/.netrc``), looked up
        once per address: the environment does not change under a running bot."""
        origin = (url.scheme, url.host, url.port)
        found = self._proxies.get(origin)
        if found is None:
            try:  # reads ~/.netrc: not on the event loop
                found = await asyncio.to_thread(get_env_proxy_for_url, url)
            except LookupError:  # none for this address
                found = (None, None)
            self._proxies[origin] = found
        return found


async def _capped(response: aiohttp.ClientResponse) -> bytes:
    """The response body, refused past ``MAX_RESPONSE_BYTES`` (announced or counted)."""
    if (response.content_length or 0) > MAX_RESPONSE_BYTES:
        raise ResponseTooLarge(f"response of {response.content_length} bytes")
    chunks, received = [], 0
    async for chunk in response.content.iter_chunked(256 * 1024):
        received += len(chunk)
        if received > MAX_RESPONSE_BYTES:
            raise ResponseTooLarge(f"response past {MAX_RESPONSE_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _body(request_data: RequestData | None, files: dict[str, Any] | None) -> Any:
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:  # a form, as python-telegram-bot sends it
        return aiohttp.BytesPayload(form_body(fields), content_type=FORM) if fields else None
    # Names as they are (httpx's way, which Telegram reads): quoted, a file named
    # "bon de livraison.pdf" would reach the chat as "bon%20de%20livraison.pdf".
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


FORM = "application/x-www-form-urlencoded"


def form_body(fields: dict[str, str]) -> bytes:
    """``urlencode(fields).encode()``, byte for byte, in a fraction of its time."""
    return "&".join(f"{_form_text(name)}={_form_text(value)}"
                    for name, value in fields.items()).encode("ascii")


def _form_text(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_FORM_BYTES)
