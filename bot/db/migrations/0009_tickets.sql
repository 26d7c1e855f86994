-- Issue 16, «Ask a person»: questions the bot could not answer go to the regional health
-- department, and the answer comes back in the citizen's chat.
-- A ticket must be answered in the citizen's chat, so it keeps the citizen's Telegram id; /forget
-- clears it (NULL), deletes the texts and keeps only the anonymous figures staff count.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,               -- the number the citizen and staff see
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,  -- NULL after /forget
    language TEXT NOT NULL,               -- the citizen's language: answers come back in it
    region_code TEXT,                     -- whose health department answers
    entry_id TEXT,                        -- the knowledge-base answer the citizen had, if any
    status TEXT NOT NULL DEFAULT 'open',  -- open, answered, closed
    closed_reason TEXT,                   -- citizen, staff, blocked, forgotten, expired
    opened_at REAL NOT NULL,              -- Unix time
    first_answered_at REAL,
    last_activity_at REAL NOT NULL,
    closed_at REAL,
    reminded_at REAL,                     -- staff reminded once of a ticket left waiting
    rating INTEGER,                       -- the citizen's 👍 (1) or 👎 (-1) of the answer
    staff_topic_id INTEGER                -- its topic in the staff forum group, if there is one
);
CREATE INDEX tickets_waiting ON tickets(status, region_code, opened_at);
CREATE INDEX tickets_user ON tickets(user_id, status);

-- What the citizen wrote and what staff answered, personal data masked
-- (bot/services/personal_data.py). Deleted with the ticket's texts (/forget, retention).
CREATE TABLE ticket_messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author TEXT NOT NULL,                 -- citizen or staff
    staff_id INTEGER,                     -- who answered (staff only; never shown to citizens)
    text TEXT NOT NULL,
    sent_at REAL NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id);

-- Which Telegram message (chat, message id) shows which ticket: a staff reply to the message is
-- an answer to exactly that ticket, and a reply in any other chat maps to nothing. A citizen's
-- reply to an answer they got adds to their ticket.
CREATE TABLE ticket_chat_messages (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    to_citizen INTEGER NOT NULL DEFAULT 0, -- 1: shown to its citizen; 0: shown to staff
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX ticket_chat_messages_ticket ON ticket_chat_messages(ticket_id);

-- «👍 / 👎» under knowledge-base answers: one vote per person per entry, changeable. The voter
-- is a keyed hash (PiiHasher.asker), not a Telegram id; /forget sets it to NULL, so the count
-- stays and the vote belongs to no one.
CREATE TABLE answer_votes (
    entry_id TEXT NOT NULL,
    voter BLOB,
    helpful INTEGER NOT NULL,             -- 1 👍, 0 👎
    voted_at REAL NOT NULL,
    UNIQUE (entry_id, voter)
);
CREATE INDEX answer_votes_entry ON answer_votes(entry_id);
