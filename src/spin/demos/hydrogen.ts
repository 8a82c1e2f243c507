// Demo: the 2D hydrogen atom H = -1/2 Lap - 1/|x| on the box [-L, L]^2 (L = 50): per eigenfunction an
// MLP of [x / (1 + r), y / (1 + r), ln(1 + r)] times a learnable exponential envelope (hydrogenModel.ts),
// multiplied by a boundary mask (zero at the box edge). The final evaluation is a deterministic
// quadrature over the exact box (hydrogenQuadrature.ts), reporting SpIN's diag(L^-1 Pi L^-T) and the
// Ritz values of the learned span.
// Exact eigenvalues E_n = -1 / (2 (n - 1/2)^2) with degeneracy 2n - 1: -2, -2/9 (x3), -2/25 (x5).
// The network works in scaled coordinates s = x / L in [-1, 1]^2, where
// H = -(1 / (2 L^2)) Lap_s - 1 / (L |s|) (same eigenvalues).
//
// Expectations are over the uniform distribution p on the box (the setting). 'uniform'
// sampling draws from p; 'importance' draws from a mixture q = a p + (1 - a) q_r, q_r a radial
// density concentrated near the nucleus (angle uniform, radius r in [0, L] with density
// 1 / ((r + r0) ln(1 + L / r0)), i.e. log-uniform in r + r0), and weights every example by the exact
// ratio w = p / q, so E_q[w f] = E_p[f] for Sigma, Pi and the Jacobian of Sigma (unbiased; the
// operator and its eigenvalues are unchanged).
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { gram, kineticOperator, potentialOperator, sumOperators } from '../operators';
import type { SpinOperator } from '../operators';
import { LazyFeatureBatch, SpectralNetwork, SpinEstimator } from '../network';
import { Rng } from '../../rng';
import { writeHeatPng } from '../../viz/frames';
import { hydrogenQuadrature, spanEigenvalues } from './hydrogenQuadrature';
import { buildHydrogenModel } from './hydrogenModel';
import type { HydrogenArchitecture, HydrogenInputs } from './hydrogenModel';

export type { HydrogenArchitecture, HydrogenInputs } from './hydrogenModel';

export interface HydrogenDemoOptions {
  k?: number;
  iterations?: number;
  /** Stop after this many seconds even if iterations remain (0 = no limit). */
  maxSeconds?: number;
  batch?: number;
  hidden?: number;
  /** Adam learning rate (default 3e-2, cosine-decayed to lrFinal) */
  learningRate?: number;
  decay?: number;
  estimator?: SpinEstimator;
  /** Deprecated alias of `kinetic`: 'autodiff' = 'dirichlet', 'finite-difference' = 'laplacian'. */
  laplacian?: 'autodiff' | 'finite-difference';
  /** Kinetic term: 'dirichlet' (1/2 E[grad u_i . grad u_j], autodiff) or 'laplacian' (E[u_i (-1/2 Lap_h u_j)], finite differences, default: ~2.4x cheaper per step). */
  kinetic?: HydrogenKinetic;
  /** 'importance' (default) or 'uniform' (the setting). */
  sampling?: HydrogenSampling;
  /** Fraction of uniform points in the importance mixture (default 0.25). */
  uniformFraction?: number;
  /** Scale r0 (atomic units) of the radial proposal (default 1). */
  radialScale?: number;
  /**
   * Network inputs: 'polar' (default: [x / (1 + r), y / (1 + r), ln(1 + r)], the direction at r >> 1, so
   * angular structure is as easy at r = 20 as at r = 1), 'radial' ([x / L, y / L, ln(1 + r)]) or 'xy'
   * ([x / L, y / L]); r = |x| in atomic units.
   */
  inputs?: HydrogenInputs;
  /**
   * Exponentials per eigenfunction in a learnable envelope u_i = MLP_i * sum_m pi_im exp(-sigma_im r)
   * (default 6, 0 with 'xy' inputs; 0 = plain MLP; needs 'radial' or 'polar' inputs). Initial rates log-spaced in
   * [envelopeRateMin, envelopeRateMax] (default 0.1 and 3).
   */
  envelope?: number;
  envelopeRateMin?: number;
  envelopeRateMax?: number;
  /**
   * 'shared': one MLP with k outputs (a Dense chain: exact contraction Jacobians for the
   * jacobian-average estimator); 'separate': one MLP of `hidden` units per eigenfunction (k branches),
   * so the ordered gradient of one eigenfunction does not share hidden weights (and Adam statistics)
   * with the others; 'grouped' (default): the same k MLPs evaluated with batched matrix products
   * (~3x more steps per second than 'separate'). jacobian-average with decay < 1 then costs k backward
   * passes per step with 'grouped' (the trainer's grouped Jacobian path), k(k+1)/2 with 'separate'.
   */
  architecture?: HydrogenArchitecture;
  /** Hidden layers (default 3). */
  layers?: number;
  activation?: 'softplus' | 'tanh';
  /**
   * Learning-rate schedule: 'constant' or 'cosine' (decays to lrFinal over the budget; progress is the
   * larger of iterations done / iterations and, with maxSeconds, seconds spent / maxSeconds).
   */
  schedule?: 'constant' | 'cosine';
  /** Final learning rate of the cosine schedule (default learningRate / 100). */
  lrFinal?: number;
  /**
   * Final evaluation of the trained features (Sigma and Pi of the raw features; eigenvalues
   * diag(L^-1 Pi L^-T) as SpIN defines them, and the Ritz values of their span), kinetic term in
   * Dirichlet form (exact first derivatives: Rayleigh quotients, variational upper bounds up to the
   * integration error, whatever the training used):
   * 'quadrature' (default): deterministic Gauss-Legendre quadrature over the exact box
   * (hydrogenQuadrature; ~1e-6 relative on smooth features); 'monte-carlo': `evalPoints` fresh
   * importance-weighted points (~1% noise); 'none': the trainer's running estimate.
   * The finite-difference Laplacian form on the same points is reported too (evalLaplacianEigenvalues).
   */
  evaluation?: HydrogenEvaluation;
  /** Points of the Monte-Carlo evaluation (default 65536; 0 = no evaluation, as 'none'). */
  evalPoints?: number;
  /** Gauss-Legendre nodes of the quadrature per octant in theta (default 32) and in the radius (default 128). */
  quadratureAngular?: number;
  quadratureRadial?: number;
  boxHalfWidth?: number;
  seed?: number;
  pngDir?: string;
  onProgress?: (it: number, loss: number, eig: number[]) => void;
}

export interface HydrogenDemoResult {
  demo: 'hydrogen';
  k: number;
  iterations: number;
  seconds: number;
  decay: number;
  sampling: HydrogenSampling;
  kinetic: HydrogenKinetic;
  inputs: HydrogenInputs;
  architecture: HydrogenArchitecture;
  estimator: SpinEstimator;
  batch: number;
  envelope: number;
  evaluation: HydrogenEvaluation;
  /**
   * learned eigenvalues, ascending: SpIN's diag(L^-1 Pi L^-T) of the trained features (what SpIN
   * learns), with Sigma and Pi from the final evaluation (the trainer's running estimate for 'none')
   */
  eigenvalues: number[];
  /** |E_learned - E_exact| / |E_exact| per eigenvalue (ascending order) */
  relativeErrors: number[];
  meanRelativeError: number;
  /**
   * Rayleigh-Ritz values of the learned span (eigenvalues of Pi v = lambda Sigma v, ascending): the best
   * eigenvalue estimates the k learned functions allow (each >= the exact one, up to integration error)
   */
  ritzEigenvalues: number[];
  ritzRelativeErrors: number[];
  /** null without a final evaluation ('none') */
  ritzMeanRelativeError: number | null;
  /** the same evaluation (SpIN diagonal) with the kinetic term in finite-difference Laplacian form, ascending */
  evalLaplacianEigenvalues: number[];
  /** the trainer's own estimate (averaged or last-batch statistics), ascending */
  trainerEigenvalues: number[];
  trainerMeanRelativeError: number;
  /** points of the final evaluation (quadrature nodes or Monte-Carlo points; 0 for 'none') */
  evalPoints: number;
  /** seconds spent in the final evaluation */
  evalSeconds: number;
  /**
   * quadrature only: the evaluation repeated with half the nodes per direction, and the largest change of
   * an eigenvalue (ascending, diagonal or Ritz) relative to the exact one, i.e. of a relative error
   */
  quadratureCheck: HydrogenQuadratureCheck | null;
  exact: number[];
  png: string[];
}

export interface HydrogenQuadratureCheck {
  angular: number;
  radial: number;
  maxRelativeDifference: number;
}

export type HydrogenSampling = 'uniform' | 'importance';
export type HydrogenKinetic = 'dirichlet' | 'laplacian';
/** Final evaluation: deterministic quadrature over the box (default), Monte-Carlo, or none (trainer's estimate). */
export type HydrogenEvaluation = 'quadrature' | 'monte-carlo' | 'none';

export interface HydrogenSamplerOptions {
  boxHalfWidth: number;
  sampling: HydrogenSampling;
  uniformFraction?: number;
  radialScale?: number;
}

/**
 * Draws B points of the box [-L, L]^2 in scaled coordinates s = x / L (into xs, [B * 2]) and their
 * importance weights w = p / q with p uniform on the box (into ws, [B]; all 1 for 'uniform').
 */
export class HydrogenSampler {
  readonly L: number;
  readonly sampling: HydrogenSampling;
  readonly a: number;
  readonly r0: number;
  private readonly logSpan: number;
  constructor(opts: HydrogenSamplerOptions) {
    this.L = opts.boxHalfWidth;
    this.sampling = opts.sampling;
    this.a = opts.uniformFraction ?? 0.25;
    this.r0 = opts.radialScale ?? 1;
    if (!(this.L > 0)) throw new Error(`HydrogenSampler: box half-width must be > 0, got ${this.L}`);
    if (this.sampling !== 'uniform' && this.sampling !== 'importance') throw new Error(`HydrogenSampler: sampling must be 'uniform' or 'importance', got '${String(this.sampling)}'`);
    if (!(this.a > 0 && this.a <= 1)) throw new Error(`HydrogenSampler: uniform fraction must be in (0, 1], got ${this.a}`);
    if (!(this.r0 > 0)) throw new Error(`HydrogenSampler: radial scale must be > 0, got ${this.r0}`);
    this.logSpan = Math.log1p(this.L / this.r0);
  }
  /** Proposal density q at a point x (atomic units), relative to area. */
  density(x: number, y: number): number {
    const pu = 1 / (4 * this.L * this.L);
    if (this.sampling === 'uniform') return Math.abs(x) <= this.L && Math.abs(y) <= this.L ? pu : 0;
    const r = Math.hypot(x, y);
    const radial = r <= this.L ? 1 / ((r + this.r0) * this.logSpan * 2 * Math.PI * r) : 0;
    return this.a * pu + (1 - this.a) * radial;
  }
  /** Importance weight p / q at x (0 at the nucleus, where q is infinite). */
  weight(x: number, y: number): number {
    if (this.sampling === 'uniform') return 1;
    const r = Math.hypot(x, y);
    if (r === 0) return 0;
    return 1 / (4 * this.L * this.L) / this.density(x, y);
  }
  fill(rng: Rng, xs: Float32Array, ws: Float32Array): void {
    const B = ws.length;
    if (xs.length !== 2 * B) throw new Error('HydrogenSampler.fill: xs must hold 2 values per weight');
    const L = this.L;
    for (let b = 0; b < B; b++) {
      let x: number, y: number;
      if (this.sampling === 'uniform' || rng.next() < this.a) {
        x = rng.uniform(-L, L); y = rng.uniform(-L, L);
      } else {
        const r = this.r0 * Math.expm1(rng.next() * this.logSpan);
        const th = 2 * Math.PI * rng.next();
        x = r * Math.cos(th); y = r * Math.sin(th);
      }
      xs[2 * b] = x / L; xs[2 * b + 1] = y / L;
      ws[b] = this.weight(x, y);
    }
  }
}

/** Sigma = E[w u u^T] and Pi of each operator (k x k, row-major float64), accumulated over chunks. */
export interface HydrogenStatistics {
  sigma: Float64Array;
  pis: Float64Array[];
  n: number;
}

/**
 * Sigma and Pi of each operator in `ops` for features f over n points supplied chunk by chunk:
 * `next(m)` returns m points in scaled coordinates ([m * 2]) and their weights ([m], mean-normalised:
 * the weighted mean over the points is the uniform expectation over the box; undefined = all 1).
 */
export function hydrogenStatistics(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, n: number, next: (m: number) => { xs: Float32Array; ws?: Float32Array }, chunk = 4096): HydrogenStatistics {
  if (!Number.isInteger(n) || n < 1) throw new Error(`hydrogenStatistics: n must be a positive integer, got ${n}`);
  const sigma = new Float64Array(k * k);
  const pis = ops.map(() => new Float64Array(k * k));
  let done = 0;
  while (done < n) {
    const m = Math.min(chunk, n - done);
    const { xs, ws } = next(m);
    if (xs.length !== 2 * m || (ws && ws.length !== m)) throw new Error('hydrogenStatistics: chunk of the wrong size');
    const [s, ...ps] = tf.tidy(() => {
      const x = tf.tensor2d(xs, [m, 2]);
      const w = ws ? tf.tensor1d(ws) : undefined;
      const fb = new LazyFeatureBatch(f, x, undefined, w);
      return [gram(fb.u(), fb.u(), m, w).dataSync(), ...ops.map((op) => op.pi(fb, (t) => t).dataSync())];
    });
    for (let i = 0; i < k * k; i++) sigma[i] += s[i] * m;
    ps.forEach((p, o) => { for (let i = 0; i < k * k; i++) pis[o][i] += p[i] * m; });
    done += m;
  }
  return { sigma: sigma.map((v) => v / n), pis: pis.map((p) => p.map((v) => v / n)), n };
}

/** The same statistics on n points drawn by `sampler` (Monte-Carlo, in chunks). */
export function hydrogenMonteCarloStatistics(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, sampler: HydrogenSampler, rng: Rng, n: number, chunk = 4096): HydrogenStatistics {
  return hydrogenStatistics(f, ops, k, n, (m) => {
    const xs = new Float32Array(2 * m), ws = new Float32Array(m);
    sampler.fill(rng, xs, ws);
    return { xs, ws: sampler.sampling === 'importance' ? ws : undefined };
  }, chunk);
}

/**
 * Sigma and Pi of each operator in `ops` for features f on n points drawn by `sampler` (Monte-Carlo,
 * in chunks; the points and Sigma are shared by all operators), and Lambda = L^-1 Pi L^-T
 * (Sigma = L L^T); returns diag(Lambda) in feature order, one array per operator.
 */
export function evaluateHydrogenFeatures(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, sampler: HydrogenSampler, rng: Rng, n: number, chunk = 4096): number[][] {
  const st = hydrogenMonteCarloStatistics(f, ops, k, sampler, rng, n, chunk);
  return st.pis.map((pi) => spanEigenvalues(st.sigma, pi, k).diagonal);
}

/**
 * The same statistics over the deterministic box quadrature (hydrogenQuadrature: 8 octants x
 * `angular` x `radial` Gauss-Legendre nodes, log-mapped radius of scale `radialScale`).
 */
export function hydrogenQuadratureStatistics(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, opts: { boxHalfWidth: number; angular?: number; radial?: number; radialScale?: number }, chunk = 4096): HydrogenStatistics {
  const q = hydrogenQuadrature(opts);
  const L = opts.boxHalfWidth;
  const scale = q.n / (4 * L * L);
  let off = 0;
  return hydrogenStatistics(f, ops, k, q.n, (m) => {
    const xs = new Float32Array(2 * m), ws = new Float32Array(m);
    for (let b = 0; b < m; b++) {
      xs[2 * b] = q.points[2 * (off + b)] / L;
      xs[2 * b + 1] = q.points[2 * (off + b) + 1] / L;
      ws[b] = q.weights[off + b] * scale;
    }
    off += m;
    return { xs, ws };
  }, chunk);
}

/** The hydrogen Hamiltonian in scaled coordinates s = x / L: -(1 / (2 L^2)) Lap_s - 1 / (L |s|). */
export function hydrogenOperator(L: number, kinetic: HydrogenKinetic, eps = 1e-12): SpinOperator {
  const potential = (s: tf.Tensor) => tf.tidy(() => tf.div(-1 / L, tf.sqrt(tf.add(tf.sum(tf.square(s), 1), eps))));
  return sumOperators(kineticOperator({ form: kinetic, coefficient: 1 / (2 * L * L), h: 1e-3 }), potentialOperator(potential));
}

export function hydrogenExact(k: number): number[] {
  const out: number[] = [];
  for (let n = 1; out.length < k; n++) for (let d = 0; d < 2 * n - 1 && out.length < k; d++) out.push(-1 / (2 * (n - 0.5) ** 2));
  return out;
}

export function runHydrogenDemo(opts: HydrogenDemoOptions = {}): HydrogenDemoResult {
  const k = opts.k ?? 9;
  const iterations = opts.iterations ?? 20000;
  const batch = opts.batch ?? 512;
  const hidden = opts.hidden ?? 32;
  const L = opts.boxHalfWidth ?? 50;
  const decay = opts.decay ?? 1;
  const seed = opts.seed ?? 1;
  const nLayers = opts.layers ?? 3;
  const sampling = opts.sampling ?? 'importance';
  const inputs = opts.inputs ?? 'polar';
  const activation = opts.activation ?? 'softplus';
  const schedule = opts.schedule ?? 'cosine';
  const lr = opts.learningRate ?? 3e-2;
  const lrFinal = opts.lrFinal ?? lr / 100;
  const estimator = opts.estimator ?? 'jacobian-average';
  const envelope = opts.envelope ?? (inputs === 'xy' ? 0 : 6);
  const evalPointsOpt = opts.evalPoints ?? 65536;
  const evaluation: HydrogenEvaluation = evalPointsOpt === 0 ? 'none' : (opts.evaluation ?? 'quadrature');
  const kinetic: HydrogenKinetic = opts.kinetic ?? (opts.laplacian === 'autodiff' ? 'dirichlet' : 'laplacian');
  for (const [name, v] of [['k', k], ['iterations', iterations], ['batch', batch], ['hidden', hidden], ['layers', nLayers]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`hydrogen demo: ${name} must be a positive integer, got ${v}`);
  if (kinetic !== 'dirichlet' && kinetic !== 'laplacian') throw new Error(`hydrogen demo: kinetic must be 'dirichlet' or 'laplacian', got '${String(kinetic)}'`);
  if (opts.laplacian !== undefined && opts.laplacian !== 'autodiff' && opts.laplacian !== 'finite-difference') throw new Error(`hydrogen demo: laplacian must be 'autodiff' or 'finite-difference', got '${String(opts.laplacian)}'`);
  if (inputs !== 'radial' && inputs !== 'xy' && inputs !== 'polar') throw new Error(`hydrogen demo: inputs must be 'radial', 'polar' or 'xy', got '${String(inputs)}'`);
  if (activation !== 'softplus' && activation !== 'tanh') throw new Error(`hydrogen demo: activation must be 'softplus' or 'tanh', got '${String(activation)}'`);
  if (schedule !== 'constant' && schedule !== 'cosine') throw new Error(`hydrogen demo: schedule must be 'constant' or 'cosine', got '${String(schedule)}'`);
  if (!(lr > 0) || !(lrFinal > 0)) throw new Error('hydrogen demo: learning rates must be > 0');
  if (!Number.isInteger(envelope) || envelope < 0) throw new Error(`hydrogen demo: envelope must be a non-negative integer, got ${envelope}`);
  if (envelope > 0 && inputs === 'xy') throw new Error("hydrogen demo: the envelope needs 'radial' or 'polar' inputs");
  if (evaluation !== 'quadrature' && evaluation !== 'monte-carlo' && evaluation !== 'none') throw new Error(`hydrogen demo: evaluation must be 'quadrature', 'monte-carlo' or 'none', got '${String(evaluation)}'`);
  if (!Number.isInteger(evalPointsOpt) || evalPointsOpt < 0) throw new Error(`hydrogen demo: evalPoints must be a non-negative integer, got ${evalPointsOpt}`);
  const sampler = new HydrogenSampler({ boxHalfWidth: L, sampling, uniformFraction: opts.uniformFraction, radialScale: opts.radialScale });
  const inDim = inputs === 'xy' ? 2 : 3;
  const architecture = opts.architecture ?? 'grouped';
  if (architecture !== 'shared' && architecture !== 'separate' && architecture !== 'grouped') throw new Error(`hydrogen demo: architecture must be 'shared', 'separate' or 'grouped', got '${String(architecture)}'`);
  const model = buildHydrogenModel({
    k, inDim, hidden, layers: nLayers, activation, architecture, envelopeTerms: envelope, envelopeRateMin: opts.envelopeRateMin,
    envelopeRateMax: opts.envelopeRateMax, logRadiusColumn: inputs === 'xy' ? undefined : 2, seed,
  });
  // radial inputs: [s1, s2, ln(1 + L |s|)] (the log compresses the nuclear length scale 1 and the box scale L);
  // polar: [x / (1 + r), y / (1 + r), ln(1 + r)] with x = L s (smooth at the nucleus, the direction far from it)
  const inputTransform = inputs === 'xy' ? undefined : (s: tf.Tensor) => tf.tidy(() => {
    const r = tf.mul(tf.sqrt(tf.add(tf.sum(tf.square(s), 1, true), 1e-14)), L);
    const dir = inputs === 'radial' ? s : tf.div(tf.mul(s, L), tf.add(r, 1));
    return tf.concat([dir as tf.Tensor2D, tf.log1p(r) as tf.Tensor2D], 1);
  });
  const mask = (s: tf.Tensor) => tf.tidy(() => {
    const sq = tf.square(s as tf.Tensor2D);
    return tf.prod(tf.sub(1, sq), 1) as tf.Tensor1D;
  });
  const op = hydrogenOperator(L, kinetic);
  const optimizer = tf.train.adam(lr);
  const net = new SpectralNetwork({
    k, model, operator: op, optimizer, decay, seed, estimator, featureMask: mask, inputTransform,
  });
  const rng = Rng.mulberry(seed);
  const xs = new Float32Array(batch * 2);
  const wts = new Float32Array(batch);
  const t0 = Date.now();
  let it = 0;
  const maxMs = (opts.maxSeconds ?? 0) * 1000;
  for (it = 1; it <= iterations; it++) {
    if (schedule === 'cosine') {
      // Adam reads its (protected) learningRate at every update
      const progress = Math.min(1, Math.max((it - 1) / Math.max(1, iterations - 1), maxMs > 0 ? (Date.now() - t0) / maxMs : 0));
      (optimizer as unknown as { learningRate: number }).learningRate = lrFinal + 0.5 * (lr - lrFinal) * (1 + Math.cos(Math.PI * progress));
    }
    sampler.fill(rng, xs, wts);
    const x = tf.tensor2d(xs, [batch, 2]);
    const w = sampling === 'importance' ? tf.tensor1d(wts) : undefined;
    const { loss } = net.step({ x, weights: w });
    x.dispose();
    w?.dispose();
    if (opts.onProgress && it % 200 === 0) opts.onProgress(it, loss, Array.from(net.eigenvalues()));
    if (maxMs > 0 && Date.now() - t0 > maxMs) break;
  }
  if (it > iterations) it = iterations;
  const seconds = (Date.now() - t0) / 1000;
  const exact = hydrogenExact(k);
  const rel = (v: number[]) => v.map((e, i) => Math.abs(e - exact[i]) / Math.abs(exact[i]));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const trainerEig = Array.from(net.eigenvalues());
  const trainerEigenvalues = trainerEig.slice().sort((a, b) => a - b);
  const trainerMeanRelativeError = mean(rel(trainerEigenvalues));
  // final evaluation: one pass over the points for both kinetic forms (the potential without the
  // training's softening, the nodes come close to the nucleus)
  const evalOps = [hydrogenOperator(L, 'dirichlet', 1e-30), hydrogenOperator(L, 'laplacian', 1e-30)];
  const feat = (x: tf.Tensor) => net.rawFeatures(x);
  const te = Date.now();
  let eig: number[], evalLap: number[], ritz: number[], evalPoints: number;
  let quadratureCheck: HydrogenQuadratureCheck | null = null;
  if (evaluation === 'none') {
    // the trainer exposes Sigma but not Pi: no Ritz values without an evaluation
    eig = trainerEig; evalLap = trainerEig.slice(); ritz = []; evalPoints = 0;
  } else {
    const st = evaluation === 'quadrature'
      ? hydrogenQuadratureStatistics(feat, evalOps, k, { boxHalfWidth: L, angular: opts.quadratureAngular, radial: opts.quadratureRadial })
      : hydrogenMonteCarloStatistics(feat, evalOps, k, new HydrogenSampler({ boxHalfWidth: L, sampling: 'importance' }), Rng.mulberry(seed + 7919), evalPointsOpt);
    const d = spanEigenvalues(st.sigma, st.pis[0], k);
    eig = d.diagonal; ritz = d.ritz;
    evalLap = spanEigenvalues(st.sigma, st.pis[1], k).diagonal;
    evalPoints = st.n;
    if (evaluation === 'quadrature') {
      // convergence check: the same with half the nodes in each direction (a quarter of the cost)
      const angular = Math.max(1, Math.floor((opts.quadratureAngular ?? 32) / 2)), radial = Math.max(1, Math.floor((opts.quadratureRadial ?? 128) / 2));
      const half = hydrogenQuadratureStatistics(feat, [evalOps[0]], k, { boxHalfWidth: L, angular, radial });
      const dh = spanEigenvalues(half.sigma, half.pis[0], k);
      const sorted = (v: number[]) => v.slice().sort((p, q) => p - q);
      const diff = (a: number[], b: number[]) => { const sa = sorted(a), sb = sorted(b); return Math.max(...sa.map((v, i) => Math.abs(v - sb[i]) / Math.abs(exact[i]))); };
      quadratureCheck = { angular, radial, maxRelativeDifference: Math.max(diff(dh.diagonal, eig), diff(dh.ritz, ritz)) };
    }
  }
  const evalSeconds = (Date.now() - te) / 1000;
  const evalLaplacianEigenvalues = evalLap.sort((a, b) => a - b);
  const order = eig.map((v, i) => i).sort((a, b) => eig[a] - eig[b]);
  const eigenvalues = order.map((i) => eig[i]);
  const relativeErrors = rel(eigenvalues);
  const ritzEigenvalues = ritz.slice().sort((a, b) => a - b);
  const ritzRelativeErrors = rel(ritzEigenvalues);
  const png: string[] = [];
  if (opts.pngDir) {
    // eigenfunctions on the central [-10, 10]^2 window
    const g = 64, win = 10 / L;
    const grid = new Float32Array(g * g * 2);
    for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) { grid[(r * g + c) * 2] = -win + (2 * win * (c + 0.5)) / g; grid[(r * g + c) * 2 + 1] = win - (2 * win * (r + 0.5)) / g; }
    const x = tf.tensor2d(grid, [g * g, 2]);
    const f = net.features(x);
    const fd = f.dataSync();
    order.forEach((src, rank) => {
      const img = new Float32Array(g * g);
      for (let p = 0; p < g * g; p++) img[p] = fd[p * k + src];
      const file = path.join(opts.pngDir as string, `hydrogen_eigenfunction_${rank + 1}.png`);
      writeHeatPng(file, img, g, g, 3);
      png.push(file);
    });
    x.dispose(); f.dispose();
  }
  net.dispose();
  model.dispose();
  optimizer.dispose();
  return {
    demo: 'hydrogen', k, iterations: it, seconds, decay, sampling, kinetic, inputs, architecture, estimator, batch, envelope, evaluation,
    eigenvalues, relativeErrors, meanRelativeError: mean(relativeErrors),
    ritzEigenvalues, ritzRelativeErrors, ritzMeanRelativeError: ritz.length ? mean(ritzRelativeErrors) : null,
    evalLaplacianEigenvalues, trainerEigenvalues, trainerMeanRelativeError, evalPoints, evalSeconds, quadratureCheck, exact, png,
  };
}
