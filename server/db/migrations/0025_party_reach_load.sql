-- Party-member reach and workload-balanced grids (issue #20).
--
-- 1. What a grid's load counts beside households: elderly people living alone and rented units
--    (tallies of the household records, kept per building by the same statement-level triggers as
--    the party tallies of migration 0010), and street-front shops (a figure of the building itself,
--    set by the generator or an import).
-- 2. Each street's settings: the walking distance and households per 党员中心户, and the load
--    weights (NULL = the defaults documented in geo/party/load.ts).
ALTER TABLE buildings
  ADD COLUMN elderly_alone integer NOT NULL DEFAULT 0 CHECK (elderly_alone >= 0),
  ADD COLUMN rented_units  integer NOT NULL DEFAULT 0 CHECK (rented_units >= 0),
  ADD COLUMN shops         integer NOT NULL DEFAULT 0 CHECK (shops >= 0);

UPDATE buildings b SET elderly_alone = d.ea, rented_units = d.ru
FROM (SELECT building_id, (count(*) FILTER (WHERE '独居老人' = ANY (tags)))::int AS ea,
             (count(*) FILTER (WHERE '出租户' = ANY (tags)))::int AS ru
      FROM households GROUP BY building_id) d
WHERE b.id = d.building_id;

-- The party tallies' trigger function of migration 0010, now keeping the two tag tallies too.
CREATE OR REPLACE FUNCTION households_party_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE buildings b SET party_members = b.party_members - d.pm, party_households = b.party_households - d.ph,
                           party_centers = b.party_centers - d.pc,
                           elderly_alone = b.elderly_alone - d.ea, rented_units = b.rented_units - d.ru
    FROM (SELECT building_id, sum(party_members)::int AS pm, (count(*) FILTER (WHERE party_members > 0))::int AS ph,
                 (count(*) FILTER (WHERE is_party_center))::int AS pc,
                 (count(*) FILTER (WHERE '独居老人' = ANY (tags)))::int AS ea,
                 (count(*) FILTER (WHERE '出租户' = ANY (tags)))::int AS ru
          FROM old_rows GROUP BY building_id) d
    WHERE b.id = d.building_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE buildings b SET party_members = b.party_members + d.pm, party_households = b.party_households + d.ph,
                           party_centers = b.party_centers + d.pc,
                           elderly_alone = b.elderly_alone + d.ea, rented_units = b.rented_units + d.ru
    FROM (SELECT building_id, sum(party_members)::int AS pm, (count(*) FILTER (WHERE party_members > 0))::int AS ph,
                 (count(*) FILTER (WHERE is_party_center))::int AS pc,
                 (count(*) FILTER (WHERE '独居老人' = ANY (tags)))::int AS ea,
                 (count(*) FILTER (WHERE '出租户' = ANY (tags)))::int AS ru
          FROM new_rows GROUP BY building_id) d
    WHERE b.id = d.building_id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION households_party_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE buildings SET party_members = 0, party_households = 0, party_centers = 0, elderly_alone = 0, rented_units = 0
  WHERE party_members <> 0 OR party_households <> 0 OR party_centers <> 0 OR elderly_alone <> 0 OR rented_units <> 0;
  RETURN NULL;
END $$;

CREATE TABLE street_party_settings (
  street_id        integer PRIMARY KEY REFERENCES streets(id) ON DELETE CASCADE,
  distance_m       double precision NOT NULL CHECK (distance_m > 0 AND distance_m <= 2000),
  households_min   integer NOT NULL CHECK (households_min >= 1),
  households_max   integer NOT NULL CHECK (households_max >= households_min),
  load_weights     jsonb,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text
);

-- The grids layer (and its tiles, kept under the data version) carries each grid's load.
CREATE TRIGGER street_party_settings_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON street_party_settings
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();

-- Requests of the last 12 months per building (the load's fifth term).
CREATE INDEX IF NOT EXISTS requests_building_reported_idx ON requests (building_id, reported_at);

ANALYZE buildings;
