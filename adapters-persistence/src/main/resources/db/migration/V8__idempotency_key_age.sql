-- Keys are forgotten once older than the server's retention (24 hours): an index on their age
-- makes that one cheap range delete, run at start and now and then on a claim.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
