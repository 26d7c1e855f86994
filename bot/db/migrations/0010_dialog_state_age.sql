-- Issue 15: abandoned dialogs are deleted after DIALOG_STATE_RETENTION_DAYS, so each dialog
-- state records when it last changed (ISO datetime, UTC). Rows from before count from now.
ALTER TABLE fsm_state ADD COLUMN updated_at TEXT;
UPDATE fsm_state SET updated_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now');
CREATE INDEX fsm_state_updated_at ON fsm_state(updated_at);
