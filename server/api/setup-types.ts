/**
 * `GET /api/setup/status` (issue #15.3): the set-up steps of a street. Types only — declared once
 * here for the server (services/setup/status.ts) and the web app (web/pages/setup/setup-api.ts).
 */
export const SETUP_STEPS = ['boundaries', 'buildings', 'households', 'facilities', 'walk', 'partition', 'publish'] as const;
export type SetupStepKey = (typeof SETUP_STEPS)[number];
export type StepState = 'missing' | 'partial' | 'problem' | 'done';

export interface SetupProblem { code: string; severity: 'error' | 'warning'; count: number; zh: string; en: string }

export interface SetupStep {
  key: SetupStepKey;
  state: StepState;
  counts: Record<string, number | string | boolean | null>;
  problems: SetupProblem[];
}

export interface SetupStatus {
  /** null only in a database without any street. */
  street: { code: string; name: string; district: { code: string; name: string } | null } | null;
  steps: SetupStep[];
  /** The first step that is not done (null when all are). */
  next: SetupStepKey | null;
}
