-- Residents report without an account (issue #18.3) and grid workers on the phone (issue #18.4).

-- Server secrets shared by every server process of one database (HMAC keys). A secret is made
-- once, by the first server that needs it (INSERT … ON CONFLICT DO NOTHING), and never served.
CREATE TABLE server_secrets (
  name        text PRIMARY KEY,
  secret      bytea NOT NULL CHECK (octet_length(secret) >= 32),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A resident's report: the SHA-256 of its tracking key (the key itself is only in the resident's
-- link), the QR token's subject it came through, the spam mark and the resident's own comment.
ALTER TABLE requests
  ADD COLUMN tracking_hash  text UNIQUE,
  ADD COLUMN report_subject text,
  ADD COLUMN spam           boolean NOT NULL DEFAULT false,
  ADD COLUMN rating_comment text CHECK (char_length(rating_comment) <= 300),
  -- The grid worker's photo of the finished work (JPEG/PNG, at most 200 KB), like `photo`.
  ADD COLUMN resolve_photo      bytea CHECK (octet_length(resolve_photo) <= 204800),
  ADD COLUMN resolve_photo_type text CHECK (resolve_photo_type IN ('image/jpeg', 'image/png'));

-- Fixed-window counters for the anonymous report endpoint: one row per (key, window). Keys are
-- `token:<subject>`, `address:<ip>` and `device:<id>`; rows older than a day are deleted lazily.
CREATE TABLE report_rate (
  key           text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL DEFAULT 0,
  PRIMARY KEY (key, window_start)
);

-- Idempotency keys of writes (Idempotency-Key header): the first answer is stored and replayed
-- to every retry with the same key from the same caller. `status` NULL: still being processed.
CREATE TABLE idempotency_keys (
  caller        text NOT NULL,
  key           text NOT NULL,
  route         text NOT NULL,
  request_hash  text NOT NULL,
  status        integer,
  body          text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
