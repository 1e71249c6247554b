-- GridAtlas initial schema. SRID 4326 everywhere; a GiST index on every geometry.
-- Kept in sync with server/db/schema.ts (drizzle); tests/integration/schema-drift.test.ts checks it.
CREATE EXTENSION IF NOT EXISTS postgis;

-- 街道 street office
CREATE TABLE streets (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  geom        geometry(MultiPolygon, 4326)
);
CREATE INDEX streets_geom_idx ON streets USING gist (geom);

-- 社区 community
CREATE TABLE communities (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  short_name  text NOT NULL,
  street_id   integer NOT NULL REFERENCES streets (id),
  geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX communities_geom_idx ON communities USING gist (geom);
CREATE INDEX communities_street_idx ON communities (street_id);

-- 小区 compound (often gated)
CREATE TABLE compounds (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  community_id  integer NOT NULL REFERENCES communities (id),
  gated         boolean NOT NULL DEFAULT true,
  built_year    integer,
  geom          geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX compounds_geom_idx ON compounds USING gist (geom);
CREATE INDEX compounds_community_idx ON compounds (community_id);

-- 楼栋 building. `use` tells residential buildings from schools, markets, offices … (专属网格 targets).
CREATE TABLE buildings (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  community_id  integer NOT NULL REFERENCES communities (id),
  compound_id   integer REFERENCES compounds (id),
  number        text NOT NULL,
  name          text,
  use           text NOT NULL DEFAULT 'residential'
                CHECK (use IN ('residential', 'school', 'market', 'office', 'hospital', 'commercial', 'public')),
  floors        integer NOT NULL CHECK (floors > 0),
  units         integer NOT NULL CHECK (units >= 0),
  households    integer NOT NULL CHECK (households >= 0),
  residents     integer NOT NULL CHECK (residents >= 0),
  built_year    integer,
  geom          geometry(MultiPolygon, 4326) NOT NULL,
  centroid      geometry(Point, 4326) GENERATED ALWAYS AS (ST_Centroid(geom)) STORED
);
CREATE INDEX buildings_geom_idx ON buildings USING gist (geom);
CREATE INDEX buildings_centroid_idx ON buildings USING gist (centroid);
CREATE INDEX buildings_community_idx ON buildings (community_id);
CREATE INDEX buildings_compound_idx ON buildings (compound_id);

-- 户 household. head_name / head_phone are personal data: never served by layers, tiles or the screen.
CREATE TABLE households (
  id               serial PRIMARY KEY,
  building_id      integer NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
  unit             integer NOT NULL CHECK (unit > 0),
  room             text NOT NULL,
  size             integer NOT NULL CHECK (size >= 0),
  party_members    integer NOT NULL DEFAULT 0 CHECK (party_members >= 0),
  is_party_center  boolean NOT NULL DEFAULT false,
  tags             text[] NOT NULL DEFAULT '{}',
  head_name        text,
  head_phone       text,
  UNIQUE (building_id, unit, room)
);
CREATE INDEX households_building_idx ON households (building_id);

-- 网格方案 grid plan: draft / published / archived, with an optimistic-locking version.
CREATE TABLE grid_plans (
  id              serial PRIMARY KEY,
  name            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  version         integer NOT NULL DEFAULT 1,
  street_id       integer NOT NULL REFERENCES streets (id),
  community_id    integer REFERENCES communities (id),
  based_on        integer REFERENCES grid_plans (id) ON DELETE SET NULL,
  publish_reason  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz
);
CREATE UNIQUE INDEX grid_plans_one_published ON grid_plans (street_id) WHERE status = 'published';

-- 网格 grid (basic: 300–400 households; dedicated: school, market, office block …)
CREATE TABLE grids (
  id              serial PRIMARY KEY,
  plan_id         integer NOT NULL REFERENCES grid_plans (id) ON DELETE CASCADE,
  community_id    integer NOT NULL REFERENCES communities (id),
  code            text NOT NULL,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('basic', 'dedicated')),
  dedicated_type  text,
  locked          boolean NOT NULL DEFAULT false,
  geom            geometry(MultiPolygon, 4326) NOT NULL,
  UNIQUE (plan_id, code)
);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);
CREATE INDEX grids_plan_idx ON grids (plan_id);

-- 网格员 grid workers (full-time 专职, auxiliary 兼职). Names and phones are personal data.
CREATE TABLE grid_workers (
  id       serial PRIMARY KEY,
  grid_id  integer NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  name     text NOT NULL,
  phone    text,
  role     text NOT NULL CHECK (role IN ('full_time', 'auxiliary'))
);
CREATE INDEX grid_workers_grid_idx ON grid_workers (grid_id);

-- building → grid assignment per plan: every building in exactly one grid of a plan.
CREATE TABLE building_grid (
  plan_id      integer NOT NULL REFERENCES grid_plans (id) ON DELETE CASCADE,
  building_id  integer NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
  grid_id      integer NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, building_id)
);
CREATE INDEX building_grid_grid_idx ON building_grid (grid_id);

-- 设施类别 facility categories, mapped to the life-circle level that requires them (domain.md).
CREATE TABLE facility_categories (
  code     text PRIMARY KEY,
  name     text NOT NULL,
  name_en  text NOT NULL,
  level    text NOT NULL CHECK (level IN ('5min', '10min', '15min', 'block')),
  color    text NOT NULL,
  sort     integer NOT NULL DEFAULT 0
);

-- 设施 facilities / service outlets
CREATE TABLE facilities (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  category      text NOT NULL REFERENCES facility_categories (code),
  community_id  integer REFERENCES communities (id),
  address       text,
  geom          geometry(Point, 4326) NOT NULL
);
CREATE INDEX facilities_geom_idx ON facilities USING gist (geom);
CREATE INDEX facilities_category_idx ON facilities (category);

-- 步行网络 walk network: nodes and edges. kind: arterial/secondary/local roads (walkable along their
-- sidewalks), footways, paths inside compounds, and gate edges (the only way into a gated compound).
CREATE TABLE walk_nodes (
  id    integer PRIMARY KEY,
  geom  geometry(Point, 4326) NOT NULL
);
CREATE INDEX walk_nodes_geom_idx ON walk_nodes USING gist (geom);

CREATE TABLE walk_edges (
  id        serial PRIMARY KEY,
  source    integer NOT NULL REFERENCES walk_nodes (id),
  target    integer NOT NULL REFERENCES walk_nodes (id),
  kind      text NOT NULL CHECK (kind IN ('arterial', 'secondary', 'local', 'footway', 'path', 'gate')),
  name      text,
  length_m  double precision NOT NULL CHECK (length_m >= 0),
  geom      geometry(LineString, 4326) NOT NULL
);
CREATE INDEX walk_edges_geom_idx ON walk_edges USING gist (geom);
CREATE INDEX walk_edges_source_idx ON walk_edges (source);
CREATE INDEX walk_edges_target_idx ON walk_edges (target);
