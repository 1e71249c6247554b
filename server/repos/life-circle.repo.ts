/**
 * The life-circle standard (levels, distances, required categories) in the database. On first read
 * an empty table is filled from data/standards/life-circle.json, so the standard is data a planner
 * edits, not code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Sql } from '../db/client.js';

export const LEVELS = [5, 10, 15] as const;
export type Level = (typeof LEVELS)[number];

export const levelSchema = z.object({
  level: z.union([z.literal(5), z.literal(10), z.literal(15)]),
  name: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(80),
  minutes: z.number().positive().max(120),
  distanceM: z.number().positive().max(5000),
  distanceMinM: z.number().positive().max(5000).nullish(),
  categories: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,39}$/)).max(60),
});

export const standardSchema = z
  .object({
    source: z.string().max(400).default(''),
    speedMPerMin: z.number().min(20).max(150),
    levels: z.array(levelSchema).length(3),
  })
  .superRefine((s, ctx) => {
    const seen = new Set(s.levels.map((l) => l.level));
    if (seen.size !== 3) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'levels must be 5, 10 and 15, once each' });
    const byLevel = [...s.levels].sort((a, b) => a.level - b.level);
    for (let i = 1; i < byLevel.length; i++) {
      if (byLevel[i].distanceM <= byLevel[i - 1].distanceM) {
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'distanceM'], message: 'distances must grow with the level' });
      }
    }
    s.levels.forEach((l, i) => {
      if (l.distanceMinM != null && l.distanceMinM > l.distanceM) {
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'distanceMinM'], message: 'distanceMinM must not exceed distanceM' });
      }
    });
  });

export type LifeCircleStandard = z.infer<typeof standardSchema>;
export type LifeCircleLevel = LifeCircleStandard['levels'][number];

const DEFAULT_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../data/standards/life-circle.json');

export function defaultStandard(): LifeCircleStandard {
  return standardSchema.parse(JSON.parse(readFileSync(DEFAULT_FILE, 'utf8')));
}

interface LevelRow {
  level: number; name: string; name_en: string; minutes: number; distance_m: number; distance_min_m: number | null;
  categories: string[]; updated_at: string | Date; updated_by: string | null;
}

export type StoredStandard = LifeCircleStandard & { updatedAt: string | null; updatedBy: string | null };

/**
 * The standard of street `streetId` (issue #15): its own when it has one, else the deployment's;
 * without a street, the deployment's. `street` in the answer says which (null: the deployment's).
 */
export async function getStandard(db: Sql, streetId?: number | null): Promise<StoredStandard & { street: string | null }> {
  if (streetId) {
    const [own] = await db.query<{ standard: unknown; updated_at: string | Date; updated_by: string | null; code: string }>(
      `SELECT l.standard, l.updated_at, l.updated_by, s.code FROM life_circle_street_standards l JOIN streets s ON s.id = l.street_id
       WHERE l.street_id = $1`,
      [streetId],
    );
    if (own) {
      const parsed = standardSchema.parse(own.standard);
      return { ...parsed, levels: [...parsed.levels].sort((a, b) => a.level - b.level), updatedAt: new Date(own.updated_at).toISOString(), updatedBy: own.updated_by, street: own.code };
    }
  }
  return { ...(await deploymentStandard(db)), street: null };
}

/** Writes street `streetId`'s own standard (issue #15). */
export async function writeStreetStandard(db: Sql, streetId: number, s: LifeCircleStandard, actor: string) {
  await db.query(
    `INSERT INTO life_circle_street_standards (street_id, standard, updated_by) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (street_id) DO UPDATE SET standard = EXCLUDED.standard, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [streetId, JSON.stringify(s), actor],
  );
}

async function deploymentStandard(db: Sql): Promise<StoredStandard> {
  let rows = await db.query<LevelRow>('SELECT * FROM life_circle_levels ORDER BY level');
  let [settings] = await db.query<{ speed_m_per_min: number; source: string }>('SELECT speed_m_per_min, source FROM life_circle_settings');
  if (rows.length === 0 || !settings) {
    await writeStandard(db, defaultStandard(), null, true);
    rows = await db.query<LevelRow>('SELECT * FROM life_circle_levels ORDER BY level');
    [settings] = await db.query<{ speed_m_per_min: number; source: string }>('SELECT speed_m_per_min, source FROM life_circle_settings');
  }
  const latest = rows.reduce<LevelRow | null>((a, r) => (!a || new Date(r.updated_at) > new Date(a.updated_at) ? r : a), null);
  return {
    source: settings.source,
    speedMPerMin: Number(settings.speed_m_per_min),
    levels: rows.map((r) => ({
      level: r.level as Level, name: r.name, nameEn: r.name_en, minutes: Number(r.minutes), distanceM: Number(r.distance_m),
      distanceMinM: r.distance_min_m == null ? null : Number(r.distance_min_m), categories: r.categories,
    })),
    updatedAt: latest ? new Date(latest.updated_at).toISOString() : null,
    updatedBy: latest?.updated_by ?? null,
  };
}

/** Replaces the standard. `onlyIfEmpty` makes the first-read fill safe against a concurrent one. */
export async function writeStandard(db: Sql, s: LifeCircleStandard, actor: string | null, onlyIfEmpty = false) {
  const conflict = onlyIfEmpty ? 'DO NOTHING' : `DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, minutes = EXCLUDED.minutes,
      distance_m = EXCLUDED.distance_m, distance_min_m = EXCLUDED.distance_min_m, categories = EXCLUDED.categories,
      updated_at = now(), updated_by = EXCLUDED.updated_by`;
  for (const l of s.levels) {
    await db.query(
      `INSERT INTO life_circle_levels (level, name, name_en, minutes, distance_m, distance_min_m, categories, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8) ON CONFLICT (level) ${conflict}`,
      [l.level, l.name, l.nameEn, l.minutes, l.distanceM, l.distanceMinM ?? null, l.categories, actor],
    );
  }
  await db.query(
    `INSERT INTO life_circle_settings (id, speed_m_per_min, source) VALUES (1, $1, $2)
     ON CONFLICT (id) ${onlyIfEmpty ? 'DO NOTHING' : 'DO UPDATE SET speed_m_per_min = EXCLUDED.speed_m_per_min, source = EXCLUDED.source'}`,
    [s.speedMPerMin, s.source],
  );
}

export async function knownCategories(db: Sql): Promise<Set<string>> {
  const rows = await db.query<{ code: string }>('SELECT code FROM facility_categories');
  return new Set(rows.map((r) => r.code));
}
