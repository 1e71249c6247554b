/**
 * `GET /api/setup/status` (issue #15.3): for one street, each set-up step — boundaries, buildings,
 * households, facilities, walk network, partition (draft plan), publish — with its state, its
 * figures and what is wrong. The set-up page (/setup) and `npm run setup -- status` show it.
 *
 * States: `missing` (nothing there yet), `partial` (there, but not for everything), `problem`
 * (there, with an error to fix) and `done`. Problems carry a stable `code`, a `severity`
 * (`error` makes the step a problem, `warning` is shown but leaves it done) and a count.
 */
import { DEFAULT_BAND } from '../../../geo/band.js';
import type { Sql } from '../../db/client.js';
import {
  type BuildingFigures, WALK_REACH_M, boundaryFigures, buildingFigures, facilityFigures, planFigures, walkFigures,
} from '../../repos/setup-status.repo.js';
import type { StreetRef } from '../street-context.js';

import { SETUP_STEPS, type SetupProblem, type SetupStatus, type SetupStep, type SetupStepKey, type StepState } from '../../api/setup-types.js';

export { SETUP_STEPS };
export type { SetupProblem, SetupStatus, SetupStep, SetupStepKey, StepState };

type Draft = Omit<SetupStep, 'key'>;

/** Problems with a count > 0 only. */
function problems(list: Array<[code: string, severity: SetupProblem['severity'], count: number, zh: string, en: string]>): SetupProblem[] {
  return list.filter(([, , n]) => n > 0).map(([code, severity, count, zh, en]) => ({ code, severity, count, zh, en }));
}

/** The state from the step's primary figure and its problems (`incomplete`: there but not everywhere). */
function stateOf(present: boolean, list: SetupProblem[], incomplete = false): StepState {
  if (!present) return 'missing';
  if (list.some((p) => p.severity === 'error')) return 'problem';
  return incomplete ? 'partial' : 'done';
}

const missingStep = (counts: SetupStep['counts'] = {}): Draft => ({ state: 'missing', counts, problems: [] });

function buildingsStep(b: BuildingFigures): Draft {
  const list = problems([
    ['buildings_outside_community', 'error', b.outsideCommunity, '楼栋不在所属社区范围内（边界改动后）', 'buildings lie outside their community (after a boundary change)'],
    ['communities_without_buildings', 'warning', b.communitiesWithoutBuildings, '社区没有楼栋', 'communities without buildings'],
  ]);
  return {
    state: stateOf(b.buildings > 0, list),
    counts: { buildings: b.buildings, residential: b.residential, nonResidential: b.nonResidential },
    problems: list,
  };
}

function householdsStep(b: BuildingFigures): Draft {
  const list = problems([
    ['dwellings_without_households', 'warning', b.dwellingsWithoutHouseholds, '住宅楼栋没有住户（可生成台账）', 'residential buildings without households (rosters can be generated)'],
  ]);
  return {
    state: stateOf(b.households > 0, list, b.dwellingsWithoutHouseholds > 0),
    counts: { households: b.households, residents: b.residents, partyMembers: b.partyMembers, buildingsWithHouseholds: b.buildingsWithHouseholds },
    problems: list,
  };
}

async function planSteps(db: Sql, streetId: number): Promise<[Draft, Draft]> {
  const band = DEFAULT_BAND;
  const [published, draft] = await Promise.all([planFigures(db, streetId, 'published', band), planFigures(db, streetId, 'draft', band)]);
  const figuresOf = (p: NonNullable<typeof published>) => ({
    plan: p.plan, name: p.name, grids: p.grids, basic: p.basic, inBand: p.inBand, under: p.under, over: p.over, unassigned: p.unassigned,
  });
  const gridProblems = (p: NonNullable<typeof published>) => problems([
    ['buildings_without_grid', 'error', p.unassigned, '楼栋不属于任何网格', 'buildings in no grid'],
    ['communities_without_grids', 'error', p.communitiesWithoutGrids, '社区尚未划分网格', 'communities not divided into grids'],
    ['grids_under_band', 'warning', p.under, `网格少于 ${band.lo} 户`, `grids under ${band.lo} households`],
    ['grids_over_band', 'warning', p.over, `网格多于 ${band.hi} 户`, `grids over ${band.hi} households`],
  ]);
  // The partition step looks at the newest draft when there is one newer than the published plan.
  const working = draft && (!published || draft.plan > published.plan) ? draft : published;
  const partition: Draft = working
    ? { state: stateOf(working.grids > 0, gridProblems(working)), counts: { ...figuresOf(working), status: working.status }, problems: gridProblems(working) }
    : missingStep({ plan: null, grids: 0 });
  if (!published) {
    return [partition, { state: 'missing', counts: { plan: null, grids: 0 }, problems: problems([['no_published_plan', 'error', 1, '还没有发布的网格方案', 'no grid plan published yet']]) }];
  }
  const list = [
    ...gridProblems(published),
    ...problems([['draft_unpublished', 'warning', draft && draft.plan > published.plan ? 1 : 0, '有比已发布方案更新的草案尚未发布', 'a draft newer than the published plan is not published']]),
  ];
  return [partition, { state: stateOf(published.grids > 0, list), counts: { ...figuresOf(published), publishedAt: new Date(published.updatedAt).toISOString() }, problems: list }];
}

/** The set-up status of `street` (null: an empty database — every step missing). */
export async function setupStatus(db: Sql, street: StreetRef | null): Promise<SetupStatus> {
  const bounds = await boundaryFigures(db, street?.id ?? null);
  const drafts: Record<SetupStepKey, Draft> = {
    boundaries: {
      state: street && bounds.communities > 0 ? 'done' : street ? 'partial' : 'missing',
      counts: { districts: bounds.districts, streets: bounds.streets, communities: bounds.communities, streetOutline: bounds.streetOutline },
      problems: street ? problems([['street_without_communities', 'error', bounds.communities === 0 ? 1 : 0, '街道没有社区边界', 'the street has no community boundaries']]) : [],
    },
    buildings: missingStep({ buildings: 0 }),
    households: missingStep({ households: 0 }),
    facilities: missingStep({ facilities: 0 }),
    walk: missingStep({ edges: 0 }),
    partition: missingStep({ plan: null, grids: 0 }),
    publish: missingStep({ plan: null, grids: 0 }),
  };
  if (street) {
    const [b, f, w, plans] = await Promise.all([
      buildingFigures(db, street.id), facilityFigures(db, street.id), walkFigures(db, street.id), planSteps(db, street.id),
    ]);
    drafts.buildings = buildingsStep(b);
    drafts.households = householdsStep(b);
    const fp = problems([['facilities_outside_communities', 'warning', f.outsideEveryCommunity, '设施不在任何社区内', 'facilities outside every community']]);
    drafts.facilities = { state: stateOf(f.facilities > 0, fp), counts: { ...f }, problems: fp };
    const wp = problems([
      ['buildings_far_from_network', 'warning', w.buildingsFarFromNetwork, `楼栋距步行网络超过 ${WALK_REACH_M} 米`, `buildings farther than ${WALK_REACH_M} m from the walk network`],
      ['network_pieces', 'warning', Math.max(0, w.components - 1), '步行网络有不连通的碎片', 'disconnected pieces of the walk network'],
    ]);
    drafts.walk = { state: stateOf(w.edges > 0, wp), counts: { ...w }, problems: wp };
    [drafts.partition, drafts.publish] = plans;
  }
  const steps = SETUP_STEPS.map((key) => ({ key, ...drafts[key] }));
  return {
    street: street ? { code: street.code, name: street.name, district: bounds.district } : null,
    steps,
    next: steps.find((s) => s.state !== 'done')?.key ?? null,
  };
}
