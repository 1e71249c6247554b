/** Coordinate systems used in China: GCJ-02 / BD-09 offsets, CGCS2000 Gauss–Krüger, detection. */
export * from './chinese-offsets.js';
export * from './gauss-kruger.js';
export * from './registry.js';
export * from './detect.js';
export * from './epsg.js';
