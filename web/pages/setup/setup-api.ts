/**
 * Calls of the set-up page (issue #15.3): the onboarding status of a street, roster generation,
 * and following a server job (partition) to its end. Shapes: docs/api.md, *Onboarding*.
 */
import { SETUP_STEPS, type SetupProblem, type SetupStatus, type SetupStepKey } from '../../../server/api/setup-types';
import { getJson, query, sendJson } from '../../http/api-client';

export type { SetupStatus, SetupStep, StepState } from '../../../server/api/setup-types';
export type StepKey = SetupStepKey;
export type StepProblem = SetupProblem;
export const STEP_KEYS: StepKey[] = [...SETUP_STEPS];

/** One street of `GET /api/territory`, with its district's name. */
export interface StreetChoice { code: string; name: string; district: string | null; buildings: number }

/** Every street the caller may see (`GET /api/territory`), district by district. */
export async function fetchStreets(signal?: AbortSignal): Promise<StreetChoice[]> {
  const t = await getJson<{ districts: Array<{ name: string | null; streets: Array<{ code: string; name: string; buildings: number }> }> }>('/api/territory', signal);
  return t.districts.flatMap((d) => d.streets.map((s) => ({ code: s.code, name: s.name, district: d.name, buildings: s.buildings })));
}

/** `GET /api/setup/status?street=`. */
export function fetchSetupStatus(street: string | null, signal?: AbortSignal): Promise<SetupStatus> {
  return getJson<SetupStatus>(`/api/setup/status${query({ street: street ?? undefined })}`, signal);
}

/** What `POST /api/setup/rosters` did: buildings looked at, those that received households. */
export interface RosterResult { buildings: number; withHouseholds: number; households: number; residents: number }

/** `POST /api/setup/rosters?street=&replace=0|1`: households for buildings that have none (or all). */
export function generateRosters(street: string | null, replace: boolean): Promise<RosterResult> {
  return sendJson<RosterResult>('POST', `/api/setup/rosters${query({ street: street ?? undefined, replace: replace ? '1' : '0' })}`);
}

export interface JobView<R> {
  id: string;
  status: 'running' | 'writing' | 'done' | 'failed' | 'cancelled';
  progress: number;
  stage: string;
  result: R | null;
  error: { code: string; message: string } | null;
}

/** Follows `GET /api/jobs/:id/events` until the job ends; resolves with its last state. */
export function followJob<R>(id: string, onProgress: (job: JobView<R>) => void): Promise<JobView<R>> {
  return new Promise((resolve, reject) => {
    const es = new EventSource(`/api/jobs/${id}/events`);
    const settle = (job: JobView<R>) => {
      onProgress(job);
      if (job.status === 'running' || job.status === 'writing') return;
      es.close();
      resolve(job);
    };
    const onEvent = (ev: MessageEvent<string>) => settle(JSON.parse(ev.data) as JobView<R>);
    for (const name of ['progress', 'done', 'failed', 'cancelled']) es.addEventListener(name, onEvent as EventListener);
    // A dropped stream: read the job once, and follow again while it still runs.
    es.onerror = () => {
      es.close();
      getJson<JobView<R>>(`/api/jobs/${id}`).then((job) => {
        if (job.status === 'running' || job.status === 'writing') setTimeout(() => followJob(id, onProgress).then(resolve, reject), 1000);
        else settle(job);
      }, reject);
    };
  });
}
