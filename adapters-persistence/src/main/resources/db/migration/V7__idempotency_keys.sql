-- The Idempotency-Keys of the HTTP server: which run (or workflow run) the first request with a
-- key started, per token label and route, and the SHA-256 of that request's body, so that the same
-- request again gets the same run and the same key with another body is refused. created_at is
-- epoch milliseconds (UTC), as everywhere in the history.
CREATE TABLE idempotency_keys (
  requested_by VARCHAR(256) NOT NULL,
  route VARCHAR(32) NOT NULL,
  idem_key VARCHAR(256) NOT NULL,
  request_sha256 VARCHAR(64) NOT NULL,
  run_id VARCHAR(36) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (requested_by, route, idem_key)
);
