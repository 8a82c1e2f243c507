// Scores of learned eigenfunctions against the exact eigenvectors of the same operator.
//
// - |cos|: the plain per-vector cosine with the exact eigenvector of the same index (what ALLO
//   reports). Undefined up to rotation where eigenvalues repeat, so it can be low for a correct
//   answer there.
// - projection: the norm of the (unit) learned vector's orthogonal projection onto the exact
//   eigenspace of its index's eigenvalue (all exact eigenvectors whose eigenvalue lies within
//   `tolerance` of it, including ones beyond index k). Invariant to rotations inside a degenerate
//   eigenspace; equals |cos| where the eigenvalue is simple.
// - Ritz values: the Rayleigh-Ritz values of the learned span (eigenvalues of the operator
//   compressed to the span), against the exact first k: how good the span is, whatever the order.
import { dot, matVec, symmetricEigen } from '../linalg';

export interface ExactSpectrum {
  /** All eigenvalues, ascending. */
  values: Float64Array;
  /** Unit eigenvectors (at least those of the first k values and of any eigenvalue tied to them). */
  vectors: Float64Array[];
}

export interface EigenScores {
  /** Per learned vector: |cos| with exact vector i. */
  cosine: number[];
  /** Per learned vector: norm of its projection onto exact eigenspace of eigenvalue i. */
  projection: number[];
  averageCosine: number;
  averageProjection: number;
  /** Rayleigh quotient of each learned vector under the operator. */
  rayleigh: number[];
  /** Rayleigh-Ritz values of the learned span, ascending. */
  ritz: number[];
  /** Exact eigenvalues 1..k. */
  exact: number[];
  /** Per learned vector: the indices (0-based) of the eigenspace it was projected on. */
  eigenspace: number[][];
}

/** Default tolerance for eigenvalues to count as equal: relative to the largest |eigenvalue|. */
export const DEGENERACY_TOLERANCE = 1e-8;

/** The full spectrum of a symmetric operator (row-major n*n). */
export function exactSpectrum(operator: ArrayLike<number>, n: number): ExactSpectrum {
  return symmetricEigen(operator, n);
}

/** Indices j with |values[j] - values[i]| <= tol * scale (the eigenspace of index i). */
export function eigenspaceOf(values: ArrayLike<number>, i: number, tolerance = DEGENERACY_TOLERANCE): number[] {
  let scale = 0;
  for (let j = 0; j < values.length; j++) scale = Math.max(scale, Math.abs(values[j]));
  const tol = tolerance * Math.max(scale, 1e-300);
  const out: number[] = [];
  for (let j = 0; j < values.length; j++) if (Math.abs(values[j] - values[i]) <= tol) out.push(j);
  return out;
}

/**
 * Scores learned vectors (learned[i] over all states, any scale and sign) against the exact spectrum
 * of `operator` (row-major n*n, used for Rayleigh quotients and Ritz values).
 */
export function scoreEigenvectors(learned: ArrayLike<number>[], exact: ExactSpectrum, operator: ArrayLike<number>, n: number, tolerance = DEGENERACY_TOLERANCE): EigenScores {
  const k = learned.length;
  if (k > exact.values.length) throw new Error(`scoreEigenvectors: ${k} learned vectors but only ${exact.values.length} exact eigenvalues`);
  const units = learned.map((v, i) => {
    if (v.length !== n) throw new Error(`scoreEigenvectors: learned vector ${i} has ${v.length} entries, expected ${n}`);
    const norm = Math.sqrt(dot(v, v));
    return Float64Array.from(v, (x) => (norm > 0 ? x / norm : 0));
  });
  const cosine: number[] = [];
  const projection: number[] = [];
  const eigenspace: number[][] = [];
  for (let i = 0; i < k; i++) {
    cosine.push(Math.abs(dot(units[i], exact.vectors[i])));
    const space = eigenspaceOf(exact.values, i, tolerance);
    eigenspace.push(space);
    let p2 = 0;
    for (const j of space) p2 += dot(units[i], exact.vectors[j]) ** 2;
    projection.push(Math.sqrt(Math.min(1, p2)));
  }
  const Av = units.map((u) => matVec(operator, n, u));
  const rayleigh = units.map((u, i) => dot(u, Av[i]));
  // Ritz values: eigenvalues of (Q^T A Q) on an orthonormal basis Q of the span (Gram-Schmidt twice)
  const basis: Float64Array[] = [];
  for (const u of units) {
    const q = Float64Array.from(u);
    for (let pass = 0; pass < 2; pass++) for (const b of basis) {
      const c = dot(q, b);
      for (let r = 0; r < n; r++) q[r] -= c * b[r];
    }
    const norm = Math.sqrt(dot(q, q));
    if (norm > 1e-8) basis.push(q.map((x) => x / norm));
  }
  const m = basis.length;
  const H = new Float64Array(m * m);
  const Ab = basis.map((b) => matVec(operator, n, b));
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) H[a * m + b] = dot(basis[a], Ab[b]);
  const ritz = m > 0 ? Array.from(symmetricEigen(H, m).values) : [];
  const mean = (a: number[]): number => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : NaN);
  return {
    cosine,
    projection,
    averageCosine: mean(cosine),
    averageProjection: mean(projection),
    rayleigh,
    ritz,
    exact: Array.from(exact.values.slice(0, k)),
    eigenspace,
  };
}
