-- Issue #15: roles and kiosk links scoped to a district (6-digit code) beside a street (9-digit code,
-- or '*' = the whole deployment), a community or a grid. A kiosk link without a scope shows the whole
-- deployment (links made before this migration keep working as they did).
ALTER TABLE user_roles DROP CONSTRAINT user_roles_scope_type_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_scope_type_check
  CHECK (scope_type IN ('district', 'street', 'community', 'grid'));

ALTER TABLE kiosk_tokens
  ADD COLUMN scope_type text CHECK (scope_type IN ('district', 'street', 'community', 'grid')),
  ADD COLUMN scope_code text,
  ADD CONSTRAINT kiosk_tokens_scope_check CHECK ((scope_type IS NULL) = (scope_code IS NULL));

-- Plans are listed per street.
CREATE INDEX IF NOT EXISTS grid_plans_street_idx ON grid_plans (street_id);

-- A street's own life-circle standard (issue #15); a street without a row uses the deployment's
-- (life_circle_levels + life_circle_settings).
CREATE TABLE life_circle_street_standards (
  street_id   integer PRIMARY KEY REFERENCES streets (id) ON DELETE CASCADE,
  standard    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);

-- Requests outside every community still belong to a street (scope checks, per-street lists).
ALTER TABLE requests ADD COLUMN street_id integer REFERENCES streets (id) ON DELETE CASCADE;
UPDATE requests r SET street_id = c.street_id FROM communities c WHERE c.id = r.community_id;
UPDATE requests SET street_id = (SELECT min(id) FROM streets) WHERE street_id IS NULL AND (SELECT count(*) FROM streets) = 1;
CREATE INDEX requests_street_idx ON requests (street_id);

-- A request written without its street (older writers, scripts, tests) gets it from its community,
-- else from the street outline holding its point, else from the only street of the database.
CREATE FUNCTION request_street() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.street_id IS NULL THEN
    NEW.street_id := coalesce(
      (SELECT street_id FROM communities WHERE id = NEW.community_id),
      (SELECT id FROM streets WHERE ST_Intersects(geom, NEW.geom) ORDER BY code LIMIT 1),
      (SELECT min(id) FROM streets HAVING count(*) = 1));
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER requests_street BEFORE INSERT ON requests FOR EACH ROW EXECUTE FUNCTION request_street();
