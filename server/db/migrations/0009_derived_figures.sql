-- Derived figures (issue #7): expensive aggregates kept across restarts, each stored with the
-- signature of the data it was computed from. A reader whose current signature differs computes
-- the figure again and replaces the row, so a stale figure is never served.
CREATE TABLE derived_figures (
  key          text PRIMARY KEY,
  signature    text NOT NULL,
  value        jsonb NOT NULL,
  computed_ms  integer NOT NULL CHECK (computed_ms >= 0),
  computed_at  timestamptz NOT NULL DEFAULT now()
);
