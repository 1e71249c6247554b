/**
 * `/import` for admins and planners: choose a file and a target layer, confirm the coordinate
 * system (detected, but lng/lat offsets must be confirmed), adjust the column mapping, dry-run
 * (counts, per-row errors, a map preview), then import with an upload progress bar.
 */
import { useState } from 'react';
import { withStreet } from '../http/api-client';
import { type Lang, useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import { PlanningPage } from '../ui/planning-page';
import { BoundarySummary } from './import/boundary-summary';
import { MappingTable } from './import/mapping-table';
import { RowTable } from './import/row-table';
import { PreviewMap } from './import/preview-map';
import { CRS_CHOICES, IMPORT_LAYERS, type ImportLayer, type ImportResult } from './import/types';
import { type ImportProgress, uploadImport } from './import/upload';

export function ImportPage() {
  return (
    <PlanningPage title="import.title" forbidden="import.forbidden" testId="import">
      <ImportConsole />
    </PlanningPage>
  );
}

/** A detected system as the picker names it (its id when the picker does not offer it). */
function crsLabel(id: string | null, lang: Lang): string {
  if (!id) return '?';
  const c = CRS_CHOICES.find((x) => x.id === id);
  return c ? (lang === 'en' ? c.en : c.zh) : id;
}

type Phase = { kind: 'idle' } | { kind: 'uploading'; pct: number } | { kind: 'server'; pct: number; stage: string; detail: string };

/**
 * The importer itself (file, layer, CRS, mapping, dry run, preview, progress). `/import` shows it
 * whole; the set-up page (`/setup`) embeds it once per step with the step's layer fixed and a
 * callback after each write.
 */
export function ImportConsole({ fixedLayer, onWritten }: {
  fixedLayer?: ImportLayer;
  onWritten?: (result: ImportResult) => void;
} = {}) {
  const { t, lang } = useI18n();
  /** The server's stage (`reading:<bytes>`, `mapping:<done>/<total>` …) in words. */
  const stageText = (p: { pct: number; stage: string; detail: string }) => {
    const key = `import.stage.${p.stage}`;
    const known = ['reading', 'parsed', 'mapping', 'staging', 'checking', 'writing'].includes(p.stage);
    const detail = p.stage === 'reading' ? `${(Number(p.detail) / 1048576).toFixed(1)} MB` : p.detail;
    return `${known ? t(key as 'import.stage.reading', { detail }) : t('import.checking')} · ${p.pct}%`;
  };
  const [file, setFile] = useState<File | null>(null);
  const [layer, setLayer] = useState<ImportLayer>(fixedLayer ?? 'buildings');
  const [crs, setCrs] = useState('');
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function reset() {
    setResult(null);
    setMapping(null);
    setDone(null);
    setError(null);
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setDone(null);
    setPhase({ kind: 'uploading', pct: 0 });
    try {
      const query: Record<string, string> = { layer };
      if (crs) query.crs = crs;
      if (dryRun) query.dryRun = '1';
      const onProgress = (p: ImportProgress) => setPhase(p.phase === 'uploading'
        ? { kind: 'uploading', pct: Math.round(p.fraction * 100) }
        : { kind: 'server', pct: Math.round(p.fraction * 100), stage: p.stage, detail: p.detail });
      const r = await uploadImport(file, query, mapping, onProgress);
      setResult(r);
      if (!crs && r.crs.guess?.crs) setCrs(r.crs.guess.crs);
      if (r.written) {
        setDone(t('import.done', { inserts: r.counts.inserts, updates: r.counts.updates, ms: r.ms }));
        onWritten?.(r);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPhase({ kind: 'idle' });
    }
  }

  const busy = phase.kind !== 'idle';
  const canImport = !!result && result.dryRun && result.counts.valid > 0 && !busy;
  const shownMapping = mapping ?? result?.mapping ?? {};
  return (
    <>
      {!fixedLayer && (
        <div className="page-head">
          <h1 className="page-title">{t('import.title')}</h1>
        </div>
      )}
      <section className="panel import-form" data-testid="import-form">
        <label className="field">
          <span>{t('import.file')}</span>
          {/* The browser's own file button speaks the browser's language: a translated one over it. */}
          <span className="import-file-pick">
            <input type="file" className="import-file-input" accept=".geojson,.json,.js,.zip,.csv,.txt,.xlsx,.osm,.xml,.pbf,.osm.pbf" data-testid="import-file"
              onChange={(e) => { setFile(e.target.files?.[0] ?? null); setCrs(''); reset(); }} />
            <span className="btn">{t('import.choose')}</span>
            <span className={file ? 'import-file-name' : 'import-file-name dim'} data-testid="import-file-name">{file?.name ?? t('import.noFile')}</span>
          </span>
          <span className="dim">{t('import.fileHint')}</span>
        </label>
        {!fixedLayer && (
          <label className="field">
            <span>{t('import.layer')}</span>
            <select value={layer} data-testid="import-layer" onChange={(e) => { setLayer(e.target.value as ImportLayer); reset(); }}>
              {IMPORT_LAYERS.map((l) => <option key={l} value={l}>{t(`import.layer.${l}`)}</option>)}
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('import.crs')}</span>
          <span className="import-crs-pick">
            <select value={crs} data-testid="import-crs" onChange={(e) => setCrs(e.target.value)}>
              <option value="">{t('import.crs.auto')}</option>
              {CRS_CHOICES.map((c) => <option key={c.id} value={c.id}>{lang === 'en' ? c.en : c.zh}</option>)}
              {crs && !CRS_CHOICES.some((c) => c.id === crs) && <option value={crs}>{crs}</option>}
            </select>
            <input type="text" className="import-crs-code" value={CRS_CHOICES.some((c) => c.id === crs) ? '' : crs} placeholder={t('import.crs.code')}
              aria-label={t('import.crs.code')} data-testid="import-crs-code" onChange={(e) => setCrs(e.target.value.trim())} />
          </span>
          {result?.crs.guess && <span className="dim" data-testid="import-crs-suggested">{t('import.crs.suggested', { crs: crsLabel(result.crs.guess.crs, lang) })}</span>}
        </label>
        <div className="import-actions">
          <button type="button" className="btn" disabled={!file || busy} onClick={() => void run(true)} data-testid="import-dry-run">{t('import.dryRun')}</button>
          <button type="button" className="btn btn-primary" disabled={!canImport} onClick={() => void run(false)} data-testid="import-run">{t('import.run')}</button>
          {layer !== 'boundaries' && !fixedLayer && <a className="btn" href={withStreet(`/api/export/${layer === 'walk' ? 'roads' : layer}?format=xlsx`)}>{t('import.export')}</a>}
        </div>
        {busy && (
          <div className="import-progress" data-testid="import-progress">
            <progress max={100} value={phase.pct} data-testid="import-progress-bar" />
            <span data-testid="import-progress-text">{phase.kind === 'uploading' ? t('import.uploading', { pct: phase.pct }) : phase.kind === 'server' ? stageText(phase) : ''}</span>
          </div>
        )}
        {error && <p className="form-error" role="alert" data-testid="import-error">{localMessage(error, lang)}</p>}
        {done && <p className="form-ok" data-testid="import-done">{done}</p>}
      </section>

      {result && (
        <div className="import-result" data-testid="import-result">
          <section className="panel">
            <p data-testid="import-counts">{t('import.counts', { ...result.counts })}</p>
            {result.encoding && <p className="dim" data-testid="import-encoding">{t('import.encoding', { enc: result.encoding })}</p>}
            {result.crs.label && <p data-testid="import-crs-used">{t(result.crs.prj ? 'import.crs.prj' : 'import.crs.used', { label: result.crs.label, prj: result.crs.prj?.name ?? '' })}</p>}
            {result.crs.guess?.confirm && <p className="form-warning" data-testid="import-crs-confirm">{t('import.crs.confirm')}</p>}
            {result.outside && result.outside.count > 0 && (
              <p className="form-warning" data-testid="import-outside">{t('import.outside', { count: result.outside.count, rows: result.outside.rows.slice(0, 20).join(', ') + (result.outside.count > 20 ? ' …' : '') })}</p>
            )}
            <h2>{t('import.mapping')} <span className="dim">({t(`import.mapping.source.${result.mappingSource}`)})</span></h2>
            <MappingTable fields={result.fields} columns={result.columns} mapping={shownMapping} onChange={setMapping} />
          </section>
          <section className="panel import-preview">
            <h2>{t('import.preview')}</h2>
            {result.preview.features.length ? <PreviewMap preview={result.preview} /> : <p className="dim">{t('import.previewEmpty')}</p>}
          </section>
          {result.errors.length > 0 && <RowTable title={t('import.errors')} rows={result.errors} fields={result.fields} testId="import-errors" />}
          {result.warnings?.length > 0 && <RowTable title={t('import.warnings')} rows={result.warnings} fields={result.fields} testId="import-warnings" />}
          {result.repaired.length > 0 && (
            <section className="panel">
              <h2>{t('import.repaired')}</h2>
              <ul>{result.repaired.map((r) => <li key={r.row}>{t('import.row')} {r.row}: {r.reason}</li>)}</ul>
            </section>
          )}
          {result.boundaries && <BoundarySummary report={result.boundaries} />}
          {result.skipped && result.skipped.length > 0 && (
            <section className="panel">
              <h2>{t('import.skipped')}</h2>
              <ul data-testid="import-skipped">{result.skipped.map((s) => <li key={s.osmId} className={s.kept ? 'dim' : undefined}>{lang === 'en' ? s.en : s.zh}</li>)}</ul>
            </section>
          )}
        </div>
      )}
    </>
  );
}
