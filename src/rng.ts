// The one seeded random-number module of the library. Every experiment is deterministic per seed.
//
// Three generators, each a 32-bit state, chosen by a named constructor:
// - Rng.splitmix(seed): a Weyl sequence (step 0x9E3779B9) through a 32-bit splitmix finaliser.
//   The default (`new Rng(seed)`): gridworld sampling, option learning, agents, metrics.
// - Rng.mulberry(seed): mulberry32. SpIN training and its demos (the streams their tests pin).
// - Rng.xorshift32(seed): xorshift32 (13/17/5) from seed XOR 0x9E3779B9, never zero: the action
//   generator of the upstream golden traces (../shared/conformance/README.md) and AtariEnv's
//   stochastic frame skip.
// All of them offer the same draws (nextU32, next, int, uniform, normal) and expose their state
// (`state`) so checkpoints can save and restore a stream exactly.

export type RngAlgorithm = 'splitmix' | 'mulberry' | 'xorshift32';

const GOLDEN = 0x9e3779b9;
const MULBERRY_STEP = 0x6d2b79f5;

function checkSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
}

export class Rng {
  readonly algorithm: RngAlgorithm;
  private s: number;

  /** The default generator (splitmix) seeded with `seed`. */
  constructor(seed = 0, algorithm: RngAlgorithm = 'splitmix') {
    checkSeed(seed);
    this.algorithm = algorithm;
    const base = Math.floor(seed);
    if (algorithm === 'xorshift32') {
      const s = (base ^ GOLDEN) >>> 0;
      this.s = s === 0 ? GOLDEN : s;
    } else if (algorithm === 'mulberry') {
      this.s = ((base >>> 0) ^ GOLDEN) >>> 0;
    } else if (algorithm === 'splitmix') {
      this.s = (base ^ GOLDEN) >>> 0;
    } else {
      throw new Error(`Rng: unknown algorithm ${JSON.stringify(algorithm)}`);
    }
  }

  static splitmix(seed = 0): Rng {
    return new Rng(seed, 'splitmix');
  }

  static mulberry(seed = 1): Rng {
    return new Rng(seed, 'mulberry');
  }

  static xorshift32(seed: number): Rng {
    return new Rng(seed, 'xorshift32');
  }

  /** The whole generator state (uint32). */
  get state(): number {
    return this.s >>> 0;
  }

  set state(v: number) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`Rng: state must be a uint32, got ${v}`);
    if (this.algorithm === 'xorshift32' && v === 0) throw new Error('Rng: a xorshift32 state cannot be 0');
    this.s = v >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    switch (this.algorithm) {
      case 'splitmix': {
        this.s = (this.s + GOLDEN) >>> 0;
        let z = this.s;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
      }
      case 'mulberry': {
        this.s = (this.s + MULBERRY_STEP) >>> 0;
        let t = this.s;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (t ^ (t >>> 14)) >>> 0;
      }
      default: {
        let x = this.s;
        x = (x ^ (x << 13)) >>> 0;
        x = (x ^ (x >>> 17)) >>> 0;
        x = (x ^ (x << 5)) >>> 0;
        this.s = x;
        return x;
      }
    }
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal (Box-Muller, one draw of the pair). */
  normal(): number {
    const u = Math.max(this.next(), 1e-300);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A Fisher-Yates shuffle of `a` in place. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A generator whose stream is derived from this seed and a label (independent sub-streams). */
  static derive(seed: number, stream: number, algorithm: RngAlgorithm = 'splitmix'): Rng {
    checkSeed(seed);
    // one splitmix draw of (seed, stream) gives the child seed
    const mix = new Rng((Math.floor(seed) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0, 'splitmix');
    return new Rng(mix.nextU32(), algorithm);
  }
}
