/**
 * `/planner`: edit a draft grid plan of one community (Districtr-like). The plan bar
 * (planner/plan-bar.tsx: plan list, new draft, open, partition) over the open plan's editor
 * (planner/plan-editor.tsx: toolbar, map, tallies, validation, diff, undo/redo, publish).
 * Read-only for signed-in users without the planner or admin role.
 */
import { useCallback, useEffect, useState } from 'react';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { ApiError, fetchLayer } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import { Header } from '../ui/header';
import { PlanBar, type CommunityFeature } from './planner/plan-bar';
import { createPlan, listPlans, type PlanSummary } from './planner/plan-api';
import { PlanEditor } from './planner/plan-editor';

export function PlannerPage() {
  const session = useSession();
  const { t, lang } = useI18n();
  const { state, me } = session;

  useEffect(() => {
    if (state.status === 'anonymous') location.replace('/login?next=%2Fplanner');
  }, [state.status]);

  const canEdit = hasRole(me, 'planner') || hasRole(me, 'admin');
  const isAdmin = hasRole(me, 'admin');
  const myCommunity = me?.roles.find((g) => g.role === 'planner' && g.scopeType === 'community')?.scopeCode;

  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [communities, setCommunities] = useState<CommunityFeature[]>([]);
  const [community, setCommunity] = useState<string | null>(null);
  // `?plan=<id>` opens that plan (the set-up page's "review" link).
  const [openId, setOpenId] = useState<number | null>(() => Number(new URLSearchParams(location.search).get('plan')) || null);

  const showError = useCallback((e: unknown) => {
    if (e instanceof ApiError) {
      const [zh, en] = e.message.split(' / ');
      setError(lang === 'en' ? (en ?? zh) : zh);
    } else setError(String(e));
  }, [lang]);

  const reloadPlans = useCallback(() => listPlans().then(setPlans, showError), [showError]);
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    void reloadPlans();
    fetchLayer('communities').then((fc) => {
      const list = fc.features as CommunityFeature[];
      setCommunities(list);
      setCommunity((c) => c ?? myCommunity ?? list[0]?.properties.code ?? null);
    }, showError);
  }, [state.status, reloadPlans, showError, myCommunity]);

  const newDraft = async () => {
    setError(null);
    try {
      const { id } = await createPlan(isAdmin ? (community ?? undefined) : myCommunity, 'published');
      await reloadPlans();
      setOpenId(id);
    } catch (e) {
      showError(e);
    }
  };

  if (state.status !== 'signed-in') {
    return (
      <div className="app planner-page" data-testid="planner-page" data-state={state.status}>
        <Header page={t('planner.title')} />
      </div>
    );
  }

  return (
    <div className="app planner-page" data-testid="planner-page" data-state="ready" data-can-edit={canEdit}>
      <Header page={t('planner.title')} />
      <PlanBar
        plans={plans}
        openId={openId}
        onOpen={setOpenId}
        communities={communities}
        community={community}
        onCommunity={setCommunity}
        canEdit={canEdit}
        isAdmin={isAdmin}
        myCommunity={myCommunity}
        onNewDraft={() => void newDraft()}
        onOpenDraft={(id) => { void reloadPlans(); setOpenId(id); }}
        error={error}
      />
      {openId !== null ? (
        <PlanEditor
          key={openId}
          id={openId}
          canEdit={canEdit}
          fallbackCommunity={community ?? myCommunity ?? null}
          communities={communities}
          onChanged={() => { setError(null); void reloadPlans(); }}
          onError={showError}
        />
      ) : (
        <div className="planner-empty">{t('planner.empty')}</div>
      )}
    </div>
  );
}
