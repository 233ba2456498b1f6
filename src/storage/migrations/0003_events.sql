-- Events: something that happened to a household on a date. Penalties, abnormal marks and
-- dishonest-debtor listings are later closed (credit repair, recovery, removal); the
-- closing date and the batch that reported it are filled in once, never changed after.

CREATE TABLE penalties (
  household_id BIGINT NOT NULL REFERENCES households (id),
  document_no TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('warning', 'circulated_criticism', 'fine',
    'confiscation', 'licence_suspension', 'production_suspension', 'licence_revocation',
    'other')),
  amount_fen BIGINT CHECK (amount_fen >= 0),
  authority TEXT,
  repaired_on TEXT CHECK (repaired_on >= decided_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  repaired_batch_id BIGINT REFERENCES batches (id),
  PRIMARY KEY (household_id, document_no)
);

CREATE TABLE abnormal_marks (
  household_id BIGINT NOT NULL REFERENCES households (id),
  marked_on TEXT NOT NULL,
  reason TEXT NOT NULL
    CHECK (reason IN ('no_annual_report', 'unreachable', 'false_annual_report')),
  recovered_on TEXT CHECK (recovered_on >= marked_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  recovered_batch_id BIGINT REFERENCES batches (id),
  PRIMARY KEY (household_id, marked_on)
);

CREATE TABLE dishonest_debtors (
  household_id BIGINT NOT NULL REFERENCES households (id),
  case_no TEXT NOT NULL,
  court TEXT NOT NULL,
  listed_on TEXT NOT NULL,
  removed_on TEXT CHECK (removed_on >= listed_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  removed_batch_id BIGINT REFERENCES batches (id),
  PRIMARY KEY (household_id, case_no)
);

CREATE TABLE safety_accidents (
  household_id BIGINT NOT NULL REFERENCES households (id),
  occurred_on TEXT NOT NULL,
  severity TEXT NOT NULL
    CHECK (severity IN ('ordinary', 'larger', 'major', 'especially_major')),
  description TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, occurred_on)
);

-- Honour kinds are not checked here: the list grows with local practice (domain/household.h).
CREATE TABLE honours (
  household_id BIGINT NOT NULL REFERENCES households (id),
  kind TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('county', 'city', 'province', 'national')),
  issuer TEXT,
  granted_on TEXT NOT NULL,
  expires_on TEXT CHECK (expires_on >= granted_on),
  certificate_no TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, kind, level, granted_on)
);

CREATE TABLE intellectual_property (
  household_id BIGINT NOT NULL REFERENCES households (id),
  kind TEXT NOT NULL CHECK (kind IN ('trademark', 'invention_patent', 'utility_model_patent',
    'design_patent')),
  registration_no TEXT NOT NULL,
  title TEXT,
  granted_on TEXT NOT NULL,
  expires_on TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, kind, registration_no)
);
