-- Superseded facts: when a later batch delivers different values for a stored (household,
-- period) or loan contract, the stored row is copied here, with the batch that replaced it,
-- before the live row takes the new values. A key corrected n times has n rows here. Same
-- columns as the live table; the values were checked when they were stored there.

CREATE TABLE annual_reports_superseded (
  household_id BIGINT NOT NULL REFERENCES households (id),
  year INTEGER NOT NULL,
  revenue_fen BIGINT,
  tax_fen BIGINT,
  employees INTEGER,
  filed_on TEXT,
  online INTEGER,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  superseded_by_batch_id BIGINT NOT NULL REFERENCES batches (id),
  CHECK (superseded_by_batch_id > batch_id),
  PRIMARY KEY (household_id, year, superseded_by_batch_id)
);

CREATE TABLE tax_records_superseded (
  household_id BIGINT NOT NULL REFERENCES households (id),
  year INTEGER NOT NULL,
  tax_paid_fen BIGINT,
  sales_fen BIGINT,
  credit_rating TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  superseded_by_batch_id BIGINT NOT NULL REFERENCES batches (id),
  CHECK (superseded_by_batch_id > batch_id),
  PRIMARY KEY (household_id, year, superseded_by_batch_id)
);

CREATE TABLE social_insurance_superseded (
  household_id BIGINT NOT NULL REFERENCES households (id),
  period TEXT NOT NULL,
  insured_count INTEGER NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  superseded_by_batch_id BIGINT NOT NULL REFERENCES batches (id),
  CHECK (superseded_by_batch_id > batch_id),
  PRIMARY KEY (household_id, period, superseded_by_batch_id)
);

CREATE TABLE housing_fund_superseded (
  household_id BIGINT NOT NULL REFERENCES households (id),
  period TEXT NOT NULL,
  payer_count INTEGER NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  superseded_by_batch_id BIGINT NOT NULL REFERENCES batches (id),
  CHECK (superseded_by_batch_id > batch_id),
  PRIMARY KEY (household_id, period, superseded_by_batch_id)
);

CREATE TABLE loans_superseded (
  household_id BIGINT NOT NULL REFERENCES households (id),
  contract_no TEXT NOT NULL,
  lender TEXT NOT NULL,
  granted_on TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,
  is_first_loan INTEGER NOT NULL,
  due_on TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  superseded_by_batch_id BIGINT NOT NULL REFERENCES batches (id),
  CHECK (superseded_by_batch_id > batch_id),
  PRIMARY KEY (household_id, contract_no, superseded_by_batch_id)
);
