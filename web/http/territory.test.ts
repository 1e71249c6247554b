import { afterEach, describe, expect, it } from 'vitest';
import { setApiStreet, withStreet } from './api-client';
import { chooseStreet, streetFromSearch, streetHref, type Territory } from './territory';

const street = (code: string) => ({ code, name: code, bbox: null, communities: 1, buildings: 1, households: 1 });
const TWO: Territory = {
  districts: [
    { code: '370602', name: '芝罘区', streets: [street('370602001')] },
    { code: '370613', name: '莱山区', streets: [street('370613005')] },
  ],
};

afterEach(() => setApiStreet(null));

describe('the page street', () => {
  it('reads a 9-digit ?street= only', () => {
    expect(streetFromSearch('?street=370613005&lang=en')).toBe('370613005');
    expect(streetFromSearch('?street=37061300')).toBeNull();
    expect(streetFromSearch('?street=abc')).toBeNull();
    expect(streetFromSearch('')).toBeNull();
  });

  it('takes the URL first, then the remembered default if visible, then the first street', () => {
    expect(chooseStreet(TWO, '370613005', '370602001')).toBe('370613005');
    expect(chooseStreet(TWO, null, '370613005')).toBe('370613005');
    expect(chooseStreet(TWO, null, '110101001')).toBe('370602001');
    expect(chooseStreet(null, null, '370613005')).toBeNull();
  });

  it('switches the street in the current URL and keeps the other parameters', () => {
    expect(streetHref('370613005', { pathname: '/screen', search: '?tour=1&street=370602001', hash: '' })).toBe('/screen?tour=1&street=370613005');
    expect(streetHref('370613005', { pathname: '/', search: '', hash: '#x' })).toBe('/?street=370613005#x');
  });
});

describe('withStreet', () => {
  it('adds street= to street-wide API and tile URLs once a street is chosen', () => {
    expect(withStreet('/api/stats')).toBe('/api/stats');
    setApiStreet('370613005');
    expect(withStreet('/api/stats')).toBe('/api/stats?street=370613005');
    expect(withStreet('/api/stats?community=370613005001')).toBe('/api/stats?community=370613005001&street=370613005');
    expect(withStreet('/tiles/grids/{z}/{x}/{y}.mvt')).toBe('/tiles/grids/{z}/{x}/{y}.mvt?street=370613005');
    expect(withStreet('/api/layers/grids?street=370602001')).toBe('/api/layers/grids?street=370602001');
  });

  it('leaves accounts, administration, jobs, the territory and the district screen alone', () => {
    setApiStreet('370613005');
    for (const p of ['/api/auth/me', '/api/territory', '/api/audit?limit=5', '/api/kiosk-tokens', '/api/jobs/3/events', '/api/screen/district?district=370613', '/api/health', '/screen']) {
      expect(withStreet(p)).toBe(p);
    }
    expect(withStreet('/api/screen/summary')).toBe('/api/screen/summary?street=370613005');
  });
});
