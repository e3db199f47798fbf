-- The tables of every storage role (bot/storage/interface.py). Rows are keyed by chat, so
-- erasing a chat is one DELETE per table in one transaction.

-- Accounts: one row per chat, the account (flows.model.Account.to_json) and its envelope
-- (the update ids already answered, the documents still to draw: bot.storage.StoredChat)
-- as JSONB, rewritten whole in one transaction under the row's lock. Seen updates live in
-- the envelope so that they are committed with the very answer they stand for.
CREATE TABLE accounts (
    chat_id  text PRIMARY KEY,
    account  jsonb NOT NULL,
    envelope jsonb NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- Blobs: evidence, drawn documents; by chat, case and a relative name (documents/x.pdf).
CREATE TABLE blobs (
    chat_id  text NOT NULL,
    case_id  text NOT NULL,
    name     text NOT NULL,
    content  bytea NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, case_id, name)
);

-- The reminder index: the earliest instant each chat may have a reminder due, written in the
-- same transaction as the account. An instance claims due chats for a while (a lease, so that
-- a dead instance's claims lapse) with FOR UPDATE SKIP LOCKED: never two at once.
CREATE TABLE reminders (
    chat_id       text PRIMARY KEY,
    due_at        timestamptz NOT NULL,
    claimed_by    text,
    claimed_until timestamptz
);
CREATE INDEX reminders_due_at ON reminders (due_at);

-- The outbox (bot/outbox.py): each instance's log of the chats owed a reply, line by line.
CREATE TABLE outbox (
    instance text NOT NULL,
    seq      bigserial,
    line     text NOT NULL,
    PRIMARY KEY (instance, seq)
);
