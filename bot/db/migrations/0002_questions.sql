-- Questions the knowledge base could not answer, so staff see what citizens ask that it lacks.
-- Stored redacted (no IIN, phone, e-mail, names, addresses) and linked to no user on purpose:
-- nothing here is personal, so /forget has nothing to delete.
CREATE TABLE unanswered_questions (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,                  -- redacted question, at most 500 characters
    normalised TEXT NOT NULL,            -- folded form: one question typed differently counts once
    language TEXT,                       -- the language the bot answered in
    asked_on TEXT NOT NULL               -- ISO date (UTC), no time of day: it must identify no one
);
CREATE INDEX unanswered_questions_asked_on ON unanswered_questions(asked_on);
