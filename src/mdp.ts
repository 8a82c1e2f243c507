// Finite deterministic worlds whose states can be listed (gridworlds): the exact model that the
// tabular learners (pvf, rw, sr), value-iteration options and the exact metrics (diffusion time)
// need. Learners from observations never see it; evaluations use it as ground truth.
import type { Observation } from './env';

export interface FiniteMDP {
  readonly numStates: number;
  readonly numActions: number;
  /** numStates * numActions table: next state of (s, a); s itself for a bump into a wall. */
  readonly nextTable: Int32Array;
}

/** A finite world that can also render each state as an observation of a named kind. */
export interface ObservableMDP extends FiniteMDP {
  /** Shape of one observation of this kind. */
  observationShapeOf(kind: string): readonly number[];
  /** Observations of the given states, concatenated. */
  observeStates(states: ArrayLike<number>, kind: string): Observation;
}

export function checkState(mdp: FiniteMDP, s: number): void {
  if (!Number.isInteger(s) || s < 0 || s >= mdp.numStates) throw new Error(`state ${s} out of range [0, ${mdp.numStates})`);
}

/** Uniform-random-walk transition matrix P (row-major n*n), bumps as self-loops. */
export function randomWalkMatrix(mdp: FiniteMDP): Float64Array {
  const n = mdp.numStates;
  const A = mdp.numActions;
  const P = new Float64Array(n * n);
  for (let s = 0; s < n; s++) for (let a = 0; a < A; a++) P[s * n + mdp.nextTable[s * A + a]] += 1 / A;
  return P;
}

/** Adjacency W (row-major n*n): 1 where some action leads from s to another state t. */
export function adjacencyMatrix(mdp: FiniteMDP): Float64Array {
  const n = mdp.numStates;
  const A = mdp.numActions;
  const W = new Float64Array(n * n);
  for (let s = 0; s < n; s++) {
    for (let a = 0; a < A; a++) {
      const t = mdp.nextTable[s * A + a];
      if (t !== s) W[s * n + t] = 1;
    }
  }
  return W;
}

/** Machado's normalised graph Laplacian D^{-1/2}(D - W)D^{-1/2}, W the adjacency. */
export function normalizedLaplacian(mdp: FiniteMDP): Float64Array {
  const n = mdp.numStates;
  const W = adjacencyMatrix(mdp);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i] += W[i * n + j];
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dij = i === j ? d[i] : 0;
      const denom = Math.sqrt(d[i] * d[j]);
      // an isolated state (degree 0) gets a zero row and column
      L[i * n + j] = denom === 0 ? 0 : (dij - W[i * n + j]) / denom;
    }
  }
  return L;
}

/** I - P for the uniform random walk with bumps as self-loops (symmetric on gridworlds). */
export function randomWalkLaplacian(mdp: FiniteMDP): Float64Array {
  const n = mdp.numStates;
  const P = randomWalkMatrix(mdp);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) L[i] = -P[i];
  for (let i = 0; i < n; i++) L[i * n + i] += 1;
  return L;
}
