import { describe, expect, it } from 'vitest';
import { GEOM_LINESTRING, GEOM_POINT, GEOM_POLYGON, MAX_TILE_COORD, commandInteger, geometryCommands, signedArea2, zigzag } from './geometry-commands.js';

describe('command and parameter integers', () => {
  it('packs id and count as the spec says', () => {
    expect(commandInteger(1, 1)).toBe(9); // MoveTo ×1
    expect(commandInteger(2, 3)).toBe(26); // LineTo ×3
    expect(commandInteger(7, 1)).toBe(15); // ClosePath
    expect(commandInteger(2, 2 ** 29 - 1)).toBe(2 ** 32 - 6);
  });

  it('zigzags without 32-bit wrap-around', () => {
    expect([0, -1, 1, -2, 2, 25, -25].map(zigzag)).toEqual([0, 1, 2, 3, 4, 50, 49]);
    expect(zigzag(2 ** 31 - 1)).toBe(2 ** 32 - 2);
    expect(zigzag(-(2 ** 31))).toBe(2 ** 32 - 1);
  });
});

describe('geometryCommands on the spec examples', () => {
  it('encodes a point', () => {
    expect(geometryCommands({ type: 'Point', coordinates: [25, 17] })).toEqual({ type: GEOM_POINT, commands: [9, 50, 34] });
  });

  it('encodes a multipoint with one MoveTo of count 2', () => {
    expect(geometryCommands({ type: 'MultiPoint', coordinates: [[5, 7], [3, 2]] })).toEqual({
      type: GEOM_POINT,
      commands: [17, 10, 14, 3, 9],
    });
  });

  it('encodes a linestring', () => {
    expect(geometryCommands({ type: 'LineString', coordinates: [[2, 2], [2, 10], [10, 10]] })).toEqual({
      type: GEOM_LINESTRING,
      commands: [9, 4, 4, 18, 0, 16, 16, 0],
    });
  });

  it('encodes a multilinestring with the cursor carried between parts', () => {
    const g = { type: 'MultiLineString' as const, coordinates: [[[2, 2], [2, 10], [10, 10]], [[1, 1], [3, 5]]] };
    expect(geometryCommands(g)?.commands).toEqual([9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8]);
  });

  it('encodes a polygon without its closing point', () => {
    const g = { type: 'Polygon' as const, coordinates: [[[3, 6], [8, 12], [20, 34], [3, 6]]] };
    expect(geometryCommands(g)).toEqual({ type: GEOM_POLYGON, commands: [9, 6, 12, 18, 10, 12, 24, 44, 15] });
  });

  it('encodes a multipolygon with a hole; ClosePath leaves the cursor on the last vertex', () => {
    const g = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]],
        [
          [[11, 11], [20, 11], [20, 20], [11, 20], [11, 11]],
          [[13, 13], [13, 17], [17, 17], [17, 13], [13, 13]],
        ],
      ],
    };
    expect(geometryCommands(g)?.commands).toEqual([
      9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15,
      9, 22, 2, 26, 18, 0, 0, 18, 17, 0, 15,
      9, 4, 13, 26, 0, 8, 8, 0, 0, 7, 15,
    ]);
  });
});

describe('geometryCommands rules', () => {
  it('uses the spec surveyor formula: clockwise on screen (y down) is positive', () => {
    expect(signedArea2([[0, 0], [10, 0], [10, 10], [0, 10]])).toBe(200);
    expect(signedArea2([[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]])).toBe(-200);
    expect(signedArea2([[0, 0], [5, 0], [10, 0]])).toBe(0);
  });

  it('reverses rings given in the other winding', () => {
    const ccw = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]];
    const cw = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
    const a = geometryCommands({ type: 'Polygon', coordinates: [ccw] });
    const b = geometryCommands({ type: 'Polygon', coordinates: [cw] });
    const decoded = (cmds: number[]) => {
      const pts: [number, number][] = [];
      let x = 0, y = 0;
      for (let i = 0; i < cmds.length;) {
        const id = cmds[i] & 7, n = cmds[i] >> 3;
        i++;
        if (id === 7) continue;
        for (let k = 0; k < n; k++, i += 2) {
          x += cmds[i] % 2 ? -(cmds[i] + 1) / 2 : cmds[i] / 2;
          y += cmds[i + 1] % 2 ? -(cmds[i + 1] + 1) / 2 : cmds[i + 1] / 2;
          pts.push([x, y]);
        }
      }
      return pts;
    };
    const key = (pts: [number, number][]) => pts.map((p) => p.join(',')).sort().join(' ');
    expect(signedArea2(decoded(a!.commands))).toBe(200);
    expect(signedArea2(decoded(b!.commands))).toBe(200);
    expect(key(decoded(a!.commands))).toBe(key(decoded(b!.commands)));
    // A hole given clockwise (positive) comes out negative.
    const withHole = geometryCommands({ type: 'Polygon', coordinates: [ccw, [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]] });
    const holeStart = withHole!.commands.indexOf(15) + 1;
    const hole = decoded(withHole!.commands).slice(4);
    expect(holeStart).toBe(11);
    expect(signedArea2(hole)).toBe(-8);
  });

  it('rounds coordinates and drops repeated and non-finite points', () => {
    const g = geometryCommands({ type: 'LineString', coordinates: [[0.4, 0.6], [0.2, 1.4], [NaN, 3], [10.5, 3.2], [10.6, 2.9]] });
    // (0,1) → (11,3): the second point rounds onto the first, the fourth onto the third.
    expect(g?.commands).toEqual([9, 0, 2, 10, 22, 4]);
  });

  it('drops degenerate rings, lines and points, and returns null when nothing is left', () => {
    expect(geometryCommands({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [20, 0], [0, 0]]] })).toBeNull();
    expect(geometryCommands({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [0, 0], [10, 0], [0, 0]]] })).toBeNull();
    expect(geometryCommands({ type: 'Polygon', coordinates: [[[0, 0], [0.2, 0.1], [0.1, 0.3], [0, 0]]] })).toBeNull();
    expect(geometryCommands({ type: 'Polygon', coordinates: [] })).toBeNull();
    expect(geometryCommands({ type: 'LineString', coordinates: [[1, 1], [1.2, 0.9]] })).toBeNull();
    expect(geometryCommands({ type: 'MultiPoint', coordinates: [] })).toBeNull();
    expect(geometryCommands({ type: 'Point', coordinates: [] })).toBeNull();
    expect(geometryCommands({ type: 'GeometryCollection', geometries: [] })).toBeNull();
    expect(geometryCommands(null)).toBeNull();
  });

  it('drops a degenerate hole but keeps its polygon; drops holes of a collapsed exterior', () => {
    const outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
    const flat = [[2, 2], [4, 4], [6, 6], [2, 2]];
    expect(geometryCommands({ type: 'Polygon', coordinates: [outer, flat] })?.commands).toEqual(
      geometryCommands({ type: 'Polygon', coordinates: [outer] })?.commands,
    );
    expect(geometryCommands({ type: 'Polygon', coordinates: [flat, outer] })).toBeNull();
  });

  it('keeps the highest dimension of a geometry collection that survives', () => {
    const square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const mixed = {
      type: 'GeometryCollection' as const,
      geometries: [
        { type: 'Point' as const, coordinates: [1, 1] },
        { type: 'LineString' as const, coordinates: [[0, 0], [9, 9]] },
        { type: 'GeometryCollection' as const, geometries: [{ type: 'Polygon' as const, coordinates: [square] }] },
      ],
    };
    expect(geometryCommands(mixed)).toEqual(geometryCommands({ type: 'Polygon', coordinates: [square] }));
    const collapsed = { ...mixed, geometries: [mixed.geometries[0], mixed.geometries[1], { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 1], [0, 0]]] }] };
    expect(geometryCommands(collapsed)?.type).toBe(GEOM_LINESTRING);
    const points = { type: 'GeometryCollection' as const, geometries: [{ type: 'Point' as const, coordinates: [1, 1] }, { type: 'Point' as const, coordinates: [2, 2] }] };
    expect(geometryCommands(points)).toEqual({ type: GEOM_POINT, commands: [17, 2, 2, 2, 2] });
  });

  it('refuses coordinates that cannot be 32-bit deltas (unclipped input)', () => {
    expect(() => geometryCommands({ type: 'Point', coordinates: [MAX_TILE_COORD + 1, 0] })).toThrow(RangeError);
    expect(geometryCommands({ type: 'LineString', coordinates: [[-MAX_TILE_COORD, 0], [MAX_TILE_COORD, 0]] })?.commands[4]).toBe(2 ** 32 - 4);
  });
});
