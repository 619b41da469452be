-- Why and by whom a CANCELLED run was stopped: the cause (SIGINT, SIGTERM, a cancel request over
-- HTTP), the channel it came through and the user or token label behind it. NULL for every other
-- status.
ALTER TABLE executions ADD COLUMN cancel_cause VARCHAR(64);
ALTER TABLE executions ADD COLUMN cancelled_via VARCHAR(8);
ALTER TABLE executions ADD COLUMN cancelled_by VARCHAR(256);
