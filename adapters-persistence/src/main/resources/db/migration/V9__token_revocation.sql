-- A revoked token is kept with the time it was revoked instead of being deleted, so that its
-- label is never given to another token: a run's requestedBy always names one token. NULL while
-- the token is accepted; epoch milliseconds (UTC) as everywhere in the history.
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
