/**
 * The map layers, each defined once and used by both the GeoJSON endpoint and the vector tiles:
 * a FROM clause, the geometry and id expressions, and the properties as (name, SQL expression).
 * Properties never include personal fields (names, phones, rooms): layers and tiles are public
 * aggregates. Band thresholds come from geo/band.ts so the map and the planner agree.
 */
import { DEFAULT_BAND } from '../../geo/band.js';
import { DEFAULT_LOAD_WEIGHTS, type LoadTerm } from '../../geo/party/load.js';

/** A load weight of the grid's street (street_party_settings `s`), else the default (issue #20). */
const weightSql = (t: LoadTerm) => `coalesce((sps.load_weights->>'${t}')::float8, ${DEFAULT_LOAD_WEIGHTS[t]})`;

export const LAYER_NAMES = ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export interface LayerContext {
  /**
   * SQL for the set of plans whose grids are shown, used as `plan_id IN (${'$'}{plans})`: one plan
   * (a parameter), the published plan of one street, or every street's published plan (issue #15).
   */
  plans: string;
}

export interface LayerDef {
  name: LayerName;
  geometryType: 'MultiPolygon' | 'Point' | 'LineString';
  title: { zh: string; en: string };
  /** FROM clause; the layer's own table is aliased `t`. */
  from(ctx: LayerContext): string;
  geom: string;
  id: string;
  /** Extra WHERE conditions that always apply. */
  where?(ctx: LayerContext): string[];
  /** How `?community=` filters: by a code expression, or spatially against the community polygon. */
  community: { codeExpr: string } | 'spatial';
  /** How `?street=` filters (issue #15): by a street id expression, or spatially by the street's extent. */
  street: { idExpr: string } | 'spatial';
  props: ReadonlyArray<readonly [string, string]>;
  minzoom: number;
}

const { lo, hi } = DEFAULT_BAND;

const buildingTallies = `
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS buildings, coalesce(sum(b.households), 0)::int AS households,
           coalesce(sum(b.residents), 0)::int AS residents
    FROM buildings b WHERE b.community_id = t.id) a ON true`;

export const LAYERS: Record<LayerName, LayerDef> = {
  communities: {
    name: 'communities',
    geometryType: 'MultiPolygon',
    title: { zh: '社区', en: 'Communities' },
    from: (ctx) => `communities t ${buildingTallies}
      LEFT JOIN LATERAL (SELECT count(*)::int AS grids FROM grids g
                         WHERE g.community_id = t.id AND g.plan_id IN (${ctx.plans})) gg ON true`,
    geom: 't.geom',
    id: 't.id',
    community: { codeExpr: 't.code' },
    street: { idExpr: 't.street_id' },
    props: [
      ['code', 't.code'],
      ['name', 't.name'],
      ['shortName', 't.short_name'],
      ['buildings', 'a.buildings'],
      ['households', 'a.households'],
      ['residents', 'a.residents'],
      ['grids', 'gg.grids'],
    ],
    minzoom: 10,
  },
  compounds: {
    name: 'compounds',
    geometryType: 'MultiPolygon',
    title: { zh: '小区', en: 'Compounds' },
    from: () => `compounds t JOIN communities c ON c.id = t.community_id
      LEFT JOIN LATERAL (SELECT count(*)::int AS buildings, coalesce(sum(b.households), 0)::int AS households
                         FROM buildings b WHERE b.compound_id = t.id) a ON true`,
    geom: 't.geom',
    id: 't.id',
    community: { codeExpr: 'c.code' },
    street: { idExpr: 'c.street_id' },
    props: [
      ['code', 't.code'],
      ['name', 't.name'],
      ['communityCode', 'c.code'],
      ['gated', 't.gated'],
      ['buildings', 'a.buildings'],
      ['households', 'a.households'],
    ],
    minzoom: 12,
  },
  grids: {
    name: 'grids',
    geometryType: 'MultiPolygon',
    title: { zh: '网格', en: 'Grids' },
    from: () => `grids t JOIN communities c ON c.id = t.community_id
      LEFT JOIN LATERAL (
        SELECT count(*)::int AS buildings, coalesce(sum(b.households), 0)::int AS households,
               coalesce(sum(b.residents), 0)::int AS residents,
               -- party tallies kept per building by triggers on households (migration 0010)
               coalesce(sum(b.party_members), 0)::int AS party_members, coalesce(sum(b.party_centers), 0)::int AS party_centers,
               -- load terms (migration 0025, issue #20)
               coalesce(sum(b.elderly_alone), 0)::int AS elderly_alone, coalesce(sum(b.rented_units), 0)::int AS rented_units,
               coalesce(sum(b.shops), 0)::int AS shops
        FROM building_grid bg JOIN buildings b ON b.id = bg.building_id WHERE bg.grid_id = t.id) a ON true
      LEFT JOIN LATERAL (SELECT count(*)::int AS n FROM building_grid bg JOIN requests r ON r.building_id = bg.building_id
                         WHERE bg.grid_id = t.id AND r.reported_at > now() - interval '12 months') rq ON true
      LEFT JOIN street_party_settings sps ON sps.street_id = c.street_id
      LEFT JOIN LATERAL (SELECT count(*)::int AS workers FROM grid_workers w WHERE w.grid_id = t.id) w ON true`,
    where: (ctx) => [`t.plan_id IN (${ctx.plans})`],
    geom: 't.geom',
    id: 't.id',
    community: { codeExpr: 'c.code' },
    street: { idExpr: 'c.street_id' },
    props: [
      ['code', 't.code'],
      ['name', 't.name'],
      ['communityCode', 'c.code'],
      ['communityName', 'c.short_name'],
      ['kind', 't.kind'],
      ['dedicatedType', 't.dedicated_type'],
      ['planId', 't.plan_id'],
      ['buildings', 'a.buildings'],
      ['households', 'a.households'],
      ['residents', 'a.residents'],
      ['partyMembers', 'a.party_members'],
      ['partyCenters', 'a.party_centers'],
      ['load', `round((a.households * ${weightSql('households')} + a.elderly_alone * ${weightSql('elderlyAlone')}
        + a.rented_units * ${weightSql('rentedUnits')} + a.shops * ${weightSql('shops')} + rq.n * ${weightSql('requests12m')})::numeric, 1)::float8`],
      ['workers', 'w.workers'],
      [
        'status',
        `CASE WHEN t.kind = 'dedicated' THEN 'dedicated' WHEN a.households < ${lo} THEN 'under'
              WHEN a.households > ${hi} THEN 'over' ELSE 'in' END`,
      ],
    ],
    minzoom: 10,
  },
  buildings: {
    name: 'buildings',
    geometryType: 'MultiPolygon',
    title: { zh: '楼栋', en: 'Buildings' },
    from: (ctx) => `buildings t JOIN communities c ON c.id = t.community_id
      LEFT JOIN compounds k ON k.id = t.compound_id
      LEFT JOIN building_grid bg ON bg.building_id = t.id AND bg.plan_id IN (${ctx.plans})
      LEFT JOIN grids g ON g.id = bg.grid_id`,
    geom: 't.geom',
    id: 't.id',
    community: { codeExpr: 'c.code' },
    street: { idExpr: 'c.street_id' },
    props: [
      ['code', 't.code'],
      ['number', 't.number'],
      ['name', 't.name'],
      ['use', 't.use'],
      ['floors', 't.floors'],
      ['heightM', 't.floors * 3'],
      ['units', 't.units'],
      ['households', 't.households'],
      ['residents', 't.residents'],
      ['communityCode', 'c.code'],
      ['compoundCode', 'k.code'],
      ['gridCode', 'g.code'],
    ],
    minzoom: 13,
  },
  households: {
    name: 'households',
    geometryType: 'Point',
    title: { zh: '户（按楼栋汇总）', en: 'Households (per building)' },
    from: () => `buildings t JOIN communities c ON c.id = t.community_id
      JOIN LATERAL (
        SELECT count(*)::int AS households, coalesce(sum(h.size), 0)::int AS residents,
               (count(*) FILTER (WHERE h.party_members > 0))::int AS party_households,
               coalesce(sum(h.party_members), 0)::int AS party_members,
               (count(*) FILTER (WHERE h.is_party_center))::int AS party_centers,
               (count(*) FILTER (WHERE '独居老人' = ANY (h.tags)))::int AS elderly_alone,
               (count(*) FILTER (WHERE '出租户' = ANY (h.tags)))::int AS rental
        FROM households h WHERE h.building_id = t.id) a ON true`,
    where: () => ['a.households > 0'],
    geom: 't.centroid',
    id: 't.id',
    community: { codeExpr: 'c.code' },
    street: { idExpr: 'c.street_id' },
    props: [
      ['buildingCode', 't.code'],
      ['households', 'a.households'],
      ['residents', 'a.residents'],
      ['partyHouseholds', 'a.party_households'],
      ['partyMembers', 'a.party_members'],
      ['partyCenters', 'a.party_centers'],
      ['elderlyAlone', 'a.elderly_alone'],
      ['rental', 'a.rental'],
    ],
    minzoom: 12,
  },
  facilities: {
    name: 'facilities',
    geometryType: 'Point',
    title: { zh: '设施', en: 'Facilities' },
    from: () => `facilities t JOIN facility_categories fc ON fc.code = t.category
      LEFT JOIN communities c ON c.id = t.community_id`,
    geom: 't.geom',
    id: 't.id',
    community: { codeExpr: 'c.code' },
    // A facility outside every community belongs to the street whose outline holds it.
    street: { idExpr: `coalesce(c.street_id, (SELECT s.id FROM streets s WHERE ST_Intersects(s.geom, t.geom) ORDER BY s.id LIMIT 1))` },
    props: [
      ['code', 't.code'],
      ['name', 't.name'],
      ['category', 't.category'],
      ['categoryName', 'fc.name'],
      ['level', 'fc.level'],
      ['color', 'fc.color'],
      ['communityCode', 'c.code'],
      ['address', 't.address'],
    ],
    minzoom: 12,
  },
  roads: {
    name: 'roads',
    geometryType: 'LineString',
    title: { zh: '道路与步行网络', en: 'Roads and walk network' },
    from: () => 'walk_edges t',
    geom: 't.geom',
    id: 't.id',
    community: 'spatial',
    street: 'spatial',
    props: [
      ['kind', 't.kind'],
      ['name', 't.name'],
      ['lengthM', 'round(t.length_m::numeric, 1)::float8'],
    ],
    minzoom: 10,
  },
};

export function isLayerName(name: string): name is LayerName {
  return (LAYER_NAMES as readonly string[]).includes(name);
}
