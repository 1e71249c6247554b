-- Life-circle standard (issue #6) as editable data: one row per level (5/10/15 minutes) with its
-- walking distance and the facility categories it requires. Filled from
-- data/standards/life-circle.json on first read (server/repos/life-circle.repo.ts); edited by
-- planners and admins through PUT /api/life-circle/standard.
CREATE TABLE life_circle_levels (
  level           integer PRIMARY KEY CHECK (level IN (5, 10, 15)),
  name            text NOT NULL,
  name_en         text NOT NULL,
  minutes         double precision NOT NULL CHECK (minutes > 0),
  distance_m      double precision NOT NULL CHECK (distance_m > 0),
  distance_min_m  double precision CHECK (distance_min_m > 0),
  categories      text[] NOT NULL DEFAULT '{}',
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text
);

-- Walking speed for minutes and other settings of the standard (single row).
CREATE TABLE life_circle_settings (
  id                integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  speed_m_per_min   double precision NOT NULL CHECK (speed_m_per_min > 0),
  source            text NOT NULL DEFAULT ''
);
