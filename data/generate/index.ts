/**
 * The demo-street generator's public entry: `generateStreet({seed, buildings})` → StreetDataset.
 * The implementation starts in demo-street.ts (layout of 向阳街道 with its 8 real communities,
 * compounds, buildings, households, facilities, walk network and the published plan).
 */
export { DEFAULT_BUILDINGS, DEFAULT_SEED, generateStreet } from './demo-street.js';
