// Eigenfunction learners behind one interface: fit(env, k) -> k eigenfunctions over all states,
// ordered slowest first (ascending eigenvalue of the Laplacian-like operator), plus eigenvalues.
import { GridWorld, NUM_ACTIONS } from '../../envs/gridworld';
import { symmetricEigen } from './linalg';
import { Rng } from './rng';

export type LearnerName = 'pvf' | 'rw' | 'sr' | 'spin';
export const LEARNER_NAMES: readonly LearnerName[] = ['pvf', 'rw', 'sr', 'spin'];

export interface Eigenfunctions {
  learner: string;
  /** Eigenvalues, ascending (slowest first), in the learner's operator (see each learner). */
  values: Float64Array;
  /** vectors[i][s] = e_{i+1}(s); unit norm, sign fixed so the largest-magnitude entry is positive. */
  vectors: Float64Array[];
  /** Learner-specific facts (transitions used, training steps, ...). */
  info: Record<string, number | string>;
}

/** Sampled transitions (s, s') between state indices. */
export interface Transitions {
  states: Int32Array;
  next: Int32Array;
}

export interface EigenLearner {
  readonly name: string;
  fit(env: GridWorld, k: number): Promise<Eigenfunctions>;
}

/**
 * Fixes the sign of v in place so its largest-magnitude entry is positive (the first such entry,
 * entries within a relative 1e-9 of the maximum counting as equal) and scales it to unit norm.
 */
export function canonicalize(v: Float64Array): Float64Array {
  let norm = 0;
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    norm += v[i] * v[i];
    max = Math.max(max, Math.abs(v[i]));
  }
  norm = Math.sqrt(norm);
  if (norm === 0) return v;
  let sign = 1;
  for (let i = 0; i < v.length; i++) {
    if (Math.abs(v[i]) >= max * (1 - 1e-9)) {
      sign = v[i] < 0 ? -1 : 1;
      break;
    }
  }
  for (let i = 0; i < v.length; i++) v[i] = (sign * v[i]) / norm;
  return v;
}

function checkK(env: GridWorld, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > env.numStates) {
    throw new Error(`number of eigenfunctions must be an integer in [1, ${env.numStates}], got ${k}`);
  }
}

function takeK(values: Float64Array, vectors: Float64Array[], k: number, learner: string, info: Record<string, number | string>): Eigenfunctions {
  return {
    learner,
    values: values.slice(0, k),
    vectors: vectors.slice(0, k).map((v) => canonicalize(Float64Array.from(v))),
    info,
  };
}

/** Machado's normalised graph Laplacian D^{-1/2}(D - W)D^{-1/2}, W the 4-neighbour adjacency. */
export function normalizedLaplacian(env: GridWorld): Float64Array {
  const n = env.numStates;
  const W = env.adjacencyMatrix();
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i] += W[i * n + j];
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dij = i === j ? d[i] : 0;
      const denom = Math.sqrt(d[i] * d[j]);
      // an isolated cell (degree 0) gets a zero row and column
      L[i * n + j] = denom === 0 ? 0 : (dij - W[i * n + j]) / denom;
    }
  }
  return L;
}

/** I - P for the uniform random walk with wall bumps as self-loops (symmetric on gridworlds). */
export function randomWalkLaplacian(env: GridWorld): Float64Array {
  const n = env.numStates;
  const P = env.randomWalkMatrix();
  const L = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) L[i] = -P[i];
  for (let i = 0; i < n; i++) L[i * n + i] += 1;
  return L;
}

/** `pvf`: exact eigenvectors of the normalised Laplacian (Machado et al. 2017). */
export class PvfLearner implements EigenLearner {
  readonly name = 'pvf';
  async fit(env: GridWorld, k: number): Promise<Eigenfunctions> {
    checkK(env, k);
    const { values, vectors } = symmetricEigen(normalizedLaplacian(env), env.numStates);
    return takeK(values, vectors, k, this.name, { operator: 'D^-1/2 (D - W) D^-1/2' });
  }
}

/** `rw`: exact eigenvectors of I - P, P the uniform random walk including wall self-loops. */
export class RandomWalkLearner implements EigenLearner {
  readonly name = 'rw';
  async fit(env: GridWorld, k: number): Promise<Eigenfunctions> {
    checkK(env, k);
    const { values, vectors } = symmetricEigen(randomWalkLaplacian(env), env.numStates);
    return takeK(values, vectors, k, this.name, { operator: 'I - P' });
  }
}

export interface SrConfig {
  /** Episodes of the uniform random policy (default 1000, Machado et al. 2018). */
  episodes?: number;
  /** Steps per episode (default 100). */
  steps?: number;
  /** TD step size (default 0.1). */
  alpha?: number;
  /** SR discount (default 0.9). */
  gamma?: number;
  /** Seed of the start states and actions (default 0). */
  seed?: number;
}

/** Successor representation Psi (row-major n*n) learned by TD(0) under the uniform random policy. */
export function learnSuccessorRepresentation(env: GridWorld, cfg: SrConfig = {}): Float64Array {
  const episodes = cfg.episodes ?? 1000;
  const steps = cfg.steps ?? 100;
  const alpha = cfg.alpha ?? 0.1;
  const gamma = cfg.gamma ?? 0.9;
  const rng = new Rng(cfg.seed ?? 0);
  const n = env.numStates;
  const psi = new Float64Array(n * n);
  for (let ep = 0; ep < episodes; ep++) {
    let s = rng.int(n);
    for (let t = 0; t < steps; t++) {
      const s2 = env.nextTable[s * NUM_ACTIONS + rng.int(NUM_ACTIONS)];
      // psi(s, :) += alpha * (1_s + gamma psi(s', :) - psi(s, :))
      for (let j = 0; j < n; j++) {
        const target = (j === s ? 1 : 0) + gamma * psi[s2 * n + j];
        psi[s * n + j] += alpha * (target - psi[s * n + j]);
      }
      s = s2;
    }
  }
  return psi;
}

/**
 * `sr`: eigenvectors of the symmetrised TD-learned successor representation (Psi + Psi^T)/2, largest
 * SR eigenvalue first. Eigenvalues are reported on the I - P scale: for Psi = (I - gamma P)^-1 an SR
 * eigenvalue mu maps to 1 - (1 - 1/mu)/gamma, so they are ascending like the other learners'.
 */
export class SrLearner implements EigenLearner {
  readonly name = 'sr';
  constructor(private readonly cfg: SrConfig = {}) {}
  async fit(env: GridWorld, k: number): Promise<Eigenfunctions> {
    checkK(env, k);
    const n = env.numStates;
    const gamma = this.cfg.gamma ?? 0.9;
    const psi = learnSuccessorRepresentation(env, this.cfg);
    const sym = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = 0.5 * (psi[i * n + j] + psi[j * n + i]);
    const { values, vectors } = symmetricEigen(sym, n);
    // descending SR eigenvalue = ascending I - P eigenvalue
    const idx = Array.from({ length: n }, (_, i) => n - 1 - i);
    const mapped = Float64Array.from(idx.map((i) => 1 - (1 - 1 / values[i]) / gamma));
    const vecs = idx.map((i) => vectors[i]);
    const episodes = this.cfg.episodes ?? 1000;
    const steps = this.cfg.steps ?? 100;
    return takeK(mapped, vecs, k, this.name, { transitions: episodes * steps, episodes, steps });
  }
}

/** Transitions (s, a uniform) -> s' with s drawn uniformly over states. */
export function sampleUniformTransitions(env: GridWorld, count: number, rng: Rng): Transitions {
  const states = new Int32Array(count);
  const next = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = rng.int(env.numStates);
    states[i] = s;
    next[i] = env.nextTable[s * NUM_ACTIONS + rng.int(NUM_ACTIONS)];
  }
  return { states, next };
}

/** Exact eigenfunctions to compare a learner with: `pvf` for pvf, I - P otherwise. */
export async function exactReference(env: GridWorld, learner: string, k: number): Promise<Eigenfunctions> {
  return learner === 'pvf' ? new PvfLearner().fit(env, k) : new RandomWalkLearner().fit(env, k);
}

/**
 * A learner by name. `spin` is loaded on demand (it pulls in TF.js); its settings are those of
 * SpinLearnerConfig in ./spin-learner, `sr` takes SrConfig.
 */
export async function createLearner(name: string, cfg: SrConfig & Record<string, unknown> = {}): Promise<EigenLearner> {
  switch (name) {
    case 'pvf':
      return new PvfLearner();
    case 'rw':
      return new RandomWalkLearner();
    case 'sr':
      return new SrLearner(cfg);
    case 'spin': {
      const { SpinLearner } = await import('./spin-learner');
      return new SpinLearner(cfg);
    }
    default:
      throw new Error(`unknown learner ${JSON.stringify(name)} (expected ${LEARNER_NAMES.join(', ')})`);
  }
}
