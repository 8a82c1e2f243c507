// The SpIN trainer: masked (ordered) gradient, moving averages of Sigma and of its Jacobian,
// eigenvalue estimates, ordered features, checkpoint save/resume.
//
// Notation (Pfau et al., ICLR 2019): u(x) in R^k, Sigma = E[u u^T], Pi = operator form, Sigma = L L^T,
// Lambda = L^-1 Pi L^-T. With G_Pi = L^-T diag(L)^-1 and G_Sigma = -L^-T triu(Lambda diag(L)^-1), the
// masked gradient is 2 sum_ij G_Pi_ij Pi(u_i, d u_j) + 2 sum_ij G_Sigma_ij E[u_i d u_j]: the
// derivative falls on the column index only, so feature j is driven by lambda_j alone
// (sum_j d lambda_j / d u_j with u_1..u_{j-1} held fixed).
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import * as la from './linalg';
import { pairEma } from '../backend';
import type { PairSource } from '../backend';
import { Rng } from './rng';
import { gram } from './operators';
import type { FeatureBatch, LeftWrap, SpinOperator } from './operators';
import { CONTRACTION_SUPPORTED, DensePlan, chainJacobianSources, disposePairSource, explainLayerChain, explainWeightGroups, groupedJacobians, numPairs, pairIndex, pairRowsSource, perPairJacobians } from './jacobian';

/**
 * How the Sigma term of the gradient is estimated.
 * - 'jacobian-average' (the paper): moving averages of Sigma and of dSigma/dtheta (exact, via
 *   per-layer contractions for Dense chains, else one backward pass per pair).
 * - 'sigma-average': moving average of Sigma only; dSigma/dtheta from the current batch (one
 *   backward pass, no Jacobian storage; biased by the batch correlation of the Jacobian).
 * - 'independent': like 'sigma-average' but the Sigma-term Jacobian comes from an independent
 *   minibatch (`xSigma`, or the second half of the batch), decorrelating it from the Pi term.
 */
export type SpinEstimator = 'jacobian-average' | 'sigma-average' | 'independent';

export interface SpectralNetworkConfig {
  /** Number of eigenfunctions. */
  k: number;
  /** Maps an input batch to [B, k]. */
  model: tf.LayersModel;
  operator: SpinOperator;
  /** Any TF.js optimiser (default Adam 1e-3). */
  optimizer?: tf.Optimizer;
  /** Moving-average rate beta (default 0.01); 1 disables averaging (plain minibatch estimates). */
  decay?: number;
  seed?: number;
  /** 'smallest' eigenvalues first (default; Laplacians, Hamiltonians, slowness) or 'largest' (kernels). */
  order?: 'smallest' | 'largest';
  estimator?: SpinEstimator;
  /**
   * Jacobian path for 'jacobian-average': 'auto' (contraction for layer chains, grouped for models
   * whose layers declare per-output weight blocks such as GroupedMLP, else per-pair), 'contraction',
   * 'grouped', 'per-pair'.
   */
  jacobian?: 'auto' | 'contraction' | 'grouped' | 'per-pair';
  /** Optional multiplicative mask m(x) -> [B] applied to every feature (e.g. boundary conditions). */
  featureMask?: (x: tf.Tensor) => tf.Tensor1D;
  /**
   * Optional fixed (parameter-free, differentiable) input map: u(x) = mask(x) * model(inputTransform(x)).
   * Operators still see and differentiate with respect to x (e.g. radial features for a Laplacian in x).
   */
  inputTransform?: (x: tf.Tensor) => tf.Tensor;
}

export interface SpinStepResult {
  loss: number;
}

export interface SpinDiagnostics {
  step: number;
  /** Number of steps where the averaged Sigma was not positive definite and was regularised. */
  regularizations: number;
  /** Jitter (multiple of I) added at the last step, 0 when Sigma was positive definite. */
  lastJitter: number;
  jacobianPath: JacobianPath;
}

export type JacobianPath = 'contraction' | 'grouped' | 'per-pair' | 'none';

export interface EncodedArray {
  shape: number[];
  /** base64 of the little-endian float32 bytes */
  data: string;
}

export interface SpinCheckpoint {
  format: 'eigenopt-spin-checkpoint';
  version: 1;
  k: number;
  step: number;
  decay: number;
  estimator: SpinEstimator;
  order: 'smallest' | 'largest';
  rngState: number;
  sigmaAvg: number[] | null;
  piAvg: number[] | null;
  regularizations: number;
  weights: EncodedArray[];
  jacobianAvg: EncodedArray[] | null;
  optimizer: { name: string; value: EncodedArray }[];
  optimizerScalars: Record<string, EncodedArray>;
}

function encode(t: tf.Tensor): EncodedArray {
  const d = t.dataSync() as Float32Array;
  const f = Float32Array.from(d);
  return { shape: t.shape.slice(), data: Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64') };
}

function decode(e: EncodedArray): tf.Tensor {
  const buf = Buffer.from(e.data, 'base64');
  const f = new Float32Array(buf.byteLength / 4);
  new Uint8Array(f.buffer).set(buf);
  return tf.tensor(f, e.shape, 'float32');
}

function checkWeights(w: tf.Tensor1D, n: number, name: string): void {
  if (!(w instanceof tf.Tensor) || w.rank !== 1 || w.shape[0] !== n) throw new Error(`SpectralNetwork.step: batch.${name} must be a 1-D tensor of length ${n}`);
  const d = w.dataSync();
  for (let i = 0; i < d.length; i++) if (!(Number.isFinite(d[i]) && d[i] >= 0)) throw new Error(`SpectralNetwork.step: batch.${name} must be finite and >= 0, got ${d[i]} at ${i}`);
}

const stopGradient = tf.customGrad((...inputs: Array<tf.Tensor | ((save: tf.Tensor[]) => void)>) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy)],
}));
const sg: LeftWrap = <T extends tf.Tensor>(t: T): T => stopGradient(t) as T;

/**
 * The FeatureBatch of features f on a batch x (optionally xNext and importance weights): u, uNext and
 * the input Jacobian are computed on first use and cached. Used by the trainer and by evaluations.
 */
export class LazyFeatureBatch implements FeatureBatch {
  readonly batchSize: number;
  private cu?: tf.Tensor2D;
  private cn?: tf.Tensor2D;
  private cj?: tf.Tensor3D;
  constructor(private readonly f: (x: tf.Tensor) => tf.Tensor2D, readonly x: tf.Tensor, readonly xNext?: tf.Tensor, readonly weights?: tf.Tensor1D) {
    this.batchSize = x.shape[0];
  }
  u(): tf.Tensor2D {
    return (this.cu ??= this.f(this.x));
  }
  uNext(): tf.Tensor2D {
    if (!this.xNext) throw new Error('operator needs consecutive pairs: pass batch.xNext');
    return (this.cn ??= this.f(this.xNext));
  }
  at(x: tf.Tensor): tf.Tensor2D {
    return this.f(x);
  }
  inputJacobian(): tf.Tensor3D {
    if (this.cj) return this.cj;
    const b = this.batchSize;
    const k = this.u().shape[1];
    const cols: tf.Tensor[] = [];
    for (let j = 0; j < k; j++) {
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.slice(this.f(xx), [0, j], [b, 1])))(this.x);
      cols.push(tf.reshape(g, [b, 1, -1]));
    }
    this.cj = tf.concat(cols, 1) as tf.Tensor3D;
    return this.cj;
  }
}

export class SpectralNetwork {
  readonly k: number;
  readonly model: tf.LayersModel;
  readonly operator: SpinOperator;
  readonly optimizer: tf.Optimizer;
  readonly decay: number;
  readonly order: 'smallest' | 'largest';
  readonly estimator: SpinEstimator;
  readonly rng: Rng;
  private readonly ownsOptimizer: boolean;
  private readonly mask?: (x: tf.Tensor) => tf.Tensor1D;
  private readonly transform?: (x: tf.Tensor) => tf.Tensor;
  private readonly vars: tf.Variable[];
  private readonly plan: DensePlan | null;
  private readonly jacobianPath: JacobianPath;
  private readonly groupOf: Int32Array[] | null;
  private sigmaAvg: Float64Array | null = null;
  private piAvg: Float64Array | null = null;
  private jacAvg: tf.Tensor2D[] | null = null;
  private t = 0;
  private regularizations = 0;
  private lastJitter = 0;
  private disposed = false;

  constructor(cfg: SpectralNetworkConfig) {
    if (!cfg || typeof cfg !== 'object') throw new Error('SpectralNetwork: config object required');
    if (!Number.isInteger(cfg.k) || cfg.k < 1) throw new Error(`SpectralNetwork: k must be a positive integer, got ${cfg.k}`);
    if (!cfg.model || typeof (cfg.model as { apply?: unknown }).apply !== 'function') throw new Error('SpectralNetwork: model must be a tf.LayersModel');
    if (!cfg.operator || typeof cfg.operator.pi !== 'function') throw new Error('SpectralNetwork: operator must be a SpinOperator');
    const decay = cfg.decay ?? 0.01;
    if (!(decay > 0 && decay <= 1)) throw new Error(`SpectralNetwork: decay must be in (0, 1], got ${decay}`);
    const order = cfg.order ?? 'smallest';
    if (order !== 'smallest' && order !== 'largest') throw new Error(`SpectralNetwork: order must be 'smallest' or 'largest', got ${String(order)}`);
    const estimator = cfg.estimator ?? 'jacobian-average';
    if (!['jacobian-average', 'sigma-average', 'independent'].includes(estimator)) throw new Error(`SpectralNetwork: unknown estimator '${String(estimator)}'`);
    const outShape = cfg.model.outputs[0].shape;
    if (outShape.length !== 2 || outShape[1] !== cfg.k) throw new Error(`SpectralNetwork: model output must be [B, ${cfg.k}], got [${outShape}]`);
    this.k = cfg.k;
    this.model = cfg.model;
    this.operator = cfg.operator;
    this.ownsOptimizer = !cfg.optimizer;
    this.optimizer = cfg.optimizer ?? tf.train.adam(1e-3);
    this.decay = decay;
    this.order = order;
    this.estimator = estimator;
    this.rng = new Rng(cfg.seed ?? 1);
    this.mask = cfg.featureMask;
    if (cfg.inputTransform !== undefined && typeof cfg.inputTransform !== 'function') throw new Error('SpectralNetwork: inputTransform must be a function');
    this.transform = cfg.inputTransform;
    this.vars = cfg.model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (this.vars.length === 0) throw new Error('SpectralNetwork: model has no trainable weights');
    const jac = cfg.jacobian ?? 'auto';
    if (!['auto', 'contraction', 'grouped', 'per-pair'].includes(jac)) throw new Error(`SpectralNetwork: unknown jacobian path '${String(jac)}'`);
    const planned = jac === 'auto' || jac === 'contraction' ? explainLayerChain(cfg.model, this.vars) : null;
    this.plan = planned ? planned.plan : null;
    if (jac === 'contraction' && !this.plan) throw new Error(`SpectralNetwork: contraction Jacobians need ${CONTRACTION_SUPPORTED}; this model: ${planned ? planned.reason : 'n/a'}`);
    const grouped = (jac === 'auto' && !this.plan) || jac === 'grouped' ? explainWeightGroups(cfg.model, this.vars, cfg.k) : null;
    this.groupOf = grouped ? grouped.groupOf : null;
    if (jac === 'grouped' && !this.groupOf) throw new Error(`SpectralNetwork: grouped Jacobians need layers that declare per-output weight blocks (GroupedMLP); this model: ${grouped ? grouped.reason : 'n/a'}`);
    this.jacobianPath = estimator !== 'jacobian-average' || decay === 1 ? 'none' : this.plan ? 'contraction' : this.groupOf ? 'grouped' : 'per-pair';
  }

  /** Features u(x) = mask(x) * model(x), [B, k]. */
  private f = (x: tf.Tensor): tf.Tensor2D => {
    const y = this.model.apply(this.transform ? this.transform(x) : x) as tf.Tensor;
    if (y.rank !== 2 || y.shape[1] !== this.k) throw new Error(`SpectralNetwork: model output must be [B, ${this.k}], got [${y.shape}]`);
    if (!this.mask) return y as tf.Tensor2D;
    return tf.mul(y, tf.reshape(this.mask(x), [-1, 1])) as tf.Tensor2D;
  };

  private checkLive(): void {
    if (this.disposed) throw new Error('SpectralNetwork: used after dispose()');
  }

  private pi(b: FeatureBatch, left: LeftWrap): tf.Tensor2D {
    const p = this.operator.pi(b, left);
    return this.order === 'largest' ? (tf.neg(p) as tf.Tensor2D) : p;
  }

  private average(avg: Float64Array | null, cur: Float64Array): Float64Array {
    if (!avg || this.decay === 1) return cur;
    const out = new Float64Array(cur.length);
    for (let i = 0; i < cur.length; i++) out[i] = (1 - this.decay) * avg[i] + this.decay * cur[i];
    return out;
  }

  /** Cholesky of the averaged Sigma (regularised when needed) and the gradient coefficients. */
  private coefficients(sigma: Float64Array, pi: Float64Array): { L: Float64Array; Li: Float64Array; lam: Float64Array; gPi: Float64Array; gSigma: Float64Array; jitter: number } {
    const k = this.k;
    const { L, jitter } = la.choleskyRegularized(la.symmetrize(sigma, k), k);
    const Li = la.invLower(L, k);
    const lam = la.matmul(la.matmul(Li, pi, k), la.transpose(Li, k), k);
    const gPi = new Float64Array(k * k);
    const tri = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        gPi[i * k + j] = Li[j * k + i] / L[j * k + j];
        if (j >= i) tri[i * k + j] = lam[i * k + j] / L[j * k + j];
      }
    const gSigma = la.matmul(la.transpose(Li, k), tri, k).map((v) => -v);
    return { L, Li, lam, gPi, gSigma, jitter };
  }

  /**
   * One optimisation step on a minibatch: x [B, ...]; xNext (same shape) for pair operators;
   * xSigma, for the 'independent' estimator, an independent batch for the Sigma-term Jacobian
   * (default: the second half of x, the first half then drives the Pi term).
   * weights (optional, [B], finite and >= 0): importance weights w_b = p(x_b) / q(x_b) for a batch drawn
   * from q instead of the target distribution p; Sigma = E_q[w u u^T], Pi (through FeatureBatch.weights)
   * and the Jacobian of Sigma are weighted alike. xSigmaWeights: the same for batch.xSigma.
   */
  step(batch: { x: tf.Tensor; xNext?: tf.Tensor; xSigma?: tf.Tensor; weights?: tf.Tensor1D; xSigmaWeights?: tf.Tensor1D }): SpinStepResult {
    this.checkLive();
    if (!batch || !(batch.x instanceof tf.Tensor)) throw new Error('SpectralNetwork.step: batch.x must be a tensor');
    const bsz = batch.x.shape[0];
    if (!(bsz >= 1)) throw new Error('SpectralNetwork.step: empty batch');
    if (this.operator.needsNext) {
      if (!batch.xNext) throw new Error(`SpectralNetwork.step: operator '${this.operator.name}' needs batch.xNext (consecutive pairs)`);
      if (batch.xNext.shape.join() !== batch.x.shape.join()) throw new Error(`SpectralNetwork.step: xNext shape [${batch.xNext.shape}] differs from x [${batch.x.shape}]`);
    }
    const k = this.k;
    let x = batch.x;
    let xNext = batch.xNext;
    let xs = batch.xSigma;
    let w = batch.weights;
    let ws = batch.xSigmaWeights;
    if (w !== undefined) checkWeights(w, bsz, 'weights');
    if (xs && (w !== undefined) !== (ws !== undefined)) throw new Error('SpectralNetwork.step: pass both weights and xSigmaWeights (or neither) with batch.xSigma');
    if (xs && ws !== undefined) checkWeights(ws, xs.shape[0], 'xSigmaWeights');
    const split: tf.Tensor[] = [];
    if (this.estimator === 'independent' && !xs) {
      if (bsz < 2) throw new Error('SpectralNetwork.step: the independent estimator needs a batch of at least 2 or batch.xSigma');
      const h = Math.floor(bsz / 2);
      const [a, b] = tf.split(batch.x, [h, bsz - h], 0);
      x = a; xs = b; split.push(a, b);
      if (batch.xNext) {
        const [an, bn] = tf.split(batch.xNext, [h, bsz - h], 0);
        xNext = an; split.push(an, bn);
      }
      if (w) {
        const [wa, wb] = tf.split(w, [h, bsz - h], 0) as tf.Tensor1D[];
        w = wa; ws = wb; split.push(wa, wb);
      }
    }
    let lossValue = 0;
    let coef: ReturnType<SpectralNetwork['coefficients']> | null = null;
    let sigmaHat: Float64Array | null = null;
    let piHat: Float64Array | null = null;
    try {
      const { value, grads } = tf.variableGrads(() => {
        const fb = new LazyFeatureBatch(this.f, x, xNext, w);
        const u = fb.u();
        const B = fb.batchSize;
        const sHat = gram(u, u, B, w);
        const pHat = this.pi(fb, sg);
        sigmaHat = Float64Array.from(sHat.dataSync());
        piHat = Float64Array.from(pHat.dataSync());
        for (let i = 0; i < k * k; i++)
          if (!Number.isFinite(sigmaHat[i]) || !Number.isFinite(piHat[i])) throw new Error(`SpectralNetwork.step: non-finite features or operator estimate at step ${this.t + 1} (diverged? lower the learning rate)`);
        const sAvg = this.average(this.sigmaAvg, sigmaHat);
        const pAvg = this.average(this.piAvg, piHat);
        coef = this.coefficients(sAvg, pAvg);
        const gPi = tf.tensor2d(Float32Array.from(coef.gPi), [k, k]);
        let surrogate = tf.mul(2, tf.sum(tf.mul(gPi, pHat)));
        if (this.jacobianPath === 'none') {
          const gS = tf.tensor2d(Float32Array.from(coef.gSigma), [k, k]);
          let us = u;
          let Bs = B;
          let wS = w;
          if (this.estimator === 'independent') {
            us = this.f(xs as tf.Tensor);
            Bs = us.shape[0];
            wS = ws;
          }
          // weights on the stopped (left) factor: the same gradient as gram(sg(us), us, Bs, wS), kept in this
          // association so training stays bit-identical to earlier versions
          const sTerm = tf.div(tf.matMul(sg(wS ? (tf.mul(us, tf.reshape(wS, [-1, 1])) as tf.Tensor2D) : us), us, true, false), Bs);
          surrogate = tf.add(surrogate, tf.mul(2, tf.sum(tf.mul(gS, sTerm))));
        }
        lossValue = 0;
        for (let i = 0; i < k; i++) lossValue += coef.lam[i * k + i];
        return surrogate as tf.Scalar;
      }, this.vars);
      value.dispose();
      const c = coef as unknown as ReturnType<SpectralNetwork['coefficients']>;
      let named: { name: string; tensor: tf.Tensor }[];
      if (this.jacobianPath !== 'none') {
        // sqrt(w) per example folded into the mask gives E[w u_i du_j/dtheta]
        const sw = w ? tf.tidy(() => tf.sqrt(w as tf.Tensor1D) as tf.Tensor1D) : undefined;
        const m = this.plan && (this.mask || sw) ? tf.tidy(() => (this.mask ? (sw ? tf.mul(this.mask(x), sw) : this.mask(x)) : (sw as tf.Tensor1D)) as tf.Tensor1D) : undefined;
        const fw = sw ? (xx: tf.Tensor) => tf.mul(this.f(xx), tf.reshape(sw, [-1, 1])) as tf.Tensor2D : this.f;
        const xin = this.plan && this.transform ? tf.tidy(() => (this.transform as (x: tf.Tensor) => tf.Tensor)(x)) : x;
        const gp = new Float32Array(numPairs(k));
        for (let i = 0; i < k; i++) for (let j = i; j < k; j++) gp[pairIndex(i, j, k)] = 2 * c.gSigma[i * k + j];
        let sources: PairSource[];
        if (this.plan) {
          const r = chainJacobianSources(this.plan, xin, this.vars, m);
          r.u.dispose();
          sources = r.sources;
        } else {
          const r = this.groupOf ? groupedJacobians(fw, x, this.vars, k, this.groupOf) : perPairJacobians(fw, x, this.vars, k);
          r.u.dispose();
          sources = r.jac.map((t) => pairRowsSource(t, k));
        }
        m?.dispose();
        sw?.dispose();
        if (xin !== x) xin.dispose();
        // Vbar <- (1 - decay) Vbar + decay V (V alone at the first step) and the Sigma-term gradient
        // sum_{i<=j} 2 gSigma_ij Vbar_ij, in one pass per variable (pairEma): the fresh pair Jacobians
        // are read from the contraction's products, never gathered into rows
        const prev = this.jacAvg;
        const next: tf.Tensor2D[] = [];
        named = this.vars.map((v, i) => {
          // in place where possible (the average is this trainer's own state): one copy of it in memory
          const { avg, g: gS } = pairEma(sources[i], prev ? prev[i] : null, prev ? 1 - this.decay : 0, prev ? this.decay : 1, gp, true);
          disposePairSource(sources[i]);
          if (prev && prev[i] !== avg) prev[i].dispose();
          next.push(avg);
          const g = grads[v.name];
          const tensor = tf.tidy(() => {
            const sTerm = tf.reshape(gS as tf.Tensor1D, v.shape);
            return g ? tf.add(g, sTerm) : sTerm;
          });
          gS?.dispose();
          return { name: v.name, tensor };
        });
        this.jacAvg = next;
      } else {
        named = this.vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
      }
      this.optimizer.applyGradients(named);
      named.forEach((n) => n.tensor.dispose());
      Object.values(grads).forEach((g) => g.dispose());
      this.sigmaAvg = this.average(this.sigmaAvg, sigmaHat as unknown as Float64Array);
      this.piAvg = this.average(this.piAvg, piHat as unknown as Float64Array);
      this.lastJitter = c.jitter;
      if (c.jitter > 0) this.regularizations++;
      this.t++;
    } finally {
      split.forEach((t) => t.dispose());
    }
    return { loss: this.order === 'largest' ? -lossValue : lossValue };
  }

  /** Eigenvalue estimates aligned with features(): diag(L^-1 Pi L^-T) of the averaged statistics. */
  eigenvalues(): Float32Array {
    this.checkLive();
    if (!this.sigmaAvg || !this.piAvg) throw new Error('SpectralNetwork.eigenvalues: no step taken yet');
    const c = this.coefficients(this.sigmaAvg, this.piAvg);
    const out = new Float32Array(this.k);
    for (let i = 0; i < this.k; i++) out[i] = (this.order === 'largest' ? -1 : 1) * c.lam[i * this.k + i];
    return out;
  }

  /** Averaged Sigma (k x k, row-major float64), or null before the first step. */
  sigma(): Float64Array | null {
    return this.sigmaAvg ? Float64Array.from(this.sigmaAvg) : null;
  }

  /** L^-1 of the averaged Sigma = L L^T (k x k row-major; the identity before the first step). */
  demixing(): Float64Array {
    this.checkLive();
    const sigma = this.sigmaAvg;
    const k = this.k;
    return sigma ? la.invLower(la.choleskyRegularized(la.symmetrize(sigma, k), k).L, k) : la.identity(k);
  }

  /** Ordered eigenfunctions L^-1 u(x) with the averaged Sigma, [B, k]. Caller disposes. */
  features(x: tf.Tensor): tf.Tensor2D {
    this.checkLive();
    if (!(x instanceof tf.Tensor)) throw new Error('SpectralNetwork.features: x must be a tensor');
    const k = this.k;
    const Li = this.demixing();
    return tf.tidy(() => tf.matMul(this.f(x), tf.tensor2d(Float32Array.from(la.transpose(Li, k)), [k, k])) as tf.Tensor2D);
  }

  /** Raw (unordered) network features mask(x) * model(x), [B, k]. Caller disposes. */
  rawFeatures(x: tf.Tensor): tf.Tensor2D {
    this.checkLive();
    return tf.tidy(() => this.f(x));
  }

  diagnostics(): SpinDiagnostics {
    return { step: this.t, regularizations: this.regularizations, lastJitter: this.lastJitter, jacobianPath: this.jacobianPath };
  }

  get iteration(): number {
    return this.t;
  }

  /** Full training state: parameters, averages, optimiser state, RNG. */
  async checkpoint(): Promise<SpinCheckpoint> {
    this.checkLive();
    const optW = await this.optimizer.getWeights();
    const optimizer = optW.map((w) => ({ name: w.name, value: encode(w.tensor) }));
    const optimizerScalars: Record<string, EncodedArray> = {};
    // Adam re-derives beta^t with pow() on restore, which is not bit-identical to the running product.
    const o = this.optimizer as unknown as Record<string, unknown>;
    for (const key of ['accBeta1', 'accBeta2']) if (o[key] instanceof tf.Variable) optimizerScalars[key] = encode(o[key] as tf.Variable);
    const weights = this.model.getWeights().map((w) => encode(w));
    return {
      format: 'eigenopt-spin-checkpoint',
      version: 1,
      k: this.k,
      step: this.t,
      decay: this.decay,
      estimator: this.estimator,
      order: this.order,
      rngState: this.rng.state,
      sigmaAvg: this.sigmaAvg ? Array.from(this.sigmaAvg) : null,
      piAvg: this.piAvg ? Array.from(this.piAvg) : null,
      regularizations: this.regularizations,
      weights,
      jacobianAvg: this.jacAvg ? this.jacAvg.map((t) => encode(t)) : null,
      optimizer,
      optimizerScalars,
    };
  }

  /** Restores a checkpoint taken from a trainer with the same architecture and settings. */
  async restore(ck: SpinCheckpoint): Promise<void> {
    this.checkLive();
    if (!ck || ck.format !== 'eigenopt-spin-checkpoint' || ck.version !== 1) throw new Error('SpectralNetwork.restore: not an eigenopt SpIN checkpoint (version 1)');
    if (ck.k !== this.k) throw new Error(`SpectralNetwork.restore: checkpoint has k=${ck.k}, trainer has k=${this.k}`);
    if (ck.estimator !== this.estimator || ck.order !== this.order || ck.decay !== this.decay) throw new Error('SpectralNetwork.restore: checkpoint estimator/order/decay differ from this trainer');
    const cur = this.model.getWeights();
    if (ck.weights.length !== cur.length || ck.weights.some((w, i) => w.shape.join() !== cur[i].shape.join())) throw new Error('SpectralNetwork.restore: model architecture does not match the checkpoint');
    const ws = ck.weights.map(decode);
    this.model.setWeights(ws);
    ws.forEach((w) => w.dispose());
    const ow = ck.optimizer.map((w) => ({ name: w.name, tensor: decode(w.value) }));
    await this.optimizer.setWeights(ow);
    ow.forEach((w) => w.tensor.dispose());
    const o = this.optimizer as unknown as Record<string, unknown>;
    for (const [key, enc] of Object.entries(ck.optimizerScalars ?? {})) {
      const v = o[key];
      if (v instanceof tf.Variable) {
        const t = decode(enc);
        v.assign(t);
        t.dispose();
      }
    }
    this.t = ck.step;
    this.rng.state = ck.rngState;
    this.sigmaAvg = ck.sigmaAvg ? Float64Array.from(ck.sigmaAvg) : null;
    this.piAvg = ck.piAvg ? Float64Array.from(ck.piAvg) : null;
    this.regularizations = ck.regularizations;
    if (this.jacAvg) this.jacAvg.forEach((t) => t.dispose());
    this.jacAvg = ck.jacobianAvg ? ck.jacobianAvg.map((e) => decode(e) as tf.Tensor2D) : null;
  }

  async saveCheckpoint(path: string): Promise<void> {
    fs.writeFileSync(path, JSON.stringify(await this.checkpoint()));
  }

  async loadCheckpoint(path: string): Promise<void> {
    if (!fs.existsSync(path)) throw new Error(`SpectralNetwork.loadCheckpoint: no such file ${path}`);
    let ck: SpinCheckpoint;
    try {
      ck = JSON.parse(fs.readFileSync(path, 'utf8')) as SpinCheckpoint;
    } catch (e) {
      throw new Error(`SpectralNetwork.loadCheckpoint: ${path} is not valid JSON (${(e as Error).message})`);
    }
    await this.restore(ck);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.jacAvg) this.jacAvg.forEach((t) => t.dispose());
    this.jacAvg = null;
    if (this.ownsOptimizer) this.optimizer.dispose();
  }
}
