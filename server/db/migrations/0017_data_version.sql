-- Data version (issue #16): one row, one number, bumped once by every committed transaction that
-- changed the street's data, so any process (the app server, a second app server, the CLI
-- importer, psql) can tell with a one-row primary-key read whether what it cached is still
-- current — no full-table aggregate on the hot path (the `count:max` of data_changes was one).
--
-- Bumped at COMMIT, not at the change: a deferred constraint trigger on data_changes (one row per
-- changing transaction, migration 0011) runs just before the transaction commits, so the row lock
-- on the counter is held only for the instant of the commit itself — concurrent writers do not
-- wait on each other for the length of their transactions, only for each other's commit — and the
-- counter's order is the commit order: a reader that sees version n sees every change committed
-- up to n. (A sequence would not do: nextval is visible before the commit it stands for.)
CREATE TABLE data_version (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version   bigint NOT NULL
);
INSERT INTO data_version (version) SELECT count(*) FROM data_changes;

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER data_changes_bump_version AFTER INSERT ON data_changes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version();
