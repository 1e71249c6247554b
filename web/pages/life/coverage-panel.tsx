/**
 * The coverage-audit side panel: level, category and community pickers, the headline share, tables
 * by category / community / grid, exports, and "where to add" proposals (planner/admin).
 */
import { useI18n } from '../../i18n/i18n';
import type { FacilityCategory } from '../../http/api-types';
import { type Aggregate, type CoverageReply, type SitesReply, type Standard, coverageExportUrl } from './life-api';

export interface AuditChoice { level: number; category: string; community: string }

interface Props {
  standard: Standard | null;
  categories: FacilityCategory[];
  communities: { code: string; name: string }[];
  choice: AuditChoice;
  onChoice: (c: AuditChoice) => void;
  coverage: CoverageReply | null;
  sites: SitesReply | null;
  canPropose: boolean;
  onPropose: () => void;
  busy: boolean;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function AggTable({ title, rows, names, testid }: { title: string; rows: Aggregate[]; names?: Map<string, string>; testid: string }) {
  const { t, num } = useI18n();
  return (
    <section className="life-agg" data-testid={testid}>
      <h4>{title}</h4>
      <table className="planner-table">
        <thead><tr><th>{t('life.colName')}</th><th>{t('life.colHouseholds')}</th><th>{t('life.colCovered')}</th><th>{t('life.colShare')}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td title={r.key}>{names?.get(r.key) ?? r.name}</td>
              <td>{num(r.households)}</td>
              <td>{num(r.coveredHouseholds)}</td>
              <td><span className="life-bar"><i style={{ width: pct(r.share) }} /></span>{pct(r.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CoveragePanel({ standard, categories, communities, choice, onChoice, coverage, sites, canPropose, onPropose, busy }: Props) {
  const { t, lang, num } = useI18n();
  const catName = new Map(categories.map((c) => [c.code, lang === 'en' ? c.nameEn : c.name]));
  const level = standard?.levels.find((l) => l.level === choice.level);
  const exportUrl = (f: 'csv' | 'xlsx' | 'geojson') => coverageExportUrl(f, choice.level, choice.category || undefined, choice.community || undefined);
  return (
    <div className="life-coverage" data-testid="life-coverage">
      <div className="life-form">
        <label>{t('life.level')}
          <select value={choice.level} data-testid="life-level" onChange={(e) => onChoice({ ...choice, level: Number(e.target.value), category: '' })}>
            {(standard?.levels ?? []).map((l) => <option key={l.level} value={l.level}>{lang === 'en' ? l.nameEn : l.name}（{l.distanceM} m）</option>)}
          </select>
        </label>
        <label>{t('life.category')}
          <select value={choice.category} data-testid="life-category-select" onChange={(e) => onChoice({ ...choice, category: e.target.value })}>
            <option value="">{t('life.allRequired')}</option>
            {(level?.categories ?? []).map((c) => <option key={c} value={c}>{catName.get(c) ?? c}</option>)}
          </select>
        </label>
        <label>{t('life.community')}
          <select value={choice.community} onChange={(e) => onChoice({ ...choice, community: e.target.value })}>
            <option value="">{t('life.allCommunities')}</option>
            {communities.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </label>
      </div>
      {coverage && (
        <>
          <div className="life-headline" data-testid="life-share">
            <div className="life-big">{pct(coverage.totals.share)}</div>
            <div>
              <div>{t('life.share')}</div>
              <div className="life-muted">{t('life.covered', { c: num(coverage.totals.coveredHouseholds), t: num(coverage.totals.households) })}</div>
              <div className="life-muted">{t('life.uncoveredBuildings', { n: coverage.totals.uncoveredBuildings })} · {t('life.auditTime', { ms: coverage.ms })}</div>
            </div>
          </div>
          <div className="life-actions">
            <span>{t('life.export')}:</span>
            {(['csv', 'xlsx', 'geojson'] as const).map((f) => <a key={f} className="btn btn-small" href={exportUrl(f)} download data-testid={`life-export-${f}`}>{f.toUpperCase()}</a>)}
            <button type="button" className="btn-small" data-testid="life-propose" disabled={!canPropose || !choice.category || busy} onClick={onPropose}
              title={!canPropose ? t('life.proposeNeedsRole') : !choice.category ? t('life.proposeNeedsCategory') : ''}>
              {t('life.propose')} · {t('life.proposeK', { k: 3 })}
            </button>
          </div>
          {sites && (
            <ol className="life-sites" data-testid="life-sites">
              {sites.sites.map((s) => <li key={s.rank}>{t('life.site', { n: s.rank, g: num(s.gainHouseholds), b: s.gainBuildings, s: pct(s.shareAfter) })}</li>)}
            </ol>
          )}
          <AggTable title={t('life.byCategory')} rows={coverage.byCategory} names={catName} testid="life-agg-category" />
          <AggTable title={t('life.byCommunity')} rows={coverage.byCommunity} testid="life-agg-community" />
          <AggTable title={t('life.byGrid')} rows={coverage.byGrid} testid="life-agg-grid" />
        </>
      )}
    </div>
  );
}
