// Bouncing-balls video: `balls` disks moving at constant speed in a square box, reflecting
// elastically off the walls (balls pass through each other). Frames are grayscale in [0, 1],
// anti-aliased. Deterministic for a given seed.
// ballsDemoData(): the data of the SpIN balls demo (src/spin/demos/balls.ts).
import type { BallsDemoData, FrameVideo } from '../src/spin/demos/balls';

/** Training pair i of a demo seeded s starts a simulation seeded s * PAIR_SEED_STRIDE + i. */
export const PAIR_SEED_STRIDE = 1_000_003;
/** The demo's held-out video is seeded s + TEST_SEED_OFFSET. */
export const TEST_SEED_OFFSET = 7_777_777;

export interface BallsOptions {
  /** Frame side in pixels (default 20). */
  size?: number;
  /** Number of balls (default 3). */
  balls?: number;
  /** Ball radius in pixels (default 2). */
  radius?: number;
  /** Speed in pixels per frame (default 0.6). */
  speed?: number;
  seed?: number;
}

export interface BallsVideo extends FrameVideo {
  /** frame side (= height = width) */
  size: number;
  /** frames * balls * 2 (x, y) centre positions in pixels */
  positions: Float32Array;
}

function mulberry(seed: number): () => number {
  let s = (seed >>> 0) ^ 0x85ebca6b;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class BouncingBalls {
  readonly size: number;
  readonly radius: number;
  readonly n: number;
  private readonly pos: Float64Array;
  private readonly vel: Float64Array;

  constructor(opts: BallsOptions = {}) {
    this.size = opts.size ?? 20;
    this.n = opts.balls ?? 3;
    this.radius = opts.radius ?? 2;
    const speed = opts.speed ?? 0.6;
    if (!Number.isInteger(this.size) || this.size < 4) throw new Error(`BouncingBalls: size must be an integer >= 4, got ${this.size}`);
    if (!Number.isInteger(this.n) || this.n < 1) throw new Error(`BouncingBalls: balls must be a positive integer, got ${this.n}`);
    if (!(this.radius > 0 && 2 * this.radius < this.size)) throw new Error(`BouncingBalls: radius must be in (0, size/2), got ${this.radius}`);
    if (!(speed >= 0 && speed < this.size / 2)) throw new Error(`BouncingBalls: speed must be in [0, size/2), got ${speed}`);
    const rnd = mulberry(opts.seed ?? 1);
    this.pos = new Float64Array(this.n * 2);
    this.vel = new Float64Array(this.n * 2);
    for (let i = 0; i < this.n; i++) {
      this.pos[2 * i] = this.radius + rnd() * (this.size - 2 * this.radius);
      this.pos[2 * i + 1] = this.radius + rnd() * (this.size - 2 * this.radius);
      const a = rnd() * 2 * Math.PI;
      this.vel[2 * i] = speed * Math.cos(a);
      this.vel[2 * i + 1] = speed * Math.sin(a);
    }
  }

  /** Current centres (x, y) per ball. */
  positions(): Float64Array {
    return Float64Array.from(this.pos);
  }

  /** Advances one frame with wall reflections. */
  advance(): void {
    const lo = this.radius, hi = this.size - this.radius;
    for (let c = 0; c < this.n * 2; c++) {
      let p = this.pos[c] + this.vel[c];
      if (p < lo) { p = 2 * lo - p; this.vel[c] = -this.vel[c]; }
      if (p > hi) { p = 2 * hi - p; this.vel[c] = -this.vel[c]; }
      this.pos[c] = p;
    }
  }

  /** Renders the current frame into `out` (size*size), anti-aliased disks, max-composited. */
  render(out: Float32Array = new Float32Array(this.size * this.size)): Float32Array {
    out.fill(0);
    const s = this.size;
    for (let i = 0; i < this.n; i++) {
      const cx = this.pos[2 * i], cy = this.pos[2 * i + 1];
      const x0 = Math.max(0, Math.floor(cx - this.radius - 1)), x1 = Math.min(s - 1, Math.ceil(cx + this.radius + 1));
      const y0 = Math.max(0, Math.floor(cy - this.radius - 1)), y1 = Math.min(s - 1, Math.ceil(cy + this.radius + 1));
      for (let y = y0; y <= y1; y++)
        for (let x = x0; x <= x1; x++) {
          const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
          const v = Math.min(1, Math.max(0, this.radius - d + 0.5));
          if (v > out[y * s + x]) out[y * s + x] = v;
        }
    }
    return out;
  }
}

/** Generates `frames` consecutive frames. */
export function generateBallsVideo(frames: number, opts: BallsOptions = {}): BallsVideo {
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`generateBallsVideo: frames must be a positive integer, got ${frames}`);
  const sim = new BouncingBalls(opts);
  const s = sim.size;
  const pixels = new Float32Array(frames * s * s);
  const positions = new Float32Array(frames * sim.n * 2);
  for (let t = 0; t < frames; t++) {
    sim.render(pixels.subarray(t * s * s, (t + 1) * s * s));
    positions.set(sim.positions(), t * sim.n * 2);
    sim.advance();
  }
  return { size: s, height: s, width: s, frames, pixels, positions };
}

export interface BallsDemoDataOptions extends BallsOptions {
  /** Frames of the held-out video (default 1000). */
  testFrames?: number;
}

/**
 * The balls demo's data: an endless supply of training pairs, each the first two frames of a fresh
 * simulation (uniform positions and directions: the stationary distribution), and a held-out video.
 */
export function ballsDemoData(opts: BallsDemoDataOptions = {}): BallsDemoData {
  const { testFrames, seed: seedOpt, ...sim } = opts;
  const seed = seedOpt ?? 1;
  const size = new BouncingBalls(sim).size;
  return {
    renderPair: (index, x, xNext) => {
      if (x.length !== size * size || xNext.length !== size * size) throw new Error(`ballsDemoData.renderPair: frames must hold ${size * size} pixels`);
      const balls = new BouncingBalls({ ...sim, seed: seed * PAIR_SEED_STRIDE + index });
      balls.render(x);
      balls.advance();
      balls.render(xNext);
    },
    test: generateBallsVideo(testFrames ?? 1000, { ...sim, seed: seed + TEST_SEED_OFFSET }),
  };
}
