/**
 * Division codes as real boundary files write them (division-codes.ts): 12-digit statistics codes
 * of districts and streets, DataV's province/city rows, the cities without districts, parent codes
 * as DataV objects or as the JSON string GDAL makes of them in a shapefile.
 */
import { describe, expect, it } from 'vitest';
import { divisionOf, parentCode } from './division-codes.js';

describe('division codes', () => {
  it('6/9/12 digits are district/street/community; 12-digit statistics codes of districts and streets are cut', () => {
    expect(divisionOf('110101', null)).toEqual({ code: '110101', level: 'district' });
    expect(divisionOf('110101001', '街道')).toEqual({ code: '110101001', level: 'street' });
    expect(divisionOf('110101001001', '居民委员会')).toEqual({ code: '110101001001', level: 'community' });
    // 统计用区划代码: every level 12 digits, zero-padded (东城区 / 东华门街道).
    expect(divisionOf('110101000000', null)).toEqual({ code: '110101', level: 'district' });
    expect(divisionOf('110101000000', '区')).toEqual({ code: '110101', level: 'district' });
    expect(divisionOf('110101001000', null)).toEqual({ code: '110101001', level: 'street' });
    expect(divisionOf('110101001000', '街道办事处')).toEqual({ code: '110101001', level: 'street' });
    // A file that says "community" is taken at its word (a local numbering may end in 000).
    expect(divisionOf('110101001000', '社区')).toEqual({ code: '110101001000', level: 'community' });
  });

  it('levels above the district are refused with the reason; a city without districts is the district', () => {
    const province = divisionOf('410000', 'province');
    expect(province).toMatchObject({ problem: { field: 'level' } });
    if ('problem' in province) {
      expect(province.problem.zh).toMatch(/省级区划.*只导入区县、街道、社区/);
      expect(province.problem.en).toMatch(/is a province .*districts, streets and communities only/);
    }
    const city = divisionOf('410100', 'city');
    if ('problem' in city) expect(city.problem.en).toMatch(/prefecture-level city.*410100_full\.json/);
    else throw new Error('a city with districts must be refused');
    for (const code of ['441900', '442000', '460400', '620200']) expect(divisionOf(code, 'city')).toEqual({ code, level: 'district' });
    // "市" alone: a prefecture city's code (xxxx00) or a county-level city (龙口市 370681).
    expect(divisionOf('370681', '市')).toEqual({ code: '370681', level: 'district' });
    expect(divisionOf('370600', '市')).toMatchObject({ problem: { field: 'level' } });
    expect(divisionOf('100000_JD', null)).toMatchObject({ problem: { field: 'code' } });
    // No level column: the code tells a city, province or China from a district; OSM-assigned 99xx00 codes stay districts.
    for (const code of ['410100', '410000', '100000', '410100000000']) expect(divisionOf(code, null)).toMatchObject({ problem: { field: 'code' } });
    expect(divisionOf('990100', null)).toEqual({ code: '990100', level: 'district' });
    expect(divisionOf('441900', null)).toEqual({ code: '441900', level: 'district' });
    expect(divisionOf('110101', 'street')).toMatchObject({ problem: { field: 'level' } });
  });

  it('parent codes: plain, DataV object, the JSON string GDAL writes into a .dbf, 12-digit statistics codes', () => {
    expect(parentCode('110101', 6)).toBe('110101');
    expect(parentCode({ adcode: 110101 }, 6)).toBe('110101');
    expect(parentCode('{ "adcode": 110101 }', 6)).toBe('110101');
    expect(parentCode('110101000000', 6)).toBe('110101');
    expect(parentCode('110101001000', 9)).toBe('110101001');
    expect(parentCode('', 6)).toBeNull();
    expect(parentCode(null, 9)).toBeNull();
    expect(parentCode('{not json', 6)).toBe('{not json');
  });
});
