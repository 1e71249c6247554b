-- Imports (issue #8): remembered column mappings and per-unit household rosters.

-- The column mapping a user chose for a layer and a set of file headers, offered again next time.
CREATE TABLE import_mappings (
  layer       text NOT NULL,
  headers     text NOT NULL,
  mapping     jsonb NOT NULL,
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer, headers)
);

-- 户籍台账（按单元汇总） household roster aggregated per building and unit, as community offices keep it.
-- Re-importing the same roster replaces the row of each (building, unit); building totals follow.
CREATE TABLE building_unit_rosters (
  building_id    integer NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
  unit           integer NOT NULL CHECK (unit > 0),
  households     integer NOT NULL CHECK (households >= 0),
  residents      integer NOT NULL CHECK (residents >= 0),
  party_members  integer NOT NULL DEFAULT 0 CHECK (party_members >= 0),
  imported_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (building_id, unit)
);
