/** The planner's plan bar: choose a plan, the community of a new draft (admins), new draft, partition, errors. */
import { useState } from 'react';
import type { CommunityProps } from '../../http/api-types';
import { useI18n } from '../../i18n/i18n';
import { PartitionPanel } from './partition-panel';
import type { PlanSummary } from './plan-api';

export type CommunityFeature = GeoJSON.Feature<GeoJSON.Geometry, CommunityProps>;

export interface PlanBarProps {
  plans: PlanSummary[] | null;
  openId: number | null;
  onOpen: (id: number | null) => void;
  communities: CommunityFeature[];
  community: string | null;
  onCommunity: (code: string) => void;
  canEdit: boolean;
  isAdmin: boolean;
  /** The community of a planner scoped to one (fixed in the partition panel for non-admins). */
  myCommunity: string | undefined;
  onNewDraft: () => void;
  /** A draft made by the partition panel: reload the list and open it. */
  onOpenDraft: (id: number) => void;
  error: string | null;
}

export function PlanBar(p: PlanBarProps) {
  const { t } = useI18n();
  const [partitionOpen, setPartitionOpen] = useState(false);
  return (
    <div className="planner-bar panel" data-testid="plan-bar">
      <select data-testid="plan-select" value={p.openId ?? ''} onChange={(e) => p.onOpen(e.target.value ? Number(e.target.value) : null)}>
        <option value="">{t('planner.choosePlan')}</option>
        {(p.plans ?? []).map((plan) => (
          <option key={plan.id} value={plan.id}>
            #{plan.id} {plan.name} · {t(`planner.status.${plan.status}`)} · v{plan.version}
            {plan.communityCode ? ` · ${plan.communityCode}` : ''}
          </option>
        ))}
      </select>
      {p.canEdit && p.isAdmin && (
        <select data-testid="plan-community" value={p.community ?? ''} onChange={(e) => p.onCommunity(e.target.value)}>
          {p.communities.map((c) => (
            <option key={c.properties.code} value={c.properties.code}>
              {c.properties.name}
            </option>
          ))}
        </select>
      )}
      {p.canEdit && (
        <button type="button" className="btn btn-primary" data-testid="plan-new" onClick={p.onNewDraft}>
          {t('planner.newDraft')}
        </button>
      )}
      {p.canEdit && <button type="button" className="btn" data-testid="partition-open-panel" onClick={() => setPartitionOpen(true)}>{t('partition.open')}</button>}
      {partitionOpen && <PartitionPanel sourcePlanId={p.openId} communities={p.communities.map((f) => f.properties)} defaultCommunity={p.community} fixedCommunity={p.isAdmin ? undefined : p.myCommunity} onClose={() => setPartitionOpen(false)} onOpenDraft={(id) => { setPartitionOpen(false); p.onOpenDraft(id); }} />}
      {!p.canEdit && <span className="planner-readonly" data-testid="planner-readonly">{t('planner.readonly')}</span>}
      {p.error && <span className="planner-error" data-testid="planner-error">{p.error}</span>}
    </div>
  );
}
