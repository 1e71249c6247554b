import { defineConfig } from 'vitest/config';

/**
 * Three projects, each in a `sequence.groupOrder` of its own (vitest refuses projects of one group
 * with different `maxWorkers`: on a machine with more than two cores `unit` gets several workers,
 * the database projects one). `npm test` (scripts/test.ts) runs `e2e` in a second vitest process
 * beside `unit` + `integration`, so the two long projects overlap:
 * - unit: pure code beside its source (geo/, data/, server/ helpers). No database.
 * - integration: the API against real PostGIS (DATABASE_URL) or, without it, embedded PGlite+PostGIS.
 *   One fork, not isolated, so the database is opened, migrated and seeded once for all files.
 * - e2e: the built web app in Debian's headless Chromium against a running server (also one
 *   shared, seeded database).
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['geo/**/*.test.ts', 'data/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-db.ts'],
          environment: 'node',
          fileParallelism: false,
          isolate: false,
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-db.ts'],
          environment: 'node',
          fileParallelism: false,
          isolate: false,
          maxWorkers: 1,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
