-- The stable reason code of each rejected row (e.g. 'invalid_uscc', 'unknown_household'),
-- so that the data-quality view can count rejects by reason; `reason` keeps the Chinese
-- message shown to the department.
ALTER TABLE rejects ADD COLUMN reason_code TEXT;
CREATE INDEX rejects_reason ON rejects (batch_id, reason_code);
