// Minimal raster drawing on RGBA images and PNG line plots (pngjs). Tick labels use a tiny built-in
// 3x5 digit font; there is no general text rendering.
import * as fs from 'fs';
import { PNG } from 'pngjs';

export type Rgb = readonly [number, number, number];

export class Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  constructor(width: number, height: number, background: Rgb = [255, 255, 255]) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 1e8) {
      throw new Error(`canvas size must be positive integers, got ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }
  setPixel(x: number, y: number, c: Rgb): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.data[i] = c[0];
    this.data[i + 1] = c[1];
    this.data[i + 2] = c[2];
    this.data[i + 3] = 255;
  }
  getPixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }
  fillRect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, Math.floor(y0 + h)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(this.width, Math.floor(x0 + w)); x++) this.setPixel(x, y, c);
    }
  }
  /** Line with the given thickness (square brush). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const r = (thickness - 1) / 2;
    for (let i = 0; i <= steps; i++) {
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      for (let dy = -Math.floor(r); dy <= Math.ceil(r); dy++) for (let dx = -Math.floor(r); dx <= Math.ceil(r); dx++) this.setPixel(x + dx, y + dy, c);
    }
  }
  /** Draws `text` (digits, '.', '-', '+', 'e', 'k', ' ') with its top-left at (x, y). */
  text(x: number, y: number, text: string, c: Rgb, scale = 1): void {
    let cx = x;
    for (const ch of text) {
      const glyph = FONT[ch];
      if (glyph) {
        for (let gy = 0; gy < 5; gy++) {
          for (let gx = 0; gx < 3; gx++) {
            if (glyph[gy][gx] === '#') this.fillRect(cx + gx * scale, y + gy * scale, scale, scale, c);
          }
        }
      }
      cx += 4 * scale;
    }
  }
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png);
  }
  save(file: string): void {
    fs.writeFileSync(file, this.toPng());
  }
}

const FONT: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '###', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '..#', '..#', '..#'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '.': ['...', '...', '...', '...', '.#.'],
  '-': ['...', '...', '###', '...', '...'],
  '+': ['...', '.#.', '###', '.#.', '...'],
  e: ['...', '###', '#.#', '##.', '###'],
  k: ['#..', '#.#', '##.', '#.#', '#.#'],
  ' ': ['...', '...', '...', '...', '...'],
};

/** Width in pixels of `text` drawn at the given scale. */
export function textWidth(text: string, scale = 1): number {
  return Math.max(0, text.length * 4 - 1) * scale;
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  if (a >= 1000) return Number.isInteger(v) ? String(v) : v.toFixed(0);
  return String(Number(v.toPrecision(3)));
}

export const PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
];

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: Rgb;
}

export interface LinePlotOptions {
  width?: number;
  height?: number;
  /** Plot y on a log10 scale (values must be positive). */
  logY?: boolean;
  /** A horizontal reference line (drawn dashed grey). */
  hline?: number;
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Draws one or more series as a line plot with axes and numeric tick labels. */
export function linePlot(series: readonly Series[], opts: LinePlotOptions = {}): Canvas {
  const W = opts.width ?? 640;
  const H = opts.height ?? 400;
  const cv = new Canvas(W, H);
  const left = 80;
  const right = 20;
  const top = 20;
  const bottom = 44;
  const tf = (y: number): number => (opts.logY ? Math.log10(y) : y);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of series) {
    if (s.x.length !== s.y.length) throw new Error('linePlot: x and y lengths differ');
    for (let i = 0; i < s.x.length; i++) {
      const yv = s.y[i];
      if (!Number.isFinite(yv) || (opts.logY && yv <= 0)) continue;
      x0 = Math.min(x0, s.x[i]);
      x1 = Math.max(x1, s.x[i]);
      y0 = Math.min(y0, tf(yv));
      y1 = Math.max(y1, tf(yv));
    }
  }
  if (opts.hline !== undefined) {
    y0 = Math.min(y0, tf(opts.hline));
    y1 = Math.max(y1, tf(opts.hline));
  }
  if (!Number.isFinite(x0)) throw new Error('linePlot: no finite data to plot');
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const px = (x: number): number => left + ((x - x0) / (x1 - x0)) * (W - left - right);
  const py = (y: number): number => H - bottom - ((y - y0) / (y1 - y0)) * (H - top - bottom);
  const axis: Rgb = [0, 0, 0];
  const grid: Rgb = [225, 225, 225];
  for (const t of niceTicks(y0, y1)) {
    const y = py(t);
    cv.line(left, y, W - right, y, grid);
    const label = formatTick(opts.logY ? Math.pow(10, t) : t);
    cv.text(left - 8 - textWidth(label, 2), y - 5, label, axis, 2);
  }
  for (const t of niceTicks(x0, x1)) {
    const x = px(t);
    cv.line(x, top, x, H - bottom, grid);
    const label = formatTick(t);
    cv.text(x - textWidth(label, 2) / 2, H - bottom + 10, label, axis, 2);
  }
  cv.line(left, top, left, H - bottom, axis);
  cv.line(left, H - bottom, W - right, H - bottom, axis);
  if (opts.hline !== undefined) {
    const y = py(tf(opts.hline));
    for (let x = left; x < W - right; x += 8) cv.line(x, y, Math.min(x + 4, W - right), y, [120, 120, 120]);
  }
  series.forEach((s, k) => {
    const c = s.color ?? PALETTE[k % PALETTE.length];
    let prev: [number, number] | null = null;
    for (let i = 0; i < s.x.length; i++) {
      const yv = s.y[i];
      if (!Number.isFinite(yv) || (opts.logY && yv <= 0)) {
        prev = null;
        continue;
      }
      const p: [number, number] = [px(s.x[i]), py(tf(yv))];
      if (prev) cv.line(prev[0], prev[1], p[0], p[1], c, 2);
      if (s.x.length <= 32) cv.fillRect(p[0] - 2, p[1] - 2, 5, 5, c);
      prev = p;
    }
  });
  return cv;
}
