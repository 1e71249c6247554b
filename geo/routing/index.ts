/** Walk-network routing (pure TypeScript): graph, Dijkstra, snapping, isochrones, nearest, coverage. */
export * from './graph.js';
export * from './dijkstra.js';
export * from './edge-position.js';
export * from './snap.js';
export * from './reached-edges.js';
export * from './isochrone.js';
export * from './corridor-polygon.js';
export * from './band-lines.js';
export { bandPolygonsFromLines } from './band-polygons.js';
export * from './route.js';
export * from './nearest.js';
export * from './coverage.js';
export * from './site-selection.js';
export * from './topology.js';
export * from './edge-buckets.js';
