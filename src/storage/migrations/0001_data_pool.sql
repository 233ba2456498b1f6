-- The data pool (SPEC C1): batches and their rejects, households, their status history and
-- the attributes of their operators. Portable SQL; see docs/schema.md for every column.
-- Dates are ISO text 'YYYY-MM-DD', money is BIGINT fen, booleans are INTEGER 0/1.

CREATE TABLE batches (
  id {{id_pk}},
  feed TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  period TEXT CHECK (length(period) IN (4, 7)),
  as_of TEXT,
  status TEXT NOT NULL DEFAULT 'loading' CHECK (status IN ('loading', 'committed', 'failed')),
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  rows_rejected BIGINT NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  error_message TEXT
);
-- Importing the same file for the same feed twice is refused once the first is committed.
CREATE UNIQUE INDEX batches_committed_content ON batches (feed, content_sha256)
  WHERE status = 'committed';

CREATE TABLE rejects (
  id {{id_pk}},
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  line BIGINT NOT NULL,
  column_name TEXT,
  value TEXT,
  reason TEXT NOT NULL
);
CREATE INDEX rejects_batch ON rejects (batch_id, line);

CREATE TABLE households (
  id {{id_pk}},
  uscc TEXT NOT NULL UNIQUE CHECK (length(uscc) = 18),
  legacy_registration_no TEXT,
  name TEXT,
  operator_name TEXT NOT NULL,
  operator_id_number TEXT,
  phone TEXT,
  region_code TEXT NOT NULL CHECK (length(region_code) = 6),
  township_code TEXT CHECK (length(township_code) = 9),
  premises TEXT,
  industry_code TEXT NOT NULL,
  registered_on TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('active', 'suspended', 'deregistered', 'revoked', 'converted')),
  status_since TEXT NOT NULL,
  converted_uscc TEXT CHECK (length(converted_uscc) = 18),
  organisation_form TEXT NOT NULL DEFAULT 'individual'
    CHECK (organisation_form IN ('individual', 'family')),
  online INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1)),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  updated_batch_id BIGINT NOT NULL REFERENCES batches (id)
);
CREATE INDEX households_region ON households (region_code);
CREATE INDEX households_township ON households (township_code);
CREATE INDEX households_industry ON households (industry_code);
CREATE INDEX households_status ON households (status);

CREATE TABLE household_status_history (
  household_id BIGINT NOT NULL REFERENCES households (id),
  effective_on TEXT NOT NULL,
  change_kind TEXT NOT NULL CHECK (change_kind IN
    ('established', 'changed', 'suspended', 'resumed', 'deregistered', 'revoked', 'converted')),
  status TEXT NOT NULL
    CHECK (status IN ('active', 'suspended', 'deregistered', 'revoked', 'converted')),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, effective_on, change_kind)
);

-- One row per household and attribute, so that each attribute keeps the batch (and so the
-- department) that reported it. Sensitive personal information.
CREATE TABLE owner_attributes (
  household_id BIGINT NOT NULL REFERENCES households (id),
  attribute TEXT NOT NULL CHECK (attribute IN ('veteran', 'graduation_year',
    'employment_difficulty', 'poverty_alleviated', 'returning_migrant', 'disabled')),
  value INTEGER NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, attribute)
);
