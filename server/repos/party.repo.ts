/**
 * Party reach and load data (issue #20): each street's settings (walking distance and households
 * per 党员中心户, load weights), the per-building figures the reach and load are computed from,
 * and — for callers allowed to see them — the centre households themselves.
 */
import { z } from 'zod';
import { DEFAULT_LOAD_WEIGHTS, type LoadAttributes, type LoadWeights } from '../../geo/party/load.js';
import type { Sql } from '../db/client.js';

/** Defaults: 300 m (the 5-minute life circle's walk) and 10–15 households per centre (domain brief). */
export const DEFAULT_PARTY_SETTINGS = Object.freeze({ distanceM: 300, householdsMin: 10, householdsMax: 15 });

export interface PartySettings {
  distanceM: number;
  householdsMin: number;
  householdsMax: number;
  loadWeights: LoadWeights;
  /** True when the street has its own row (else all defaults). */
  own: boolean;
}

const weight = z.number().finite().min(0).max(100);
export const settingsSchema = z.object({
  distanceM: z.number().finite().min(50).max(2000),
  householdsMin: z.number().int().min(1).max(1000),
  householdsMax: z.number().int().min(1).max(1000),
  loadWeights: z.object({ households: weight, elderlyAlone: weight, rentedUnits: weight, shops: weight, requests12m: weight }).strict().optional(),
}).strict().refine((s) => s.householdsMin <= s.householdsMax, { message: 'householdsMin must not exceed householdsMax', path: ['householdsMin'] });

export async function getPartySettings(db: Sql, streetId: number | null | undefined): Promise<PartySettings> {
  const [row] = streetId == null ? [] : await db.query<{ distance_m: number; households_min: number; households_max: number; load_weights: LoadWeights | null }>(
    'SELECT distance_m, households_min, households_max, load_weights FROM street_party_settings WHERE street_id = $1', [streetId]);
  if (!row) return { ...DEFAULT_PARTY_SETTINGS, loadWeights: { ...DEFAULT_LOAD_WEIGHTS }, own: false };
  return {
    distanceM: Number(row.distance_m), householdsMin: row.households_min, householdsMax: row.households_max,
    loadWeights: { ...DEFAULT_LOAD_WEIGHTS, ...(row.load_weights ?? {}) }, own: true,
  };
}

export async function writePartySettings(db: Sql, streetId: number, s: z.infer<typeof settingsSchema>, actor: string): Promise<void> {
  await db.query(
    `INSERT INTO street_party_settings (street_id, distance_m, households_min, households_max, load_weights, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, now(), $6)
     ON CONFLICT (street_id) DO UPDATE SET distance_m = EXCLUDED.distance_m, households_min = EXCLUDED.households_min,
       households_max = EXCLUDED.households_max, load_weights = EXCLUDED.load_weights, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [streetId, s.distanceM, s.householdsMin, s.householdsMax, s.loadWeights ? JSON.stringify(s.loadWeights) : null, actor],
  );
}

/** What reach and load read per building: party tallies and load attributes (migrations 0010, 0025). */
export interface BuildingFigures extends LoadAttributes {
  id: number;
  code: string;
  centres: number;
  partyHouseholds: number;
}

/** SQL: resident requests of the last 12 months per building id. */
const REQUESTS_12M = `SELECT building_id, count(*)::int AS n FROM requests
  WHERE building_id IS NOT NULL AND reported_at > now() - interval '12 months' GROUP BY building_id`;

/**
 * Per-building figures of a street's buildings (or of one community's), by building id. Tallies
 * are kept per building by triggers; only the requests are counted here.
 */
export async function buildingFigures(db: Sql, where: { streetId?: number | null; community?: string }): Promise<Map<number, BuildingFigures>> {
  const rows = await db.query<BuildingFigures>(
    `SELECT b.id, b.code, b.households, b.party_centers AS centres, b.party_households AS "partyHouseholds",
            b.elderly_alone AS "elderlyAlone", b.rented_units AS "rentedUnits", b.shops, coalesce(r.n, 0)::int AS "requests12m"
     FROM buildings b JOIN communities c ON c.id = b.community_id
     LEFT JOIN (${REQUESTS_12M}) r ON r.building_id = b.id
     WHERE ($1::int IS NULL OR c.street_id = $1) AND ($2::text IS NULL OR c.code = $2)`,
    [where.streetId ?? null, where.community ?? null],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** A 党员中心户 as staff with the need may see it (masked by the caller per masking.ts). */
export interface CentreHouseholdRow { buildingId: number; unit: number; room: string; headName: string | null; headPhone: string | null }

export async function centreHouseholds(db: Sql, buildingIds: readonly number[]): Promise<CentreHouseholdRow[]> {
  if (buildingIds.length === 0) return [];
  return db.query<CentreHouseholdRow>(
    `SELECT building_id AS "buildingId", unit, room, head_name AS "headName", head_phone AS "headPhone"
     FROM households WHERE is_party_center AND building_id = ANY($1::int[]) ORDER BY building_id, unit, room`,
    [buildingIds],
  );
}
