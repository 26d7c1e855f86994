-- IVF waiting lists that regional health departments load (issue 6).
-- IINs and phones are never stored: only keyed hashes (HMAC-SHA256 with PII_SECRET).

-- One row per region whose list was loaded.
CREATE TABLE ivf_queue_lists (
    region_code TEXT PRIMARY KEY,          -- data/regions.yaml code
    imported_at TEXT NOT NULL,             -- ISO datetime (UTC)
    row_count INTEGER NOT NULL
);

-- The entries of each list. A new file replaces a region's entries whole.
CREATE TABLE ivf_queue_entries (
    iin_hash BLOB NOT NULL,
    region_code TEXT NOT NULL REFERENCES ivf_queue_lists(region_code) ON DELETE CASCADE,
    phone_hash BLOB NOT NULL,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,                  -- waiting / referred / done / removed
    list_date TEXT NOT NULL,               -- ISO date of the list
    PRIMARY KEY (iin_hash, region_code)
) WITHOUT ROWID;
CREATE INDEX ivf_queue_entries_region ON ivf_queue_entries(region_code);

-- What a user last saw of their record, to tell them how it changed, and whether they want a
-- message when a new list changes it. Deleted with the user (/forget).
CREATE TABLE ivf_queue_links (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    iin_hash BLOB NOT NULL,
    phone_hash BLOB NOT NULL,
    last_position INTEGER NOT NULL,
    last_status TEXT NOT NULL,
    last_lookup_at TEXT NOT NULL,          -- ISO datetime (UTC)
    notify INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, region_code)
);
CREATE INDEX ivf_queue_links_region ON ivf_queue_links(region_code, notify);

-- Look-up attempts, for the hourly limit and the pause after failures (survives restarts).
CREATE TABLE ivf_queue_attempts (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    attempted_at REAL NOT NULL,            -- Unix time
    found INTEGER NOT NULL
);
CREATE INDEX ivf_queue_attempts_user ON ivf_queue_attempts(user_id, attempted_at);

-- Messages owed to subscribers after an import changed their record: sent, then deleted.
CREATE TABLE ivf_queue_notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    old_position INTEGER,
    old_status TEXT,
    new_position INTEGER,                  -- NULL: the record is no longer on the list
    new_status TEXT,
    list_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX ivf_queue_notifications_user ON ivf_queue_notifications(user_id);
