-- Issue #15: the administrative hierarchy district (区/县, 6-digit code) → street (街道/乡镇, 9-digit)
-- → community (社区/村, 12-digit). Districts may come without an outline (a seeded demo street knows
-- its district's code and name only); a street's district is optional so older data stays valid.
CREATE TABLE districts (
  id    serial PRIMARY KEY,
  code  text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}$'),
  name  text NOT NULL,
  geom  geometry(MultiPolygon, 4326)
);
CREATE INDEX districts_geom_idx ON districts USING gist (geom);

ALTER TABLE streets ADD COLUMN district_id integer REFERENCES districts (id);
CREATE INDEX streets_district_idx ON streets (district_id);

-- Boundary imports change districts too: caches keyed on the data version must see it.
CREATE TRIGGER districts_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts
  FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();
