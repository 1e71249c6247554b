/**
 * A grid worker on the phone (issue #18.4; docs/api.md "Grid worker on the phone"):
 * - `GET /api/worker/buildings[?grid=]` — the buildings of the caller's grids (or one of them) (published plan) with
 *   household and resident counts and open requests; household details come from
 *   `GET /api/buildings/:code/households` (masked as for the role, audited);
 * - `GET /api/worker/route?lng=&lat=&building=` — the walking route from where the worker stands
 *   to a building in the caller's scope, on the life circle's walk network (the same routing as `GET /api/nearest`).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { grantCovers, gridsOf, outOfScope } from '../auth/scope.js';
import { notFound, validate } from '../http-error.js';
import { buildingScope } from '../repos/households.repo.js';
import { nearestTargets } from '../../geo/routing/index.js';
import { reportPlace, gridBuildings } from '../repos/resident-reports.repo.js';
import { getStandard } from '../repos/life-circle.repo.js';
import { walkNetwork } from '../services/walk-network.js';
import { parseLngLat, parseQuery, round1, snapStart } from './life-query.js';
import { gridCodeSchema } from './query-schemas.js';

const routeSchema = z.object({
  lng: z.string(),
  lat: z.string(),
  building: z.string().min(1).max(64).regex(/^[\w-]+$/, 'building code has invalid characters'),
});

export function workerRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/buildings', async (c) => {
      const q = validate(z.object({ grid: gridCodeSchema.optional() }), c.req.query(), '查询参数');
      const mine = gridsOf(c.get('principal')!, ['grid_worker']);
      if (q.grid !== undefined && !mine.includes(q.grid)) throw outOfScope('该网格不是您负责的网格', 'this grid is not one of yours');
      const grids = q.grid !== undefined ? [q.grid] : mine;
      return c.json({ grids, buildings: grids.length ? await gridBuildings(db, grids) : [] });
    })
    .get('/route', async (c) => {
      const q = parseQuery(routeSchema, c.req.query());
      const [lng, lat] = parseLngLat(c.req.query());
      const scope = await buildingScope(db, q.building);
      const place = await reportPlace(db, { kind: 'building', code: q.building });
      if (!scope || !place) throw notFound(`楼栋 ${q.building} 不存在`, `building ${q.building} not found`);
      if (!c.get('principal')!.grants.some((g) => grantCovers(g, scope))) throw outOfScope('该楼栋不在您的负责范围内', 'this building is outside your scope');
      const net = await walkNetwork(db);
      const start = snapStart(net, lng, lat);
      const target = snapStart(net, place.lon, place.lat);
      const speed = (await getStandard(db)).speedMPerMin;
      const [hit] = nearestTargets(net.graph, start, [{ position: target }], 1, { ws: net.ws });
      if (!hit) throw notFound('步行网络上到不了该楼栋', 'the building cannot be reached on the walk network');
      return c.json({
        building: { code: place.code, label: place.name, position: [place.lon, place.lat] },
        start: { position: [lng, lat], snapped: start.point },
        distanceM: round1(hit.distanceM),
        minutes: round1(hit.distanceM / speed),
        route: { type: 'LineString', coordinates: hit.route },
      });
    });
}
