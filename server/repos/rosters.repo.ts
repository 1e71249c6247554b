/**
 * Generated household rosters for a street's buildings (issue #15.3): reads the buildings that
 * have none (or all of them, `replace`), asks data/generate/rosters.ts for believable households
 * and writes them with the buildings' totals — in the caller's transaction, all or nothing.
 */
import { type BuildingRoster, type RosterBuilding, buildingRoster } from '../../data/generate/rosters.js';
import type { Database, Sql } from '../db/client.js';
import { audit } from './audit.repo.js';

const CHUNK = 4000;

export interface RosterSummary {
  street: string;
  /** Buildings looked at: without households (or all, with replace). */
  buildings: number;
  /** Of those, buildings that received households (the rest are not dwellings: non-residential or tiny). */
  withHouseholds: number;
  households: number;
  residents: number;
  partyMembers: number;
  /** Buildings of the street left as they were because they already had households. */
  kept: number;
  replace: boolean;
}

/** Generates and writes rosters for street `streetId`'s buildings; `replace` regenerates every building's. */
export async function generateRosters(tx: Sql, street: { id: number; code: string }, replace: boolean): Promise<RosterSummary> {
  const rows = await tx.query<RosterBuilding & { id: number; has: boolean }>(`
    SELECT b.id, b.code, b.use, b.floors, ST_Area(b.geom::geography) AS "areaM2",
      (b.households > 0 OR EXISTS (SELECT 1 FROM households h WHERE h.building_id = b.id)
        OR EXISTS (SELECT 1 FROM building_unit_rosters r WHERE r.building_id = b.id)) AS has
    FROM buildings b JOIN communities c ON c.id = b.community_id
    WHERE c.street_id = $1 ORDER BY b.code`, [street.id]);
  const todo = replace ? rows : rows.filter((r) => !r.has);
  const ids = todo.map((r) => r.id);
  if (ids.length > 0) {
    await tx.query('DELETE FROM households WHERE building_id = ANY ($1::int[])', [ids]);
    await tx.query('DELETE FROM building_unit_rosters WHERE building_id = ANY ($1::int[])', [ids]);
  }
  const rosters = todo.map((b) => ({ id: b.id, roster: buildingRoster({ ...b, areaM2: Number(b.areaM2) }) }));
  await writeRecords(tx, rosters);
  const totals = rosters.map(({ id, roster }) => ({ id, units: roster.units, households: roster.households, residents: roster.residents }));
  for (let i = 0; i < totals.length; i += CHUNK) {
    await tx.query(`UPDATE buildings b SET households = t.households, residents = t.residents, units = greatest(1, t.units)
      FROM json_to_recordset($1::json) AS t(id int, units int, households int, residents int) WHERE b.id = t.id`,
    [JSON.stringify(totals.slice(i, i + CHUNK))]);
  }
  const sum = (f: (r: BuildingRoster) => number) => rosters.reduce((s, r) => s + f(r.roster), 0);
  return {
    street: street.code, buildings: todo.length, withHouseholds: rosters.filter((r) => r.roster.households > 0).length,
    households: sum((r) => r.households), residents: sum((r) => r.residents),
    partyMembers: sum((r) => r.records.reduce((s, h) => s + h.partyMembers, 0)), kept: rows.length - todo.length, replace,
  };
}

async function writeRecords(tx: Sql, rosters: Array<{ id: number; roster: BuildingRoster }>) {
  const records = rosters.flatMap(({ id, roster }) => roster.records.map((h) => ({
    b: id, unit: h.unit, room: h.room, size: h.size, party: h.partyMembers, center: h.isPartyCenter, tags: h.tags, name: h.headName, phone: h.headPhone,
  })));
  for (let i = 0; i < records.length; i += CHUNK) {
    await tx.query(`
      INSERT INTO households (building_id, unit, room, size, party_members, is_party_center, tags, head_name, head_phone)
      SELECT r.b, r.unit, r.room, r.size, r.party, r.center, ARRAY(SELECT json_array_elements_text(r.tags)), r.name, r.phone
      FROM json_to_recordset($1::json) AS r(b int, unit int, room text, size int, party int, center boolean, tags json, name text, phone text)`,
    [JSON.stringify(records.slice(i, i + CHUNK))]);
  }
}

/** {@link generateRosters} in one transaction with its audit entry (`setup_rosters`): the route's and the CLI's write. */
export function generateRostersAudited(db: Database, street: { id: number; code: string }, replace: boolean,
  who: { actor: string; userId: number | null; ip?: string | null }): Promise<RosterSummary> {
  return db.transaction(async (tx) => {
    const s = await generateRosters(tx, street, replace);
    await audit(tx, { actor: who.actor, userId: who.userId, action: 'setup_rosters', targetType: 'street', targetId: street.code, detail: { ...s }, ip: who.ip ?? null });
    return s;
  });
}
