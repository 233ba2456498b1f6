-- Dated facts: one row per household and period, keyed by both, so a later period adds a
-- row and never replaces an earlier one. Every row records the batch it came from.

CREATE TABLE annual_reports (
  household_id BIGINT NOT NULL REFERENCES households (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  revenue_fen BIGINT,
  tax_fen BIGINT,
  employees INTEGER CHECK (employees >= 0),
  filed_on TEXT,
  online INTEGER CHECK (online IN (0, 1)),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, year)
);

CREATE TABLE tax_records (
  household_id BIGINT NOT NULL REFERENCES households (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  tax_paid_fen BIGINT,
  sales_fen BIGINT,
  credit_rating TEXT CHECK (credit_rating IN ('A', 'B', 'M', 'C', 'D')),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, year)
);

CREATE TABLE social_insurance (
  household_id BIGINT NOT NULL REFERENCES households (id),
  period TEXT NOT NULL CHECK (length(period) IN (4, 7)),
  insured_count INTEGER NOT NULL CHECK (insured_count >= 0),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, period)
);

CREATE TABLE housing_fund (
  household_id BIGINT NOT NULL REFERENCES households (id),
  period TEXT NOT NULL CHECK (length(period) IN (4, 7)),
  payer_count INTEGER NOT NULL CHECK (payer_count >= 0),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, period)
);

CREATE TABLE loans (
  household_id BIGINT NOT NULL REFERENCES households (id),
  contract_no TEXT NOT NULL,
  lender TEXT NOT NULL,
  granted_on TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  is_first_loan INTEGER NOT NULL CHECK (is_first_loan IN (0, 1)),
  due_on TEXT CHECK (due_on >= granted_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, contract_no)
);
