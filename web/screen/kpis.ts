/**
 * The KPI panel's tiles, in order. Data-driven: a new figure is one line here (plus its label in
 * web/i18n/screen.*.ts). `value` gets the scope's figures and the raw summary, so a figure served
 * later (e.g. the 10-minute life-circle coverage share, resident requests) can read its own
 * field; `null` shows "—".
 *
 * The last three are street-wide figures from other services (web/http/screen-api.ts).
 */
import type { ScreenSummary } from '../http/screen-api';
import type { MessageKey } from '../i18n/zh-cn';
import type { Figures } from './figures';

export interface KpiDef {
  id: string;
  label: MessageKey;
  /** `count` with a unit after the number, or `percent` (value 0…1). */
  format: 'count' | 'percent';
  unit?: MessageKey;
  value: (f: Figures, s: ScreenSummary) => number | null;
  /** A small second line under the number, e.g. the basic/dedicated split. */
  detail?: (f: Figures, t: (k: MessageKey, p?: Record<string, string | number>) => string, s: ScreenSummary) => string;
  /** Highlight colour of the number. */
  tone?: 'cyan' | 'gold' | 'red' | 'green';
}

export const KPIS: KpiDef[] = [
  { id: 'communities', label: 'screen.kpi.communities', format: 'count', unit: 'screen.unit.items', value: (f) => f.communities },
  {
    id: 'grids',
    label: 'screen.kpi.grids',
    format: 'count',
    unit: 'screen.unit.items',
    value: (f) => f.gridsBasic + f.gridsDedicated,
    detail: (f, t) => t('screen.kpi.gridsSplit', { basic: f.gridsBasic, dedicated: f.gridsDedicated }),
  },
  { id: 'buildings', label: 'screen.kpi.buildings', format: 'count', unit: 'screen.unit.buildings', value: (f) => f.buildings },
  { id: 'households', label: 'screen.kpi.households', format: 'count', unit: 'screen.unit.households', value: (f) => f.households },
  { id: 'residents', label: 'screen.kpi.residents', format: 'count', unit: 'screen.unit.people', value: (f) => f.residents },
  { id: 'partyMembers', label: 'screen.kpi.partyMembers', format: 'count', unit: 'screen.unit.people', value: (f) => f.partyMembers, tone: 'red' },
  { id: 'partyCenters', label: 'screen.kpi.partyCenters', format: 'count', unit: 'screen.unit.households', value: (f) => f.partyCenters, tone: 'red' },
  { id: 'facilities', label: 'screen.kpi.facilities', format: 'count', unit: 'screen.unit.items', value: (f) => f.facilities },
  { id: 'inBand', label: 'screen.kpi.inBand', format: 'percent', value: (f) => f.inBandShare, tone: 'green' },
  { id: 'lifeCircle', label: 'screen.kpi.lifeCircle', format: 'percent', value: (_f, s) => s.lifeCircle?.share ?? null, detail: (_f, t) => t('screen.kpi.lifeCircleDetail', { minutes: 10 }), tone: 'green' },
  {
    id: 'partyReach', label: 'party.kpi.reach', format: 'percent', value: (_f, s) => (s.partyReach?.households ? s.partyReach.share : null), tone: 'red',
    detail: (_f, t, s) => (s.partyReach ? t('party.kpi.reachSub', { distance: s.partyReach.distanceM }) : ''),
  },
  { id: 'requestsOpen', label: 'screen.kpi.requestsOpen', format: 'count', unit: 'screen.unit.cases', value: (_f, s) => s.requests?.open ?? null, tone: 'gold' },
  { id: 'satisfaction', label: 'screen.kpi.satisfaction', format: 'percent', value: (_f, s) => s.requests?.satisfaction.satisfiedShare ?? null, tone: 'green' },
];
