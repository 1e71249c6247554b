/**
 * terra-draw on the planner's MapLibre map, for the geometric tools:
 * - reshape: the selected grid's outer ring becomes an editable polygon (drag vertices, drag a
 *   midpoint to add one, snapping to neighbouring grids and roads); each finished drag reports
 *   the new polygon;
 * - split: draw a line (click points, double-click or click the last point to finish);
 * - draw: draw a new grid polygon (click points, close on the first point).
 * The drawn line / polygon is removed from terra-draw at once and handed to the page, which
 * sends the PATCH; the server's answer then redraws the grids.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode, TerraDrawSelectMode, type GeoJSONStoreFeatures } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { snapPoint, type SnapTargets } from './snap';

export type DrawTool = 'reshape' | 'split' | 'draw' | null;
type Pos = [number, number];

export interface GridDrawHandlers {
  onReshape: (polygon: GeoJSON.Polygon) => void;
  onLine: (line: GeoJSON.LineString) => void;
  onPolygon: (polygon: GeoJSON.Polygon) => void;
}

const EDIT_ID = 'edit-grid';
const SELECTION = '#F5C542';

export class GridDraw {
  private readonly draw: TerraDraw;
  private targets: SnapTargets = { lines: [] };
  private tool: DrawTool = null;

  constructor(private readonly map: MapLibreMap, private readonly handlers: GridDrawHandlers) {
    const snapping = {
      toCustom: (e: { containerX: number; containerY: number }, ctx: { project: (lng: number, lat: number) => { x: number; y: number }; unproject: (x: number, y: number) => { lng: number; lat: number } }) =>
        snapPoint(this.targets, { x: e.containerX, y: e.containerY }, ctx.project, ctx.unproject),
    };
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 7 }),
      idStrategy: { isValidId: (id) => typeof id === 'string' && id.length > 0, getId: (() => { let n = 0; return () => `td-${++n}`; })() },
      modes: [
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          keyEvents: null,
          flags: {
            polygon: {
              feature: {
                draggable: false,
                coordinates: { draggable: true, midpoints: { draggable: true }, deletable: true, snappable: { toCustom: snapping.toCustom } },
              },
            },
          },
          styles: {
            selectedPolygonColor: SELECTION,
            selectedPolygonFillOpacity: 0.12,
            selectedPolygonOutlineColor: SELECTION,
            selectedPolygonOutlineWidth: 3,
            selectionPointColor: SELECTION,
            selectionPointOutlineColor: '#0E1318',
            selectionPointWidth: 6,
            midPointColor: '#E6EDF3',
            midPointOutlineColor: '#0E1318',
          },
        }),
        new TerraDrawLineStringMode({ snapping, styles: { lineStringColor: '#FF5C5C', lineStringWidth: 3 } }),
        new TerraDrawPolygonMode({ snapping, styles: { fillColor: SELECTION, fillOpacity: 0.25, outlineColor: SELECTION, outlineWidth: 2 } }),
      ],
    });
    this.draw.start();
    this.draw.on('finish', (id, ctx) => this.finished(String(id), ctx.action));
  }

  setSnapTargets(t: SnapTargets) {
    this.targets = t;
  }

  /** Switches the tool; for reshape, `grid` is the selected grid's geometry. */
  setTool(tool: DrawTool, grid?: GeoJSON.Polygon | GeoJSON.MultiPolygon | null) {
    this.tool = tool;
    this.draw.clear();
    if (tool === 'reshape' && grid) {
      const ring = outerRing(grid);
      if (!ring) return;
      const f = { id: EDIT_ID, type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { mode: 'polygon' } } as GeoJSONStoreFeatures;
      this.draw.setMode('select');
      const [v] = this.draw.addFeatures([f]);
      if (v?.valid === false) return;
      this.draw.selectFeature(EDIT_ID);
    } else if (tool === 'split') this.draw.setMode('linestring');
    else if (tool === 'draw') this.draw.setMode('polygon');
    else this.draw.setMode('static');
  }

  /** The edited polygon's vertices in container pixels (for tests that drag a vertex). */
  vertexPoints(): { x: number; y: number }[] {
    const f = this.draw.getSnapshotFeature(EDIT_ID);
    if (!f || f.geometry.type !== 'Polygon') return [];
    return (f.geometry.coordinates[0] as Pos[]).slice(0, -1).map(([lng, lat]) => this.map.project([lng, lat]));
  }

  destroy() {
    this.draw.stop();
  }

  private finished(id: string, action: string) {
    const f = this.draw.getSnapshotFeature(id);
    if (!f) return;
    if (this.tool === 'reshape' && id === EDIT_ID && f.geometry.type === 'Polygon' && action !== 'insertMidpoint') {
      this.handlers.onReshape({ type: 'Polygon', coordinates: f.geometry.coordinates as Pos[][] });
    } else if (this.tool === 'split' && f.geometry.type === 'LineString') {
      this.draw.removeFeatures([id]);
      this.handlers.onLine({ type: 'LineString', coordinates: f.geometry.coordinates as Pos[] });
    } else if (this.tool === 'draw' && f.geometry.type === 'Polygon') {
      this.draw.removeFeatures([id]);
      this.handlers.onPolygon({ type: 'Polygon', coordinates: f.geometry.coordinates as Pos[][] });
    }
  }
}

/** The part of a multipolygon the reshape tool edits: the one with the largest outer ring. */
export function editedPart(g: GeoJSON.MultiPolygon): number {
  let best = 0;
  let bestArea = -1;
  g.coordinates.forEach((p, i) => {
    const a = Math.abs(ringArea(p[0] as Pos[]));
    if (a > bestArea) [best, bestArea] = [i, a];
  });
  return best;
}

function ringArea(r: Pos[]): number {
  let s = 0;
  for (let i = 0; i < r.length - 1; i++) s += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return s / 2;
}

/** The outer ring of a polygon, or of a multipolygon's edited part (holes are not edited). */
function outerRing(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): Pos[] | null {
  if (g.type === 'Polygon') return (g.coordinates[0] as Pos[]) ?? null;
  return (g.coordinates[editedPart(g)]?.[0] as Pos[]) ?? null;
}
