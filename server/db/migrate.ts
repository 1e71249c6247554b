/**
 * Applies `server/db/migrations/*.sql` in name order, once each, recording them in `_migrations`.
 * The same runner serves both backends, so the schema is identical on PGlite and native PostGIS.
 * Each file runs in its own transaction: a failing migration leaves nothing half-applied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS _migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const done = new Set((await db.query<{ name: string }>('SELECT name FROM _migrations')).map((r) => r.name));
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(text)) await tx.query(statement);
      await tx.query('INSERT INTO _migrations (name) VALUES ($1)', [file]);
    });
    applied.push(file);
  }
  return applied;
}

/**
 * Splits a migration file into statements on top-level semicolons: not inside a string literal
 * ('…', with '' escapes) or a dollar-quoted body ($$…$$, $fn$…$fn$: function bodies), and not in a
 * `--` comment (comments are dropped).
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      current += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const tag = ch === '$' ? /^\$[A-Za-z_]*\$/.exec(text.slice(i)) : null;
    if (tag) {
      const end = text.indexOf(tag[0], i + tag[0].length);
      if (end === -1) throw new Error(`unterminated ${tag[0]} body in migration`);
      current += text.slice(i, end + tag[0].length);
      i = end + tag[0].length;
      continue;
    }
    if (ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
    i++;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
