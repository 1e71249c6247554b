/**
 * `/screen/district[?district=<6-digit>]` — the district wall screen (区县大屏, issue #15.4): every
 * street of a district (no parameter: of every district the caller sees) side by side on the
 * 1920×1080 stage of /screen, with the district's totals on top, a map of its streets coloured by
 * their share of grids in the band, and one tile per street; a click on a street (tile or map)
 * opens its own wall screen `/screen?street=<code>`. Figures refresh every minute, an offline
 * mark shows when the server is unreachable. More than 24 streets page through every 20 s. On a
 * portrait phone the totals and tiles are stacked in a scrolling column instead of the stage.
 */
import { useEffect, useMemo, useState } from 'react';
import { districtFromSearch, type DistrictScreen, type DistrictStreet } from '../http/district-screen-api';
import { useI18n } from '../i18n/i18n';
import { markReady } from '../map/readiness';
import { BAND_COLORS } from '../map/palette';
import { DistrictMap } from '../screen/district/district-map';
import { TILES_PER_PAGE, tileGrid } from '../screen/district/district-layout';
import { StreetTile } from '../screen/district/street-tile';
import { useDistrictData } from '../screen/district/use-district-data';
import { Panel } from '../screen/panel';
import { ScreenHeader } from '../screen/screen-header';
import { Stage, useStageScale } from '../screen/stage';

/** Inner sizes of the two panels (design pixels, see styles/district-screen.css). */
const MAP_W = 672;
const MAP_H = 764;
const TILES_W = 1124;
const TILES_H = 764;
const PAGE_MS = 20_000;

function totals(streets: DistrictStreet[]) {
  const sum = (f: (s: DistrictStreet) => number) => streets.reduce((a, s) => a + f(s), 0);
  return {
    streets: streets.length,
    households: sum((s) => s.households),
    grids: sum((s) => s.grids),
    inBand: sum((s) => s.inBandGrids),
    under: sum((s) => s.underGrids),
    over: sum((s) => s.overGrids),
    open: sum((s) => s.openRequests),
    overdue: sum((s) => s.overdueRequests),
  };
}

function usePage(count: number): number {
  const pages = Math.max(1, Math.ceil(count / TILES_PER_PAGE));
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (pages <= 1) return;
    const id = setInterval(() => setPage((p) => (p + 1) % pages), PAGE_MS);
    return () => clearInterval(id);
  }, [pages]);
  return page % pages;
}

/** A portrait phone: the stage would shrink to a third; the figures are stacked instead. */
function usePhone(): boolean {
  const narrow = () => window.innerWidth < 700 && window.innerHeight > window.innerWidth;
  const [phone, setPhone] = useState(narrow);
  useEffect(() => {
    const onResize = () => setPhone(narrow());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return phone;
}

function titleOf(screen: DistrictScreen | null, fallback: string): string {
  if (screen?.districts.length === 1) return screen.districts[0].name ?? fallback;
  return fallback;
}

export function DistrictScreenPage() {
  const { t, num } = useI18n();
  const scale = useStageScale();
  const phone = usePhone();
  const district = useMemo(() => districtFromSearch(location.search), []);
  const data = useDistrictData(district);
  const rows = useMemo(
    () => (data.screen?.districts ?? []).flatMap((d) => d.streets.map((s) => ({ s, district: d.name }))),
    [data.screen],
  );
  const streets = useMemo(() => rows.map((r) => r.s), [rows]);
  const bbox = useMemo(() => {
    const boxes = (data.screen?.districts ?? []).map((d) => d.bbox).filter((b) => b !== null);
    if (boxes.length === 0) return null;
    return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))] as [number, number, number, number];
  }, [data.screen]);
  const page = usePage(rows.length);
  const pages = Math.max(1, Math.ceil(rows.length / TILES_PER_PAGE));
  const shown = rows.slice(page * TILES_PER_PAGE, (page + 1) * TILES_PER_PAGE);
  const grid = tileGrid(shown.length, TILES_W, TILES_H);
  const sum = totals(streets);
  const name = titleOf(data.screen, t('district.all'));

  useEffect(() => {
    document.title = `${name} · ${t('district.title')}`;
  }, [name, t]);
  useEffect(() => markReady(data.screen ? 'true' : data.error ? 'error' : null), [data.screen, data.error]);

  const kpis: { key: string; label: string; value: string; color?: string }[] = [
    { key: 'streets', label: t('district.kpi.streets'), value: num(sum.streets) },
    { key: 'households', label: t('district.kpi.households'), value: num(sum.households) },
    { key: 'grids', label: t('district.kpi.grids'), value: num(sum.grids) },
    { key: 'inBand', label: t('district.kpi.inBand'), value: num(sum.inBand), color: BAND_COLORS.in },
    { key: 'under', label: t('district.kpi.under'), value: num(sum.under), color: BAND_COLORS.under },
    { key: 'over', label: t('district.kpi.over'), value: num(sum.over), color: BAND_COLORS.over },
    { key: 'open', label: t('district.kpi.open'), value: num(sum.open) },
    { key: 'overdue', label: t('district.kpi.overdue'), value: num(sum.overdue), color: sum.overdue > 0 ? '#ff5a5a' : undefined },
  ];
  const kpiTiles = kpis.map((k) => (
    <div key={k.key} className="ds-kpi" data-kpi={k.key}>
      <b style={k.color ? { color: k.color } : undefined}>{k.value}</b>
      <span>{k.label}</span>
    </div>
  ));

  if (phone) {
    return (
      <div className="ds-phone" data-testid="district-screen">
        <header className="ds-phone-head">
          <h1>{name}</h1>
          <div>{t('district.title')}</div>
          <span className={`sh-status ${data.offline ? 'offline' : 'online'}`} data-testid="connection" data-state={data.offline ? 'offline' : 'online'}>
            <i />
            {data.offline ? t('screen.offline') : t('screen.online')}
          </span>
        </header>
        {data.screen === null ? (
          <div className="ds-phone-status" data-testid="district-status">
            {data.error ? t('district.error', { message: data.error }) : t('district.loading')}
          </div>
        ) : (
          <>
            <div className="ds-kpis" data-testid="district-kpis">{kpiTiles}</div>
            {rows.map((r) => (
              <StreetTile key={r.s.code} street={r.s} district={(data.screen?.districts.length ?? 0) > 1 ? r.district : null} compact />
            ))}
          </>
        )}
      </div>
    );
  }

  return (
    <Stage scale={scale}>
      <div className="ds" data-testid="district-screen">
        <ScreenHeader streetName={name} title={t('district.title')} subtitle={t('district.subtitle')} updatedAt={data.updatedAt} offline={data.offline} touring={null} picker={false} />
        {data.screen === null ? (
          <div className="screen-loading" data-testid="district-status">
            {data.error ? t('district.error', { message: data.error }) : t('district.loading')}
          </div>
        ) : (
          <>
            <div className="ds-kpis" data-testid="district-kpis">{kpiTiles}</div>
            <Panel id="district-map" title={t('district.panel.map')} className="ds-map">
              <DistrictMap streets={streets} bbox={bbox} width={MAP_W} height={MAP_H} />
            </Panel>
            <Panel
              id="district-streets"
              title={t('district.panel.streets')}
              className="ds-tiles"
              extra={pages > 1 ? t('district.page', { page: page + 1, pages }) : undefined}
            >
              {rows.length === 0 ? (
                <div className="ds-empty">{t('district.empty')}</div>
              ) : (
                <div className="ds-grid" style={{ gridTemplateColumns: `repeat(${grid.cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${grid.rows}, minmax(0, 1fr))` }}>
                  {shown.map((r) => (
                    <StreetTile key={r.s.code} street={r.s} district={(data.screen?.districts.length ?? 0) > 1 ? r.district : null} compact={grid.cols * grid.rows > 6} />
                  ))}
                </div>
              )}
            </Panel>
          </>
        )}
      </div>
    </Stage>
  );
}
