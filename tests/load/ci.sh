#!/usr/bin/env bash
# Short reliability run for CI, against native PostgreSQL (DATABASE_URL):
#   1. load test: 10 s, 64 keep-alive connections over tiles, layers and stats — no error allowed;
#      then reads of /api/health and tiles during a dry-run import of a generated 25 MB GeoJSON
#      (1M-vertex outline), read on a fixed schedule: p99 during the import under 500 ms here
#      (measured 43–178 ms on a 2-core machine shared with other jobs, load 2–5; 0.4–2.5 s before
#      issue #14.3's fixes; the 100 ms goal is met on a quiet machine, see docs/reliability.md) — the
#      margin is for a loaded CI runner;
#   2. fault test: PostgreSQL restarted under reads and writes — only 503s while it is away,
#      recovery ≤ 5 s, every acknowledged write kept;
#   3. cluster test (issue #19): a primary + streaming replica of its own (ports 5433+), three app
#      servers and nginx — reads spread, read-your-writes, a job surviving its server's SIGKILL,
#      the replica stopped under load; all with 0 failed reads.
# Fails (non-zero) on any failure. Needs root or the postgres user for pg_ctlcluster.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${DATABASE_URL:-}" ]; then
  echo "tests/load/ci.sh: DATABASE_URL 未设置 / not set — the reliability run needs native PostgreSQL" >&2
  exit 1
fi

echo "== reliability 1/3: load test (10 s, 64 connections; then reads during a 25 MB import)"
npm run --silent load -- --seconds 10 --connections 64 --import-p99-ms 500

echo "== reliability 2/3: PostgreSQL restart under load"
npm run --silent fault

# The fault test always starts PostgreSQL again; make sure of it before the next CI step.
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
pg_isready -h 127.0.0.1

echo "== reliability 3/3: cluster — primary + replica, 3 app servers behind nginx"
npm run --silent cluster-test
echo "== reliability: passed"
