// Deterministic quadrature over the box [-L, L]^2 for the hydrogen demo's final evaluation.
//
// Polar coordinates around the nucleus, split into 8 angular octants [j pi/4, (j + 1) pi/4]: in each,
// the radius runs from 0 to R(theta) = L / max(|cos theta|, |sin theta|), which is smooth (analytic)
// inside the octant (the kinks of R sit on the octant edges). Gauss-Legendre in theta per octant, and
// Gauss-Legendre in t in [0, 1] with the log map r = r0 expm1(t ln(1 + R / r0)), which spreads the
// nodes over both the nuclear scale (~0.5) and the outer shells (~20). The area element r dr dtheta
// becomes r (r + r0) ln(1 + R / r0) dt dtheta: smooth integrands in (r, theta), including the
// potential term u_i u_j / r times r, are integrated with spectral accuracy.
//
// Also: the Rayleigh-Ritz values of a learned span (generalised problem Pi v = lambda Sigma v).
import * as la from '../linalg';

export interface GaussLegendreRule {
  /** nodes in (-1, 1), ascending */
  nodes: Float64Array;
  /** weights, summing to 2 */
  weights: Float64Array;
}

/** Largest Gauss-Legendre rule offered (nodes per direction). */
export const MAX_GAUSS_LEGENDRE_NODES = 4096;
/** Default nodes of the box quadrature: per octant in theta, and in the radius. */
export const DEFAULT_QUADRATURE_ANGULAR = 32;
export const DEFAULT_QUADRATURE_RADIAL = 128;

/** n-point Gauss-Legendre rule on [-1, 1] (Newton iteration on P_n from Chebyshev guesses, float64). */
export function gaussLegendre(n: number): GaussLegendreRule {
  if (!Number.isInteger(n) || n < 1 || n > MAX_GAUSS_LEGENDRE_NODES) throw new Error(`gaussLegendre: n must be an integer in [1, ${MAX_GAUSS_LEGENDRE_NODES}], got ${n}`);
  const nodes = new Float64Array(n), weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P_n(x) and P_n'(x) by the three-term recurrence
      let p0 = 1, p1 = x;
      for (let m = 2; m <= n; m++) { const p2 = ((2 * m - 1) * x * p1 - (m - 1) * p0) / m; p0 = p1; p1 = p2; }
      const pn = n === 1 ? x : p1, pm = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pm)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    // recompute the derivative at the converged node
    let p0 = 1, p1 = x;
    for (let m = 2; m <= n; m++) { const p2 = ((2 * m - 1) * x * p1 - (m - 1) * p0) / m; p0 = p1; p1 = p2; }
    dp = n === 1 ? 1 : (n * (x * p1 - p0)) / (x * x - 1);
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x; weights[i] = w;
    nodes[n - 1 - i] = x; weights[n - 1 - i] = w;
  }
  if (n % 2 === 1) nodes[(n - 1) / 2] = 0;
  return { nodes, weights };
}

export interface HydrogenQuadratureOptions {
  /** Box half-width L (atomic units). */
  boxHalfWidth: number;
  /** Gauss-Legendre nodes in theta per octant (default 32). */
  angular?: number;
  /** Gauss-Legendre nodes in the log-mapped radius per angle (default 128). */
  radial?: number;
  /** Scale r0 of the log map r = r0 expm1(t ln(1 + R / r0)) (default 0.5). */
  radialScale?: number;
}

export interface HydrogenQuadrature {
  /** node coordinates (x, y) in atomic units, [n * 2] */
  points: Float64Array;
  /** area weights: sum_q w_q f(x_q) ~ integral of f over the box; they sum to 4 L^2 */
  weights: Float64Array;
  n: number;
  boxHalfWidth: number;
}

/** Quadrature nodes and area weights over the box [-L, L]^2 (see the file comment). */
export function hydrogenQuadrature(opts: HydrogenQuadratureOptions): HydrogenQuadrature {
  const L = opts.boxHalfWidth;
  const na = opts.angular ?? DEFAULT_QUADRATURE_ANGULAR, nr = opts.radial ?? DEFAULT_QUADRATURE_RADIAL, r0 = opts.radialScale ?? 0.5;
  if (!(L > 0) || !Number.isFinite(L)) throw new Error(`hydrogenQuadrature: box half-width must be finite and > 0, got ${L}`);
  for (const [name, v] of [['angular', na], ['radial', nr]] as [string, number][])
    if (!Number.isInteger(v) || v < 1 || v > MAX_GAUSS_LEGENDRE_NODES) throw new Error(`hydrogenQuadrature: ${name} must be an integer in [1, ${MAX_GAUSS_LEGENDRE_NODES}], got ${v}`);
  if (!(r0 > 0) || !Number.isFinite(r0)) throw new Error(`hydrogenQuadrature: radial scale must be finite and > 0, got ${r0}`);
  const ga = gaussLegendre(na), gr = gaussLegendre(nr);
  const n = 8 * na * nr;
  const points = new Float64Array(2 * n), weights = new Float64Array(n);
  let q = 0;
  for (let oct = 0; oct < 8; oct++) {
    const a0 = (oct * Math.PI) / 4;
    for (let i = 0; i < na; i++) {
      const th = a0 + (Math.PI / 8) * (ga.nodes[i] + 1);
      const wth = (Math.PI / 8) * ga.weights[i];
      const c = Math.cos(th), s = Math.sin(th);
      const R = L / Math.max(Math.abs(c), Math.abs(s));
      const span = Math.log1p(R / r0);
      for (let j = 0; j < nr; j++) {
        const t = 0.5 * (gr.nodes[j] + 1);
        const r = r0 * Math.expm1(t * span);
        // dr/dt = (r + r0) span; area element r dr dtheta; dt = weight / 2
        points[2 * q] = r * c; points[2 * q + 1] = r * s;
        weights[q] = wth * 0.5 * gr.weights[j] * r * (r + r0) * span;
        q++;
      }
    }
  }
  return { points, weights, n, boxHalfWidth: L };
}

export interface RitzResult {
  /** SpIN's eigenvalues diag(L^-1 Pi L^-T) (Sigma = L L^T, Cholesky), in feature order */
  diagonal: number[];
  /** Rayleigh-Ritz values: eigenvalues of Pi v = lambda Sigma v on the span, ascending */
  ritz: number[];
}

/** SpIN's diag(L^-1 Pi L^-T) and the Ritz values of the span, from k x k Sigma and Pi (row-major). */
export function spanEigenvalues(sigma: ArrayLike<number>, pi: ArrayLike<number>, k: number): RitzResult {
  if (sigma.length !== k * k || pi.length !== k * k) throw new Error(`spanEigenvalues: Sigma and Pi must have ${k * k} entries`);
  const s = la.symmetrize(sigma, k), p = la.symmetrize(pi, k);
  const { L } = la.choleskyRegularized(s, k);
  const Li = la.invLower(L, k);
  const lam = la.matmul(la.matmul(Li, p, k), la.transpose(Li, k), k);
  const diagonal = Array.from({ length: k }, (_, i) => lam[i * k + i]);
  const ritz = Array.from(la.symGenEig(p, s, k).values);
  return { diagonal, ritz };
}
