-- The execution history: one row per run, written RUNNING before the launch and closed after.
-- Portable SQL: ${text} is CHARACTER LARGE OBJECT on H2 and TEXT on PostgreSQL; instants are
-- epoch milliseconds (UTC) so that ordering and keyset paging are exact on every database.
CREATE TABLE executions (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
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

-- Newest first, overall and per status; RUNNING rows are found through the status index.
CREATE INDEX executions_by_time ON executions (started_at DESC, id DESC);
CREATE INDEX executions_by_status ON executions (status, started_at DESC, id DESC);
CREATE INDEX executions_by_workflow_run ON executions (workflow_run_id, started_at DESC, id DESC);
