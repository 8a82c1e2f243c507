// Demo: the 2D hydrogen atom H = -1/2 Lap - 1/|x| on the box [-L, L]^2 (L = 50), an MLP whose
// output is multiplied by a boundary mask (zero at the box edge).
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
import * as la from '../linalg';
import { Rng } from '../rng';
import { writeHeatPng } from '../../viz/frames';

export interface HydrogenDemoOptions {
  k?: number;
  iterations?: number;
  /** Stop after this many seconds even if iterations remain (0 = no limit). */
  maxSeconds?: number;
  batch?: number;
  hidden?: number;
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
  /** Network inputs: 'radial' ([x / L, y / L, ln(1 + |x|)], default) or 'xy' ([x / L, y / L]). */
  inputs?: HydrogenInputs;
  /**
   * 'shared': one MLP with k outputs (a Dense chain: exact contraction Jacobians for the
   * jacobian-average estimator); 'separate' (default): one MLP of `hidden` units per eigenfunction
   * (k branches), so the ordered gradient of one eigenfunction does not share hidden weights (and
   * Adam statistics) with the others (jacobian-average with decay < 1 then needs per-pair backward
   * passes: use decay 1 or the sigma-average estimator).
   */
  architecture?: 'shared' | 'separate';
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
   * Points of the final evaluation (default 65536, 0 = none): Sigma and Pi of the trained features on
   * a fresh importance-weighted sample, eigenvalues diag(L^-1 Pi L^-T) as SpIN defines them, with the
   * kinetic term in Dirichlet form (exact first derivatives: each value is a Rayleigh quotient, an upper
   * bound up to Monte-Carlo error, whatever the training used). The finite-difference Laplacian form
   * on the same points is reported too (evalLaplacianEigenvalues): it has lower variance near exact
   * eigenfunctions but can undercut the bound for features sharper than its step.
   */
  evalPoints?: number;
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
  architecture: 'shared' | 'separate';
  estimator: SpinEstimator;
  batch: number;
  /**
   * learned eigenvalues, ascending: diag(L^-1 Pi L^-T) of the trained features, with Sigma and Pi
   * estimated on `evalPoints` fresh points (the trainer's running estimate when evalPoints is 0)
   */
  eigenvalues: number[];
  /** the same evaluation with the kinetic term in finite-difference Laplacian form, ascending */
  evalLaplacianEigenvalues: number[];
  /** the trainer's own estimate (averaged or last-batch statistics), ascending */
  trainerEigenvalues: number[];
  trainerMeanRelativeError: number;
  evalPoints: number;
  exact: number[];
  /** |E_learned - E_exact| / |E_exact| per eigenvalue (ascending order) */
  relativeErrors: number[];
  meanRelativeError: number;
  png: string[];
}

export type HydrogenSampling = 'uniform' | 'importance';
export type HydrogenKinetic = 'dirichlet' | 'laplacian';
export type HydrogenInputs = 'radial' | 'xy';

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

/**
 * Sigma = E[w u u^T] and Pi of each operator in `ops` for features f on n points drawn by `sampler`
 * (in chunks; the points and Sigma are shared by all operators), and Lambda = L^-1 Pi L^-T
 * (Sigma = L L^T); returns diag(Lambda) in feature order, one array per operator.
 */
export function evaluateHydrogenFeatures(f: (x: tf.Tensor) => tf.Tensor2D, ops: SpinOperator[], k: number, sampler: HydrogenSampler, rng: Rng, n: number, chunk = 4096): number[][] {
  const sigma = new Float64Array(k * k);
  const pis = ops.map(() => new Float64Array(k * k));
  let done = 0;
  while (done < n) {
    const m = Math.min(chunk, n - done);
    const xs = new Float32Array(2 * m), ws = new Float32Array(m);
    sampler.fill(rng, xs, ws);
    const [s, ...ps] = tf.tidy(() => {
      const x = tf.tensor2d(xs, [m, 2]);
      const w = sampler.sampling === 'importance' ? tf.tensor1d(ws) : undefined;
      const fb = new LazyFeatureBatch(f, x, undefined, w);
      return [gram(fb.u(), fb.u(), m, w).dataSync(), ...ops.map((op) => op.pi(fb, (t) => t).dataSync())];
    });
    for (let i = 0; i < k * k; i++) sigma[i] += s[i] * m;
    ps.forEach((p, o) => { for (let i = 0; i < k * k; i++) pis[o][i] += p[i] * m; });
    done += m;
  }
  const { L } = la.choleskyRegularized(la.symmetrize(sigma.map((v) => v / n), k), k);
  const Li = la.invLower(L, k);
  return pis.map((pi) => {
    const lam = la.matmul(la.matmul(Li, la.symmetrize(pi.map((v) => v / n), k), k), la.transpose(Li, k), k);
    return Array.from({ length: k }, (_, i) => lam[i * k + i]);
  });
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
  const inputs = opts.inputs ?? 'radial';
  const activation = opts.activation ?? 'softplus';
  const schedule = opts.schedule ?? 'cosine';
  const lr = opts.learningRate ?? 3e-3;
  const lrFinal = opts.lrFinal ?? lr / 100;
  const estimator = opts.estimator ?? 'jacobian-average';
  const kinetic: HydrogenKinetic = opts.kinetic ?? (opts.laplacian === 'autodiff' ? 'dirichlet' : 'laplacian');
  for (const [name, v] of [['k', k], ['iterations', iterations], ['batch', batch], ['hidden', hidden], ['layers', nLayers]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`hydrogen demo: ${name} must be a positive integer, got ${v}`);
  if (kinetic !== 'dirichlet' && kinetic !== 'laplacian') throw new Error(`hydrogen demo: kinetic must be 'dirichlet' or 'laplacian', got '${String(kinetic)}'`);
  if (opts.laplacian !== undefined && opts.laplacian !== 'autodiff' && opts.laplacian !== 'finite-difference') throw new Error(`hydrogen demo: laplacian must be 'autodiff' or 'finite-difference', got '${String(opts.laplacian)}'`);
  if (inputs !== 'radial' && inputs !== 'xy') throw new Error(`hydrogen demo: inputs must be 'radial' or 'xy', got '${String(inputs)}'`);
  if (activation !== 'softplus' && activation !== 'tanh') throw new Error(`hydrogen demo: activation must be 'softplus' or 'tanh', got '${String(activation)}'`);
  if (schedule !== 'constant' && schedule !== 'cosine') throw new Error(`hydrogen demo: schedule must be 'constant' or 'cosine', got '${String(schedule)}'`);
  if (!(lr > 0) || !(lrFinal > 0)) throw new Error('hydrogen demo: learning rates must be > 0');
  const sampler = new HydrogenSampler({ boxHalfWidth: L, sampling, uniformFraction: opts.uniformFraction, radialScale: opts.radialScale });
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  const inDim = inputs === 'radial' ? 3 : 2;
  const architecture = opts.architecture ?? 'separate';
  if (architecture !== 'shared' && architecture !== 'separate') throw new Error(`hydrogen demo: architecture must be 'shared' or 'separate', got '${String(architecture)}'`);
  let model: tf.LayersModel;
  if (architecture === 'shared') {
    const layers: tf.layers.Layer[] = [];
    for (let l = 0; l < nLayers; l++) layers.push(tf.layers.dense({ units: hidden, ...(l === 0 ? { inputShape: [inDim] } : {}), activation, kernelInitializer: init(l + 1) }));
    layers.push(tf.layers.dense({ units: k, kernelInitializer: init(nLayers + 1) }));
    model = tf.sequential({ layers });
  } else {
    const input = tf.input({ shape: [inDim] });
    const heads: tf.SymbolicTensor[] = [];
    for (let i = 0; i < k; i++) {
      let h: tf.SymbolicTensor = input;
      for (let l = 0; l < nLayers; l++) h = tf.layers.dense({ units: hidden, activation, kernelInitializer: init(1000 * (i + 1) + l) }).apply(h) as tf.SymbolicTensor;
      heads.push(tf.layers.dense({ units: 1, kernelInitializer: init(1000 * (i + 1) + nLayers) }).apply(h) as tf.SymbolicTensor);
    }
    model = tf.model({ inputs: input, outputs: k === 1 ? heads[0] : (tf.layers.concatenate({ axis: 1 }).apply(heads) as tf.SymbolicTensor) });
  }
  // radial inputs: [s1, s2, ln(1 + L |s|)] (the log compresses the nuclear length scale 1 and the box scale L)
  const inputTransform = inputs === 'radial' ? (s: tf.Tensor) => tf.tidy(() => {
    const r = tf.mul(tf.sqrt(tf.add(tf.sum(tf.square(s), 1, true), 1e-14)), L);
    return tf.concat([s as tf.Tensor2D, tf.log1p(r) as tf.Tensor2D], 1);
  }) : undefined;
  const mask = (s: tf.Tensor) => tf.tidy(() => {
    const sq = tf.square(s as tf.Tensor2D);
    return tf.prod(tf.sub(1, sq), 1) as tf.Tensor1D;
  });
  const potential = (s: tf.Tensor) => tf.tidy(() => tf.div(-1 / L, tf.sqrt(tf.add(tf.sum(tf.square(s), 1), 1e-12))));
  const op = sumOperators(
    kineticOperator({ form: kinetic, coefficient: 1 / (2 * L * L), h: 1e-3 }),
    potentialOperator(potential),
  );
  const optimizer = tf.train.adam(lr);
  const net = new SpectralNetwork({
    k, model, operator: op, optimizer, decay, seed, estimator, featureMask: mask, inputTransform,
  });
  const rng = new Rng(seed);
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
  const trainerEig = Array.from(net.eigenvalues());
  const trainerEigenvalues = trainerEig.slice().sort((a, b) => a - b);
  const trainerMeanRelativeError = rel(trainerEigenvalues).reduce((s, v) => s + v, 0) / k;
  const evalPoints = opts.evalPoints ?? 65536;
  if (!Number.isInteger(evalPoints) || evalPoints < 0) throw new Error(`hydrogen demo: evalPoints must be a non-negative integer, got ${evalPoints}`);
  const evalSampler = new HydrogenSampler({ boxHalfWidth: L, sampling: 'importance' });
  const evalOp = (form: HydrogenKinetic) => sumOperators(kineticOperator({ form, coefficient: 1 / (2 * L * L), h: 1e-3 }), potentialOperator(potential));
  // one pass over the evaluation points for both kinetic forms
  const [eig, evalLap] = evalPoints > 0
    ? evaluateHydrogenFeatures((x) => net.rawFeatures(x), [evalOp('dirichlet'), evalOp('laplacian')], k, evalSampler, new Rng(seed + 7919), evalPoints)
    : [trainerEig, trainerEig.slice()];
  const evalLaplacianEigenvalues = evalLap.sort((a, b) => a - b);
  const order = eig.map((v, i) => i).sort((a, b) => eig[a] - eig[b]);
  const eigenvalues = order.map((i) => eig[i]);
  const relativeErrors = rel(eigenvalues);
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
    demo: 'hydrogen', k, iterations: it, seconds, decay, sampling, kinetic, inputs, architecture, estimator, batch, eigenvalues,
    evalLaplacianEigenvalues, trainerEigenvalues, trainerMeanRelativeError, evalPoints, exact, relativeErrors,
    meanRelativeError: relativeErrors.reduce((s, v) => s + v, 0) / k, png,
  };
}
