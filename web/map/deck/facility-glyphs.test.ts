import { describe, expect, it } from 'vitest';
import { glyphForCategory } from './facility-glyphs';

const g = (code: string, name: string, nameEn = '') => glyphForCategory({ code, name, nameEn });

describe('facility glyphs', () => {
  it('picks the expected character for the standard categories', () => {
    expect(g('elderly_canteen', '长者食堂', 'Elderly canteen')).toBe('食');
    expect(g('health_station', '社区卫生服务站', 'Community health station')).toBe('医');
    expect(g('primary_school', '小学', 'Primary school')).toBe('学');
    expect(g('kindergarten', '幼儿园', 'Kindergarten')).toBe('幼');
    expect(g('party_station', '党群服务驿站', 'Party-masses service station')).toBe('党');
    expect(g('food_market', '菜市场', 'Food market')).toBe('菜');
  });

  it('does not mistake a supermarket for a food market', () => {
    expect(g('supermarket', '超市', 'Supermarket')).toBe('商');
  });

  it('falls back to the first character of the name', () => {
    expect(g('x_custom', '洗车点')).toBe('洗');
  });
});
