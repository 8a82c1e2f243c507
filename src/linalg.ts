// Dense linear algebra on plain row-major Float64Arrays: the library's one symmetric eigensolver
// and a linear solver. Used for exact eigenvectors of tabular operators (up to a few thousand
// states) and, through src/spin/linalg.ts, for the small k x k matrices of SpIN.
//
// symmetricEigen: Householder reduction to tridiagonal form (A = Q T Q^T), then implicit QR steps
// with Wilkinson shifts on T, each Givens rotation also applied to Q. O(n^3) work in all.

export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** vectors[i] is the unit eigenvector of values[i]. */
  vectors: Float64Array[];
}

/** Largest relative asymmetry |a_ij - a_ji| / (1 + |a_ij|) accepted (then the mean is used). */
const SYMMETRY_TOLERANCE = 1e-9;
const EPS = 2.220446049250313e-16;
/** QR iterations allowed per eigenvalue before giving up. */
const MAX_ITERATIONS_PER_VALUE = 60;

/** Eigendecomposition of a symmetric n*n matrix (row-major), eigenvalues ascending. */
export function symmetricEigen(A: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0) throw new Error(`symmetricEigen: n must be a non-negative integer, got ${n}`);
  if (A.length !== n * n) throw new Error(`symmetricEigen: expected ${n * n} entries, got ${A.length}`);
  const a = Float64Array.from(A);
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(a[i])) throw new Error('symmetricEigen: matrix has non-finite entries');
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.abs(a[i * n + j] - a[j * n + i]);
      if (d > SYMMETRY_TOLERANCE * (1 + Math.abs(a[i * n + j]))) throw new Error(`symmetricEigen: matrix is not symmetric at (${i}, ${j})`);
      const m = 0.5 * (a[i * n + j] + a[j * n + i]);
      a[i * n + j] = m;
      a[j * n + i] = m;
    }
  }
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const { d, e } = tridiagonalize(a, q, n);
  tridiagonalQR(d, e, q, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y] || x - y);
  const values = Float64Array.from(order.map((i) => d[i]));
  const vectors = order.map((i) => {
    const v = new Float64Array(n);
    for (let r = 0; r < n; r++) v[r] = q[r * n + i];
    return v;
  });
  return { values, vectors };
}

/**
 * Householder reduction of the symmetric `a` (overwritten) to tridiagonal T = Q^T A Q; Q (identity
 * on entry) accumulates the reflections. Returns T's diagonal d and off-diagonal e (e[i] = T[i, i+1]).
 */
function tridiagonalize(a: Float64Array, q: Float64Array, n: number): { d: Float64Array; e: Float64Array } {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const lo = k + 1;
    let norm = 0;
    for (let i = lo; i < n; i++) norm += a[i * n + k] * a[i * n + k];
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = a[lo * n + k] > 0 ? -norm : norm;
    // v = x - alpha e_1, normalised: H = I - 2 v v^T maps x to alpha e_1
    let vn = 0;
    for (let i = lo; i < n; i++) {
      v[i] = a[i * n + k] - (i === lo ? alpha : 0);
      vn += v[i] * v[i];
    }
    vn = Math.sqrt(vn);
    if (vn === 0) continue;
    for (let i = lo; i < n; i++) v[i] /= vn;
    // trailing block S <- H S H = S - 2 (v w^T + w v^T), w = S v - (v^T S v) v
    let vsv = 0;
    for (let i = lo; i < n; i++) {
      let s = 0;
      for (let j = lo; j < n; j++) s += a[i * n + j] * v[j];
      p[i] = s;
      vsv += v[i] * s;
    }
    for (let i = lo; i < n; i++) p[i] -= vsv * v[i];
    for (let i = lo; i < n; i++) {
      for (let j = lo; j < n; j++) a[i * n + j] -= 2 * (v[i] * p[j] + p[i] * v[j]);
    }
    a[lo * n + k] = alpha;
    a[k * n + lo] = alpha;
    for (let i = lo + 1; i < n; i++) {
      a[i * n + k] = 0;
      a[k * n + i] = 0;
    }
    // Q <- Q H on columns lo..n-1
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = lo; j < n; j++) s += q[r * n + j] * v[j];
      if (s === 0) continue;
      for (let j = lo; j < n; j++) q[r * n + j] -= 2 * s * v[j];
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  for (let i = 0; i + 1 < n; i++) e[i] = a[i * n + i + 1];
  return { d, e };
}

/**
 * Diagonalises the symmetric tridiagonal (d, e) in place by implicit shifted QR steps; every
 * rotation is applied to the columns of q, so q ends holding the eigenvectors of the original matrix.
 */
function tridiagonalQR(d: Float64Array, e: Float64Array, q: Float64Array, n: number): void {
  // an off-diagonal entry counts as zero when it is negligible next to its diagonal neighbours or,
  // where those are (near) zero themselves, next to the whole matrix
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i + 1 < n ? Math.abs(e[i]) : 0));
  const floor = EPS * norm;
  let hi = n - 1;
  let iterations = 0;
  while (hi > 0) {
    for (let i = 0; i < hi; i++) if (Math.abs(e[i]) <= Math.max(floor, EPS * (Math.abs(d[i]) + Math.abs(d[i + 1])))) e[i] = 0;
    if (e[hi - 1] === 0) {
      hi--;
      iterations = 0;
      continue;
    }
    if (++iterations > MAX_ITERATIONS_PER_VALUE) throw new Error('symmetricEigen: QR iteration did not converge');
    let lo = hi - 1;
    while (lo > 0 && e[lo - 1] !== 0) lo--;
    // Wilkinson shift: the eigenvalue of the trailing 2x2 block closer to d[hi]
    const delta = (d[hi - 1] - d[hi]) / 2;
    const b = e[hi - 1];
    const mu = d[hi] - (b * b) / (delta + (delta >= 0 ? 1 : -1) * Math.hypot(delta, b));
    let x = d[lo] - mu;
    let z = e[lo];
    for (let k = lo; k < hi; k++) {
      const r = Math.hypot(x, z);
      const c = r === 0 ? 1 : x / r;
      const s = r === 0 ? 0 : z / r;
      if (k > lo) e[k - 1] = r;
      // T <- R T R^T in the (k, k+1) plane, R = [[c, s], [-s, c]]
      const dk = d[k];
      const dk1 = d[k + 1];
      const ek = e[k];
      d[k] = c * c * dk + 2 * c * s * ek + s * s * dk1;
      d[k + 1] = s * s * dk - 2 * c * s * ek + c * c * dk1;
      e[k] = c * s * (dk1 - dk) + (c * c - s * s) * ek;
      let bulge = 0;
      if (k + 1 < hi) {
        bulge = s * e[k + 1];
        e[k + 1] *= c;
      }
      // Q <- Q R^T
      for (let row = 0; row < n; row++) {
        const qk = q[row * n + k];
        const qk1 = q[row * n + k + 1];
        q[row * n + k] = c * qk + s * qk1;
        q[row * n + k + 1] = -s * qk + c * qk1;
      }
      x = e[k];
      z = bulge;
    }
  }
}

/** Solves A x = b for square A (row-major n*n) by LU with partial pivoting. Throws when singular. */
export function solveLinear(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  if (A.length !== n * n || b.length !== n) throw new Error('solveLinear: dimension mismatch');
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let piv = k;
    let best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best < 1e-300) throw new Error('solveLinear: matrix is singular');
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[piv * n + j];
        a[piv * n + j] = t;
      }
      const t = x[k];
      x[k] = x[piv];
      x[piv] = t;
    }
    const akk = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / akk;
      if (f === 0) continue;
      a[i * n + k] = 0;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * x[j];
    x[i] = s / a[i * n + i];
  }
  return x;
}

/** A v for a row-major n x n matrix A. */
export function matVec(A: ArrayLike<number>, n: number, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += A[r * n + c] * v[c];
    out[r] = s;
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths differ (${a.length} vs ${b.length})`);
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}
