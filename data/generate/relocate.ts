/**
 * Puts a generated street somewhere else under another code: a second, third … street of a
 * deployment (tests of several streets and districts, the city-scale generator).
 *
 * Pure: every code that starts with the demo street's 9 digits gets the new street's code instead
 * (communities, compounds, buildings, grids, households' building codes), facility codes get the
 * street's code in front (they are unique per deployment), walk node ids are moved past
 * `nodeIdBase`, and every coordinate is shifted by `offset` degrees. The layout and figures stay
 * those of the generated street, so a relocated copy is as believable as the demo itself.
 */
import type { Position, StreetDataset } from './types.js';

export interface Relocation {
  /** 9-digit street code (its first 6 digits are the district's). */
  code: string;
  name: string;
  /** [Δlng, Δlat] in degrees. */
  offset: Position;
  /** Walk node ids become `nodeIdBase + id` (seeding needs ids unique across streets). */
  nodeIdBase: number;
}

export function relocateStreet(ds: StreetDataset, to: Relocation): StreetDataset {
  if (!/^\d{9}$/.test(to.code)) throw new Error(`street code must have 9 digits: ${to.code}`);
  const from = ds.street.code;
  const code = (c: string) => (c.startsWith(from) ? to.code + c.slice(from.length) : c);
  const codeOrNull = (c: string | null) => (c === null ? null : code(c));
  const [dx, dy] = to.offset;
  const pt = (p: Position): Position => [p[0] + dx, p[1] + dy];
  const poly = (rings: Position[][]) => rings.map((r) => r.map(pt));
  return {
    ...ds,
    street: { code: to.code, name: to.name, polygon: poly(ds.street.polygon) },
    communities: ds.communities.map((c) => ({ ...c, code: code(c.code), polygon: poly(c.polygon) })),
    compounds: ds.compounds.map((c) => ({ ...c, code: code(c.code), communityCode: code(c.communityCode), polygon: poly(c.polygon) })),
    buildings: ds.buildings.map((b) => ({
      ...b, code: code(b.code), communityCode: code(b.communityCode), compoundCode: codeOrNull(b.compoundCode), footprint: poly(b.footprint),
    })),
    households: ds.households.map((h) => ({ ...h, buildingCode: code(h.buildingCode) })),
    facilities: ds.facilities.map((f) => ({
      ...f, code: `${to.code}-${f.code}`, communityCode: codeOrNull(f.communityCode), position: pt(f.position),
    })),
    walkNodes: ds.walkNodes.map((n) => ({ id: n.id + to.nodeIdBase, position: pt(n.position) })),
    walkEdges: ds.walkEdges.map((e) => ({ ...e, source: e.source + to.nodeIdBase, target: e.target + to.nodeIdBase, line: e.line.map(pt) })),
    plan: {
      ...ds.plan,
      grids: ds.plan.grids.map((g) => ({ ...g, code: code(g.code), communityCode: code(g.communityCode), buildingCodes: g.buildingCodes.map(code) })),
    },
  };
}
