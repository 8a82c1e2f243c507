// PNG output helpers (pngjs): grayscale frames, frame grids, and heat maps.
import * as fs from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';

/** Writes a grayscale image (values mapped from [lo, hi] to 0..255), optionally upscaled. */
export function writeGrayPng(file: string, data: ArrayLike<number>, width: number, height: number, opts: { lo?: number; hi?: number; scale?: number } = {}): void {
  if (data.length !== width * height) throw new Error(`writeGrayPng: expected ${width * height} values, got ${data.length}`);
  let lo = opts.lo, hi = opts.hi;
  if (lo === undefined || hi === undefined) {
    let mn = Infinity, mx = -Infinity;
    for (let i = 0; i < data.length; i++) { if (data[i] < mn) mn = data[i]; if (data[i] > mx) mx = data[i]; }
    lo ??= mn; hi ??= mx;
  }
  const sc = Math.max(1, Math.floor(opts.scale ?? 1));
  const png = new PNG({ width: width * sc, height: height * sc });
  const span = hi - lo || 1;
  for (let y = 0; y < height * sc; y++)
    for (let x = 0; x < width * sc; x++) {
      const v = data[Math.floor(y / sc) * width + Math.floor(x / sc)];
      const g = Math.round(255 * Math.min(1, Math.max(0, (v - lo) / span)));
      const o = (y * width * sc + x) * 4;
      png.data[o] = g; png.data[o + 1] = g; png.data[o + 2] = g; png.data[o + 3] = 255;
    }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png));
}

/**
 * Lays out `rows` x `cols` square frames (each size*size, values in [0,1]) with a 1-pixel gap
 * and writes them as one PNG. frames[r][c] may be null (left blank).
 */
export function writeFrameGrid(file: string, frames: (ArrayLike<number> | null)[][], size: number, scale = 3): void {
  const rows = frames.length;
  const cols = Math.max(...frames.map((r) => r.length));
  const w = cols * (size + 1) + 1, h = rows * (size + 1) + 1;
  const img = new Float32Array(w * h).fill(0.25);
  frames.forEach((row, r) => row.forEach((f, c) => {
    if (!f) return;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) img[(r * (size + 1) + 1 + y) * w + c * (size + 1) + 1 + x] = f[y * size + x];
  }));
  writeGrayPng(file, img, w, h, { lo: 0, hi: 1, scale });
}

/** Writes a signed heat map (blue negative, red positive) of a width x height field. */
export function writeHeatPng(file: string, data: ArrayLike<number>, width: number, height: number, scale = 1): void {
  if (data.length !== width * height) throw new Error(`writeHeatPng: expected ${width * height} values, got ${data.length}`);
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]));
  m = m || 1;
  const sc = Math.max(1, Math.floor(scale));
  const png = new PNG({ width: width * sc, height: height * sc });
  for (let y = 0; y < height * sc; y++)
    for (let x = 0; x < width * sc; x++) {
      const v = data[Math.floor(y / sc) * width + Math.floor(x / sc)] / m;
      const o = (y * width * sc + x) * 4;
      png.data[o] = Math.round(255 * (v > 0 ? 1 : 1 + v));
      png.data[o + 1] = Math.round(255 * (1 - Math.abs(v)));
      png.data[o + 2] = Math.round(255 * (v < 0 ? 1 : 1 - v));
      png.data[o + 3] = 255;
    }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png));
}
