/**
 * Import a file from the command line (both backends; same checks as the upload page):
 *   npm run import -- <file> --layer <buildings|households|facilities|compounds|walk|boundaries> [--crs gcj02|bd09|wgs84|EPSG:4527 …]
 *                    [--dry-run] [--mapping '{"building":"楼栋号",…}'] [--source amap|baidu|…] [--osm-levels 2,6,8]
 *   (`--file <file>` may stand for the positional file)
 * <file>: .geojson/.json, .zip (shapefile), .csv, .xlsx, .osm or .osm.pbf (format by name).
 * Prints counts and the per-row errors (and OSM objects skipped, with why); the write is one
 * transaction. Exit code 1 when nothing could be imported, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { IMPORT_LAYERS, type ImportLayer } from '../data/import/types.js';
import { ImportFileError } from '../data/import/read-file.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { ensureStandards } from '../data/seed.js';
import { audit } from '../server/repos/audit.repo.js';
import { ImportRequestError, runImport } from '../server/services/import/run-import.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    layer: { type: 'string' }, crs: { type: 'string' }, 'dry-run': { type: 'boolean', default: false },
    mapping: { type: 'string' }, source: { type: 'string' }, file: { type: 'string' }, 'osm-levels': { type: 'string' },
  },
});
const path = values.file ?? positionals[0];
const osmLevels = values['osm-levels']?.split(',').map(Number);
const layer = values.layer as ImportLayer;
if (!path || !IMPORT_LAYERS.includes(layer)) {
  console.error(`用法 / usage: npm run import -- <file> --layer <${IMPORT_LAYERS.join('|')}> [--crs …] [--dry-run] [--mapping JSON] [--osm-levels 2,6,8]`);
  process.exit(2);
}
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
// Facility categories (the standard) for a database set up without the demo street.
await ensureStandards(db);
let code = 0;
try {
  const result = await runImport(db, {
    filename: basename(path), bytes: readFileSync(path), layer, crs: values.crs,
    mapping: values.mapping ? JSON.parse(values.mapping) : undefined, hint: values.source as never,
    dryRun: values['dry-run'], osmLevels, allowedCommunities: null, actor: 'cli',
  });
  const c = result.counts;
  console.log(`${result.dryRun ? '试导入 dry run' : '已导入 imported'}: ${path} → ${layer} (${result.format}${result.encoding ? `, ${result.encoding}` : ''}) in ${result.ms} ms`);
  console.log(`  坐标系 CRS: ${result.crs.used ?? '—'}${result.crs.guess ? ` (detected; ${result.crs.guess.reason.en})` : ''}`);
  console.log(`  映射 mapping (${result.mappingSource}): ${JSON.stringify(result.mapping)}`);
  console.log(`  records ${c.records} · valid ${c.valid} · insert ${c.inserts} · update ${c.updates} · repaired ${c.repaired} · errors ${c.errors}${c.nodes !== undefined ? ` · new nodes ${c.nodes}` : ''}${c.skipped ? ` · skipped ${c.skipped}` : ''}`);
  if (result.boundaries) {
    const b = result.boundaries;
    console.log(`  边界 boundaries: new ${b.counts.new} · updated ${b.counts.updated} · unchanged ${b.counts.unchanged}`);
    for (const e of b.boundaries) console.log(`    ${e.level.padEnd(9)} ${e.code} ${e.name} ← ${e.parent ?? '—'} (${e.status}${e.parentBy ? `, parent by ${e.parentBy}` : ''})`);
    console.log(`  楼栋改属社区 buildings moving community: ${b.membership.moved.count} ${b.membership.moved.codes.join(' ')}`);
    if (b.membership.orphaned.count) console.log(`  不在任何社区 buildings in no community: ${b.membership.orphaned.count} ${b.membership.orphaned.codes.join(' ')}`);
    if (b.membership.planOutdated) console.log('  plan_outdated: 已发布方案需要重新划分网格 / the published plan should be re-partitioned');
  }
  for (const e of result.errors.slice(0, 50)) console.log(`  第 ${e.row} 行 row ${e.row}${e.field ? ` [${e.field}]` : ''}: ${e.zh} / ${e.en}`);
  if (result.errors.length > 50) console.log(`  … ${result.errors.length - 50} more`);
  for (const r of result.repaired.slice(0, 20)) console.log(`  修复 repaired row ${r.row}: ${r.reason}`);
  for (const s of (result.skipped ?? []).slice(0, 20)) console.log(`  跳过 skipped ${s.zh} / ${s.en}`);
  if (result.written) {
    await audit(db, { actor: 'cli', action: 'import', targetType: 'layer', targetId: layer, detail: { file: basename(path), counts: c } });
  }
  if (c.valid === 0) code = 1;
} catch (e) {
  if (e instanceof ImportFileError || e instanceof ImportRequestError) {
    console.error(`导入失败 import failed: ${e.message}`);
    code = 1;
  } else {
    throw e;
  }
} finally {
  await db.close();
}
process.exit(code);
