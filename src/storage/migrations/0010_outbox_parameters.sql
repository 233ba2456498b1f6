-- The notification outbox (SPEC C5: in-app messages and an interface for SMS, each sent once)
-- and the parameters staff edit in the console that the rest of the platform reads (SPEC C12
-- 系统管理: dictionaries and parameters).
--
-- A notification is written in the transaction of the change it reports and delivered after
-- it by workflows/notifications.h: 'in_app' ones land in the recipient's inbox, 'sms' ones go to
-- the phone registered for the household (looked up, and decrypted, at delivery; never copied
-- here). dedupe_key makes "sent once" hold across retries and restarts. A one-time login code
-- is erased from body once delivered (erase_after_send).

CREATE TABLE notifications (
  id {{id_pk}},
  channel TEXT NOT NULL CHECK (channel IN ('in_app', 'sms')),
  kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
  household_uscc TEXT CHECK (household_uscc IS NULL OR length(household_uscc) = 18),
  user_id BIGINT REFERENCES users (id),
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  erase_after_send INTEGER NOT NULL DEFAULT 0 CHECK (erase_after_send IN (0, 1)),
  dedupe_key TEXT UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at TEXT NOT NULL,
  sent_at TEXT,
  read_at TEXT,
  last_error TEXT,
  CHECK (household_uscc IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX notifications_pending ON notifications (status, id);
CREATE INDEX notifications_household ON notifications (household_uscc, id);

-- Values override the defaults compiled into workflows/parameters.cc, which also validates
-- them; a name the program does not know is refused there, never stored.
CREATE TABLE parameters (
  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  value TEXT NOT NULL CHECK (length(value) <= 1000),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
