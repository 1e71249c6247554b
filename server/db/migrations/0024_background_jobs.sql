-- Issue #19: background jobs shared by every app server (partition runs on the PostgreSQL job queue).
--
-- The queue itself is pg-boss's (its own schema `pgboss`, created and migrated by pg-boss at start);
-- this table is what the API shows of a job: who started it, its status, progress and result, so
-- `GET /api/jobs/:id` and its SSE stream answer the same through any server. `attempt` fences a
-- retried job: only the attempt that holds the row may write its result. `heartbeat_at` is renewed
-- by the process running the job; a job whose heartbeat stops (its server died) is failed back to
-- pg-boss, which retries it on another process (services/jobs/pg-job-queue.ts).
-- Progress updates do not touch the data tables, so they never bump the data version.
CREATE TABLE background_jobs (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL,
  owner_id     integer REFERENCES users (id) ON DELETE SET NULL,
  status       text NOT NULL DEFAULT 'running'
               CHECK (status IN ('running', 'writing', 'done', 'failed', 'cancelled')),
  progress     real NOT NULL DEFAULT 0,
  stage        text NOT NULL DEFAULT 'queued',
  params       jsonb NOT NULL,
  result       jsonb,
  error        jsonb,
  attempt      integer NOT NULL DEFAULT 0,
  worker       text,
  heartbeat_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX background_jobs_running ON background_jobs (heartbeat_at) WHERE status IN ('running', 'writing');
