-- Accounts of the HTTP server (SPEC "Users", ../shared/domain §9.1): the member units of the
-- joint meeting (departments), users with their role and region scope, and the password
-- history that stops the last five passwords coming back. Sessions live in the server's
-- memory. Times compared by the server (password age, lock-out) are Unix seconds; times shown
-- to people are China Standard Time text like every other table's.

CREATE TABLE departments (
  id {{id_pk}},
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The feeds this department may upload, comma-separated feed keys (e.g. 'tax,tax_credit').
  feeds TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
  id {{id_pk}},
  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'regulator', 'department', 'liaison', 'owner')),
  -- Region scope: households whose region_code starts with it ('' = the whole country).
  region_prefix TEXT NOT NULL DEFAULT '' CHECK (length(region_prefix) <= 6),
  department_id BIGINT REFERENCES departments (id),
  -- For owners: the household they operate.
  household_uscc TEXT CHECK (household_uscc IS NULL OR length(household_uscc) = 18),
  -- May see ID numbers and phones unmasked (every such view is audited).
  can_unmask INTEGER NOT NULL DEFAULT 0 CHECK (can_unmask IN (0, 1)),
  password_hash TEXT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  last_login_at TEXT
);
CREATE INDEX users_household ON users (household_uscc);

CREATE TABLE password_history (
  user_id BIGINT NOT NULL REFERENCES users (id),
  password_hash TEXT NOT NULL,
  changed_at BIGINT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, changed_at);
