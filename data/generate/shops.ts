/**
 * Street-front shops per building (issue #20: a grid's load counts them). Plausible figures from
 * the building's use and place, drawn from a stream of the building's own code, so adding this
 * figure shifts nothing else the generator draws:
 * - a commercial building (the "号商铺" rows of a commercial street) holds 2–6 shops;
 * - a market hall 20–60 stalls (西南关社区: 101 street-front shops in a 3,520-household community);
 * - an office block 0–3 ground-floor shops;
 * - a residential building outside a gated compound faces the street: about a third carry 1–6
 *   ground-floor shops (older buildings more often); inside a compound, rarely one (a 小卖部).
 */
import type { BuildingUse } from './types.js';
import { Random } from './random.js';

export function shopsOf(seed: number, code: string, use: BuildingUse, gated: boolean, builtYear: number): number {
  const rng = Random.derive(seed, 'shops', code);
  switch (use) {
    case 'commercial': return rng.int(2, 6);
    case 'market': return rng.int(20, 60);
    case 'office': return rng.int(0, 3);
    case 'residential':
      if (gated) return rng.chance(0.03) ? 1 : 0;
      return rng.chance(builtYear < 2000 ? 0.4 : 0.25) ? rng.int(1, 6) : 0;
    default: return 0;
  }
}
