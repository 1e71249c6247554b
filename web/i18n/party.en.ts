/** English strings of party reach and grid load (issue #20). */
import type { partyZhCN } from './party.zh-cn';

export const partyEn: Record<keyof typeof partyZhCN, string> = {
  'party.objective': 'Objective',
  'party.objective.households': 'Balance households',
  'party.objective.load': 'Households + balance load',
  'partition.stage.load': 'Balancing load',
  'party.col.load': 'Load',
  'party.loadTitle': 'Grid load: households plus weighted elderly living alone, rented units, street-front shops and requests of the last 12 months (weights set by the street)',
  'party.kpi.reach': 'Party-member reach',
  'party.kpi.reachSub': 'within {distance} m walk',
  'party.layer': 'Party reach',
  'party.legend.centre': 'Party centre household (building)',
  'party.legend.leftOut': 'Buildings not reached',
  'party.legend.suggest': 'Suggested new centre',
  'party.summary': 'Party reach {share} ({reached}/{households} households within {distance} m)',
  'party.tour.band': 'Households outside the 300–400 band: {households}',
  'party.tour.overdue': '{n} resident requests overdue and still open',
  'party.tour.lifeGap': '10-minute life-circle gap: {grid} covers only {share} of households',
  'party.tour.lowReach': 'Low party-member reach: {grid} only {share}',
};
