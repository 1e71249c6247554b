-- Party tallies per building (issue #7), kept by triggers on households, so the wall screen's
-- summary and the grid tiles sum ~100k buildings instead of 1.7 M households on a big street.
-- Statement-level triggers with transition tables: one bulk insert of a roster is one UPDATE of
-- the buildings it touched, not one per household.
ALTER TABLE buildings
  ADD COLUMN party_members    integer NOT NULL DEFAULT 0 CHECK (party_members >= 0),
  ADD COLUMN party_households integer NOT NULL DEFAULT 0 CHECK (party_households >= 0),
  ADD COLUMN party_centers    integer NOT NULL DEFAULT 0 CHECK (party_centers >= 0);

UPDATE buildings b SET party_members = d.pm, party_households = d.ph, party_centers = d.pc
FROM (SELECT building_id, sum(party_members)::int AS pm, (count(*) FILTER (WHERE party_members > 0))::int AS ph,
             (count(*) FILTER (WHERE is_party_center))::int AS pc
      FROM households GROUP BY building_id) d
WHERE b.id = d.building_id;

-- Subtracts the tallies of old_rows (UPDATE, DELETE) and adds those of new_rows (INSERT, UPDATE).
CREATE FUNCTION households_party_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE buildings b SET party_members = b.party_members - d.pm, party_households = b.party_households - d.ph,
                           party_centers = b.party_centers - d.pc
    FROM (SELECT building_id, sum(party_members)::int AS pm, (count(*) FILTER (WHERE party_members > 0))::int AS ph,
                 (count(*) FILTER (WHERE is_party_center))::int AS pc
          FROM old_rows GROUP BY building_id) d
    WHERE b.id = d.building_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE buildings b SET party_members = b.party_members + d.pm, party_households = b.party_households + d.ph,
                           party_centers = b.party_centers + d.pc
    FROM (SELECT building_id, sum(party_members)::int AS pm, (count(*) FILTER (WHERE party_members > 0))::int AS ph,
                 (count(*) FILTER (WHERE is_party_center))::int AS pc
          FROM new_rows GROUP BY building_id) d
    WHERE b.id = d.building_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER households_party_insert AFTER INSERT ON households
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_party_tallies();
CREATE TRIGGER households_party_update AFTER UPDATE ON households
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_party_tallies();
CREATE TRIGGER households_party_delete AFTER DELETE ON households
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION households_party_tallies();

-- TRUNCATE has no transition table: every tally goes back to zero.
CREATE FUNCTION households_party_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE buildings SET party_members = 0, party_households = 0, party_centers = 0
  WHERE party_members <> 0 OR party_households <> 0 OR party_centers <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER households_party_truncate AFTER TRUNCATE ON households
  FOR EACH STATEMENT EXECUTE FUNCTION households_party_reset();

-- A community's grids of one plan (the communities layer counts them per community).
CREATE INDEX grids_community_plan_idx ON grids (community_id, plan_id);

-- Every building row was rewritten above: fresh statistics for the planner.
ANALYZE buildings;
