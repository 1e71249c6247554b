/**
 * Publish a draft: a reason is required when the server's validation found errors. A community
 * plan publishes its community only (the rest of the street stays as published); the dialog says so.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Dialog } from '../../ui/dialog';
import { publishPlan, type Validation } from './plan-api';

export function PublishDialog({ id, community, validation, onClose, onDone }: {
  id: number;
  /** The plan's community (a community plan), or null for a street-wide plan. */
  community: string | null;
  validation: Validation | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const errors = validation?.errors ?? 0;
  const submit = async () => {
    try {
      await publishPlan(id, reason.trim() || undefined);
      onDone();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const [zh, en] = msg.split(' / ');
      setErr(lang === 'en' ? (en ?? zh) : zh);
    }
  };
  return (
    <Dialog title={t('planner.publish.title')} onClose={onClose} testId="publish-dialog">
      {community && <p data-testid="publish-scope">{t('planner.publish.scope', { community })}</p>}
      <p>{t('planner.publish.counts', { errors, warnings: validation?.warnings ?? 0 })}</p>
      <ul className="planner-problems">
        {(validation?.problems ?? []).filter((p) => p.severity === 'error').slice(0, 10).map((p, i) => (
          <li key={i} className="problem-error">{lang === 'en' ? p.message.en : p.message.zh}</li>
        ))}
      </ul>
      <label className="field">
        {errors > 0 ? t('planner.publish.needReason') : t('planner.publish.reason')}
        <textarea data-testid="publish-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {err && <p className="planner-error">{err}</p>}
      <button type="button" className="btn btn-primary" data-testid="publish-submit" disabled={errors > 0 && !reason.trim()} onClick={() => void submit()}>
        {t('planner.publish.submit')}
      </button>
    </Dialog>
  );
}
