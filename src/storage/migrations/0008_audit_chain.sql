-- The audit log becomes tamper-evident and append-only (../shared/domain §9.1: records hold
-- success or failure and are protected against deletion, modification or overwrite; an SM3
-- hash chain). Each row written from now on carries the hash of the row before it and its own
-- hash (storage/audit_repository.h; the encoding is in docs/schema.md). Rows written before
-- this migration keep prev_hash and hash NULL: the legacy prefix, which the first chained row
-- anchors.

ALTER TABLE audit_log ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN result TEXT NOT NULL DEFAULT 'ok'
  CHECK (result IN ('ok', 'denied', 'failed'));
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT CHECK (prev_hash IS NULL OR length(prev_hash) IN (0, 64));
ALTER TABLE audit_log ADD COLUMN hash TEXT CHECK (hash IS NULL OR length(hash) = 64);

-- The viewer filters by time, by who and by what, newest first.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- Append-only at the database level: UPDATE and DELETE (and on PostgreSQL TRUNCATE) fail.
-- Archiving is by backup; there is no way to remove rows short of dropping the trigger.

-- dialect: sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, '审计日志只能追加，不能修改');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, '审计日志只能追加，不能删除');
END;

-- dialect: postgres
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '审计日志只能追加，不能修改或删除（%）', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
