-- Every change to a plan is stored with the version it produced (who, when, which operations).
CREATE TABLE plan_edits (
  id        bigserial PRIMARY KEY,
  plan_id   integer NOT NULL REFERENCES grid_plans (id) ON DELETE CASCADE,
  version   integer NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  ops       jsonb NOT NULL,
  UNIQUE (plan_id, version)
);
