/** English strings of the phone layout (≤600 px): folded header, bottom sheet, "locate me", nearest facility. */
import type { phoneZhCN } from './phone.zh-cn';

export const phoneEn: Record<keyof typeof phoneZhCN, string> = {
  'phone.menu': 'Menu',
  'phone.layers': 'Layers & legend',
  'phone.closeLayers': 'Hide layers',
  'phone.details': 'Details',
  'phone.figures': 'Street at a glance',
  'phone.locate': 'Locate me',
  'phone.locating': 'Locating…',
  'phone.locateFailed': 'Could not get your position ({reason}); tap the map to choose a start',
  'phone.locateUnsupported': 'This browser cannot locate you; tap the map to choose a start',
  'phone.youAreHere': 'You are here (±{acc} m)',
  'phone.nearest': 'Nearest facility',
  'phone.nearestPick': 'Choose a category',
  'phone.nearestNone': 'No "{cat}" within walking range',
  'phone.nearestResult': 'Nearest {cat}: {name}, about {m} min on foot ({d} m)',
  'phone.start': 'Tap the map or "Locate me" for the 5/10/15-minute walk',
};
