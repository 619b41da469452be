-- What tells a recorded process apart without trusting the wall clock: the kernel's boot id and
-- the process's start time in clock ticks since boot (/proc/PID/stat field 22). NULL for
-- processes recorded before this migration; recovery treats those conservatively (a run whose
-- stepguard pid still runs is left alone, and no process is signalled by its pid alone).
ALTER TABLE executions ADD COLUMN supervisor_boot_id VARCHAR(64);
ALTER TABLE executions ADD COLUMN supervisor_start_ticks BIGINT;
ALTER TABLE executions ADD COLUMN process_boot_id VARCHAR(64);
ALTER TABLE executions ADD COLUMN process_start_ticks BIGINT;
ALTER TABLE workflow_runs ADD COLUMN supervisor_boot_id VARCHAR(64);
ALTER TABLE workflow_runs ADD COLUMN supervisor_start_ticks BIGINT;
