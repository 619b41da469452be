-- The API tokens of the HTTP server: a label (what runs record as requestedBy), a scope ('run' or
-- 'read') and the token's SHA-256 in lowercase hex. The token itself is never stored. created_at
-- is epoch milliseconds (UTC), as everywhere in the history.
CREATE TABLE api_tokens (
  label VARCHAR(256) NOT NULL PRIMARY KEY,
  scope VARCHAR(8) NOT NULL,
  sha256 VARCHAR(64) NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
