// What an eigenfunction responds to on frames (the SpIN paper's figure): per eigenfunction, the
// frames that most and least activate it, and the mean of its top and bottom 1% of frames.
//
// Frames arrive as uint8 [n, height, width] (grayscale, e.g. 84 x 84 preprocessed observations)
// with one value per frame; nothing here knows where they came from.

/** Indices of the `count` largest and smallest values (ties by lower index first). */
export function extremeIndices(values: ArrayLike<number>, count: number): { top: number[]; bottom: number[] } {
  if (!Number.isInteger(count) || count < 0) throw new Error(`extremeIndices: count must be a non-negative integer, got ${count}`);
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new Error(`extremeIndices: value ${i} is not finite`);
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a] || a - b);
  const c = Math.min(count, values.length);
  const bottom = order.slice(order.length - c).reverse();
  // reversing keeps ties of the bottom set ordered by descending index; restore ascending index
  bottom.sort((a, b) => values[a] - values[b] || a - b);
  return { top: order.slice(0, c), bottom };
}

/** Pixel-wise mean (float64, [height * width]) of the frames at `indices`. */
export function meanFrame(frames: Uint8Array, frameSize: number, indices: readonly number[]): Float64Array {
  const out = new Float64Array(frameSize);
  if (indices.length === 0) return out;
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || (i + 1) * frameSize > frames.length) throw new Error(`meanFrame: frame ${i} out of range`);
    for (let p = 0; p < frameSize; p++) out[p] += frames[i * frameSize + p];
  }
  for (let p = 0; p < frameSize; p++) out[p] /= indices.length;
  return out;
}

export interface ActivationSummary {
  /** Frame indices of the `count` most / least activating frames, most extreme first. */
  top: number[];
  bottom: number[];
  /** Mean frame of the top and bottom `fraction` of frames (at least one frame each). */
  topMean: Float64Array;
  bottomMean: Float64Array;
}

/**
 * The most and least activating frames of one eigenfunction and the mean frames of its top and
 * bottom `fraction` (default 1%).
 */
export function activationSummary(frames: Uint8Array, frameSize: number, values: ArrayLike<number>, count = 16, fraction = 0.01): ActivationSummary {
  if (frames.length !== values.length * frameSize) throw new Error(`activationSummary: ${values.length} values for ${frames.length / frameSize} frames`);
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`activationSummary: fraction must be in (0, 1], got ${fraction}`);
  const { top, bottom } = extremeIndices(values, count);
  const m = Math.max(1, Math.floor(values.length * fraction));
  const ext = extremeIndices(values, m);
  return { top, bottom, topMean: meanFrame(frames, frameSize, ext.top), bottomMean: meanFrame(frames, frameSize, ext.bottom) };
}
