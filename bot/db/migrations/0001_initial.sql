-- Users: only what features need. No names, no phone numbers.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,              -- Telegram user id
    language TEXT,                       -- explicit choice from /start or /language
    inferred_language TEXT,              -- language of what they last wrote, when no choice
    region_code TEXT,                    -- "my region" (data/regions.yaml code), when set
    first_seen TEXT NOT NULL,            -- ISO date (UTC)
    last_seen TEXT NOT NULL              -- ISO date (UTC), updated at most once a day
);

-- FSM dialog state, so a user keeps their place across a restart.
-- Deleted with the user (/forget) through the foreign key.
CREATE TABLE fsm_state (
    storage_key TEXT PRIMARY KEY,
    user_id INTEGER,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX fsm_state_user ON fsm_state(user_id);

-- Group chats already told that the bot works in private chats only.
CREATE TABLE group_chats_notified (
    chat_id INTEGER PRIMARY KEY
);
