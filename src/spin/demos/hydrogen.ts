// Demo: the 2D hydrogen atom H = -1/2 Lap - 1/|x| on the box [-L, L]^2 (L = 50): per eigenfunction an
// MLP of [x / (1 + r), y / (1 + r), ln(1 + r)] times a learnable exponential envelope (hydrogenModel.ts),
// multiplied by a boundary mask (zero at the box edge). The final evaluation is a deterministic
// quadrature over the exact box (hydrogenQuadrature.ts), reporting SpIN's diag(L^-1 Pi L^-T) and the
// Ritz values of the learned span.
// Exact eigenvalues E_n = -1 / (2 (n - 1/2)^2) with degeneracy 2n - 1: -2, -2/9 (x3), -2/25 (x5).
// The network works in scaled coordinates s = x / L in [-1, 1]^2, where
// H = -(1 / (2 L^2)) Lap_s - 1 / (L |s|) (same eigenvalues).
//
// Expectations are over the uniform distribution p on the box (the issue's setting). 'uniform'
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
import { ScheduledAdam } from '../optimizers';
import { cosineSchedule, trainSpin } from '../train';
import type { SpinBatchSource, TrainRunOptions } from '../train';
import { writeHeatPng } from '../../viz/frames';
import { DEFAULT_QUADRATURE_ANGULAR, DEFAULT_QUADRATURE_RADIAL, hydrogenQuadrature, spanEigenvalues } from './hydrogenQuadrature';
import { buildHydrogenModel } from './hydrogenModel';
import type { HydrogenActivation, HydrogenArchitecture, HydrogenInputs } from './hydrogenModel';

export type { HydrogenActivation, HydrogenArchitecture, HydrogenInputs } from './hydrogenModel';

export const HYDROGEN_SAMPLINGS: readonly HydrogenSampling[] = ['importance', 'uniform'];
export const HYDROGEN_KINETICS: readonly HydrogenKinetic[] = ['dirichlet', 'laplacian'];
export const HYDROGEN_INPUTS: readonly HydrogenInputs[] = ['polar', 'radial', 'xy'];
export const HYDROGEN_ARCHITECTURES: readonly HydrogenArchitecture[] = ['grouped', 'separate', 'shared'];
export const HYDROGEN_ACTIVATIONS: readonly HydrogenActivation[] = ['softplus', 'tanh'];
export const HYDROGEN_SCHEDULES: readonly HydrogenSchedule[] = ['constant', 'cosine'];
export const HYDROGEN_EVALUATIONS: readonly HydrogenEvaluation[] = ['quadrature', 'monte-carlo', 'none'];
/** The Monte-Carlo evaluation draws from Rng.mulberry(seed + EVAL_SEED_OFFSET). */
export const EVAL_SEED_OFFSET = 7919;
/** Progress reports every this many steps. */
const PROGRESS_EVERY = 200;
/** Softening of 1 / |s| in training; the evaluation nodes come close to the nucleus and use EVAL_SOFTENING. */
const TRAIN_SOFTENING = 1e-12;
const EVAL_SOFTENING = 1e-30;
/** Points per chunk when accumulating evaluation statistics. */
export const STATISTICS_CHUNK = 4096;

/** checkpointDir / checkpointEvery / resume: see trainSpin (a resumed run's time budget counts from the resume). */
export interface HydrogenDemoOptions extends Omit<TrainRunOptions, 'maxSeconds'> {
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
  /** Alias of `kinetic` (used when `kinetic` is not given): 'autodiff' = 'dirichlet', 'finite-difference' = 'laplacian'. */
  laplacian?: 'autodiff' | 'finite-difference';
  /** Kinetic term: 'dirichlet' (1/2 E[grad u_i . grad u_j], autodiff) or 'laplacian' (E[u_i (-1/2 Lap_h u_j)], finite differences, default: ~2.4x cheaper per step). */
  kinetic?: HydrogenKinetic;
  /** 'importance' (default) or 'uniform' (the issue's setting). */
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
  activation?: HydrogenActivation;
  /**
   * Learning-rate schedule: 'constant' or 'cosine' (decays to lrFinal over the budget; progress is the
   * larger of iterations done / iterations and, with maxSeconds, seconds spent / maxSeconds).
   */
  schedule?: HydrogenSchedule;
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
export type HydrogenSchedule = 'constant' | 'cosine';
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
export function hydrogenStatistics(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, n: number, next: (m: number) => { xs: Float32Array; ws?: Float32Array }, chunk = STATISTICS_CHUNK): HydrogenStatistics {
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
export function hydrogenMonteCarloStatistics(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, sampler: HydrogenSampler, rng: Rng, n: number, chunk = STATISTICS_CHUNK): HydrogenStatistics {
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
export function evaluateHydrogenFeatures(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, sampler: HydrogenSampler, rng: Rng, n: number, chunk = STATISTICS_CHUNK): number[][] {
  const st = hydrogenMonteCarloStatistics(f, ops, k, sampler, rng, n, chunk);
  return st.pis.map((pi) => spanEigenvalues(st.sigma, pi, k).diagonal);
}

/**
 * The same statistics over the deterministic box quadrature (hydrogenQuadrature: 8 octants x
 * `angular` x `radial` Gauss-Legendre nodes, log-mapped radius of scale `radialScale`).
 */
export function hydrogenQuadratureStatistics(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, opts: { boxHalfWidth: number; angular?: number; radial?: number; radialScale?: number }, chunk = STATISTICS_CHUNK): HydrogenStatistics {
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
export function hydrogenOperator(L: number, kinetic: HydrogenKinetic, eps = TRAIN_SOFTENING): SpinOperator {
  const potential = (s: tf.Tensor) => tf.tidy(() => tf.div(-1 / L, tf.sqrt(tf.add(tf.sum(tf.square(s), 1), eps))));
  return sumOperators(kineticOperator({ form: kinetic, coefficient: 1 / (2 * L * L), h: 1e-3 }), potentialOperator(potential));
}

export function hydrogenExact(k: number): number[] {
  const out: number[] = [];
  for (let n = 1; out.length < k; n++) for (let d = 0; d < 2 * n - 1 && out.length < k; d++) out.push(-1 / (2 * (n - 0.5) ** 2));
  return out;
}


/** 'name must be one of ...' unless `v` is in `allowed`. */
function checkChoice<T extends string>(name: string, v: T, allowed: readonly T[]): void {
  if (!allowed.includes(v)) throw new Error(`hydrogen demo: ${name} must be ${allowed.map((a) => `'${a}'`).join(', ')}, got '${String(v)}'`);
}

/** The demo's settings with defaults filled in and checked. */
interface HydrogenSettings {
  k: number;
  iterations: number;
  maxSeconds: number;
  batch: number;
  hidden: number;
  L: number;
  decay: number;
  seed: number;
  layers: number;
  sampling: HydrogenSampling;
  inputs: HydrogenInputs;
  activation: HydrogenActivation;
  schedule: HydrogenSchedule;
  lr: number;
  lrFinal: number;
  estimator: SpinEstimator;
  envelope: number;
  evalPoints: number;
  evaluation: HydrogenEvaluation;
  kinetic: HydrogenKinetic;
  architecture: HydrogenArchitecture;
}

function resolveHydrogenOptions(opts: HydrogenDemoOptions): HydrogenSettings {
  const inputs = opts.inputs ?? 'polar';
  const lr = opts.learningRate ?? 3e-2;
  const evalPoints = opts.evalPoints ?? 65536;
  const s: HydrogenSettings = {
    k: opts.k ?? 9, iterations: opts.iterations ?? 20000, maxSeconds: opts.maxSeconds ?? 0, batch: opts.batch ?? 512, hidden: opts.hidden ?? 32,
    L: opts.boxHalfWidth ?? 50, decay: opts.decay ?? 1, seed: opts.seed ?? 1, layers: opts.layers ?? 3, sampling: opts.sampling ?? 'importance', inputs,
    activation: opts.activation ?? 'softplus', schedule: opts.schedule ?? 'cosine', lr, lrFinal: opts.lrFinal ?? lr / 100,
    estimator: opts.estimator ?? 'jacobian-average', envelope: opts.envelope ?? (inputs === 'xy' ? 0 : 6), evalPoints,
    evaluation: evalPoints === 0 ? 'none' : (opts.evaluation ?? 'quadrature'),
    kinetic: opts.kinetic ?? (opts.laplacian === 'autodiff' ? 'dirichlet' : 'laplacian'), architecture: opts.architecture ?? 'grouped',
  };
  for (const [name, v] of [['k', s.k], ['iterations', s.iterations], ['batch', s.batch], ['hidden', s.hidden], ['layers', s.layers]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`hydrogen demo: ${name} must be a positive integer, got ${v}`);
  checkChoice('kinetic', s.kinetic, HYDROGEN_KINETICS);
  if (opts.laplacian !== undefined) checkChoice('laplacian', opts.laplacian, ['autodiff', 'finite-difference'] as const);
  checkChoice('sampling', s.sampling, HYDROGEN_SAMPLINGS);
  checkChoice('inputs', s.inputs, HYDROGEN_INPUTS);
  checkChoice('activation', s.activation, HYDROGEN_ACTIVATIONS);
  checkChoice('schedule', s.schedule, HYDROGEN_SCHEDULES);
  checkChoice('evaluation', s.evaluation, HYDROGEN_EVALUATIONS);
  checkChoice('architecture', s.architecture, HYDROGEN_ARCHITECTURES);
  if (!(s.lr > 0) || !(s.lrFinal > 0)) throw new Error('hydrogen demo: learning rates must be > 0');
  if (!(s.maxSeconds >= 0)) throw new Error(`hydrogen demo: maxSeconds must be >= 0, got ${s.maxSeconds}`);
  if (!Number.isInteger(s.envelope) || s.envelope < 0) throw new Error(`hydrogen demo: envelope must be a non-negative integer, got ${s.envelope}`);
  if (s.envelope > 0 && s.inputs === 'xy') throw new Error("hydrogen demo: the envelope needs 'radial' or 'polar' inputs");
  if (!Number.isInteger(s.evalPoints) || s.evalPoints < 0) throw new Error(`hydrogen demo: evalPoints must be a non-negative integer, got ${s.evalPoints}`);
  return s;
}

/**
 * The network inputs from scaled coordinates s: radial [s1, s2, ln(1 + L |s|)] (the log compresses the
 * nuclear length scale 1 and the box scale L), polar [x / (1 + r), y / (1 + r), ln(1 + r)] with x = L s
 * (smooth at the nucleus, the direction far from it); none for xy.
 */
function hydrogenInputTransform(inputs: HydrogenInputs, L: number): ((s: tf.Tensor) => tf.Tensor) | undefined {
  if (inputs === 'xy') return undefined;
  return (s: tf.Tensor) => tf.tidy(() => {
    const r = tf.mul(tf.sqrt(tf.add(tf.sum(tf.square(s), 1, true), 1e-14)), L);
    const dir = inputs === 'radial' ? s : tf.div(tf.mul(s, L), tf.add(r, 1));
    return tf.concat([dir as tf.Tensor2D, tf.log1p(r) as tf.Tensor2D], 1);
  });
}

/** The boundary mask prod_d (1 - s_d^2): zero on the box edge. */
function boxMask(s: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.prod(tf.sub(1, tf.square(s as tf.Tensor2D)), 1) as tf.Tensor1D);
}

/** The trainer: model (MLPs, envelope), the Hamiltonian, the mask, Adam with a settable rate. */
function buildHydrogenTrainer(s: HydrogenSettings, opts: HydrogenDemoOptions): { net: SpectralNetwork; model: tf.LayersModel; optimizer: ScheduledAdam } {
  const model = buildHydrogenModel({
    k: s.k, inDim: s.inputs === 'xy' ? 2 : 3, hidden: s.hidden, layers: s.layers, activation: s.activation, architecture: s.architecture, envelopeTerms: s.envelope,
    envelopeRateMin: opts.envelopeRateMin, envelopeRateMax: opts.envelopeRateMax, logRadiusColumn: s.inputs === 'xy' ? undefined : 2, seed: s.seed,
  });
  const optimizer = new ScheduledAdam(s.lr);
  const net = new SpectralNetwork({
    k: s.k, model, operator: hydrogenOperator(s.L, s.kinetic), optimizer, decay: s.decay, seed: s.seed, estimator: s.estimator,
    featureMask: boxMask, inputTransform: hydrogenInputTransform(s.inputs, s.L),
  });
  return { net, model, optimizer };
}

/** Batches of `batch` points drawn by `sampler` from the network's RNG (importance weights with 'importance'). */
export function hydrogenBatches(net: SpectralNetwork, sampler: HydrogenSampler, batch: number): SpinBatchSource {
  const xs = new Float32Array(batch * 2);
  const ws = new Float32Array(batch);
  return {
    next: () => {
      sampler.fill(net.rng, xs, ws);
      return { x: tf.tensor2d(xs, [batch, 2]), weights: sampler.sampling === 'importance' ? tf.tensor1d(ws) : undefined };
    },
  };
}

interface HydrogenEvaluationResult {
  /** diag(L^-1 Pi L^-T) in feature order (Dirichlet form) */
  eig: number[];
  /** the same with the finite-difference Laplacian form */
  evalLap: number[];
  ritz: number[];
  evalPoints: number;
  quadratureCheck: HydrogenQuadratureCheck | null;
}

/** The final evaluation of the trained features (see HydrogenDemoOptions.evaluation). */
function evaluateHydrogen(net: SpectralNetwork, s: HydrogenSettings, opts: HydrogenDemoOptions, exact: number[]): HydrogenEvaluationResult {
  const k = s.k, L = s.L;
  if (s.evaluation === 'none') {
    // the trainer exposes Sigma but not Pi: no Ritz values without an evaluation
    const eig = Array.from(net.eigenvalues());
    return { eig, evalLap: eig.slice(), ritz: [], evalPoints: 0, quadratureCheck: null };
  }
  // one pass over the points for both kinetic forms
  const evalOps = [hydrogenOperator(L, 'dirichlet', EVAL_SOFTENING), hydrogenOperator(L, 'laplacian', EVAL_SOFTENING)];
  const feat = (x: tf.Tensor) => net.rawFeatures(x);
  const st = s.evaluation === 'quadrature'
    ? hydrogenQuadratureStatistics(feat, evalOps, k, { boxHalfWidth: L, angular: opts.quadratureAngular, radial: opts.quadratureRadial })
    : hydrogenMonteCarloStatistics(feat, evalOps, k, new HydrogenSampler({ boxHalfWidth: L, sampling: 'importance' }), Rng.mulberry(s.seed + EVAL_SEED_OFFSET), s.evalPoints);
  const d = spanEigenvalues(st.sigma, st.pis[0], k);
  const evalLap = spanEigenvalues(st.sigma, st.pis[1], k).diagonal;
  let quadratureCheck: HydrogenQuadratureCheck | null = null;
  if (s.evaluation === 'quadrature') {
    // convergence check: the same with half the nodes in each direction (a quarter of the cost)
    const angular = Math.max(1, Math.floor((opts.quadratureAngular ?? DEFAULT_QUADRATURE_ANGULAR) / 2)), radial = Math.max(1, Math.floor((opts.quadratureRadial ?? DEFAULT_QUADRATURE_RADIAL) / 2));
    const half = hydrogenQuadratureStatistics(feat, [evalOps[0]], k, { boxHalfWidth: L, angular, radial });
    const dh = spanEigenvalues(half.sigma, half.pis[0], k);
    const diff = (a: number[], b: number[]) => { const sa = ascending(a), sb = ascending(b); return Math.max(...sa.map((v, i) => Math.abs(v - sb[i]) / Math.abs(exact[i]))); };
    quadratureCheck = { angular, radial, maxRelativeDifference: Math.max(diff(dh.diagonal, d.diagonal), diff(dh.ritz, d.ritz)) };
  }
  return { eig: d.diagonal, evalLap, ritz: d.ritz, evalPoints: st.n, quadratureCheck };
}

function ascending(v: number[]): number[] {
  return v.slice().sort((a, b) => a - b);
}

/** PNGs of the ordered eigenfunctions on the central [-10, 10]^2 window (feature `order[rank]` as rank + 1). */
function writeHydrogenPngs(net: SpectralNetwork, order: number[], s: HydrogenSettings, dir: string): string[] {
  const g = 64, win = 10 / s.L, k = s.k;
  const grid = new Float32Array(g * g * 2);
  for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) { grid[(r * g + c) * 2] = -win + (2 * win * (c + 0.5)) / g; grid[(r * g + c) * 2 + 1] = win - (2 * win * (r + 0.5)) / g; }
  const x = tf.tensor2d(grid, [g * g, 2]);
  const f = net.features(x);
  const fd = f.dataSync();
  const png = order.map((src, rank) => {
    const img = new Float32Array(g * g);
    for (let p = 0; p < g * g; p++) img[p] = fd[p * k + src];
    const file = path.join(dir, `hydrogen_eigenfunction_${rank + 1}.png`);
    writeHeatPng(file, img, g, g, 3);
    return file;
  });
  x.dispose(); f.dispose();
  return png;
}

export async function runHydrogenDemo(opts: HydrogenDemoOptions = {}): Promise<HydrogenDemoResult> {
  const s = resolveHydrogenOptions(opts);
  const sampler = new HydrogenSampler({ boxHalfWidth: s.L, sampling: s.sampling, uniformFraction: opts.uniformFraction, radialScale: opts.radialScale });
  const { net, model, optimizer } = buildHydrogenTrainer(s, opts);
  const onProgress = opts.onProgress;
  const run = await trainSpin({
    net, batches: hydrogenBatches(net, sampler, s.batch), steps: s.iterations, maxSeconds: s.maxSeconds,
    schedule: s.schedule === 'cosine' ? cosineSchedule(s.lr, s.lrFinal) : undefined,
    log: onProgress ? (r) => onProgress(r.step, r.loss, Array.from(r.eigenvalues)) : undefined, logEvery: PROGRESS_EVERY,
    checkpointDir: opts.checkpointDir, checkpointEvery: opts.checkpointEvery, resume: opts.resume,
  });
  const exact = hydrogenExact(s.k);
  const rel = (v: number[]) => v.map((e, i) => Math.abs(e - exact[i]) / Math.abs(exact[i]));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const trainerEigenvalues = ascending(Array.from(net.eigenvalues()));
  const te = Date.now();
  const ev = evaluateHydrogen(net, s, opts, exact);
  const evalSeconds = (Date.now() - te) / 1000;
  const order = ev.eig.map((v, i) => i).sort((a, b) => ev.eig[a] - ev.eig[b]);
  const eigenvalues = order.map((i) => ev.eig[i]);
  const relativeErrors = rel(eigenvalues);
  const ritzEigenvalues = ascending(ev.ritz);
  const ritzRelativeErrors = rel(ritzEigenvalues);
  const png = opts.pngDir ? writeHydrogenPngs(net, order, s, opts.pngDir) : [];
  net.dispose();
  model.dispose();
  optimizer.dispose();
  return {
    demo: 'hydrogen', k: s.k, iterations: run.steps, seconds: run.seconds, decay: s.decay, sampling: s.sampling, kinetic: s.kinetic, inputs: s.inputs,
    architecture: s.architecture, estimator: s.estimator, batch: s.batch, envelope: s.envelope, evaluation: s.evaluation,
    eigenvalues, relativeErrors, meanRelativeError: mean(relativeErrors),
    ritzEigenvalues, ritzRelativeErrors, ritzMeanRelativeError: ev.ritz.length ? mean(ritzRelativeErrors) : null,
    evalLaplacianEigenvalues: ascending(ev.evalLap), trainerEigenvalues, trainerMeanRelativeError: mean(rel(trainerEigenvalues)),
    evalPoints: ev.evalPoints, evalSeconds, quadratureCheck: ev.quadratureCheck, exact, png,
  };
}
