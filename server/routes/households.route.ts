import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { disclosureFor, showName, showPhone } from '../auth/masking.js';
import type { AppEnv } from '../auth/middleware.js';
import { HttpError, notFound, validate } from '../http-error.js';
import { audit } from '../repos/audit.repo.js';
import { grantCovers } from '../auth/scope.js';
import { buildingHouseholds, buildingScope } from '../repos/households.repo.js';
import { clientIp } from './auth.route.js';

const codeSchema = z.string().min(1).max(64).regex(/^[\w-]+$/, 'building code has invalid characters');

/**
 * `GET /api/buildings/:code/households` — the households of one building, for roles whose scope
 * covers it. Names and phones are masked unless the role needs them; party membership per
 * household only for planners and admins (others get counts). Every read is audited.
 */
export function householdRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>().get('/:code/households', async (c) => {
    const p = c.get('principal')!;
    const code = validate(codeSchema, c.req.param('code'), '楼栋编号');
    const b = await buildingScope(db, code);
    if (!b) throw notFound(`楼栋 ${code} 不存在`, `building ${code} not found`);
    if (!p.grants.some((g) => grantCovers(g, b))) {
      throw new HttpError(403, 'out_of_scope', '该楼栋不在您的负责范围内', 'this building is outside your scope');
    }
    const d = disclosureFor(p, b);
    const contacts = d.residentName === 'full' && d.residentPhone === 'full';
    const rows = await buildingHouseholds(db, b.id);
    const households = rows.map((h) => ({
      id: h.id,
      unit: h.unit,
      room: h.room,
      size: h.size,
      headName: showName(d.residentName, h.headName),
      headPhone: showPhone(d.residentPhone, h.headPhone),
      ...(d.tags ? { tags: h.tags } : {}),
      ...(d.partyDetail ? { partyMembers: h.partyMembers, isPartyCenter: h.isPartyCenter } : {}),
    }));
    await audit(db, {
      actor: p.name, userId: p.id, action: 'household_read', targetType: 'building', targetId: code,
      detail: { households: rows.length, contacts, partyDetail: d.partyDetail }, ip: clientIp(c),
    });
    return c.json({
      building: code,
      disclosure: { contacts, partyDetail: d.partyDetail, tags: d.tags },
      totals: {
        households: rows.length,
        residents: rows.reduce((s, h) => s + h.size, 0),
        partyMembers: rows.reduce((s, h) => s + h.partyMembers, 0),
        partyCenters: rows.filter((h) => h.isPartyCenter).length,
      },
      households,
    });
  });
}
