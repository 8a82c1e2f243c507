// The SpIN trainer: masked (ordered) gradient, moving averages of Sigma and of its Jacobian,
// eigenvalue estimates, ordered features, checkpoint state (written to disk by checkpoint.ts).
//
// Notation (Pfau et al., ICLR 2019): u(x) in R^k, Sigma = E[u u^T], Pi = operator form, Sigma = L L^T,
// Lambda = L^-1 Pi L^-T. With G_Pi = L^-T diag(L)^-1 and G_Sigma = -L^-T triu(Lambda diag(L)^-1), the
// masked gradient is 2 sum_ij G_Pi_ij Pi(u_i, d u_j) + 2 sum_ij G_Sigma_ij E[u_i d u_j]: the
// derivative falls on the column index only, so feature j is driven by lambda_j alone
// (sum_j d lambda_j / d u_j with u_1..u_{j-1} held fixed).
import * as tf from '@tensorflow/tfjs';
import * as la from './linalg';
import { pairEma } from '../backend';
import type { PairSource } from '../backend';
import type { ChainPlan } from './jacobian';
import { Rng } from '../rng';
import { gram } from './operators';
import type { FeatureBatch, LeftWrap, SpinOperator } from './operators';
import { ScheduledAdam } from './optimizers';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpoint';
import type { NamedArray, SpinCheckpoint } from './checkpoint';
import { CONTRACTION_SUPPORTED, chainJacobianSources, disposePairSource, explainLayerChain, explainWeightGroups, groupedJacobians, numPairs, pairIndex, pairRowsSource, perPairJacobians } from './jacobian';

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
  /** Any TF.js optimiser (default ScheduledAdam 1e-3; checkpoints resume exactly with ScheduledAdam, ScheduledRMSProp and SGD). */
  optimizer?: tf.Optimizer;
  /** Moving-average rate beta (default 0.01); 1 disables averaging (plain minibatch estimates). */
  decay?: number;
  /** Seed of `rng` (Rng.mulberry), the stream batch sources of this network draw from (default 1). */
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
  /**
   * Adaptive gradient clipping (default: none): a step whose gradient's global norm exceeds
   * `clipFactor` times the running average of the norms of the steps before it is scaled down to
   * that bound. The average (rate CLIP_NORM_RATE) starts after CLIP_WARMUP_STEPS unclipped steps.
   * It keeps one outlier minibatch (a nearly singular Sigma makes L^-1, and so the masked gradient,
   * huge) from kicking the network far, which Adam would not prevent: its update for a gradient
   * 100x the usual is ~3x the learning rate in every coordinate for several steps.
   */
  clipFactor?: number;
}

/** Rate of the running average of gradient norms that adaptive clipping compares each step's with. */
export const CLIP_NORM_RATE = 0.01;
/** Steps whose gradient norms only feed the running average (never clipped) before clipping starts. */
export const CLIP_WARMUP_STEPS = 100;

export interface SpinStepResult {
  loss: number;
}

export interface SpinDiagnostics {
  step: number;
  /** Number of steps where the averaged Sigma was not positive definite and was regularised. */
  regularizations: number;
  /** Steps whose gradient was scaled down by adaptive clipping (clipFactor). */
  clippedSteps: number;
  /** Largest ratio of a step's gradient norm to the running average seen by adaptive clipping in this process (0 without clipping). */
  maxNormRatio: number;
  /** Jitter (multiple of I) added at the last step, 0 when Sigma was positive definite. */
  lastJitter: number;
  jacobianPath: JacobianPath;
}

export type JacobianPath = 'contraction' | 'grouped' | 'per-pair' | 'none';

/** One minibatch for SpectralNetwork.step (see step()). */
export interface SpinBatch {
  x: tf.Tensor;
  xNext?: tf.Tensor;
  xSigma?: tf.Tensor;
  weights?: tf.Tensor1D;
  xSigmaWeights?: tf.Tensor1D;
}

/** A batch after validation: the Pi-term part (x, xNext, w) and the Sigma-term part (xs, ws) of the 'independent' estimator. */
interface BatchParts {
  x: tf.Tensor;
  xNext?: tf.Tensor;
  w?: tf.Tensor1D;
  xs?: tf.Tensor;
  ws?: tf.Tensor1D;
  /** tensors made by splitting the batch, disposed after the step */
  owned: tf.Tensor[];
}

/** Cholesky factor of the averaged Sigma, its inverse, Lambda and the gradient coefficients (k x k, row-major). */
interface Coefficients {
  L: Float64Array;
  Li: Float64Array;
  lam: Float64Array;
  gPi: Float64Array;
  gSigma: Float64Array;
  jitter: number;
}

interface SurrogateResult {
  grads: tf.NamedTensorMap;
  sigmaHat: Float64Array;
  piHat: Float64Array;
  coef: Coefficients;
  loss: number;
}

/** Tensors as plain arrays (the form checkpoints store). */
export async function checkpointArrays(named: { name: string; tensor: tf.Tensor }[]): Promise<NamedArray[]> {
  return Promise.all(named.map(async ({ name, tensor }) => {
    const d = await tensor.data();
    return { name, shape: tensor.shape.slice(), data: tensor.dtype === 'int32' ? Int32Array.from(d) : Float32Array.from(d) };
  }));
}

/** Throws `message` unless the saved arrays have the shapes of `current`, in order. */
export function checkSavedShapes(saved: readonly NamedArray[], current: readonly tf.Tensor[], message: string): void {
  if (saved.length !== current.length || saved.some((w, i) => w.shape.join() !== current[i].shape.join())) throw new Error(message);
}

/** The weights of `models`, in order, as checkpoint arrays named weight_0, weight_1, ... */
export async function weightArrays(models: readonly tf.LayersModel[]): Promise<NamedArray[]> {
  return checkpointArrays(models.flatMap((m) => m.getWeights()).map((tensor, i) => ({ name: `weight_${i}`, tensor })));
}

/** Sets the weights of `models`, in order, from checkpoint arrays (their shapes checked by the caller with checkSavedShapes). */
export function setWeightsFrom(models: readonly tf.LayersModel[], arrays: readonly NamedArray[]): void {
  let at = 0;
  for (const m of models) {
    const n = m.getWeights().length;
    const ws = arrays.slice(at, at + n).map(checkpointTensor);
    m.setWeights(ws);
    tf.dispose(ws);
    at += n;
  }
}

/** Sets an optimiser's whole state (slots, step count) from a checkpoint's arrays. */
export async function restoreOptimizerState(optimizer: tf.Optimizer, arrays: readonly NamedArray[]): Promise<void> {
  const named = arrays.map((a) => ({ name: a.name, tensor: checkpointTensor(a) }));
  try {
    await optimizer.setWeights(named);
  } finally {
    tf.dispose(named.map((w) => w.tensor));
  }
}

/** A checkpoint's array as a tensor of its shape and dtype. */
export function checkpointTensor(a: NamedArray): tf.Tensor {
  return tf.tensor(a.data, a.shape, a.data instanceof Int32Array ? 'int32' : 'float32');
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
  /** The network's random stream: batch sources draw their minibatches from it; checkpoints save its state. */
  readonly rng: Rng;
  private readonly ownsOptimizer: boolean;
  private readonly mask?: (x: tf.Tensor) => tf.Tensor1D;
  private readonly transform?: (x: tf.Tensor) => tf.Tensor;
  private readonly vars: tf.Variable[];
  private readonly plan: ChainPlan | null;
  private readonly jacobianPath: JacobianPath;
  private readonly groupOf: Int32Array[] | null;
  private sigmaAvg: Float64Array | null = null;
  private piAvg: Float64Array | null = null;
  private jacAvg: tf.Tensor2D[] | null = null;
  private t = 0;
  private regularizations = 0;
  private lastJitter = 0;
  private disposed = false;
  readonly clipFactor: number | null;
  /** Running average of the gradient norm (adaptive clipping), null before the first step. */
  private gradNormAvg: number | null = null;
  private clipped = 0;
  private maxNormRatio = 0;

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
    this.optimizer = cfg.optimizer ?? new ScheduledAdam(1e-3);
    this.decay = decay;
    this.order = order;
    this.estimator = estimator;
    this.rng = Rng.mulberry(cfg.seed ?? 1);
    this.mask = cfg.featureMask;
    if (cfg.inputTransform !== undefined && typeof cfg.inputTransform !== 'function') throw new Error('SpectralNetwork: inputTransform must be a function');
    this.transform = cfg.inputTransform;
    if (cfg.clipFactor !== undefined && !(Number.isFinite(cfg.clipFactor) && cfg.clipFactor > 1)) throw new Error(`SpectralNetwork: clipFactor must be a finite number > 1, got ${cfg.clipFactor}`);
    this.clipFactor = cfg.clipFactor ?? null;
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
  private coefficients(sigma: Float64Array, pi: Float64Array): Coefficients {
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
  step(batch: SpinBatch): SpinStepResult {
    this.checkLive();
    const parts = this.prepareBatch(batch);
    try {
      const s = this.surrogateGradients(parts);
      const named = this.jacobianPath === 'none' ? this.vars.map((v) => ({ name: v.name, tensor: s.grads[v.name] ?? tf.zerosLike(v) })) : this.addAveragedSigmaTerm(parts, s);
      if (this.clipFactor !== null) this.clip(named);
      this.optimizer.applyGradients(named);
      named.forEach((n) => n.tensor.dispose());
      Object.values(s.grads).forEach((g) => g.dispose());
      this.sigmaAvg = this.average(this.sigmaAvg, s.sigmaHat);
      this.piAvg = this.average(this.piAvg, s.piHat);
      this.lastJitter = s.coef.jitter;
      if (s.coef.jitter > 0) this.regularizations++;
      this.t++;
      return { loss: this.order === 'largest' ? -s.loss : s.loss };
    } finally {
      parts.owned.forEach((t) => t.dispose());
    }
  }

  /** Validates a batch and, for the 'independent' estimator without xSigma, splits it in halves. */
  private prepareBatch(batch: SpinBatch): BatchParts {
    if (!batch || !(batch.x instanceof tf.Tensor)) throw new Error('SpectralNetwork.step: batch.x must be a tensor');
    const bsz = batch.x.shape[0];
    if (!(bsz >= 1)) throw new Error('SpectralNetwork.step: empty batch');
    if (this.operator.needsNext) {
      if (!batch.xNext) throw new Error(`SpectralNetwork.step: operator '${this.operator.name}' needs batch.xNext (consecutive pairs)`);
      if (batch.xNext.shape.join() !== batch.x.shape.join()) throw new Error(`SpectralNetwork.step: xNext shape [${batch.xNext.shape}] differs from x [${batch.x.shape}]`);
    }
    const { xSigma, xSigmaWeights } = batch;
    if (batch.weights !== undefined) checkWeights(batch.weights, bsz, 'weights');
    if (xSigma && (batch.weights !== undefined) !== (xSigmaWeights !== undefined)) throw new Error('SpectralNetwork.step: pass both weights and xSigmaWeights (or neither) with batch.xSigma');
    if (xSigma && xSigmaWeights !== undefined) checkWeights(xSigmaWeights, xSigma.shape[0], 'xSigmaWeights');
    const parts: BatchParts = { x: batch.x, xNext: batch.xNext, w: batch.weights, xs: xSigma, ws: xSigmaWeights, owned: [] };
    if (this.estimator !== 'independent' || xSigma) return parts;
    if (bsz < 2) throw new Error('SpectralNetwork.step: the independent estimator needs a batch of at least 2 or batch.xSigma');
    const h = Math.floor(bsz / 2);
    const halves = <T extends tf.Tensor>(t: T): [T, T] => {
      const [a, b] = tf.split(t, [h, bsz - h], 0) as [T, T];
      parts.owned.push(a, b);
      return [a, b];
    };
    [parts.x, parts.xs] = halves(batch.x);
    if (batch.xNext) parts.xNext = halves(batch.xNext)[0];
    if (batch.weights) [parts.w, parts.ws] = halves(batch.weights);
    return parts;
  }

  /**
   * Gradients of the surrogate whose gradient is the masked gradient's Pi term (and, without a
   * Jacobian average, its Sigma term from this batch), the batch estimates of Sigma and Pi, and the
   * coefficients from their averages.
   */
  private surrogateGradients(p: BatchParts): SurrogateResult {
    const k = this.k;
    const out: Partial<Omit<SurrogateResult, 'grads'>> = {};
    const { value, grads } = tf.variableGrads(() => {
      const fb = new LazyFeatureBatch(this.f, p.x, p.xNext, p.w);
      const u = fb.u();
      const B = fb.batchSize;
      const sHat = gram(u, u, B, p.w);
      const pHat = this.pi(fb, sg);
      const sigmaHat = Float64Array.from(sHat.dataSync());
      const piHat = Float64Array.from(pHat.dataSync());
      for (let i = 0; i < k * k; i++)
        if (!Number.isFinite(sigmaHat[i]) || !Number.isFinite(piHat[i])) throw new Error(`SpectralNetwork.step: non-finite features or operator estimate at step ${this.t + 1} (diverged? lower the learning rate)`);
      const coef = this.coefficients(this.average(this.sigmaAvg, sigmaHat), this.average(this.piAvg, piHat));
      let surrogate = tf.mul(2, tf.sum(tf.mul(tf.tensor2d(Float32Array.from(coef.gPi), [k, k]), pHat)));
      if (this.jacobianPath === 'none') {
        const independent = this.estimator === 'independent';
        const us = independent ? this.f(p.xs as tf.Tensor) : u;
        const wS = independent ? p.ws : p.w;
        // E[w u_i du_j]: the weights ride on the stopped (left) factor
        const sTerm = tf.div(tf.matMul(sg(wS ? (tf.mul(us, tf.reshape(wS, [-1, 1])) as tf.Tensor2D) : us), us, true, false), us.shape[0]);
        surrogate = tf.add(surrogate, tf.mul(2, tf.sum(tf.mul(tf.tensor2d(Float32Array.from(coef.gSigma), [k, k]), sTerm))));
      }
      let loss = 0;
      for (let i = 0; i < k; i++) loss += coef.lam[i * k + i];
      Object.assign(out, { sigmaHat, piHat, coef, loss });
      return surrogate as tf.Scalar;
    }, this.vars);
    value.dispose();
    if (!out.sigmaHat || !out.piHat || !out.coef || out.loss === undefined) throw new Error('SpectralNetwork.step: surrogate evaluation produced no statistics');
    return { grads, sigmaHat: out.sigmaHat, piHat: out.piHat, coef: out.coef, loss: out.loss };
  }

  /**
   * The Sigma term from the averaged pair Jacobians: updates Vbar <- (1 - decay) Vbar + decay V (V
   * alone at the first step) and adds sum_{i<=j} 2 gSigma_ij Vbar_ij to the surrogate's gradients,
   * in one pass per variable (pairEma); the fresh pair Jacobians are read from the contraction's
   * products, never gathered into rows.
   */
  private addAveragedSigmaTerm(p: BatchParts, s: SurrogateResult): { name: string; tensor: tf.Tensor }[] {
    const k = this.k;
    const { x, w } = p;
    // sqrt(w) per example folded into the mask gives E[w u_i du_j/dtheta]
    const sw = w ? tf.tidy(() => tf.sqrt(w) as tf.Tensor1D) : undefined;
    const mask = this.mask;
    const m = this.plan && (mask || sw) ? tf.tidy(() => (mask ? (sw ? tf.mul(mask(x), sw) : mask(x)) : (sw as tf.Tensor1D)) as tf.Tensor1D) : undefined;
    const fw = sw ? (xx: tf.Tensor) => tf.mul(this.f(xx), tf.reshape(sw, [-1, 1])) as tf.Tensor2D : this.f;
    const transform = this.transform;
    const xin = this.plan && transform ? tf.tidy(() => transform(x)) : x;
    const gp = new Float32Array(numPairs(k));
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) gp[pairIndex(i, j, k)] = 2 * s.coef.gSigma[i * k + j];
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
    const prev = this.jacAvg;
    const next: tf.Tensor2D[] = [];
    const named = this.vars.map((v, i) => {
      // in place where possible (the average is this trainer's own state): one copy of it in memory
      const { avg, g: gS } = pairEma(sources[i], prev ? prev[i] : null, prev ? 1 - this.decay : 0, prev ? this.decay : 1, gp, true);
      disposePairSource(sources[i]);
      if (prev && prev[i] !== avg) prev[i].dispose();
      next.push(avg);
      const g = s.grads[v.name];
      const tensor = tf.tidy(() => {
        const sTerm = tf.reshape(gS as tf.Tensor1D, v.shape);
        return g ? tf.add(g, sTerm) : sTerm;
      });
      gS?.dispose();
      return { name: v.name, tensor };
    });
    this.jacAvg = next;
    return named;
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
    return { step: this.t, regularizations: this.regularizations, clippedSteps: this.clipped, maxNormRatio: this.maxNormRatio, lastJitter: this.lastJitter, jacobianPath: this.jacobianPath };
  }

  /** Adaptive clipping of one step's gradients, in place (see SpectralNetworkConfig.clipFactor). */
  private clip(named: { name: string; tensor: tf.Tensor }[]): void {
    const norm = Math.sqrt(tf.tidy(() => tf.addN(named.map((n) => tf.sum(tf.square(n.tensor)))).dataSync()[0]));
    if (!Number.isFinite(norm)) return; // the trainer's own checks report non-finite steps
    const avg = this.gradNormAvg;
    const active = avg !== null && this.t >= CLIP_WARMUP_STEPS;
    const bound = active ? (this.clipFactor as number) * avg : Infinity;
    const used = Math.min(norm, bound);
    if (active && avg > 0) this.maxNormRatio = Math.max(this.maxNormRatio, norm / avg);
    if (norm > bound) {
      this.clipped++;
      const scale = bound / norm;
      for (const n of named) {
        const old = n.tensor;
        n.tensor = tf.tidy(() => tf.mul(old, scale));
        old.dispose();
      }
    }
    // the average follows the norms as applied, so one outlier does not raise the next bound
    this.gradNormAvg = avg === null ? used : avg + CLIP_NORM_RATE * (used - avg);
  }

  get iteration(): number {
    return this.t;
  }

  /**
   * Full training state: parameters, averages, optimiser state (getWeights(): exact resume with
   * ScheduledAdam / ScheduledRMSProp / SGD), RNG. Disk I/O: writeSpinCheckpoint / readSpinCheckpoint.
   */
  async checkpoint(): Promise<SpinCheckpoint> {
    this.checkLive();
    return {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      k: this.k,
      step: this.t,
      decay: this.decay,
      estimator: this.estimator,
      order: this.order,
      rngState: this.rng.state,
      regularizations: this.regularizations,
      ...(this.clipFactor !== null ? { gradNormAvg: this.gradNormAvg, clippedSteps: this.clipped } : {}),
      sigmaAvg: this.sigmaAvg ? Array.from(this.sigmaAvg) : null,
      piAvg: this.piAvg ? Array.from(this.piAvg) : null,
      weights: await weightArrays([this.model]),
      optimizer: await checkpointArrays(await this.optimizer.getWeights()),
      jacobianAvg: this.jacAvg ? await checkpointArrays(this.jacAvg.map((tensor, i) => ({ name: `jacobian_${i}`, tensor }))) : null,
    };
  }

  /** Restores a checkpoint taken from a trainer with the same architecture and settings. */
  async restore(ck: SpinCheckpoint): Promise<void> {
    this.checkLive();
    if (!ck || ck.format !== CHECKPOINT_FORMAT || ck.version !== CHECKPOINT_VERSION) throw new Error(`SpectralNetwork.restore: not an eigenopt SpIN checkpoint (version ${CHECKPOINT_VERSION})`);
    if (ck.k !== this.k) throw new Error(`SpectralNetwork.restore: checkpoint has k=${ck.k}, trainer has k=${this.k}`);
    if (ck.estimator !== this.estimator || ck.order !== this.order || ck.decay !== this.decay) throw new Error('SpectralNetwork.restore: checkpoint estimator/order/decay differ from this trainer');
    if (this.clipFactor !== null) {
      const g = ck.gradNormAvg;
      if (g === undefined || (g !== null && !(typeof g === 'number' && Number.isFinite(g) && g >= 0)) || !(Number.isInteger(ck.clippedSteps) && (ck.clippedSteps as number) >= 0))
        throw new Error('SpectralNetwork.restore: this trainer clips gradients but the checkpoint holds no valid clipping state (gradNormAvg, clippedSteps)');
    }
    checkSavedShapes(ck.weights, this.model.getWeights(), 'SpectralNetwork.restore: model architecture does not match the checkpoint');
    const jacShapes = this.jacobianPath === 'none' ? null : this.vars.map((v) => [numPairs(this.k), v.size].join());
    if (ck.jacobianAvg && (!jacShapes || ck.jacobianAvg.length !== jacShapes.length || ck.jacobianAvg.some((a, i) => a.shape.join() !== jacShapes[i]))) throw new Error('SpectralNetwork.restore: the checkpoint\'s Jacobian averages do not match this trainer');
    setWeightsFrom([this.model], ck.weights);
    await restoreOptimizerState(this.optimizer, ck.optimizer);
    this.t = ck.step;
    this.rng.state = ck.rngState;
    this.sigmaAvg = ck.sigmaAvg ? Float64Array.from(ck.sigmaAvg) : null;
    this.piAvg = ck.piAvg ? Float64Array.from(ck.piAvg) : null;
    this.regularizations = ck.regularizations;
    if (this.clipFactor !== null) {
      this.gradNormAvg = ck.gradNormAvg as number | null;
      this.clipped = ck.clippedSteps as number;
    }
    if (this.jacAvg) this.jacAvg.forEach((t) => t.dispose());
    this.jacAvg = ck.jacobianAvg ? ck.jacobianAvg.map((a) => checkpointTensor(a) as tf.Tensor2D) : null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.jacAvg) this.jacAvg.forEach((t) => t.dispose());
    this.jacAvg = null;
    if (this.ownsOptimizer) this.optimizer.dispose();
  }
}
