-- Visits of mobile medical complexes and medical trains (data/mobile_visits.csv, staff imports).
-- Dates are local (Asia/Almaty). A history row may lack the year (`--08-27`) or the day
-- (`2025-08`) when its source does. Only full dates (10 characters) are ever offered.
CREATE TABLE mobile_visits (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL,
    settlement_code TEXT NOT NULL,
    vehicle TEXT NOT NULL,               -- complex | train
    operator TEXT NOT NULL,              -- who runs it, as staff wrote it
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    opens_at TEXT,                       -- HH:MM local
    closes_at TEXT,
    services TEXT NOT NULL,              -- service codes separated by |
    source TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned',  -- planned | cancelled
    imported_at TEXT NOT NULL
);
CREATE INDEX mobile_visits_settlement ON mobile_visits(settlement_code, starts_on);
CREATE INDEX mobile_visits_starts ON mobile_visits(starts_on, status);
CREATE INDEX mobile_visits_region ON mobile_visits(region_code);

-- The last import of each region (the history file counts as one).
CREATE TABLE mobile_imports (
    region_code TEXT PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    rows INTEGER NOT NULL
);

-- "Remind me" for a settlement. Deleted with the user (/forget).
CREATE TABLE mobile_subscriptions (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    settlement_code TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, settlement_code)
);
CREATE INDEX mobile_subscriptions_settlement ON mobile_subscriptions(settlement_code);

-- Everything queued for a subscriber: the day-before reminder and the notices of a moved or
-- cancelled visit. The key makes each message exist once, and `outcome` records what happened, so
-- nothing is sent twice across restarts.
CREATE TABLE mobile_outbox (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    visit_id INTEGER NOT NULL,
    kind TEXT NOT NULL,                  -- reminder | rescheduled | cancelled
    starts_on TEXT NOT NULL,             -- the visit's date this message is about
    old_starts_on TEXT,                  -- for rescheduled: the date it had before
    queued_at TEXT NOT NULL,
    outcome TEXT,                        -- NULL while pending, else sent | skipped | blocked | failed
    done_at TEXT,
    PRIMARY KEY (user_id, visit_id, kind, starts_on)
) WITHOUT ROWID;
CREATE INDEX mobile_outbox_pending ON mobile_outbox(queued_at, user_id) WHERE outcome IS NULL;
