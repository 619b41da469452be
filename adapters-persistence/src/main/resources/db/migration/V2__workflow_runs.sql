-- Workflow runs: one row per run of a workflow file, written RUNNING before its first step and
-- closed after its last. Its steps are execution rows with this run's id in workflow_run_id;
-- steps holds their ids and statuses as a JSON array for reading the run in one go.
CREATE TABLE workflow_runs (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  status VARCHAR(20) NOT NULL,
  workflow VARCHAR(4200) NOT NULL,
  workflow_sha256 VARCHAR(64) NOT NULL,
  name VARCHAR(256) NOT NULL,
  inputs ${text},
  failed_step VARCHAR(256),
  steps ${text} NOT NULL,
  output ${text},
  error_code VARCHAR(40),
  error_message ${text},
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  requested_via VARCHAR(10) NOT NULL,
  requested_by VARCHAR(256) NOT NULL,
  supervisor_host VARCHAR(256),
  supervisor_pid BIGINT,
  supervisor_started_at BIGINT
);

CREATE INDEX workflow_runs_by_status ON workflow_runs (status);
