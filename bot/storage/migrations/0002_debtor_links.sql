-- The index of debtors' links (bot/storage/debtor_index.py): which creditor chat and case a
-- debtor's link opens, by a hash of its token (never the token), and which one a debtor's own
-- Telegram chat answers. Written in the same transaction as the creditor's account, so that
-- any instance finds a link another one issued; erased with the account.
CREATE TABLE debtor_tokens (
    token_hash text PRIMARY KEY,
    chat_id    text NOT NULL,
    case_id    text NOT NULL
);
CREATE INDEX debtor_tokens_chat ON debtor_tokens (chat_id);

CREATE TABLE debtor_chats (
    debtor_chat text PRIMARY KEY,
    chat_id     text NOT NULL,
    case_id     text NOT NULL
);
CREATE INDEX debtor_chats_chat ON debtor_chats (chat_id);

-- Accounts written before these tables existed may hold live links: the first instance to
-- start after this migration indexes every account once, then deletes this row.
CREATE TABLE debtor_links_rebuild (pending boolean PRIMARY KEY);
INSERT INTO debtor_links_rebuild VALUES (true);
