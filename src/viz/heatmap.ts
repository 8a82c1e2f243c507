// Heatmaps of a function over gridworld states, with optional option-policy arrows (PNG).
import { Canvas, Rgb } from './plot';

/** What a heatmap needs of a grid: its size, walls, and the cell of each state. */
export interface GridGeometry {
  readonly numStates: number;
  readonly layout: { readonly rows: number; readonly cols: number; readonly walls: readonly boolean[] };
  /** (row, col) of each state. */
  readonly cells: ReadonlyArray<readonly [number, number]>;
  /** State index of (row, col), or -1 for a wall. */
  stateAt(row: number, col: number): number;
}

export interface HeatmapOptions {
  /** Pixels per cell side (default 24). */
  cell?: number;
  /** Per state: action 0..3 (up, down, left, right) drawn as an arrow, or -1 (a dot: terminate). */
  policy?: ArrayLike<number>;
  /** Colour scale: 'diverging' (blue < 0 < red, symmetric about 0; default) or 'sequential'. */
  scale?: 'diverging' | 'sequential';
}

const WALL: Rgb = [60, 60, 60];

function lerp(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as unknown as Rgb;
}

/** Colour of v in [-1, 1] (diverging) or [0, 1] (sequential). */
export function colorOf(v: number, scale: 'diverging' | 'sequential'): Rgb {
  if (!Number.isFinite(v)) return [255, 0, 255];
  if (scale === 'sequential') {
    const t = Math.min(1, Math.max(0, v));
    return t < 0.5 ? lerp([48, 18, 59], [40, 160, 170], t * 2) : lerp([40, 160, 170], [250, 230, 40], (t - 0.5) * 2);
  }
  const t = Math.min(1, Math.max(-1, v));
  return t < 0 ? lerp([250, 250, 250], [33, 80, 172], -t) : lerp([250, 250, 250], [190, 30, 45], t);
}

/** Renders values (one per state) over the grid; walls dark grey. */
export function heatmap(env: GridGeometry, values: ArrayLike<number>, opts: HeatmapOptions = {}): Canvas {
  if (values.length !== env.numStates) throw new Error(`heatmap: ${values.length} values for ${env.numStates} states`);
  if (opts.policy && opts.policy.length !== env.numStates) throw new Error(`heatmap: policy has ${opts.policy.length} entries`);
  const cell = opts.cell ?? 24;
  if (!Number.isInteger(cell) || cell < 4) throw new Error(`heatmap: cell size must be an integer >= 4, got ${cell}`);
  const scale = opts.scale ?? 'diverging';
  const { rows, cols, walls } = env.layout;
  const cv = new Canvas(cols * cell, rows * cell);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const absMax = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (walls[r * cols + c]) {
        cv.fillRect(c * cell, r * cell, cell, cell, WALL);
        continue;
      }
      const s = env.stateAt(r, c);
      const v = values[s];
      const t = scale === 'diverging' ? v / absMax : hi > lo ? (v - lo) / (hi - lo) : 0.5;
      cv.fillRect(c * cell, r * cell, cell, cell, colorOf(t, scale));
    }
  }
  if (opts.policy) {
    const ink: Rgb = [0, 0, 0];
    for (let s = 0; s < env.numStates; s++) {
      const [r, c] = env.cells[s];
      const cx = c * cell + cell / 2;
      const cy = r * cell + cell / 2;
      const a = opts.policy[s];
      if (a < 0) {
        cv.fillRect(cx - cell / 10, cy - cell / 10, Math.max(2, cell / 5), Math.max(2, cell / 5), ink);
        continue;
      }
      const d = [
        [0, -1],
        [0, 1],
        [-1, 0],
        [1, 0],
      ][a];
      if (!d) throw new Error(`heatmap: invalid action ${a} at state ${s}`);
      const L = cell * 0.35;
      const tx = cx + d[0] * L;
      const ty = cy + d[1] * L;
      cv.line(cx - d[0] * L, cy - d[1] * L, tx, ty, ink, 2);
      const h = cell * 0.18;
      // arrow head: two strokes back from the tip, perpendicular spread
      cv.line(tx, ty, tx - d[0] * h + d[1] * h, ty - d[1] * h + d[0] * h, ink, 2);
      cv.line(tx, ty, tx - d[0] * h - d[1] * h, ty - d[1] * h - d[0] * h, ink, 2);
    }
  }
  return cv;
}
