/**
 * Map layers feed the public GeoJSON layers, vector tiles, OGC API items and every layer export,
 * for every caller alike, so they must never select a personal column (issue #14.7): those leave
 * only through routes that ask masking.ts `disclosureFor` per row.
 */
import { describe, expect, it } from 'vitest';
import { LAYERS, LAYER_NAMES } from './layer-defs.js';

/** Columns holding people's names and phones (households, grid_workers, requests, users). */
const PERSONAL_COLUMN = /\b(?:head_name|head_phone|reporter_name|reporter_phone|phone|display_name|username|password_hash)\b|\bw\.name\b/i;

describe('layer definitions', () => {
  it('select no personal column in any property, source or filter', () => {
    const ctx = { plans: '$1' };
    for (const name of LAYER_NAMES) {
      const def = LAYERS[name];
      const sql = [def.from(ctx), ...(def.where?.(ctx) ?? []), ...def.props.map(([, expr]) => expr)].join('\n');
      expect(sql, name).not.toMatch(PERSONAL_COLUMN);
    }
  });
});
