-- A chat's lock and its account in one round trip (bot/storage/postgres_backend.py's
-- ChatSessions): the session advisory lock is tried first, then, only once it is held, the
-- account is read. A VOLATILE PL/pgSQL function takes a new snapshot for each statement in
-- it, so the read sees every write committed before the lock was obtained (one SQL statement
-- doing both would read with a snapshot taken before). The reminder instant comes with it,
-- so that a write which leaves it unchanged need not rewrite its row. An account stored
-- bigger than small_below bytes is not returned (read later, off the event loop).
CREATE FUNCTION chat_lock_and_read(chat text, small_below integer)
RETURNS TABLE (is_locked boolean, is_stored boolean, stored_account jsonb,
               stored_envelope jsonb, stored_due_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT pg_try_advisory_lock(hashtextextended(chat, 0)) THEN
        RETURN QUERY SELECT false, false, NULL::jsonb, NULL::jsonb, NULL::timestamptz;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT true, true,
               CASE WHEN pg_column_size(a.account) <= small_below THEN a.account END,
               a.envelope, r.due_at
        FROM accounts a LEFT JOIN reminders r ON r.chat_id = a.chat_id
        WHERE a.chat_id = chat;
    IF NOT FOUND THEN
        RETURN QUERY SELECT true, false, NULL::jsonb, NULL::jsonb, NULL::timestamptz;
    END IF;
END
$$;
