/**
 * `/qr-sheet?community=<code>[&kind=building|compound][&code=<one>]` — printable A4 sheets, one per
 * building or compound, with its "scan to report" QR code (signed link from
 * `GET /api/report-links`), its name and a short instruction (issue #18.3). Opened from /admin;
 * print CSS in styles/resident.css lays out one sheet per page.
 */
import { toString as qrSvg } from 'qrcode';
import { useEffect, useState } from 'react';
import { loginHref } from '../auth/next-path';
import { useSession } from '../auth/session';
import { getJson } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';

interface Link {
  code: string;
  label: string;
  compound?: string | null;
  path: string;
}
interface Links {
  community: string;
  buildings: Link[];
  compounds: Link[];
}
type Sheet = Link & { svg: string; url: string };

export function QrSheetPage() {
  const { t, lang } = useI18n();
  const { state } = useSession();
  const q = new URLSearchParams(location.search);
  const community = q.get('community') ?? '';
  const [kind, setKind] = useState<'building' | 'compound'>(q.get('kind') === 'compound' ? 'compound' : 'building');
  const only = q.get('code');
  const [links, setLinks] = useState<Links | null>(null);
  const [sheets, setSheets] = useState<Sheet[] | null>(null);
  const [communityName, setCommunityName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t('qr.sheetTitle')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    if (state.status === 'anonymous') location.replace(loginHref());
    if (state.status !== 'signed-in') return;
    getJson<Links>(`/api/report-links?community=${encodeURIComponent(community)}`).then(setLinks, (e: Error) => setError(localMessage(e.message, lang)));
    getJson<{ features: { properties: { code: string; name: string } }[] }>(`/api/layers/communities`).then(
      (fc) => setCommunityName(fc.features.find((f) => f.properties.code === community)?.properties.name ?? ''),
      () => {},
    );
  }, [state.status, community, lang]);
  useEffect(() => {
    if (!links) return;
    const list = (kind === 'compound' ? links.compounds : links.buildings).filter((l) => !only || l.code === only);
    void Promise.all(
      list.map(async (l) => {
        const url = `${location.origin}${l.path}`;
        return { ...l, url, svg: await qrSvg(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M', color: { dark: '#111111', light: '#ffffff' } }) };
      }),
    ).then(setSheets);
  }, [links, kind, only]);

  return (
    <div className="qr-app" data-testid="qr-sheet" data-state={sheets ? 'ready' : error ? 'error' : 'loading'} data-count={sheets?.length ?? 0}>
      <div className="qr-toolbar">
        <label>
          {t('qr.show')}{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as 'building' | 'compound')}>
            <option value="building">{t('qr.kind.building')}</option>
            <option value="compound">{t('qr.kind.compound')}</option>
          </select>
        </label>
        <span>{sheets ? t('qr.count', { n: sheets.length }) : t('resident.loading')}</span>
        <button type="button" className="rs-btn rs-primary" onClick={() => window.print()}>{t('qr.print')}</button>
      </div>
      {error && <p className="rs-alert">{error}</p>}
      {sheets?.map((s) => (
        <section key={s.code} className="qr-page" data-testid="qr-page">
          <p className="qr-brand">{t('app.name')} · {communityName}</p>
          <h1 className="qr-title">{t('qr.sheetTitle')}</h1>
          <h2 className="qr-place">{s.label}</h2>
          <div className="qr-code" dangerouslySetInnerHTML={{ __html: s.svg }} />
          <ol className="qr-steps">
            <li>{t('qr.step1')}</li>
            <li>{t('qr.step2')}</li>
            <li>{t('qr.step3')}</li>
          </ol>
          <p className="qr-footer">{t('qr.footer')}</p>
          <p className="qr-code-text">{s.code}</p>
        </section>
      ))}
    </div>
  );
}
