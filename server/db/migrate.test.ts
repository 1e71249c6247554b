import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, splitStatements } from './migrate';

describe('splitStatements', () => {
  it('splits on top-level semicolons and drops comments', () => {
    expect(splitStatements('CREATE TABLE a (x int); -- a note; with a semicolon\nCREATE INDEX i ON a (x);\n')).toEqual([
      'CREATE TABLE a (x int)',
      'CREATE INDEX i ON a (x)',
    ]);
  });

  it('keeps function bodies and string literals whole', () => {
    const sql = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE t SET note = 'a; b -- not a comment' WHERE id = 1; -- a comment
  RETURN NULL;
END $$;
CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;y' $body$;
INSERT INTO t (note) VALUES ('it''s; fine');`;
    const parts = splitStatements(sql);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toMatch(/^CREATE FUNCTION f\(\)[\s\S]*RETURN NULL;\nEND \$\$$/);
    expect(parts[0]).toContain("'a; b -- not a comment'");
    expect(parts[1]).toBe("CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;y' $body$");
    expect(parts[2]).toBe("INSERT INTO t (note) VALUES ('it''s; fine')");
  });

  it('refuses an unterminated function body instead of running half of it', () => {
    expect(() => splitStatements('CREATE FUNCTION f() AS $$ BEGIN; ')).toThrow(/unterminated/);
  });

  it('splits every shipped migration into non-empty statements', () => {
    for (const f of readdirSync(MIGRATIONS_DIR).filter((x) => x.endsWith('.sql'))) {
      const parts = splitStatements(readFileSync(join(MIGRATIONS_DIR, f), 'utf8'));
      expect(parts.length, f).toBeGreaterThan(0);
      for (const p of parts) expect(p.trim(), f).not.toBe('');
    }
  });
});
