-- Accounts, roles scoped to a street/community/grid, sessions, kiosk links, audit log.
CREATE TABLE users (
  id                    serial PRIMARY KEY,
  username              text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.-]{2,32}$'),
  display_name          text NOT NULL DEFAULT '',
  password_hash         text NOT NULL,
  disabled              boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  password_changed_at   timestamptz NOT NULL DEFAULT now()
);

-- A user may hold several roles, each scoped: admin/planner/viewer usually to the street or a
-- community, grid_worker to the grids they look after.
CREATE TABLE user_roles (
  id          serial PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('admin', 'planner', 'grid_worker', 'viewer')),
  scope_type  text NOT NULL CHECK (scope_type IN ('street', 'community', 'grid')),
  scope_code  text NOT NULL,
  UNIQUE (user_id, role, scope_type, scope_code)
);
CREATE INDEX user_roles_user_idx ON user_roles (user_id);

-- Kiosk links for the wall screen: a revocable token that opens a read-only 'screen' session.
CREATE TABLE kiosk_tokens (
  id          serial PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  label       text NOT NULL,
  created_by  integer REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Sessions: the cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
  id            text PRIMARY KEY,
  user_id       integer REFERENCES users (id) ON DELETE CASCADE,
  kiosk_id      integer REFERENCES kiosk_tokens (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  CHECK ((user_id IS NULL) <> (kiosk_id IS NULL))
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Audit log: every edit, publish, import, login and every read of a household's details.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  user_id      integer,
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  detail       jsonb NOT NULL DEFAULT '{}',
  ip           text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action);
CREATE INDEX audit_log_actor_idx ON audit_log (actor);
