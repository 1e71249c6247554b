/**
 * Vitest global setup for projects that need a database.
 *
 * With DATABASE_URL (native PostgreSQL + PostGIS, as in CI) it creates a fresh, uniquely named
 * database on that server for this test project and drops it afterwards — tests never touch the
 * data of the database DATABASE_URL names. Without DATABASE_URL the workers use embedded PGlite.
 */
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.warn('\n[gridatlas tests] DATABASE_URL not set: using embedded PGlite + PostGIS.\n');
    project.provide('testDatabaseUrl', null);
    return;
  }
  const name = `gridatlas_t_${project.name}_${Date.now().toString(36)}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  project.provide('testDatabaseUrl', url.toString());
  return async () => {
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await a.end();
  };
}
