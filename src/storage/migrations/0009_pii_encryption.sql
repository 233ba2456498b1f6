-- Operators' ID numbers and phones encrypted at rest (../shared/domain §9.3; GB/T 39786-2021
-- 8.4). With a data key configured, households.operator_id_number and households.phone hold
-- "sm4:" + hex of the SM4-sealed value (storage/field_cipher.h) and these columns the keyed
-- SM3 hash of the normalised plaintext, for exact lookup without decrypting the table. Without
-- a key both stay NULL and the values are plaintext, as before; `getihu encrypt-pii` seals
-- what an earlier, keyless program wrote.

ALTER TABLE households ADD COLUMN operator_id_hash TEXT
  CHECK (operator_id_hash IS NULL OR length(operator_id_hash) = 64);
ALTER TABLE households ADD COLUMN phone_hash TEXT
  CHECK (phone_hash IS NULL OR length(phone_hash) = 64);

-- Partial: a pool kept without a key pays nothing for them.
CREATE INDEX households_operator_id_hash ON households (operator_id_hash)
  WHERE operator_id_hash IS NOT NULL;
CREATE INDEX households_phone_hash ON households (phone_hash) WHERE phone_hash IS NOT NULL;
