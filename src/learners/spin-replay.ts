// SpIN from replayed observations: the SpIN trainer (src/spin, slowness operator, masked ordered
// gradient) on minibatches drawn i.i.d. from a replay buffer of (x, x') pairs. The learner sees
// observation rows only. The slowness operator on random-walk pairs with uniform state marginals
// is 2(I - P); eigenvalues are reported halved, on the I - P scale.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { SpectralNetwork, slownessOperator } from '../spin';
import { LEARNER_SEED_STRIDE, OUTPUT_SEED_OFFSET } from '../models/networks';
import type { SpinEstimator } from '../spin';
import type { ReplayBuffer } from '../data/replay';
import { SpinEigenfunctions } from '../spin/model';
import { FixedOffset, SpatialSoftArgmax } from '../spin/layers';
import * as la from '../spin/linalg';
import { ScheduledAdam } from '../spin/optimizers';
import { trainSpin } from '../spin/train';
import { DEFAULT_CLIP_FACTOR, DEFAULT_MAX_SECONDS, DEFAULT_REPLAY_STEPS } from './budget';
import type { ScheduleState, SpinBatchSource } from '../spin/train';

/**
 * Front ends for images [H, W] (see buildSpinMlp):
 * - 'spatial-softmax': a learned convolution (SOFT_ARGMAX_FILTERS channels, SOFT_ARGMAX_KERNEL x
 *   SOFT_ARGMAX_KERNEL, 'same' padding, no bias) followed by a spatial soft-argmax: the expected
 *   (row, column) of each channel's softmax over the pixels, i.e. where each learned feature is;
 * - 'conv': strided convolutions CONV_TORSO ([filters, kernel, stride], ReLU), flattened;
 * - 'pyramid': fixed, parameter-free: the flattened image concatenated with its max-pooled copies
 *   (pool sizes `pyramid`; [] = the flattened image alone).
 */
export type ImageTorso = 'spatial-softmax' | 'conv' | 'pyramid';
export const IMAGE_TORSOS: readonly ImageTorso[] = ['spatial-softmax', 'conv', 'pyramid'];
export const DEFAULT_IMAGE_TORSO: ImageTorso = 'spatial-softmax';
export const SOFT_ARGMAX_FILTERS = 8;
export const SOFT_ARGMAX_KERNEL = 3;
/**
 * Standard deviation of the soft-argmax convolution's initial weights: with the inverse temperature
 * DEFAULT_SOFT_ARGMAX_TEMPERATURE (10), the agent's response (the kernel around its pixel, on a
 * centred image) outweighs a thousand background pixels from the first step.
 */
export const SOFT_ARGMAX_KERNEL_STD = 1;
export const CONV_TORSO: readonly (readonly [number, number, number])[] = [[16, 3, 2], [32, 3, 2]];
/** Max-pooling sizes of the 'pyramid' front end. */
export const DEFAULT_PYRAMID: readonly number[] = [2, 4, 8, 16];
/** Seeds of the front end's layers: layer l of a run with seed s is seeded s * LEARNER_SEED_STRIDE + TORSO_SEED_OFFSET + l. */
export const TORSO_SEED_OFFSET = 500;

export { DEFAULT_CLIP_FACTOR, DEFAULT_MAX_SECONDS, DEFAULT_REPLAY_STEPS } from './budget';

export interface SpinReplayConfig {
  /** Hidden widths (default [256, 256, 256]). */
  hidden?: number[];
  activation?: 'relu' | 'tanh' | 'elu' | 'softplus';
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Learning rate multiplied by this at the end, linearly over the second half (default 0.01). */
  finalLearningRateFactor?: number;
  /** Training steps (default DEFAULT_REPLAY_STEPS; stops earlier at maxSeconds). */
  steps?: number;
  /** Wall-clock budget of training in seconds (default DEFAULT_MAX_SECONDS). */
  maxSeconds?: number;
  /** Transitions per minibatch (default 1024). */
  batchSize?: number;
  /** SpIN moving-average rate (default 1: no averaging). */
  decay?: number;
  estimator?: SpinEstimator;
  seed?: number;
  /**
   * The final demixing (what is written) and the reported eigenvalues:
   * - 'ritz' (default): Rayleigh-Ritz on the learned span, Pi v = lambda Sigma v with Sigma, Pi of the
   *   raw outputs over every transition of the buffer; ordered by the Ritz values;
   * - 'buffer': SpIN's L^-1 u with that Sigma, eigenvalues diag(L^-1 Pi L^-T);
   * - 'trainer': the trainer's own statistics (with decay 1: the last minibatch's).
   */
  finalDemixing?: 'buffer' | 'trainer' | 'ritz';
  /** Images [H, W] only: the front end (default DEFAULT_IMAGE_TORSO). */
  torso?: ImageTorso;
  /** Images [H, W], torso 'pyramid' only: max-pooling sizes (default [2, 4, 8, 16]; [] = the flattened image alone). */
  pyramid?: readonly number[];
  /** Outputs trained beyond the k kept (default 0): the last eigenfunctions of a span are its least accurate. */
  extraOutputs?: number;
  /**
   * Adaptive gradient clipping (SpectralNetworkConfig.clipFactor): a step's gradient norm is capped
   * at this multiple of the running average (default DEFAULT_CLIP_FACTOR; Infinity: none).
   */
  clipFactor?: number;
  /** Observation kind recorded in the model (e.g. 'xy', 'pixels'). */
  observation?: string;
  onProgress?: (step: number, loss: number, eigenvalues: ArrayLike<number>) => void;
  logEvery?: number;
}

/** The learned model plus what the training loop measured. */
export interface ReplayTraining {
  model: SpinEigenfunctions;
  steps: number;
  seconds: number;
  /** Sigma and Pi of the raw outputs over the buffer (spin only). */
  statistics?: { sigma: Float64Array; pi: Float64Array };
}


export async function trainSpinReplay(buffer: ReplayBuffer, k: number, cfg: SpinReplayConfig = {}): Promise<ReplayTraining> {
  await initBackend();
  const hidden = cfg.hidden ?? [256, 256, 256];
  const activation = cfg.activation ?? 'relu';
  const lr = cfg.learningRate ?? 1e-3;
  const finalFactor = cfg.finalLearningRateFactor ?? 0.01;
  const steps = cfg.steps ?? DEFAULT_REPLAY_STEPS;
  const maxSeconds = cfg.maxSeconds ?? DEFAULT_MAX_SECONDS;
  const batchSize = cfg.batchSize ?? 1024;
  const decay = cfg.decay ?? 1;
  const estimator = cfg.estimator ?? 'sigma-average';
  const seed = cfg.seed ?? 0;
  const logEvery = cfg.logEvery ?? 1000;
  const extra = cfg.extraOutputs ?? 0;
  if (!Number.isInteger(extra) || extra < 0) throw new Error(`spin: extraOutputs must be a non-negative integer, got ${extra}`);
  const K = k + extra;
  const finalDemix = cfg.finalDemixing ?? 'ritz';
  const D = buffer.observations.length / buffer.distinct;
  // observations keep their shape; images [H, W] go through the fixed multi-scale front end
  const table = tf.tensor(buffer.observations, [buffer.distinct, ...buffer.observationShape]);
  const torso = cfg.torso ?? DEFAULT_IMAGE_TORSO;
  if (!IMAGE_TORSOS.includes(torso)) throw new Error(`spin: torso must be one of ${IMAGE_TORSOS.join(', ')}, got '${String(torso)}'`);
  const isImage = buffer.observationShape.length === 2;
  const model = buildSpinMlp(buffer.observationShape, K, hidden, activation, seed, { torso, pyramid: cfg.pyramid ?? DEFAULT_PYRAMID, offset: isImage ? meanObservation(buffer) : undefined });
  const optimizer = new ScheduledAdam(lr);
  // Over a buffer with few distinct observations (every gridworld), the network runs once per step on
  // the distinct observations and each minibatch row gathers its output: the same features and
  // gradients as running it on the 2 x batchSize rows, for less work. The trainer then receives row
  // numbers of the buffer's observation table (still observations, never states).
  const lookup = buffer.distinct <= 2 * batchSize && estimator !== 'jacobian-average';
  const lookupModel = lookup ? tableLookupModel(model, table) : null;
  const clipFactor = cfg.clipFactor ?? DEFAULT_CLIP_FACTOR;
  const net = new SpectralNetwork({ k: K, model: lookupModel ? lookupModel.model : model, operator: slownessOperator(), optimizer, decay, estimator, seed: seed + 1, jacobian: lookup ? 'per-pair' : 'auto', clipFactor: Number.isFinite(clipFactor) ? clipFactor : undefined });
  let t = 0;
  let lastLoss = NaN;
  let seconds = 0;
  let clipped = 0;
  let maxNormRatio = 0;
  try {
    const batches: SpinBatchSource = {
      next: () => {
        const { rows, nextRows } = buffer.sampleRows(batchSize);
        const x = lookup ? tf.tensor2d(Float32Array.from(rows), [batchSize, 1]) : tf.tidy(() => tf.gather(table, tf.tensor1d(rows, 'int32')));
        const xNext = lookup ? tf.tensor2d(Float32Array.from(nextRows), [batchSize, 1]) : tf.tidy(() => tf.gather(table, tf.tensor1d(nextRows, 'int32')));
        lookupModel?.newStep();
        return { x, xNext };
      },
      samplerState: () => buffer.samplerState(),
      restoreSamplerState: (st) => buffer.restoreSamplerState(st),
    };
    // constant, then linearly to finalFactor * lr over the second half, progress by the larger of
    // the step and time fractions so the schedule completes under a time budget
    const schedule = ({ step, totalSteps, timeFraction }: ScheduleState): number => {
      const frac = Math.max(step / totalSteps, timeFraction);
      return frac < 0.5 ? lr : lr * (1 - (1 - finalFactor) * Math.min(1, (frac - 0.5) * 2));
    };
    const run = await trainSpin({
      net,
      batches,
      steps,
      maxSeconds: Number.isFinite(maxSeconds) ? maxSeconds : undefined,
      schedule,
      logEvery,
      log: (r) => cfg.onProgress?.(r.step, r.loss, Float64Array.from(r.eigenvalues, (v) => v / 2)),
    });
    t = run.steps;
    const d = net.diagnostics();
    clipped = d.clippedSteps;
    maxNormRatio = d.maxNormRatio;
    lastLoss = run.lastLoss;
    seconds = run.seconds;
  } catch (e) {
    table.dispose();
    net.dispose();
    model.dispose();
    throw e;
  }
  try {
    // the ordered features L^-1 u and their eigenvalues from Sigma and Pi over the whole buffer
    // (one pass, float64), instead of the last minibatch's (decay 1) noisy estimates
    const full = bufferStatistics(model, table, buffer, K);
    const buffered = la.demixFromStatistics(full.sigma, full.pi, K);
    const ritz = la.symGenEig(full.pi, full.sigma, K);
    const demixK =
      finalDemix === 'buffer' ? buffered.demix : finalDemix === 'ritz' ? Float64Array.from(ritz.vectors) : Float64Array.from(la.transpose(net.demixing(), K));
    const valuesK =
      finalDemix === 'buffer'
        ? Float64Array.from(buffered.eigenvalues, (v) => v / 2)
        : finalDemix === 'ritz'
          ? Float64Array.from(ritz.values, (v) => v / 2)
          : Float64Array.from(net.eigenvalues(), (v) => v / 2);
    const eigenvalues = valuesK.slice(0, k);
    // the first k columns; with extra outputs, a fixed linear layer K -> k carries them in the network
    const cols = new Float64Array(K * k);
    for (let m = 0; m < K; m++) for (let j = 0; j < k; j++) cols[m * k + j] = demixK[m * K + j];
    let demix: Float64Array;
    let outModel = model;
    if (K > k) {
      const head = tf.layers.dense({ units: k, useBias: false, trainable: false, weights: [tf.tensor2d(Float32Array.from(cols), [K, k])] });
      outModel = tf.model({ inputs: model.inputs, outputs: head.apply(model.outputs[0]) as tf.SymbolicTensor });
      demix = new Float64Array(k * k);
      for (let j = 0; j < k; j++) demix[j * k + j] = 1;
    } else {
      demix = cols;
    }
    const eig = new SpinEigenfunctions({
      learner: 'spin',
      model: outModel,
      demix: canonicalDemix(outModel, table, demix, k),
      eigenvalues,
      observation: cfg.observation ?? 'unknown',
      observationShape: buffer.observationShape,
      info: { steps: t, seconds, batchSize, decay, estimator, extraOutputs: extra, hidden: hidden.join('x'), torso: isImage ? torso : 'none', pyramid: isImage && torso === 'pyramid' ? (cfg.pyramid ?? DEFAULT_PYRAMID).join(',') : 'none', learningRate: lr, finalLearningRateFactor: finalFactor, finalLoss: lastLoss, clipFactor: Number.isFinite(clipFactor) ? clipFactor : 'none', clippedSteps: clipped, maxGradientNormRatio: maxNormRatio, evaluation: lookup ? 'distinct observations' : 'minibatch rows', demixing: finalDemix },
    });
    return { model: eig, steps: t, seconds, statistics: full };
  } finally {
    table.dispose();
    net.dispose();
    optimizer.dispose();
  }
}

/** The mean observation of the buffer's transitions (their first observations x), float32. */
export function meanObservation(buffer: ReplayBuffer): Float32Array {
  const D = buffer.observations.length / buffer.distinct;
  const count = new Float64Array(buffer.distinct);
  for (let t = 0; t < buffer.size; t++) count[buffer.rows[t]]++;
  const mean = new Float64Array(D);
  for (let r = 0; r < buffer.distinct; r++) {
    if (count[r] === 0) continue;
    const w = count[r] / buffer.size;
    for (let i = 0; i < D; i++) mean[i] += w * buffer.observations[r * D + i];
  }
  return Float32Array.from(mean);
}

/**
 * f[rows] as a product with one-hot rows (differentiable on every backend; the wasm backend has no
 * gradient kernel for gather).
 */
export function gatherRows(f: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D {
  return tf.matMul(tf.cast(tf.oneHot(rows, f.shape[0]), 'float32'), f);
}

/**
 * A stand-in for the network during training on row numbers: f(rows) = model(table)[rows]. Only
 * what SpectralNetwork uses of a LayersModel (apply, outputs, trainableWeights) is provided.
 */
function tableLookupModel(model: tf.LayersModel, table: tf.Tensor): { model: tf.LayersModel; newStep: () => void } {
  // the trainer calls the model for x and for x' within one step: the network runs once on the table
  // per step (the outputs are shared by both gathers, inside the same gradient tape)
  let cached: tf.Tensor2D | null = null;
  const lookup = {
    trainableWeights: model.trainableWeights,
    outputs: model.outputs,
    apply: (x: tf.Tensor | tf.Tensor[]) => {
      cached ??= model.apply(table) as tf.Tensor2D;
      return gatherRows(cached, tf.cast(tf.reshape(x as tf.Tensor, [-1]), 'int32') as tf.Tensor1D);
    },
  };
  return { model: lookup as unknown as tf.LayersModel, newStep: () => (cached = null) };
}

/**
 * demix (e(x) = u(x) @ demix) with each column scaled so the eigenfunction has unit norm over the
 * rows of `table` and its largest-magnitude value positive.
 */
export function canonicalDemix(model: tf.LayersModel, table: tf.Tensor, demix: Float64Array, k: number): Float64Array {
  const out = Float64Array.from(demix);
  const e = tf.tidy(() => tf.matMul(model.apply(table) as tf.Tensor2D, tf.tensor2d(Float32Array.from(demix), [k, k])));
  const data = e.dataSync();
  e.dispose();
  const n = data.length / k;
  for (let j = 0; j < k; j++) {
    let norm = 0;
    let best = 0;
    for (let i = 0; i < n; i++) {
      const v = data[i * k + j];
      norm += v * v;
      if (Math.abs(v) > Math.abs(best) * (1 + 1e-9)) best = v;
    }
    const scale = norm > 0 ? (best < 0 ? -1 : 1) / Math.sqrt(norm) : 1;
    for (let m = 0; m < k; m++) out[m * k + j] *= scale;
  }
  return out;
}

/**
 * Sigma = E[u(x) u(x)^T] over the buffer's x and Pi = E[(u(x) - u(x'))(u(x) - u(x'))^T] over its
 * transitions (k x k, float64), from the network's outputs on the distinct observations.
 */
export function bufferStatistics(model: tf.LayersModel, table: tf.Tensor, buffer: ReplayBuffer, k: number): { sigma: Float64Array; pi: Float64Array } {
  const f = tf.tidy(() => model.apply(table) as tf.Tensor2D);
  const F = f.dataSync();
  f.dispose();
  const count = new Float64Array(buffer.distinct);
  for (let t = 0; t < buffer.size; t++) count[buffer.rows[t]]++;
  const sigma = new Float64Array(k * k);
  for (let r = 0; r < buffer.distinct; r++) {
    if (count[r] === 0) continue;
    const w = count[r] / buffer.size;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sigma[i * k + j] += w * F[r * k + i] * F[r * k + j];
  }
  const pi = new Float64Array(k * k);
  const d = new Float64Array(k);
  for (let t = 0; t < buffer.size; t++) {
    const a = buffer.rows[t];
    const b = buffer.nextRows[t];
    if (a === b) continue;
    for (let i = 0; i < k; i++) d[i] = F[a * k + i] - F[b * k + i];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) pi[i * k + j] += d[i] * d[j];
  }
  for (let i = 0; i < k * k; i++) pi[i] /= buffer.size;
  return { sigma, pi };
}

/** How buildSpinMlp treats images [H, W]. */
export interface ImageFrontEnd {
  torso: ImageTorso;
  /** Pool sizes of the 'pyramid' torso. */
  pyramid: readonly number[];
  /** 'spatial-softmax' and 'conv': subtracted from every image first (the mean image of the data; default zeros). */
  offset?: Float32Array;
}

/** The image front end: [B, H, W] -> [B, F]. */
function imageTorso(input: tf.SymbolicTensor, shape: readonly number[], front: ImageFrontEnd, seed: number): tf.SymbolicTensor {
  const centred = front.torso === 'pyramid' ? input : (new FixedOffset({ shape: shape.slice(), weights: front.offset ? [tf.tensor(front.offset, shape.slice())] : undefined }).apply(input) as tf.SymbolicTensor);
  const img = tf.layers.reshape({ targetShape: [shape[0], shape[1], 1] }).apply(centred) as tf.SymbolicTensor;
  const init = (l: number) => tf.initializers.glorotUniform({ seed: seed * LEARNER_SEED_STRIDE + TORSO_SEED_OFFSET + l });
  if (front.torso === 'spatial-softmax') {
    const ssm = new SpatialSoftArgmax({ filters: SOFT_ARGMAX_FILTERS, kernelSize: SOFT_ARGMAX_KERNEL, kernelStd: SOFT_ARGMAX_KERNEL_STD, seed: seed * LEARNER_SEED_STRIDE + TORSO_SEED_OFFSET });
    return ssm.apply(img) as tf.SymbolicTensor;
  }
  if (front.torso === 'conv') {
    let x = img;
    CONV_TORSO.forEach(([filters, kernelSize, strides], l) => {
      x = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation: 'relu', kernelInitializer: init(l) }).apply(x) as tf.SymbolicTensor;
    });
    return tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  }
  const parts = [tf.layers.flatten().apply(img) as tf.SymbolicTensor];
  for (const p of front.pyramid) {
    if (!Number.isInteger(p) || p < 2) throw new Error(`spin: pyramid pool sizes must be integers >= 2, got ${p}`);
    if (p >= Math.max(shape[0], shape[1])) continue;
    const pooled = tf.layers.maxPooling2d({ poolSize: p, strides: p, padding: 'same' }).apply(img) as tf.SymbolicTensor;
    parts.push(tf.layers.flatten().apply(pooled) as tf.SymbolicTensor);
  }
  return parts.length > 1 ? (tf.layers.concatenate().apply(parts) as tf.SymbolicTensor) : parts[0];
}

/**
 * SpIN's network: an MLP with a linear output. Vector observations go in directly; images [H, W]
 * go through the front end `front` (see ImageTorso).
 */
export function buildSpinMlp(shape: readonly number[], K: number, hidden: number[], activation: SpinReplayConfig['activation'], seed: number, front: ImageFrontEnd = { torso: DEFAULT_IMAGE_TORSO, pyramid: DEFAULT_PYRAMID }): tf.LayersModel {
  const input = tf.input({ shape: shape.slice() });
  let x: tf.SymbolicTensor;
  if (shape.length === 2) {
    x = imageTorso(input, shape, front, seed);
  } else if (shape.length === 1) {
    x = input;
  } else {
    x = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  }
  let width = x.shape[x.shape.length - 1] as number;
  hidden.forEach((h, i) => {
    x = tf.layers.dense({ units: h, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * LEARNER_SEED_STRIDE + i + 1 }) }).apply(x) as tf.SymbolicTensor;
    width = h;
  });
  const out = tf.layers.dense({ units: K, activation: 'linear', kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(width), seed: seed * LEARNER_SEED_STRIDE + OUTPUT_SEED_OFFSET }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
