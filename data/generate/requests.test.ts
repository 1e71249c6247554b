import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES, isLegalPair } from '../../geo/requests/lifecycle';
import categories from '../standards/request-categories.json' with { type: 'json' };
import { type RequestBuilding, generateRequests } from './requests';

const buildings: RequestBuilding[] = Array.from({ length: 300 }, (_, i) => ({
  code: `B${i}`, number: `${i + 1}号楼`, lon: 121.4 + (i % 20) * 0.001, lat: 37.5 + Math.floor(i / 20) * 0.001,
  households: 30 + (i % 7) * 10, communityCode: `37060200100${i % 3}`, gridCode: `G${i % 30}`,
}));
const END = Date.UTC(2026, 10, 23, 4, 0, 0);
const reqs = generateRequests(buildings, categories.categories, { seed: 7, endMs: END });

describe('demo request generator', { timeout: 60_000 }, () => {
  it('is deterministic for a seed and end time', () => {
    expect(generateRequests(buildings, categories.categories, { seed: 7, endMs: END })).toEqual(reqs);
    expect(generateRequests(buildings, categories.categories, { seed: 8, endMs: END })).not.toEqual(reqs);
  });

  it('gives a year of a few thousand requests with legal, time-ordered histories', () => {
    expect(reqs.length).toBeGreaterThan(2500);
    expect(reqs.length).toBeLessThan(3800);
    expect(reqs[0].reportedAt).toBeGreaterThanOrEqual(END - 366 * 86_400_000);
    const problems: string[] = [];
    for (const r of reqs) {
      if (r.events[0].step !== 'report') problems.push('first event is not the report');
      for (let i = 1; i < r.events.length; i++) {
        const e = r.events[i];
        if (!isLegalPair(e.from!, e.to)) problems.push(`${e.from}→${e.to}`);
        if (e.at < r.events[i - 1].at || e.at >= END) problems.push(`event time ${e.at}`);
      }
      if (r.events[r.events.length - 1].to !== r.status) problems.push(`status ${r.status}`);
    }
    expect(problems).toEqual([]);
  });

  it('looks like the field: mostly solved in the grid, mostly on time, ~98% satisfied, some open and overdue', () => {
    const resolved = reqs.filter((r) => r.resolvedAt !== null);
    const inGrid = resolved.filter((r) => r.level === 'grid').length / resolved.length;
    const onTime = resolved.filter((r) => r.resolvedAt! <= r.dueAt).length / resolved.length;
    const rated = reqs.filter((r) => r.rating !== null);
    const satisfied = rated.filter((r) => r.rating! >= 4).length / rated.length;
    const open = reqs.filter((r) => OPEN_STATUSES.includes(r.status));
    const overdue = open.filter((r) => r.dueAt < END);
    expect(inGrid).toBeGreaterThan(0.78);
    expect(inGrid).toBeLessThan(0.9);
    expect(onTime).toBeGreaterThan(0.88);
    expect(satisfied).toBeGreaterThan(0.96);
    expect(open.length).toBeGreaterThan(10);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(open.length);
  });

  it('has seasons: heating complaints in winter, noise and sanitation in summer', () => {
    const month = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCMonth();
    const count = (cat: string, months: number[]) => reqs.filter((r) => r.category === cat && months.includes(month(r.reportedAt))).length;
    expect(count('utilities', [0, 11])).toBeGreaterThan(2 * count('utilities', [5, 6]));
    expect(count('noise', [6, 7])).toBeGreaterThan(2 * count('noise', [0, 11]));
  });
});
