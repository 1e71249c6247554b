/** What the user clicked on the map; the detail panel renders it. */
import type { BuildingProps, FacilityProps, GridProps } from '../http/api-types';

export type Selection =
  | { kind: 'grid'; code: string; props: GridProps }
  | { kind: 'building'; code: string; props: BuildingProps }
  | { kind: 'facility'; code: string; props: FacilityProps };
