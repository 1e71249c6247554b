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
