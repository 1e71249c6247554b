/** Colours of the /life map and its legends (kept apart from life-map.tsx, which loads MapLibre). */

/** Band fill colours, 5 → 15 minutes: near is warm and strong, far is cool and faint. */
export const BAND_FILL: Record<number, string> = { 5: '#F0B429', 10: '#3FA7D6', 15: '#8E7CC3' };
export const COVERED = '#009E73';
export const UNCOVERED = '#E8663D';
export const SITE = '#FFD34D';
