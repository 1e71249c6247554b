/**
 * Party-member reach and grid load (issue #20):
 *   GET /api/party-reach?street=&community=&grid=&suggest=&lists=  reach of the street / community / grid:
 *       {households, reachedHouseholds, share, distanceM, centres, suggestions, byCommunity, byGrid, leftOut}.
 *       Aggregates and building-level figures are public (the households layer already shows centre
 *       counts per building); the centre households themselves (unit, room, head's name) only to
 *       callers whose grants cover the building with party detail (masking.ts `disclosureFor`).
 *   GET /api/party-reach/settings?street=   the street's distance, households per centre and load weights
 *       (with the defaults and the reason for each default weight).
 *   PUT /api/party-reach/settings?street=   street-wide admins/planners; validated, audited.
 *   GET /api/load?street=&community=        each building's load and each published grid's load.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { disclosureFor, showName } from '../auth/masking.js';
import { PLANNING_ROLES, assertStreetWide } from '../auth/scope.js';
import { notFound, validate } from '../http-error.js';
import { DEFAULT_LOAD_WEIGHTS, LOAD_WEIGHT_REASONS } from '../../geo/party/load.js';
import { audit } from '../repos/audit.repo.js';
import { communityExists, gridExists } from '../repos/layers.repo.js';
import { DEFAULT_PARTY_SETTINGS, buildingFigures, centreHouseholds, getPartySettings, settingsSchema, writePartySettings } from '../repos/party.repo.js';
import { buildingLoads, partyReachReport, screenReach } from '../services/party-reach.js';
import { requireStreetOf, streetOf } from '../services/street-context.js';
import { walkNetwork } from '../services/walk-network.js';
import { clientIp, jsonBody } from './auth.route.js';
import { communityCodeSchema, gridCodeSchema } from './query-schemas.js';

const reachQuery = z.object({
  community: communityCodeSchema.optional(),
  grid: gridCodeSchema.optional(),
  suggest: z.coerce.number().int().min(0).max(50).default(10),
  /** `lists=0`: figures and areas only — centres, suggestions and left-out buildings come back empty (the wall screen). */
  lists: z.enum(['0', '1']).default('1'),
});

const loadQuery = z.object({ community: communityCodeSchema.optional() });

export function partyReachRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/party-reach', async (c) => {
      const q = validate(reachQuery, c.req.query(), '查询参数');
      if (q.community && !(await communityExists(db, q.community))) throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
      const street = await requireStreetOf(c, db, { impliedBy: q });
      if (q.grid && !(await gridExists(db, q.grid, undefined, street.id))) throw notFound(`网格 ${q.grid} 不存在`, `grid ${q.grid} not found`);
      if (q.lists === '0') {
        // The wall screen's figures: stored per street (services/party-reach.ts screenReach).
        const t0 = performance.now();
        const report = await screenReach(db, street, q);
        return c.json({ street: street.code, community: q.community ?? null, grid: q.grid ?? null, ...report, ms: Math.round((performance.now() - t0) * 10) / 10 });
      }
      const [settings, figures, net] = await Promise.all([getPartySettings(db, street.id), buildingFigures(db, { streetId: street.id }), walkNetwork(db)]);
      const report = partyReachReport(net, figures, settings, q, q.suggest);
      // Centre households: only where the caller's grants give party detail for the building's row.
      const p = c.get('principal') ?? null;
      const disclosures = report.centres.map((x) => disclosureFor(p, { communityCode: x.community, gridCode: x.grid, streetCode: street.code }));
      const idOf = new Map(net.buildings.map((b) => [b.code, b.id]));
      const visible = report.centres.filter((_, i) => disclosures[i].partyDetail);
      const rows = await centreHouseholds(db, visible.map((x) => idOf.get(x.building)!));
      const centres = report.centres.map((x, i) => {
        const d = disclosures[i];
        if (!d.partyDetail) return x;
        const id = idOf.get(x.building);
        return { ...x, members: rows.filter((r) => r.buildingId === id).map((r) => ({ unit: r.unit, room: r.room, headName: showName(d.residentName, r.headName) })) };
      });
      return c.json({ street: street.code, community: q.community ?? null, grid: q.grid ?? null, ...report, centres, ms: Math.round(report.ms * 10) / 10 });
    })
    .get('/party-reach/settings', async (c) => {
      const street = await streetOf(c, db);
      const settings = await getPartySettings(db, street?.id);
      return c.json({
        street: street?.code ?? null, ...settings,
        defaults: { ...DEFAULT_PARTY_SETTINGS, loadWeights: DEFAULT_LOAD_WEIGHTS, reasons: LOAD_WEIGHT_REASONS },
      });
    })
    .put('/party-reach/settings', async (c) => {
      const p = c.get('principal')!;
      const street = await requireStreetOf(c, db, { protectedData: true });
      assertStreetWide(p, PLANNING_ROLES, { zh: '修改党员联系和网格负荷设置', en: 'changing the party-reach and load settings' }, street.code);
      const body = validate(settingsSchema, await jsonBody(c), '设置');
      await db.transaction(async (tx) => {
        await writePartySettings(tx, street.id, body, p.name);
        await audit(tx, {
          actor: p.name, userId: p.kind === 'user' ? p.id : null, action: 'party_settings_edit', targetType: 'street', targetId: street.code,
          detail: body, ip: clientIp(c),
        });
      });
      cache.invalidate();
      return c.json({ street: street.code, ...(await getPartySettings(db, street.id)) });
    })
    .get('/load', async (c) => {
      const q = validate(loadQuery, c.req.query(), '查询参数');
      if (q.community && !(await communityExists(db, q.community))) throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
      const street = await requireStreetOf(c, db, { impliedBy: q });
      const [settings, figures] = await Promise.all([getPartySettings(db, street.id), buildingFigures(db, { streetId: street.id, community: q.community })]);
      return c.json({ street: street.code, community: q.community ?? null, weights: settings.loadWeights, buildings: Object.fromEntries(buildingLoads(figures, settings.loadWeights)) });
    });
}
