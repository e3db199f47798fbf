"""The debtor's side of a case: a personal link in every letter, and the four answers the
debtor can give through it (see the claim, propose a plan, acknowledge the debt, contest it).

- ``record``: what the case keeps about the debtor's side (``DebtorSide``).
- ``link``: the per-case token, issued, revoked, dead once the case is closed.
- ``claim``: what the debtor is shown (``ClaimView``), the same figures as the creditor's.
- ``answers``: the four answers and the creditor's replies to a plan; each changes the case and
  says what to tell each side (``Answered``).

Pure like the rest of ``flows``: the adapters (``bot.debtor_desk`` for Telegram, the web page)
find the case from the token, call these, save, and deliver the messages.

This module imports nothing: ``flows.law.from_case`` reads the acknowledgement through
``record``, and ``claim`` reads the law through ``from_case``.
"""
