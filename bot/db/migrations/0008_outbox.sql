-- Issue 14: one outbox for everything the bot sends unasked, drained by one sender.
-- broadcast_outbox, ivf_queue_notifications and mobile_outbox each had their own loop and
-- rules; their rows move here, none lost (sent rows too: a run's counts and corrections, and
-- the reminders already sent, which must not be queued again, read them).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                   -- broadcast | queue_change | mobile_visit
    run_id INTEGER REFERENCES broadcast_runs(id),  -- broadcasts, corrections, retractions
    payload TEXT NOT NULL DEFAULT '{}',   -- JSON: what to render when sent (no personal data)
    dedup_key TEXT,                       -- one message per key, ever (reminders)
    -- pending, sending, sent, blocked, failed, cancelled, skipped (no longer relevant),
    -- unsure (no answer came: it may have arrived, and a second copy is worse than none)
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0, -- an earlier attempt may have reached the user
    message_id INTEGER,                   -- the message sent (send) or the one to change
    claimed_by TEXT,                      -- the sender that set "sending" (compare-and-set)
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE UNIQUE INDEX outbox_run_user ON outbox(run_id, user_id) WHERE run_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_dedup ON outbox(dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX outbox_run_status ON outbox(run_id, status);
CREATE INDEX outbox_waiting ON outbox(status, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_user ON outbox(user_id);

INSERT INTO outbox (user_id, kind, run_id, status, attempts, uncertain, message_id,
                    created_at, sent_at)
    SELECT o.user_id, 'broadcast', o.run_id, o.status, o.attempts, o.uncertain, o.message_id,
           r.created_at, o.sent_at
    FROM broadcast_outbox o JOIN broadcast_runs r ON r.id = o.run_id ORDER BY o.rowid;

INSERT INTO outbox (user_id, kind, payload, created_at)
    SELECT user_id, 'queue_change',
           json_object('region_code', region_code, 'old_position', old_position,
                       'old_status', old_status, 'new_position', new_position,
                       'new_status', new_status, 'list_date', list_date),
           created_at
    FROM ivf_queue_notifications ORDER BY id;

INSERT INTO outbox (user_id, kind, payload, dedup_key, status, created_at, sent_at)
    SELECT user_id, 'mobile_visit',
           json_object('visit_id', visit_id, 'kind', kind, 'starts_on', starts_on,
                       'old_starts_on', old_starts_on),
           'mobile:' || user_id || ':' || visit_id || ':' || kind || ':' || starts_on,
           COALESCE(outcome, 'pending'), queued_at, done_at
    FROM mobile_outbox ORDER BY queued_at, user_id;

-- The sender ("pid:token") working on a run: a second process leaves it alone while it lives.
ALTER TABLE broadcast_runs ADD COLUMN sender TEXT;

DROP TABLE broadcast_outbox;
DROP TABLE ivf_queue_notifications;
DROP TABLE mobile_outbox;
