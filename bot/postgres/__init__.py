"""The shared storage backend: PostgreSQL, for several bot instances on one database.

Selected by ``IMPAYES_DATABASE_URL=postgresql://…`` (``bot.config``); the embedded default is
the TinyDB backend in ``bot.storage``. The schema is versioned SQL in ``migrations/``, applied
at start by ``schema.migrate``.
"""
