-- A run is created at most once per press of «✅ Send»: with real polling two taps are handled
-- at the same time, and both would pass the dialog-state check. The claim is the draft's key
-- (a send or a correction) or "delete:<broadcast id>"; NULL for runs from before this column.
ALTER TABLE broadcast_runs ADD COLUMN claim TEXT;
CREATE UNIQUE INDEX broadcast_runs_claim ON broadcast_runs(claim);
