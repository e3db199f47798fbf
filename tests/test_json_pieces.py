"""The JSON of a big chat, made and read in small pieces (``bot.storage.json_pieces``): the
same text and the same values as the one-call forms, whatever the data."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.storage import Storage, StoredChat, json_pieces
from flows.model import Account, Case

SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                      max_leaves=60)


@given(VALUES)
def test_pieces_make_the_same_text_as_one_call(value: Any) -> None:
    assert json_pieces.dumps(value) == json.dumps(value, ensure_ascii=False,
                                                  separators=(",", ":"))


@given(VALUES)
def test_a_big_text_reads_back_the_same_values(value: Any) -> None:
    padded = {"padding": "é" * json_pieces.BIG_TEXT, "value": value}  # past the size limit
    text = json_pieces.dumps(padded).encode("utf-8")
    assert len(text) > json_pieces.BIG_TEXT
    assert json_pieces.loads(text) == json.loads(text)


def test_a_big_chat_is_kept_whole_by_every_backend(storage: Storage) -> None:
    """Made and read in pieces (more records than ``BIG_RECORDS``, a longer text than
    ``BIG_TEXT``): the account read back is the one written."""
    account = Account.new("8301", "fr")
    account.cases = [Case(id=f"case{n}", created_at="2026-11-23T10:00:00+01:00") for n in range(4)]
    for case in account.cases:
        case.events = [{"at": "2026-11-23T10:00:00+01:00", "kind": "note",
                        "params": {"text": f"appel n° {n} : « il paiera vendredi »"}}
                       for n in range(json_pieces.BIG_RECORDS // 2)]
    assert json_pieces.records(account) > json_pieces.BIG_RECORDS
    storage.accounts.save(StoredChat(account), None)
    kept = storage.accounts.load("8301")
    assert kept is not None
    assert kept.account.to_json() == account.to_json()
