/**
 * The EPSG definitions of the `epsg-index` package (v2.0.0: `s/<code>.json` with `name`, `kind`,
 * `wkt`, `proj4`; EPSG dataset, ISC-licensed package) as geo/crs's EpsgSource: a code's file is read
 * when first asked for; the list (for matching a .prj without a code) reads every file once.
 * Importing this module registers it, so every import path (server, worker, CLI) knows every code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type EpsgEntry, useEpsgSource } from '../../geo/crs/epsg.js';

let dir: string | null = null;
function indexDir(): string {
  dir ??= join(dirname(createRequire(import.meta.url).resolve('epsg-index/package.json')), 's');
  return dir;
}

function readEntry(file: string): EpsgEntry | null {
  try {
    const j = JSON.parse(readFileSync(join(indexDir(), file), 'utf8')) as { code: string; name: string; kind: string; proj4?: string; wkt?: string };
    return { code: Number(j.code), name: j.name, kind: j.kind, proj4: j.proj4 ?? '', wkt: j.wkt ?? '' };
  } catch {
    return null; // no such code
  }
}

useEpsgSource({
  read: (code) => readEntry(`${code}.json`),
  list: () => readdirSync(indexDir()).filter((f) => f.endsWith('.json')).map(readEntry).filter((e): e is EpsgEntry => e !== null),
});
