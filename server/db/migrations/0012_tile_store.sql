-- Stored vector tiles of the low zooms (issue #7): the street-wide views of a big street cost the
-- most to build (a z11 grid tile aggregates thousands of grids) and are asked for first by every
-- screen. Each is kept with the data version it was built from (data_changes, migration 0011) and
-- rebuilt when the version differs, so a restarted server serves them at once. One row per tile:
-- a rebuild replaces it.
CREATE TABLE tile_store (
  layer      text NOT NULL,
  z          smallint NOT NULL CHECK (z >= 0),
  x          integer NOT NULL CHECK (x >= 0),
  y          integer NOT NULL CHECK (y >= 0),
  version    text NOT NULL,
  tile       bytea NOT NULL,
  stored_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer, z, x, y)
);
