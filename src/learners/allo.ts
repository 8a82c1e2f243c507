// ALLO: the augmented Lagrangian Laplacian objective (Gomez, Bowling, Machado, ICLR 2024,
// "Proper Laplacian Representation Learning"), learning the d smallest eigenfunctions of the
// random-walk Laplacian from replayed (x, x') pairs.
//
//   min_f max_beta  sum_i E[(f_i(x) - f_i(x'))^2]
//                 + sum_{j<=i} beta_ij (<f_i, sg(f_j)> - delta_ij)
//                 + b sum_{j<=i} (<f_i, sg(f_j)> - delta_ij)^2
//
// <f, g> = E_x[f(x) g(x)] over states drawn from the buffer; sg is the stop-gradient that makes the
// constraints asymmetric (f_i is constrained against the fixed f_j, j <= i), which fixes the
// order. The quadratic term multiplies the errors of two independent batches (an unbiased
// estimate of the squared error). Duals: beta <- clip(beta + lrDuals * E, -100, 100) on the lower
// triangle (E the error matrix); barrier: b <- clip(b + lrBarrier * mean(max(0, Q)), 0, 10000),
// Q an exponential average (rate 0.1) of the quadratic error matrix. Defaults are those of the paper's
// configuration: barrier 1, lrBarrier 1, lrDuals 1e-4, MLP 3 x 256 relu, Adam 1e-3, batch 1024.
// At a fixed point 4 (I - P) f_i + beta_ii f_i = 0 for the error's gradient convention here, so
// eigenvalue i of I - P is -beta_ii / 4 (in the model's info); the reported eigenvalues are the
// Rayleigh quotients of the learned functions over the whole buffer.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import type { ReplayBuffer } from '../data/replay';
import { SpinEigenfunctions } from '../spin/model';
import { loadLearnerState, saveLearnerState } from '../spin/learner_state';
import { ScheduledAdam } from '../spin/optimizers';
import type { LoopTrainer } from '../spin/train';
import { DEFAULT_IMAGE_TORSO, DEFAULT_MAX_SECONDS, DEFAULT_PYRAMID, DEFAULT_REPLAY_STEPS, bufferStatistics, buildSpinMlp, canonicalDemix, gatherRows, meanObservation } from './spin-replay';
import type { ImageTorso, ReplayTraining } from './spin-replay';

export interface GraphLearnerConfig {
  hidden?: number[];
  activation?: 'relu' | 'tanh' | 'elu' | 'softplus';
  learningRate?: number;
  steps?: number;
  maxSeconds?: number;
  batchSize?: number;
  seed?: number;
  /** Observation kind recorded in the model (e.g. 'xy', 'pixels'). */
  observation?: string;
  /** Images [H, W] only: the front end (default DEFAULT_IMAGE_TORSO, as SpIN's). */
  torso?: ImageTorso;
  /**
   * Pairs (x_t, x_t+k), k >= 1 drawn with probability proportional to pairDiscount^(k-1) inside the
   * episode (ReplayBuffer.sampleRows; default 0.9, the `discount` of ALLO's and GGDO's published
   * configurations; 0 = consecutive pairs).
   */
  pairDiscount?: number;
  onProgress?: (step: number, loss: number, eigenvalues: ArrayLike<number>) => void;
  logEvery?: number;
}

export interface AlloConfig extends GraphLearnerConfig {
  barrierInitial?: number;
  lrBarrier?: number;
  maxBarrier?: number;
  lrDuals?: number;
  /** Rate of the moving average of the quadratic errors that drives the barrier (default 0.1). */
  quadraticErrorRate?: number;
}

export const ALLO_DEFAULTS = {
  hidden: [256, 256, 256],
  activation: 'relu' as const,
  learningRate: 1e-3,
  steps: DEFAULT_REPLAY_STEPS,
  batchSize: 1024,
  barrierInitial: 1,
  lrBarrier: 1,
  maxBarrier: 10_000,
  lrDuals: 1e-4,
  quadraticErrorRate: 0.1,
  pairDiscount: 0.9,
};

const stopGradientOp = tf.customGrad((...inputs: Array<tf.Tensor | ((save: tf.Tensor[]) => void)>) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy)],
}));
/** The identity whose gradient is zero (sg). */
export function stopGradient<T extends tf.Tensor>(t: T): T {
  return stopGradientOp(t) as T;
}



/**
 * The shared loop of the graph-drawing baselines: each step draws a transition batch (x, x') and
 * two independent state batches (x of further transitions) from the buffer; `loss` builds the scalar
 * objective from their features; `after` runs after the optimiser step (dual updates).
 */
export async function trainGraphObjective(
  name: string,
  buffer: ReplayBuffer,
  k: number,
  cfg: GraphLearnerConfig,
  loss: (u: tf.Tensor2D, uNext: tf.Tensor2D, c1: tf.Tensor2D, c2: tf.Tensor2D) => tf.Scalar,
  after: (step: number) => void,
  eigenvalues: () => Float64Array | null,
  extraInfo: () => Record<string, number | string>,
): Promise<ReplayTraining> {
  await initBackend();
  const hidden = cfg.hidden ?? ALLO_DEFAULTS.hidden;
  const lr = cfg.learningRate ?? ALLO_DEFAULTS.learningRate;
  const steps = cfg.steps ?? ALLO_DEFAULTS.steps;
  const maxSeconds = cfg.maxSeconds ?? DEFAULT_MAX_SECONDS;
  const B = cfg.batchSize ?? ALLO_DEFAULTS.batchSize;
  const pairDiscount = cfg.pairDiscount ?? ALLO_DEFAULTS.pairDiscount;
  const seed = cfg.seed ?? 0;
  const logEvery = cfg.logEvery ?? 1000;
  const table = tf.tensor(buffer.observations, [buffer.distinct, ...buffer.observationShape]);
  // SpIN's network (spin-replay.ts): the same MLP, and for images the same front end, so the
  // learners differ only in their objectives
  const isImage = buffer.observationShape.length === 2;
  const front = { torso: cfg.torso ?? DEFAULT_IMAGE_TORSO, pyramid: DEFAULT_PYRAMID, offset: isImage ? meanObservation(buffer) : undefined };
  const model = buildSpinMlp(buffer.observationShape, k, hidden, cfg.activation ?? ALLO_DEFAULTS.activation, seed, front);
  const opt = tf.train.adam(lr);
  const lookup = buffer.distinct <= 4 * B;
  const t0 = Date.now();
  let t = 0;
  let last = NaN;
  // Rayleigh quotients of the last logged batch (progress lines only)
  let rq = new Float64Array(k);
  for (; t < steps; t++) {
    if ((Date.now() - t0) / 1000 > maxSeconds) break;
    const tr = buffer.sampleRows(B, pairDiscount);
    const s1 = buffer.sampleRows(B).rows;
    const s2 = buffer.sampleRows(B).rows;
    const idx = new Int32Array(4 * B);
    idx.set(tr.rows, 0);
    idx.set(tr.nextRows, B);
    idx.set(s1, 2 * B);
    idx.set(s2, 3 * B);
    const logNow = (t + 1) % logEvery === 0;
    const value = tf.tidy(() => {
      const rows = tf.tensor1d(idx, 'int32');
      // few distinct observations: run the network on them once and gather the minibatch rows
      const x = lookup ? null : tf.gather(table, rows);
      const v = opt.minimize(() => {
        const f = (x ? model.apply(x) : gatherRows(model.apply(table) as tf.Tensor2D, rows)) as tf.Tensor2D;
        const [u, un, c1, c2] = tf.split(f, 4, 0) as tf.Tensor2D[];
        if (logNow || t + 1 === steps) {
          const num = tf.mean(tf.square(tf.sub(u, un)), 0);
          const den = tf.mul(2, tf.mean(tf.square(c1), 0));
          rq = Float64Array.from(tf.div(num, den).dataSync());
        }
        return loss(u, un, c1, c2);
      }, true);
      return v ? v.dataSync()[0] : NaN;
    });
    last = value;
    if (!Number.isFinite(last)) {
      table.dispose();
      model.dispose();
      opt.dispose();
      throw new Error(`${name}: loss became ${last} at step ${t + 1} (diverged? lower the learning rate)`);
    }
    after(t);
    if (cfg.onProgress && logNow) cfg.onProgress(t + 1, last, eigenvalues() ?? rq);
  }
  const seconds = (Date.now() - t0) / 1000;
  try {
    const eye = new Float64Array(k * k);
    for (let j = 0; j < k; j++) eye[j * k + j] = 1;
    const demix = canonicalDemix(model, table, eye, k);
    // Rayleigh quotients E[(f_i(x) - f_i(x'))^2] / (2 E[f_i^2]) over the whole buffer (I - P scale)
    const st = bufferStatistics(model, table, buffer, k);
    const finalValues = eigenvalues() ?? Float64Array.from({ length: k }, (_, i) => st.pi[i * k + i] / (2 * st.sigma[i * k + i]));
    const eig = new SpinEigenfunctions({
      learner: name,
      model,
      demix,
      eigenvalues: finalValues,
      observation: cfg.observation ?? 'unknown',
      observationShape: buffer.observationShape,
      info: { steps: t, seconds, batchSize: B, hidden: hidden.join('x'), learningRate: lr, pairDiscount, finalLoss: last, ...extraInfo() },
    });
    return { model: eig, steps: t, seconds };
  } finally {
    table.dispose();
    opt.dispose();
  }
}

/**
 * ALLO's objective and its dual/barrier state, independent of where the features come from (a
 * replay buffer here, frame pairs in learners/frames.ts). loss(u, u', c1, c2) takes the features of
 * a transition batch (x, x') and of two independent state batches; after() updates the duals and
 * the barrier once the optimiser has stepped.
 */
export class AlloObjective {
  barrier: number;
  private readonly duals: Float64Array; // lower triangle used
  private errors: Float64Array;
  private qAvg: Float64Array | null = null;
  private qCur: Float64Array;
  private readonly trilMask: tf.Tensor2D;
  private readonly eye: tf.Tensor2D;
  private readonly lrDuals: number;
  private readonly lrBarrier: number;
  private readonly maxBarrier: number;
  private readonly qRate: number;

  constructor(readonly k: number, cfg: AlloConfig = {}) {
    this.lrDuals = cfg.lrDuals ?? ALLO_DEFAULTS.lrDuals;
    this.lrBarrier = cfg.lrBarrier ?? ALLO_DEFAULTS.lrBarrier;
    this.maxBarrier = cfg.maxBarrier ?? ALLO_DEFAULTS.maxBarrier;
    this.qRate = cfg.quadraticErrorRate ?? ALLO_DEFAULTS.quadraticErrorRate;
    this.barrier = cfg.barrierInitial ?? ALLO_DEFAULTS.barrierInitial;
    this.duals = new Float64Array(k * k);
    this.errors = new Float64Array(k * k);
    this.qCur = new Float64Array(k * k);
    const lower = new Float32Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) lower[i * k + j] = 1;
    this.trilMask = tf.keep(tf.tensor2d(lower, [k, k]));
    this.eye = tf.keep(tf.eye(k) as tf.Tensor2D);
  }

  loss(u: tf.Tensor2D, un: tf.Tensor2D, c1: tf.Tensor2D, c2: tf.Tensor2D): tf.Scalar {
    const k = this.k;
    const graph = tf.sum(tf.mean(tf.square(tf.sub(u, un)), 0));
    // inner[i][j] = <f_i, sg(f_j)>: gradient reaches f_i only; errors on the lower triangle (j <= i)
    const inner = (c: tf.Tensor2D): tf.Tensor2D => tf.div(tf.matMul(c, stopGradient(c), true, false), c.shape[0]) as tf.Tensor2D;
    const e1 = tf.mul(tf.sub(inner(c1), this.eye), this.trilMask) as tf.Tensor2D;
    const e2 = tf.mul(tf.sub(inner(c2), this.eye), this.trilMask) as tf.Tensor2D;
    const err = tf.mul(0.5, tf.add(e1, e2));
    const quad = tf.mul(e1, e2);
    this.errors = Float64Array.from(err.dataSync());
    this.qCur = Float64Array.from(quad.dataSync());
    const dualTerm = tf.sum(tf.mul(tf.tensor2d(Float32Array.from(this.duals), [k, k]), err));
    const barrierTerm = tf.mul(this.barrier, tf.sum(quad));
    return tf.add(graph, tf.add(dualTerm, barrierTerm)) as tf.Scalar;
  }

  after(): void {
    const k = this.k;
    for (let i = 0; i < k; i++)
      for (let j = 0; j <= i; j++) this.duals[i * k + j] = Math.min(100, Math.max(-100, this.duals[i * k + j] + this.lrDuals * this.errors[i * k + j]));
    const q = this.qAvg === null ? Float64Array.from(this.qCur) : this.qAvg.map((v, i) => v + this.qRate * (this.qCur[i] - v));
    this.qAvg = q;
    let push = 0;
    for (let i = 0; i < k * k; i++) push += Math.max(0, q[i]);
    this.barrier = Math.min(this.maxBarrier, Math.max(0, this.barrier + (this.lrBarrier * push) / (k * k)));
  }

  /** What after() carries from step to step: the barrier, the duals and the averaged quadratic errors (checkpoints). */
  state(): { barrier: number; duals: number[]; qAvg: number[] | null } {
    return { barrier: this.barrier, duals: Array.from(this.duals), qAvg: this.qAvg ? Array.from(this.qAvg) : null };
  }

  setState(st: { barrier: unknown; duals: unknown; qAvg: unknown }): void {
    const kk = this.k * this.k;
    const isVec = (v: unknown): v is number[] => Array.isArray(v) && v.length === kk && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (typeof st.barrier !== 'number' || !(st.barrier >= 0)) throw new Error(`allo: the saved barrier must be a number >= 0, got ${String(st.barrier)}`);
    if (!isVec(st.duals)) throw new Error(`allo: the saved duals must be ${kk} finite numbers (k = ${this.k})`);
    if (st.qAvg !== null && !isVec(st.qAvg)) throw new Error(`allo: the saved quadratic errors must be null or ${kk} finite numbers (k = ${this.k})`);
    this.barrier = st.barrier;
    this.duals.set(st.duals);
    this.qAvg = st.qAvg === null ? null : Float64Array.from(st.qAvg as number[]);
  }

  /** Eigenvalue estimates of I - P from the diagonal duals (-beta_ii / 4). */
  dualEigenvalues(): number[] {
    return Array.from({ length: this.k }, (_, i) => -this.duals[i * this.k + i] / 4);
  }

  info(): Record<string, number | string> {
    return { barrier: this.barrier, dualEigenvalues: this.dualEigenvalues().map((v) => v.toFixed(5)).join(' ') };
  }

  dispose(): void {
    this.trilMask.dispose();
    this.eye.dispose();
  }
}

/**
 * ALLO on a network as a LoopTrainer of the shared loop (spin/train.ts): a batch is one input tensor
 * holding [x; x'; c1; c2], four equal parts (a transition batch and two independent state batches);
 * Adam (ScheduledAdam: tf's Adam with its whole state saved). Its checkpoints hold the network, the
 * optimiser, the duals, the barrier and the averaged quadratic errors.
 */
export class AlloTrainer implements LoopTrainer<tf.Tensor> {
  iteration = 0;
  readonly optimizer: ScheduledAdam;
  readonly objective: AlloObjective;

  private readonly trainable: tf.Variable[];

  constructor(readonly network: tf.LayersModel, k: number, cfg: AlloConfig = {}) {
    this.objective = new AlloObjective(k, cfg);
    this.optimizer = new ScheduledAdam(cfg.learningRate ?? ALLO_DEFAULTS.learningRate);
    // the network's own variables, in a fixed order (the optimiser's slots follow it, checkpoints too)
    this.trainable = network.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  step(input: tf.Tensor): number {
    if (input.shape[0] % 4 !== 0) throw new Error(`allo: a batch stacks [x; x'; c1; c2] in 4 equal parts, got ${input.shape[0]} rows`);
    const loss = tf.tidy(() => {
      const v = this.optimizer.minimize(() => {
        const [u, un, c1, c2] = tf.split(this.network.apply(input) as tf.Tensor2D, 4, 0) as tf.Tensor2D[];
        return this.objective.loss(u, un, c1, c2);
      }, true, this.trainable);
      return v ? v.dataSync()[0] : NaN;
    });
    if (!Number.isFinite(loss)) throw new Error(`allo: loss became ${loss} at step ${this.iteration + 1} (diverged? lower the learning rate)`);
    this.objective.after();
    this.iteration++;
    return loss;
  }

  progress(): Float32Array {
    return Float32Array.from(this.objective.dualEigenvalues());
  }

  async save(dir: string, sampler: number[] | null): Promise<void> {
    await saveLearnerState(dir, 'allo', { step: this.iteration, models: [this.network], optimizer: this.optimizer, scalars: { k: this.objective.k, ...this.objective.state() } }, sampler);
  }

  async load(dir: string): Promise<number[] | null> {
    const { step, sampler } = await loadLearnerState(dir, 'allo', [this.network], this.optimizer, {
      check: (s) => {
        if (s.k !== this.objective.k) throw new Error(`allo checkpoint in ${dir}: k = ${String(s.k)}, this run has k = ${this.objective.k}`);
      },
      apply: (s) => this.objective.setState({ barrier: s.barrier, duals: s.duals, qAvg: s.qAvg }),
    });
    this.iteration = step;
    return sampler;
  }

  dispose(): void {
    this.objective.dispose();
    this.optimizer.dispose();
  }
}

export async function trainAllo(buffer: ReplayBuffer, k: number, cfg: AlloConfig = {}): Promise<ReplayTraining> {
  const objective = new AlloObjective(k, cfg);
  try {
    return await trainGraphObjective(
      'allo',
      buffer,
      k,
      cfg,
      (u, un, c1, c2) => objective.loss(u, un, c1, c2),
      () => objective.after(),
      () => null,
      () => objective.info(),
    );
  } finally {
    objective.dispose();
  }
}
