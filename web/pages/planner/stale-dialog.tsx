/** Shown when the server rejected an edit because the plan changed elsewhere (a stale version). */
import { useI18n } from '../../i18n/i18n';
import { Dialog } from '../../ui/dialog';

export function StaleDialog({ onClose, onReload }: { onClose: () => void; onReload: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('planner.stale.title')} onClose={onClose} testId="stale-dialog">
      <p>{t('planner.stale.body')}</p>
      <button type="button" className="btn btn-primary" data-testid="stale-reload" onClick={onReload}>{t('planner.stale.reload')}</button>
    </Dialog>
  );
}
