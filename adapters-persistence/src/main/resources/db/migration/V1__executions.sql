-- The execution history: one row per run, written RUNNING before its script runs and closed after.
-- Portable SQL: ${text} is CHARACTER LARGE OBJECT on H2 and TEXT on PostgreSQL; instants are
-- epoch milliseconds (UTC) so that ordering and keyset paging are exact on every database.
--
-- seq orders the history: the start time in milliseconds shifted left by 20 bits, plus 20 random
-- bits. As the primary key it is the table's own order on H2 (no separate index needed for
-- "newest first" or time ranges), and a run writes three index entries, not four.
CREATE TABLE executions (
  seq BIGINT NOT NULL PRIMARY KEY,
  id VARCHAR(36) NOT NULL UNIQUE,
  status VARCHAR(20) NOT NULL,
  script VARCHAR(4200) NOT NULL,
  inputs ${text},
  output ${text},
  exit_code INTEGER,
  signal_name VARCHAR(16),
  ended_by VARCHAR(16),
  stderr ${text} NOT NULL,
  stderr_truncated BOOLEAN NOT NULL,
  error_code VARCHAR(40),
  error_message ${text},
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  duration_ms BIGINT NOT NULL,
  timeout_ms BIGINT NOT NULL,
  limits VARCHAR(2000) NOT NULL,
  isolation VARCHAR(10) NOT NULL,
  interpreter_path VARCHAR(4096),
  interpreter_version VARCHAR(64),
  script_sha256 VARCHAR(64),
  input_bytes BIGINT NOT NULL,
  output_bytes BIGINT NOT NULL,
  cpu_ms BIGINT NOT NULL,
  max_rss_kib BIGINT NOT NULL,
  requested_via VARCHAR(10) NOT NULL,
  requested_by VARCHAR(256) NOT NULL,
  supervisor_host VARCHAR(256),
  supervisor_pid BIGINT,
  supervisor_started_at BIGINT,
  process_host VARCHAR(256),
  process_pid BIGINT,
  process_started_at BIGINT,
  workflow_run_id VARCHAR(64),
  step_id VARCHAR(256)
);

-- Newest first per status (RUNNING rows for recovery too) and per workflow run.
CREATE INDEX executions_by_status ON executions (status, seq);
CREATE INDEX executions_by_workflow_run ON executions (workflow_run_id, seq);
