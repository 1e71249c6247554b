-- Data changes (issue #7): one row per transaction that changed the street's data (not users,
-- sessions, audit or resident requests), written by statement-level triggers. The committed rows a
-- reader sees make a version of the data: `count(*):max(id)` only grows, and changes whenever a
-- change commits (also one whose id was taken before an earlier-committed one's), so a figure
-- stored with the version it was computed from is stale exactly when the version differs
-- (repos/derived-figures.repo.ts). Inserts only, no shared counter row: concurrent writers never
-- wait on each other. Rows are never deleted (one per write transaction; a few thousand a year).
CREATE TABLE data_changes (
  id          bigserial PRIMARY KEY,
  txid        bigint NOT NULL UNIQUE,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_changes (txid) VALUES (txid_current());

CREATE FUNCTION note_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_changes (txid) VALUES (txid_current()) ON CONFLICT (txid) DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER streets_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON streets
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER communities_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON communities
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER compounds_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON compounds
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER buildings_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER households_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON households
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER grid_plans_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grid_plans
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER grids_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER grid_workers_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grid_workers
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER building_grid_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON building_grid
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER facility_categories_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facility_categories
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER facilities_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facilities
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER walk_nodes_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON walk_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER walk_edges_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON walk_edges
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER life_circle_levels_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON life_circle_levels
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER life_circle_settings_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON life_circle_settings
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
CREATE TRIGGER building_unit_rosters_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON building_unit_rosters
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
