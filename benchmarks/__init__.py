"""Performance figures (docs/performance.md): ``make bench`` (``python -m benchmarks [--quick]``).

Every figure is measured against the real stack: the bot as its own process talking HTTP to
the fake Bot API (``testing/fakebot.py``), real TinyDB files, real WeasyPrint. The floor is a
bare python-telegram-bot echo bot on the same fake API, driven the same way.
"""
