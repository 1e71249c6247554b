/**
 * Households (户) of a residential building: units, rooms, sizes (≈2.6 residents), party members
 * (≈7% of residents), 党员中心户 (≈1 per 40 households, always a party household) and tags.
 */
import { personName, phone } from './names.js';
import type { Rng } from './rng.js';
import type { HouseholdSpec } from './types.js';

const SIZE_WEIGHTS: [number, number][] = [[1, 0.14], [2, 0.34], [3, 0.3], [4, 0.14], [5, 0.08]];

function householdSize(rng: Rng): number {
  let r = rng.next();
  for (const [size, w] of SIZE_WEIGHTS) {
    if ((r -= w) < 0) return size;
  }
  return 2;
}

export function buildingHouseholds(rng: Rng, buildingCode: string, count: number, floors: number, units: number): HouseholdSpec[] {
  const perUnit = Math.ceil(count / units);
  const perFloor = Math.max(1, Math.ceil(perUnit / floors));
  const out: HouseholdSpec[] = [];
  for (let i = 0; i < count; i++) {
    const unit = Math.floor(i / perUnit) + 1;
    const k = i % perUnit;
    const room = `${Math.floor(k / perFloor) + 1}${String((k % perFloor) + 1).padStart(2, '0')}`;
    const tags: string[] = [];
    let size = householdSize(rng);
    if (rng.chance(0.03)) {
      tags.push('空置');
      size = 0;
    } else {
      if (rng.chance(0.04)) {
        tags.push('独居老人');
        size = 1;
      }
      if (rng.chance(0.12)) tags.push('出租户');
      if (rng.chance(0.012)) tags.push('低保户');
    }
    let partyMembers = 0;
    for (let p = 0; p < size; p++) if (rng.chance(0.07)) partyMembers++;
    out.push({
      buildingCode,
      unit,
      room,
      size,
      partyMembers,
      isPartyCenter: partyMembers > 0 && rng.chance(0.14),
      tags,
      headName: personName(rng),
      headPhone: phone(rng),
    });
  }
  return out;
}
