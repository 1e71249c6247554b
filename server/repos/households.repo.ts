/** Household details of one building, and whether a principal's scope covers that building. */
import type { Sql } from '../db/client.js';
import { publishedPlanSql } from './sql-params.js';

export interface BuildingScope {
  id: number;
  code: string;
  streetCode: string;
  communityCode: string;
  gridCode: string | null;
}

export async function buildingScope(db: Sql, code: string): Promise<BuildingScope | null> {
  const [row] = await db.query<BuildingScope>(
    `SELECT b.id, b.code, s.code AS "streetCode", c.code AS "communityCode", g.code AS "gridCode"
     FROM buildings b JOIN communities c ON c.id = b.community_id JOIN streets s ON s.id = c.street_id
     LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${publishedPlanSql('c.street_id')}
     LEFT JOIN grids g ON g.id = bg.grid_id
     WHERE b.code = $1`,
    [code],
  );
  return row ?? null;
}

export interface HouseholdRow {
  id: number;
  unit: number;
  room: string;
  size: number;
  partyMembers: number;
  isPartyCenter: boolean;
  tags: string[];
  headName: string | null;
  headPhone: string | null;
}

export function buildingHouseholds(db: Sql, buildingId: number) {
  return db.query<HouseholdRow>(
    `SELECT id, unit, room, size, party_members AS "partyMembers", is_party_center AS "isPartyCenter", tags,
            head_name AS "headName", head_phone AS "headPhone"
     FROM households WHERE building_id = $1 ORDER BY unit, room`,
    [buildingId],
  );
}
