/**
 * Household records (户) for residential buildings: one per flat, with size, party members and
 * the tags grid workers keep (独居老人, 出租户, 空置, 低保户).
 *
 * Rates follow the domain brief: ~2.6 residents a household, party members ≈ 7% of residents
 * (older people living alone somewhat more often), 独居老人 ~4%, 出租户 ~12%, 空置 ~3%, 低保户 ~1%.
 * 党员中心户 — a party household looking after its neighbours — are picked about one per 40
 * households, always among households with a party member.
 */
import { mobilePhone, personName } from './people.js';
import type { Random } from './random.js';
import type { HouseholdSpec } from './types.js';

const SIZES: readonly (readonly [number, number])[] = [[1, 14], [2, 32], [3, 30], [4, 15], [5, 6], [6, 3]];
const P_VACANT = 0.03;
const P_ELDERLY_ALONE = 0.04 / (1 - P_VACANT);
const P_RENTED = 0.12;
const P_LOW_INCOME = 0.01;
const P_PARTY = 0.07;
const P_PARTY_ELDERLY = 0.15;

/** Room labels ("302" = floor 3, door 02), shared between buildings to save memory at 100k. */
const roomCache: string[][] = [];
function room(floor: number, door: number): string {
  const row = (roomCache[floor] ??= []);
  return (row[door] ??= `${floor}${String(door).padStart(2, '0')}`);
}

const EMPTY: string[] = [];
const VACANT = ['空置'];

/**
 * The households of one residential building, unit by unit, floor by floor, door by door.
 * Returns them with the building's resident count.
 */
export function buildingHouseholds(
  rng: Random,
  buildingCode: string,
  units: number,
  floors: number,
  perFloor: number,
  out: HouseholdSpec[],
): number {
  let residents = 0;
  for (let unit = 1; unit <= units; unit++) {
    for (let floor = 1; floor <= floors; floor++) {
      for (let door = 1; door <= perFloor; door++) {
        const h = household(rng, buildingCode, unit, room(floor, door));
        residents += h.size;
        out.push(h);
      }
    }
  }
  return residents;
}

function household(rng: Random, buildingCode: string, unit: number, roomLabel: string): HouseholdSpec {
  if (rng.chance(P_VACANT)) {
    return {
      buildingCode, unit, room: roomLabel, size: 0, partyMembers: 0, isPartyCenter: false,
      tags: VACANT.slice(), headName: personName(rng), headPhone: mobilePhone(rng),
    };
  }
  const elderlyAlone = rng.chance(P_ELDERLY_ALONE);
  const size = elderlyAlone ? 1 : rng.table(SIZES);
  const p = elderlyAlone ? P_PARTY_ELDERLY : P_PARTY;
  let partyMembers = 0;
  for (let k = 0; k < size; k++) if (rng.float() < p) partyMembers++;
  let tags = EMPTY;
  const rented = !elderlyAlone && rng.chance(P_RENTED / (1 - P_ELDERLY_ALONE));
  const lowIncome = rng.chance(P_LOW_INCOME);
  if (elderlyAlone || rented || lowIncome) {
    tags = [];
    if (elderlyAlone) tags.push('独居老人');
    if (rented) tags.push('出租户');
    if (lowIncome) tags.push('低保户');
  }
  return {
    buildingCode, unit, room: roomLabel, size, partyMembers, isPartyCenter: false,
    tags: tags === EMPTY ? [] : tags, headName: personName(rng), headPhone: mobilePhone(rng),
  };
}

/**
 * Marks 党员中心户: walking the households in order, after every 26–42 households the next party
 * household becomes a center — about one per 40 households.
 */
export function markPartyCenters(rng: Random, households: HouseholdSpec[], from = 0): void {
  let countdown = rng.int(26, 42);
  for (let i = from; i < households.length; i++) {
    const h = households[i];
    countdown--;
    if (countdown <= 0 && h.partyMembers > 0) {
      h.isPartyCenter = true;
      countdown = rng.int(26, 42);
    }
  }
}
