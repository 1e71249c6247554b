/** /admin tab "二维码": pick a community, open its printable A4 QR sheets (/qr-sheet, issue #18.3). */
import { useEffect, useState } from 'react';
import { fetchLayer } from '../../http/api-client';
import { useI18n } from '../../i18n/i18n';

export function QrLinks() {
  const { t } = useI18n();
  const [communities, setCommunities] = useState<{ code: string; name: string }[]>([]);
  const [community, setCommunity] = useState('');
  useEffect(() => {
    void fetchLayer('communities').then((fc) => {
      const list = fc.features.map((f) => ({ code: String(f.properties.code), name: String(f.properties.name) }));
      setCommunities(list);
      setCommunity((c) => c || list[0]?.code || '');
    });
  }, []);
  return (
    <div className="panel qr-admin" data-testid="qr-links">
      <p>{t('qr.intro')}</p>
      <label>
        {t('qr.community')}{' '}
        <select value={community} onChange={(e) => setCommunity(e.target.value)} data-testid="qr-community">
          {communities.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
        </select>
      </label>{' '}
      <a className="btn btn-primary" href={`/qr-sheet?community=${community}`} target="_blank" rel="noreferrer" data-testid="qr-open">{t('qr.open')}</a>
    </div>
  );
}
