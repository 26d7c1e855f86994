-- Issue 12: /forget reset the look-up limit, because the attempt rows were deleted with the
-- user. The limit keeps only what it needs (user id, time, whether something was found: no IIN,
-- no phone, no content), apart from personal data and with no cascade from users, for a day
-- (the longest any limit looks back); the daily clean-up removes older rows.
CREATE TABLE queue_lookup_attempts (
    user_id INTEGER NOT NULL,              -- Telegram id; deliberately no FOREIGN KEY to users
    attempted_at REAL NOT NULL,            -- Unix time
    found INTEGER                          -- 1 found, 0 not found, NULL still being looked up
);
CREATE INDEX queue_lookup_attempts_user ON queue_lookup_attempts(user_id, attempted_at);
CREATE INDEX queue_lookup_attempts_time ON queue_lookup_attempts(attempted_at);
INSERT INTO queue_lookup_attempts (user_id, attempted_at, found)
    SELECT user_id, attempted_at, found FROM ivf_queue_attempts;
DROP TABLE ivf_queue_attempts;

-- One citizen repeating a question counts once in /stats: a keyed hash of the asker (HMAC of
-- the Telegram id; no user link in clear) is kept with the question.
ALTER TABLE unanswered_questions ADD COLUMN asker BLOB;

-- Questions kept before IINs and phones typed with dots, commas, slashes or invisible
-- characters were masked may hold them in clear: drop every old one with ten digits or more.
DELETE FROM unanswered_questions
    WHERE text GLOB '*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*';
