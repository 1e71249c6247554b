/**
 * `/screen` placeholder until the wall screen ships: says so and shows who is signed in (a kiosk
 * link opens a read-only `screen` session and lands here).
 */
import { roleNames } from '../auth/roles';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Header } from '../ui/header';

export function ScreenPage() {
  const { t } = useI18n();
  const { state } = useSession();
  return (
    <div className="app">
      <Header page={t('role.screen')} />
      <main className="page-center">
        <div className="notice-card panel" data-testid="screen-placeholder">
          <h1 className="notice-title">{t('screen.title')}</h1>
          <p>{t('screen.body')}</p>
          <p className="dim" data-testid="screen-who" data-state={state.status}>
            {state.status === 'signed-in'
              ? t('screen.who', { name: state.me.displayName, roles: roleNames(state.me, t).join('、') })
              : state.status === 'loading'
                ? t('common.loading')
                : t('screen.anonymous')}
          </p>
        </div>
      </main>
    </div>
  );
}
