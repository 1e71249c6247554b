-- Resident requests (居民诉求, issue #9): 居民点单 → 社区派单 → 部门接单 → 群众评单.
-- Lifecycle rules live in geo/requests/lifecycle.ts; categories and time limits in
-- data/standards/request-categories.json (so `category` is checked by the API, not by a CHECK).

CREATE TABLE requests (
  id              serial PRIMARY KEY,
  category        text NOT NULL,
  description     text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 1000),
  channel         text NOT NULL CHECK (channel IN ('grid_worker', 'resident', 'hotline_12345', 'property')),
  geom            geometry(Point, 4326) NOT NULL,
  building_id     integer REFERENCES buildings (id) ON DELETE SET NULL,
  -- Community and grid found from the location in the published plan at report time. The grid is
  -- kept by code (grid rows are per plan; codes survive republishing). NULL grid = 'unassigned'.
  community_id    integer REFERENCES communities (id) ON DELETE CASCADE,
  grid_code       text,
  status          text NOT NULL DEFAULT 'reported'
                  CHECK (status IN ('reported', 'dispatched', 'accepted', 'resolved', 'rated', 'closed')),
  level           text NOT NULL DEFAULT 'grid' CHECK (level IN ('grid', 'community', 'street')),
  assignee_kind   text CHECK (assignee_kind IN ('grid_worker', 'department')),
  assignee        text,
  rating          smallint CHECK (rating BETWEEN 1 AND 5),
  -- Personal data: staff-only list/detail responses, never layers, stats or the wall screen.
  reporter_name   text,
  reporter_phone  text,
  -- One optional small photo (JPEG/PNG, at most 200 KB), served to staff only.
  photo           bytea CHECK (octet_length(photo) <= 204800),
  photo_type      text CHECK (photo_type IN ('image/jpeg', 'image/png')),
  reported_by     text NOT NULL,
  reported_at     timestamptz NOT NULL DEFAULT now(),
  due_at          timestamptz NOT NULL,
  resolved_at     timestamptz,
  closed_at       timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_geom_idx ON requests USING gist (geom);
CREATE INDEX requests_grid_idx ON requests (grid_code);
CREATE INDEX requests_community_idx ON requests (community_id);
CREATE INDEX requests_status_idx ON requests (status);
CREATE INDEX requests_reported_at_idx ON requests (reported_at);

-- Every transition, timestamped with who made it.
CREATE TABLE request_events (
  id           bigserial PRIMARY KEY,
  request_id   integer NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  step         text NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  note         text,
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX request_events_request_idx ON request_events (request_id, at);
