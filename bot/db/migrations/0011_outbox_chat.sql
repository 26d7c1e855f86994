-- «Ask a person» sends through the one outbox too: a ticket's row carries the citizen's data
-- (user_id, so /forget deletes it) but may go to a staff member or the staff group (chat_id).
ALTER TABLE outbox ADD COLUMN chat_id INTEGER;  -- NULL: the user's own chat
