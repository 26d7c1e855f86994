-- Staff members added in the bot by an administrator (administrators are STAFF_IDS).
-- Not tied to a users row: an administrator may add a colleague before they first write.
CREATE TABLE staff_members (
    user_id INTEGER PRIMARY KEY,          -- Telegram id
    region_code TEXT,                     -- limits their broadcasts to one region, NULL = any
    added_by INTEGER NOT NULL,
    added_at TEXT NOT NULL                -- ISO datetime (UTC)
);

-- Topics a citizen asked to hear about. Deleted with the user (/forget).
CREATE TABLE subscriptions (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,                  -- "ivf", "mobile_clinics", "facilities"
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, topic)
);
CREATE INDEX subscriptions_topic ON subscriptions(topic);

-- Users already asked whether they want announcements (asked once).
CREATE TABLE subscription_offers (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    offered_at TEXT NOT NULL
);

-- One announcement: who composed it, what it says and whom it is for (the audit record).
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL,           -- staff Telegram id
    text_kk TEXT NOT NULL,                -- HTML as Telegram renders it
    text_ru TEXT NOT NULL,
    media_kind TEXT,                      -- "photo", "document" or NULL
    media_file_id TEXT,
    topic TEXT NOT NULL,
    region_code TEXT,                     -- NULL = every region
    language TEXT,                        -- NULL = both languages
    created_at TEXT NOT NULL
);

-- One pass of the sender over recipients: the first send, or a later edit or retraction.
CREATE TABLE broadcast_runs (
    id INTEGER PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),
    action TEXT NOT NULL,                 -- "send", "edit", "delete"
    requested_by INTEGER NOT NULL,        -- staff Telegram id
    report_chat_id INTEGER NOT NULL,      -- where progress and the report go
    progress_message_id INTEGER,
    status TEXT NOT NULL DEFAULT 'queued',-- queued, running, paused, done, cancelled
    text_kk TEXT,                         -- the corrected text of an edit
    text_ru TEXT,
    recipients INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0, -- counts written when the run ends
    blocked INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    cancelled INTEGER NOT NULL DEFAULT 0,
    possible_duplicates INTEGER NOT NULL DEFAULT 0,
    throttled INTEGER NOT NULL DEFAULT 0, -- 429 answers received
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    busy_seconds REAL NOT NULL DEFAULT 0  -- time spent sending, pauses and restarts excluded
);
CREATE INDEX broadcast_runs_status ON broadcast_runs(status);

-- The outbox: one row per recipient of a run, all written in one transaction before the first
-- message leaves. "sending" is written before the API call and "sent" after it, so a row still
-- "sending" after a crash is the only one that may have reached the user without us knowing.
CREATE TABLE broadcast_outbox (
    run_id INTEGER NOT NULL REFERENCES broadcast_runs(id),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', -- pending, sending, sent, blocked, failed, cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0, -- an earlier attempt may have reached the user
    message_id INTEGER,                   -- the message sent (send) or the one to change
    sent_at TEXT,
    PRIMARY KEY (run_id, user_id)
);
CREATE INDEX broadcast_outbox_status ON broadcast_outbox(run_id, status);
CREATE INDEX broadcast_outbox_user ON broadcast_outbox(user_id);
