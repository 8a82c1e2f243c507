// Linear slow-feature analysis on observation pairs (the baseline of the SpIN paper): PCA of the
// observations to p components, then the affine functions of those components that are slowest:
// the generalised eigenproblem  E[(z - z')(z - z')^T] a = lambda E[(z - mu)(z - mu)^T] a  on the
// pairs (z, z'), smallest lambda first. Reported on the I - P scale (lambda / 2), like the others.
import { symmetricEigen } from '../linalg';
import * as la from '../spin/linalg';

export interface LinearSfa {
  /** Mean of the inputs, [d]. */
  mean: Float64Array;
  /** Projection [d, k]: f(x) = (x - mean) @ projection. */
  projection: Float64Array;
  d: number;
  k: number;
  /** Training slowness of each function on the I - P scale (E[(f - f')^2] / (2 E[f^2])). */
  eigenvalues: Float64Array;
}

/**
 * Fits linear SFA. `x` holds n rows of d features; `pairs` lists (t, t') row pairs of consecutive
 * observations. p: PCA components kept (at most d), k: slow features returned (at most p).
 */
export function fitLinearSfa(x: Float64Array, n: number, d: number, pairs: Int32Array, p: number, k: number): LinearSfa {
  if (x.length !== n * d) throw new Error(`linear SFA: expected ${n * d} values, got ${x.length}`);
  if (!(Number.isInteger(p) && p >= 1 && p <= d)) throw new Error(`linear SFA: p must be in [1, ${d}], got ${p}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= p)) throw new Error(`linear SFA: k must be in [1, ${p}], got ${k}`);
  if (pairs.length < 2) throw new Error('linear SFA: needs at least one pair');
  const mean = new Float64Array(d);
  for (let t = 0; t < n; t++) for (let i = 0; i < d; i++) mean[i] += x[t * d + i] / n;
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < d; i++) row[i] = x[t * d + i] - mean[i];
    for (let i = 0; i < d; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      for (let j = i; j < d; j++) C[i * d + j] += ri * row[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) C[j * d + i] = C[i * d + j] = C[i * d + j] / n;
  const pca = symmetricEigen(C, d);
  // top-p principal directions, [d, p]
  const U = new Float64Array(d * p);
  for (let c = 0; c < p; c++) {
    const v = pca.vectors[d - 1 - c];
    for (let i = 0; i < d; i++) U[i * p + c] = v[i];
  }
  const project = (t: number, out: Float64Array): void => {
    out.fill(0);
    for (let i = 0; i < d; i++) {
      const xi = x[t * d + i] - mean[i];
      if (xi === 0) continue;
      for (let c = 0; c < p; c++) out[c] += xi * U[i * p + c];
    }
  };
  const S = new Float64Array(p * p);
  const P = new Float64Array(p * p);
  const z = new Float64Array(p);
  const z2 = new Float64Array(p);
  for (let t = 0; t < n; t++) {
    project(t, z);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) S[i * p + j] += (z[i] * z[j]) / n;
  }
  const m = pairs.length / 2;
  for (let q = 0; q < m; q++) {
    project(pairs[2 * q], z);
    project(pairs[2 * q + 1], z2);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) P[i * p + j] += ((z[i] - z2[i]) * (z[j] - z2[j])) / m;
  }
  const g = la.symGenEig(P, S, p);
  const projection = new Float64Array(d * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += U[i * p + c] * g.vectors[c * p + j];
    projection[i * k + j] = s;
  }
  return { mean, projection, d, k, eigenvalues: Float64Array.from(g.values.slice(0, k), (v) => v / 2) };
}

/** f(x) for n rows, [n, k]. */
export function applyLinearSfa(sfa: LinearSfa, x: Float64Array, n: number): Float64Array {
  const { d, k } = sfa;
  const out = new Float64Array(n * k);
  for (let t = 0; t < n; t++) for (let i = 0; i < d; i++) {
    const xi = x[t * d + i] - sfa.mean[i];
    if (xi === 0) continue;
    for (let j = 0; j < k; j++) out[t * k + j] += xi * sfa.projection[i * k + j];
  }
  return out;
}

/**
 * Slowness of features on pairs, on the I - P scale: per function E[(f - f')^2] / (2 Var f), and
 * the generalised eigenvalues of the span (basis-independent), ascending.
 */
export function pairSlowness(f: Float64Array, n: number, k: number, pairs: Int32Array): { perFunction: number[]; span: number[] } {
  const mean = new Float64Array(k);
  for (let t = 0; t < n; t++) for (let j = 0; j < k; j++) mean[j] += f[t * k + j] / n;
  const S = new Float64Array(k * k);
  for (let t = 0; t < n; t++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) S[i * k + j] += ((f[t * k + i] - mean[i]) * (f[t * k + j] - mean[j])) / n;
  const m = pairs.length / 2;
  const P = new Float64Array(k * k);
  for (let q = 0; q < m; q++) {
    const a = pairs[2 * q];
    const b = pairs[2 * q + 1];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) P[i * k + j] += ((f[a * k + i] - f[b * k + i]) * (f[a * k + j] - f[b * k + j])) / m;
  }
  const perFunction = Array.from({ length: k }, (_, i) => (S[i * k + i] > 0 ? P[i * k + i] / (2 * S[i * k + i]) : NaN));
  const ridge = new Float64Array(S);
  let tr = 0;
  for (let i = 0; i < k; i++) tr += S[i * k + i];
  for (let i = 0; i < k; i++) ridge[i * k + i] += 1e-9 * (tr / k + 1e-12);
  const span = Array.from(la.symGenEig(P, ridge, k).values, (v) => v / 2);
  return { perFunction, span };
}
