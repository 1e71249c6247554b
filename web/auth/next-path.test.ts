import { describe, expect, it } from 'vitest';
import { loginHref, safeNextPath } from './next-path';

const ORIGIN = 'http://grid.example:8787';

describe('safeNextPath', () => {
  it('keeps same-origin paths with query and hash', () => {
    expect(safeNextPath('/admin', ORIGIN)).toBe('/admin');
    expect(safeNextPath('/admin?tab=kiosk#x', ORIGIN)).toBe('/admin?tab=kiosk#x');
    expect(safeNextPath('/?layers=grids&lang=en', ORIGIN)).toBe('/?layers=grids&lang=en');
  });

  it('refuses other origins and scheme tricks', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
      'admin',
      '',
      null,
      undefined,
    ]) {
      expect(safeNextPath(bad, ORIGIN), String(bad)).toBe('/');
    }
  });

  it('does not go back to the login page, the API or a kiosk link', () => {
    expect(safeNextPath('/login?next=/admin', ORIGIN)).toBe('/');
    expect(safeNextPath('/api/audit', ORIGIN)).toBe('/');
    expect(safeNextPath('/kiosk/abc', ORIGIN)).toBe('/');
  });
});

describe('loginHref', () => {
  it('carries the current page as next, except for the map and the login page', () => {
    expect(loginHref({ pathname: '/admin', search: '?tab=kiosk' })).toBe('/login?next=%2Fadmin%3Ftab%3Dkiosk');
    expect(loginHref({ pathname: '/', search: '' })).toBe('/login');
    expect(loginHref({ pathname: '/login', search: '?next=/admin' })).toBe('/login');
  });
});
