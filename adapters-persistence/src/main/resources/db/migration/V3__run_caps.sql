-- Which caps held a run, and what the run as a whole used: memory_cap is 'run' (a cgroup over
-- every process of the run) or 'process' (RLIMIT_AS per process); process_cap is 'run', 'user'
-- (RLIMIT_NPROC of the script's user) or 'none'; both NULL where no process ran, and for runs
-- recorded before this migration. run_peak_kib is the run's peak memory from its cgroup, or -1.
ALTER TABLE executions ADD COLUMN run_peak_kib BIGINT DEFAULT -1 NOT NULL;
ALTER TABLE executions ADD COLUMN memory_cap VARCHAR(10);
ALTER TABLE executions ADD COLUMN process_cap VARCHAR(10);
