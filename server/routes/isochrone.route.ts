/**
 * `GET /api/isochrone` (walking bands from a point, with the facilities reached) and
 * `GET /api/nearest` (the k nearest facilities of a category with their routes). Public: the
 * answers are streets, polygons and public facilities — no personal data.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { notFound } from '../http-error.js';
import { dataVersion } from '../repos/data-version.repo.js';
import { ISOCHRONE_CORRIDOR_M, isochrone, nearestTargets, pointsWithin } from '../../geo/routing/index.js';
import { type LifeContext, answerWithLifeContext } from '../services/life-lookups.js';
import { hasPosition } from '../services/walk-network.js';
import { minutesListSchema, parseLngLat, parseQuery, round1, snapStart, speedSchema } from './life-query.js';

const isoSchema = z.object({
  lng: z.string().optional(),
  lat: z.string().optional(),
  minutes: minutesListSchema.default([5, 10, 15]),
  speed: speedSchema.optional(),
  // polygons (default): GeoJSON band polygons; lines: the reached streets per band, compact, for
  // the client to draw the same polygons from (issue #17; geo/routing/band-lines.ts).
  geometry: z.enum(['polygons', 'lines'], { message: 'geometry must be polygons or lines' }).default('polygons'),
});

const nearestSchema = z.object({
  lng: z.string().optional(),
  lat: z.string().optional(),
  category: z.string().regex(/^[a-z_][a-z0-9_]{0,39}$/, 'category must be a category code'),
  k: z.coerce.number().int().min(1).max(20).default(3),
  speed: speedSchema.optional(),
});

export function isochroneRoutes({ db, cache }: AppDeps) {
  // The data version through the response cache's shared reader (a read issued after the request arrived).
  const readVersion = async () => (await cache.currentVersion()) ?? (await dataVersion(db));
  return new Hono()
    .get('/isochrone', async (c) => {
      const q = parseQuery(isoSchema, c.req.query());
      const [lng, lat] = parseLngLat(c.req.query());
      return c.json(await answerWithLifeContext(db, (ctx) => isochroneAnswer(ctx, q, lng, lat), readVersion));
    })
    .get('/nearest', async (c) => {
      const q = parseQuery(nearestSchema, c.req.query());
      const [lng, lat] = parseLngLat(c.req.query());
      return c.json(await answerWithLifeContext(db, (ctx) => nearestAnswer(ctx, q, lng, lat), readVersion));
    });
}

/** The bands and the facilities reached from (lng, lat). Synchronous: see answerWithLifeContext. */
function isochroneAnswer({ network: net, speedMPerMin, categories }: LifeContext, q: z.infer<typeof isoSchema>, lng: number, lat: number) {
  const speed = q.speed ?? speedMPerMin;
  const start = snapStart(net, lng, lat);
  const lines = q.geometry === 'lines';
  const iso = isochrone(net.graph, start, { minutes: q.minutes, speedMPerMin: speed, polygons: !lines }, net.ws);
  const { bands, paths } = iso;
  const maxM = Math.max(...bands.map((b) => b.distanceM));
  // Only the facilities on reached edges are looked at (issue #17: a city street has tens of thousands).
  const reached = pointsWithin(net.graph, paths, net.facilitiesByEdge, (i) => net.facilities[i].position!, maxM, start)
    .map(({ index, distanceM }) => ({ f: net.facilities[index], d: distanceM }));
  const byCategory = categories
    .map((cat) => ({
      category: cat.code, name: cat.name, nameEn: cat.nameEn, color: cat.color, level: cat.level,
      facilities: reached.filter((x) => x.f.category === cat.code).map(({ f, d }) => ({
        code: f.code, name: f.name, distanceM: round1(d), minutes: round1(d / speed),
        band: q.minutes.find((m) => d <= m * speed) ?? null, position: [Number(f.lng), Number(f.lat)],
      })),
    }))
    .filter((g) => g.facilities.length > 0);
  const startInfo = { position: [lng, lat], snapped: start.point, snapDistanceM: round1(start.distanceM) };
  const facilities = { count: reached.length, byCategory };
  if (lines) {
    // Bands in increasing budget, as the lines are: lines.bands[k] is what band k adds to k−1.
    const ordered = iso.order.map((i) => bands[i]);
    return {
      type: 'IsochroneLines',
      start: startInfo,
      speedMPerMin: speed,
      corridorM: ISOCHRONE_CORRIDOR_M,
      bands: ordered.map((b) => ({ minutes: b.minutes, distanceM: b.distanceM, networkM: Math.round(b.networkM) })),
      lines: iso.lines,
      facilities,
    };
  }
  return {
    type: 'FeatureCollection',
    start: startInfo,
    speedMPerMin: speed,
    features: bands
      .filter((b) => b.polygon)
      .map((b) => ({ type: 'Feature', properties: { minutes: b.minutes, distanceM: b.distanceM, networkM: Math.round(b.networkM) }, geometry: b.polygon!.geometry })),
    facilities,
  };
}

/** The k nearest facilities of the category from (lng, lat), with routes. Synchronous, like the above. */
function nearestAnswer({ network: net, speedMPerMin, categories }: LifeContext, q: z.infer<typeof nearestSchema>, lng: number, lat: number) {
  const cat = categories.find((x) => x.code === q.category);
  if (!cat) throw notFound(`设施类别 ${q.category} 不存在`, `facility category ${q.category} not found`);
  const speed = q.speed ?? speedMPerMin;
  const start = snapStart(net, lng, lat);
  const targets = net.facilities.filter(hasPosition).filter((f) => f.category === q.category);
  const hits = nearestTargets(net.graph, start, targets, q.k, { ws: net.ws });
  return {
    start: { position: [lng, lat], snapped: start.point, snapDistanceM: round1(start.distanceM) },
    category: { code: cat.code, name: cat.name, nameEn: cat.nameEn, color: cat.color },
    speedMPerMin: speed,
    results: hits.map((h, i) => ({
      rank: i + 1, code: h.target.code, name: h.target.name, position: [Number(h.target.lng), Number(h.target.lat)],
      distanceM: round1(h.distanceM), minutes: round1(h.distanceM / speed),
      route: { type: 'LineString', coordinates: h.route },
    })),
  };
}
