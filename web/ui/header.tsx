/**
 * Top bar on every page: product name, the street this deployment covers (map page), the page
 * name (other pages), the street picker (when the caller sees several streets), the language
 * switch and the account menu.
 */
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { StreetPicker } from './street-picker';
import { UserMenu } from './user-menu';

export function Header({
  streetName = null,
  planId = null,
  page,
}: {
  streetName?: string | null;
  planId?: number | null;
  /** Name of a page other than the map, shown after the brand (which then links to the map). */
  page?: string;
}) {
  const { t, lang, setLang } = useI18n();
  // Phones (styles/phone.css): the language switch and account menu fold behind a menu button.
  const [menuOpen, setMenuOpen] = useState(false);
  const brand = (
    <>
      <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect x="2" y="2" width="28" height="28" rx="6" fill="#0F2A3A" stroke="#3FA7D6" strokeWidth="1.5" />
        <path d="M11 4v24M21 4v24M4 11h24M4 21h24" stroke="#3FA7D6" strokeWidth="1.2" opacity="0.7" />
        <rect x="12.5" y="12.5" width="7" height="7" fill="#009E73" />
      </svg>
      <span className="brand-name">{t('app.name')}</span>
      <span className="brand-en">GridAtlas</span>
    </>
  );
  return (
    <header className="app-header" data-testid="header">
      {page ? (
        <a className="brand brand-link" href="/" title={t('user.map')}>
          {brand}
        </a>
      ) : (
        <div className="brand">{brand}</div>
      )}
      {page && (
        <div className="header-page" data-testid="header-page">
          {page}
        </div>
      )}
      <StreetPicker
        fallback={
          streetName && (
            <div className="street" data-testid="street-name">
              <span className="street-dot" />
              {streetName}
            </div>
          )
        }
      />
      {!page && <div className="header-sub">{t('app.subtitle')}</div>}
      <div className="header-spacer" />
      {planId !== null && <div className="header-plan">{t('header.plan', { id: planId })}</div>}
      <button
        type="button"
        className="header-menu-button"
        data-testid="header-menu-button"
        aria-label={t('phone.menu')}
        aria-expanded={menuOpen}
        onClick={() => setMenuOpen((o) => !o)}
      >
        <span aria-hidden="true">☰</span>
      </button>
      {/* `display: contents` on wide screens: the tools sit in the bar as they always did. */}
      <div className={`header-tools${menuOpen ? ' open' : ''}`} data-testid="header-tools">
        <button
          type="button"
          className="lang-toggle"
          data-testid="lang-toggle"
          title={t('lang.toggleTitle')}
          onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t('lang.toggle')}
        </button>
        <UserMenu />
      </div>
    </header>
  );
}
