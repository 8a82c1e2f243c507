// Small dense linear algebra on k x k (or n x n) matrices in float64, row-major Float64Array.
// Used by the SpIN trainer for Cholesky / triangular solves / inverses, and by the demos and
// tests for exact symmetric eigendecompositions (through src/linalg.ts).
import { symmetricEigen } from '../linalg';

export type Mat = Float64Array; // row-major n x n

function checkSquare(a: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what}: matrix size must be a positive integer, got ${n}`);
  if (a.length !== n * n) throw new Error(`${what}: expected ${n}x${n}=${n * n} entries, got ${a.length}`);
}

export function identity(n: number): Mat {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Mat {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let l = 0; l < n; l++) {
      const ail = a[i * n + l];
      if (ail === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += ail * b[l * n + j];
    }
  return c;
}

export function transpose(a: ArrayLike<number>, n: number): Mat {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

export function symmetrize(a: ArrayLike<number>, n: number): Mat {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  return s;
}

/** Cholesky factor L (lower, row-major) with A = L L^T, or null when A is not positive definite. */
export function cholesky(a: ArrayLike<number>, n: number): Mat | null {
  checkSquare(a, n, 'cholesky');
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
    // relative pivot threshold: a pivot that lost ~all of its diagonal is numerically singular
    if (!(d > 1e-12 * Math.abs(a[j * n + j])) || !(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

export interface RegularizedCholesky {
  L: Mat;
  /** Multiple of the identity added to make the matrix positive definite (0 when it already was). */
  jitter: number;
}

/**
 * Cholesky with automatic regularisation: when A is not (numerically) positive definite, adds
 * eps * I with eps growing from 1e-10 * mean(diag) by 10x until the factorisation succeeds.
 * Throws when A contains non-finite values.
 */
export function choleskyRegularized(a: ArrayLike<number>, n: number): RegularizedCholesky {
  checkSquare(a, n, 'choleskyRegularized');
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error('choleskyRegularized: matrix has non-finite entries');
  const l0 = cholesky(a, n);
  if (l0) return { L: l0, jitter: 0 };
  let scale = 0;
  for (let i = 0; i < n; i++) scale += Math.abs(a[i * n + i]);
  scale = scale / n || 1;
  const b = Float64Array.from(a);
  for (let eps = 1e-10 * scale; eps < 1e6 * scale; eps *= 10) {
    for (let i = 0; i < n; i++) b[i * n + i] = a[i * n + i] + eps;
    const l = cholesky(b, n);
    if (l) return { L: l, jitter: eps };
  }
  throw new Error('choleskyRegularized: matrix could not be regularised to positive definite');
}

/** Solves L X = B for lower-triangular L (n x n), B n x m (row-major). */
export function solveLower(l: ArrayLike<number>, b: ArrayLike<number>, n: number, m = n): Mat {
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++)
    for (let i = 0; i < n; i++) {
      let s = x[i * m + c];
      for (let p = 0; p < i; p++) s -= l[i * n + p] * x[p * m + c];
      const d = l[i * n + i];
      if (d === 0) throw new Error('solveLower: singular triangular matrix');
      x[i * m + c] = s / d;
    }
  return x;
}

/** Solves U X = B for upper-triangular U (n x n), B n x m (row-major). */
export function solveUpper(u: ArrayLike<number>, b: ArrayLike<number>, n: number, m = n): Mat {
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++)
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * m + c];
      for (let p = i + 1; p < n; p++) s -= u[i * n + p] * x[p * m + c];
      const d = u[i * n + i];
      if (d === 0) throw new Error('solveUpper: singular triangular matrix');
      x[i * m + c] = s / d;
    }
  return x;
}

/** Inverse of a lower-triangular matrix (result is lower-triangular). */
export function invLower(l: ArrayLike<number>, n: number): Mat {
  checkSquare(l, n, 'invLower');
  return solveLower(l, identity(n), n, n);
}

/** Inverse of a symmetric positive-definite matrix via Cholesky. */
export function invSPD(a: ArrayLike<number>, n: number): Mat {
  const l = cholesky(a, n);
  if (!l) throw new Error('invSPD: matrix is not positive definite');
  const li = invLower(l, n);
  return matmul(transpose(li, n), li, n);
}

export interface SymEig {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Eigenvectors as columns (row-major n x n): vectors[r * n + c] is component r of vector c. */
  vectors: Mat;
}

/**
 * Symmetric eigendecomposition (the library's one solver, src/linalg.ts), eigenvectors as columns.
 * Ascending eigenvalues.
 */
export function symEig(a: ArrayLike<number>, n: number): SymEig {
  checkSquare(a, n, 'symEig');
  const e = symmetricEigen(symmetrize(a, n), n);
  const vectors = new Float64Array(n * n);
  e.vectors.forEach((v, c) => {
    for (let r = 0; r < n; r++) vectors[r * n + c] = v[r];
  });
  return { values: e.values, vectors };
}

/**
 * Generalised symmetric-definite eigenproblem A v = lambda B v (B positive definite).
 * Returns ascending eigenvalues and B-orthonormal eigenvectors (columns).
 */
export function symGenEig(a: ArrayLike<number>, b: ArrayLike<number>, n: number): SymEig {
  const { L } = choleskyRegularized(b, n);
  const li = invLower(L, n);
  const c = symmetrize(matmul(matmul(li, a, n), transpose(li, n), n), n);
  const e = symEig(c, n);
  return { values: e.values, vectors: matmul(transpose(li, n), e.vectors, n) };
}

/**
 * SpIN's ordered eigenfunctions from statistics: Sigma = L L^T, e(x) = L^-1 u(x) (demix = L^-T, so
 * e(x) = u(x) @ demix) and their eigenvalues diag(L^-1 Pi L^-T).
 */
export function demixFromStatistics(sigma: ArrayLike<number>, pi: ArrayLike<number>, k: number): { demix: Mat; eigenvalues: Mat } {
  const { L } = choleskyRegularized(symmetrize(sigma, k), k);
  const Li = invLower(L, k);
  const lam = matmul(matmul(Li, symmetrize(pi, k), k), transpose(Li, k), k);
  return { demix: transpose(Li, k), eigenvalues: Float64Array.from({ length: k }, (_, i) => lam[i * k + i]) };
}
