/**
 * Text of the grid labels, kept free of deck.gl so it can be unit-tested in Node.
 */
import type { GridProps } from '../http/api-types';

/**
 * Grid names often repeat the community name ("向阳社区第3网格"); the map already labels the
 * community, so grid labels show only the rest ("第3网格"). `communityNames` maps community code
 * to full name; the grid's own `communityName` may be the short form ("向阳").
 */
export function shortGridName(p: GridProps, communityNames: ReadonlyMap<string, string>): string {
  const name = p.name || p.code;
  const prefixes = [communityNames.get(p.communityCode), p.communityName ? `${p.communityName}社区` : '', p.communityName]
    .filter((x): x is string => !!x)
    .sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (name.startsWith(prefix) && name.length > prefix.length) {
      const rest = name.slice(prefix.length).replace(/^[\s·\-_]+/, '');
      if (rest) return rest;
    }
  }
  return name;
}

/**
 * Basic grids: short name and household count (the figure the band is about). Dedicated grids
 * (a school, a market …) have no households to count, so their label is the place's name.
 */
export function gridLabelText(p: GridProps, communityNames: ReadonlyMap<string, string>, householdsUnit: string): string {
  const name = shortGridName(p, communityNames);
  if (p.kind === 'dedicated') return name.replace(/专属网格$/, '') || name;
  return `${name}\n${p.households}${householdsUnit}`;
}
