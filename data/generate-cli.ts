/** `npm run generate -- <dir> [--buildings N] [--seed S]`: write the generated street as GeoJSON files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateStreet } from './generate/index.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string' }, buildings: { type: 'string' } } });
const dir = positionals[0] ?? 'dist/generated';
const ds = generateStreet({ seed: values.seed ? Number(values.seed) : undefined, buildings: values.buildings ? Number(values.buildings) : undefined });
mkdirSync(dir, { recursive: true });
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const poly = (coordinates: unknown) => ({ type: 'Polygon', coordinates });
const write = (name: string, features: unknown[]) => writeFileSync(join(dir, `${name}.geojson`), fc(features));
write('communities', ds.communities.map(({ polygon, ...p }) => ({ type: 'Feature', geometry: poly(polygon), properties: p })));
write('compounds', ds.compounds.map(({ polygon, ...p }) => ({ type: 'Feature', geometry: poly(polygon), properties: p })));
write('buildings', ds.buildings.map(({ footprint, ...p }) => ({ type: 'Feature', geometry: poly(footprint), properties: p })));
write('facilities', ds.facilities.map(({ position, ...p }) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties: p })));
write('walk_edges', ds.walkEdges.map(({ line, ...p }) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: line }, properties: p })));
console.log(`wrote ${dir}/{communities,compounds,buildings,facilities,walk_edges}.geojson`);
