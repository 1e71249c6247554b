-- Issue #14 points 4, 5, 10: login throttling in the database and a forced password change.
--
-- One row per throttled key, never a global or per-account lock:
--   scope 'account': (lower(username), client address) — guessing one known account from one place;
--   scope 'address': ('', client address) — failures on UNKNOWN names (spraying), which never count
--                     against a real account.
-- `attempts` is reserved atomically (INSERT … ON CONFLICT DO UPDATE … WHERE next_at <= now()) BEFORE
-- the password is checked, so parallel requests can never check more than the free allowance.
-- A successful sign-in deletes the pair's row; rows untouched for 24 hours are forgotten.
CREATE TABLE login_throttle (
  scope       text NOT NULL CHECK (scope IN ('account', 'address')),
  username    text NOT NULL,
  address     text NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  next_at     timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, username, address)
);
CREATE INDEX login_throttle_updated_idx ON login_throttle (updated_at);

-- The wait after reserving attempt n: none for the first `free - 1`, then base · 2^(n - free) seconds,
-- never more than `cap` (the exponent is clamped so a huge counter cannot overflow).
CREATE FUNCTION login_throttle_delay(n integer, free integer, base float8, cap float8) RETURNS interval
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n < free THEN interval '0'
              ELSE make_interval(secs => LEAST(cap, base * power(2::float8, LEAST(n - free, 40)))) END
$$;

-- A printed (generated) password must be replaced at the first sign-in.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
