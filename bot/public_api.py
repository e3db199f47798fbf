"""Reading the public registers' JSON APIs: a short timeout, a size cap, one error for all.

The company register and the BODACC are asked while a user waits (or in the background for
the insolvency watch): an answer slower than ``TIMEOUT_SECONDS`` is as good as none, and the
chat then simply asks, as it does without them. No key, no cookie, nothing of the user's sent
but the company number itself.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 3.0
MAX_ANSWER_BYTES = 2 * 1024 * 1024  # a search answer is a few kilobytes


class SourceUnavailable(Exception):
    """The source did not answer in time, answered an error, or answered something else
    than JSON."""


def fetch_json(base_url: str, path: str, query: dict[str, str],
               timeout: float | None = None) -> Any:
    """GET ``base_url`` + ``path`` with ``query``, the answer's JSON."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    if not base_url.startswith(("https://", "http://")):
        raise SourceUnavailable(f"not an http(s) address: {base_url!r}")
    url = f"{base_url.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url, headers={  # noqa: S310 (http(s) checked above)
        "Accept": "application/json", "User-Agent": "impayes-bot"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_ANSWER_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise SourceUnavailable(type(error).__name__) from error
    if len(body) > MAX_ANSWER_BYTES:
        raise SourceUnavailable("answer too large")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceUnavailable("not JSON") from error
