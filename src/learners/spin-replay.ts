// SpIN from replayed observations: the SpIN trainer (src/spin, slowness operator, masked ordered
// gradient) on minibatches drawn i.i.d. from a replay buffer of (x, x') pairs. The learner sees
// observation rows only. The slowness operator on random-walk pairs with uniform state marginals
// is 2(I - P); eigenvalues are reported halved, on the I - P scale.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { SpectralNetwork, slownessOperator } from '../spin';
import type { SpinEstimator } from '../spin';
import type { ReplayBuffer } from '../data/replay';
import { SpinEigenfunctions, spinModelFromTrainer } from '../spin/model';

export interface SpinReplayConfig {
  /** Hidden widths (default [256, 256, 256]). */
  hidden?: number[];
  activation?: 'relu' | 'tanh' | 'elu' | 'softplus';
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Learning rate multiplied by this at the end, linearly over the second half (default 0.1). */
  finalLearningRateFactor?: number;
  /** Training steps (default 20,000; stops earlier at maxSeconds). */
  steps?: number;
  /** Wall-clock budget of training in seconds (default Infinity). */
  maxSeconds?: number;
  /** Transitions per minibatch (default 1024). */
  batchSize?: number;
  /** SpIN moving-average rate (default 1: no averaging). */
  decay?: number;
  estimator?: SpinEstimator;
  seed?: number;
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
}

export async function trainSpinReplay(buffer: ReplayBuffer, k: number, cfg: SpinReplayConfig = {}): Promise<ReplayTraining> {
  await initBackend();
  const hidden = cfg.hidden ?? [256, 256, 256];
  const activation = cfg.activation ?? 'relu';
  const lr = cfg.learningRate ?? 1e-3;
  const finalFactor = cfg.finalLearningRateFactor ?? 0.1;
  const steps = cfg.steps ?? 20_000;
  const maxSeconds = cfg.maxSeconds ?? Infinity;
  const batchSize = cfg.batchSize ?? 1024;
  const decay = cfg.decay ?? 1;
  const estimator = cfg.estimator ?? 'sigma-average';
  const seed = cfg.seed ?? 0;
  const logEvery = cfg.logEvery ?? 1000;
  const D = buffer.observations.length / buffer.distinct;
  const table = tf.tensor2d(buffer.observations, [buffer.distinct, D]);
  const inDim = table.shape[1];
  const model = tf.sequential();
  let width = inDim;
  hidden.forEach((h, i) => {
    model.add(tf.layers.dense({ units: h, activation, inputShape: i === 0 ? [inDim] : undefined, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 7919 + i + 1 }) }));
    width = h;
  });
  model.add(tf.layers.dense({ units: k, activation: 'linear', inputShape: hidden.length === 0 ? [inDim] : undefined, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(width), seed: seed * 7919 + 1000 }) }));
  const optimizer = tf.train.adam(lr);
  const net = new SpectralNetwork({ k, model, operator: slownessOperator(), optimizer, decay, estimator, seed: seed + 1 });
  const t0 = Date.now();
  let t = 0;
  let lastLoss = NaN;
  try {
    for (; t < steps; t++) {
      const elapsed = (Date.now() - t0) / 1000;
      if (elapsed > maxSeconds) break;
      // progress by the larger of step and time fractions, so the schedule completes under a time budget
      const frac = Math.max(t / steps, Number.isFinite(maxSeconds) ? elapsed / maxSeconds : 0);
      (optimizer as unknown as { learningRate: number }).learningRate = frac < 0.5 ? lr : lr * (1 - (1 - finalFactor) * Math.min(1, (frac - 0.5) * 2));
      const { rows, nextRows } = buffer.sampleRows(batchSize);
      const x = tf.tidy(() => tf.gather(table, tf.tensor1d(rows, 'int32')));
      const xNext = tf.tidy(() => tf.gather(table, tf.tensor1d(nextRows, 'int32')));
      try {
        lastLoss = net.step({ x, xNext }).loss;
      } finally {
        x.dispose();
        xNext.dispose();
      }
      if (cfg.onProgress && (t + 1) % logEvery === 0) cfg.onProgress(t + 1, lastLoss, Float64Array.from(net.eigenvalues(), (v) => v / 2));
    }
  } catch (e) {
    table.dispose();
    net.dispose();
    model.dispose();
    throw e;
  }
  const seconds = (Date.now() - t0) / 1000;
  try {
    const eig = await spinModelFromTrainer(net, {
      learner: 'spin',
      observation: cfg.observation ?? 'unknown',
      observationShape: buffer.observationShape,
      eigenvalueScale: 2,
      canonicalizeOn: table,
      info: { steps: t, seconds, batchSize, decay, estimator, hidden: hidden.join('x'), learningRate: lr, finalLoss: lastLoss },
    });
    return { model: eig, steps: t, seconds };
  } finally {
    table.dispose();
    net.dispose();
    optimizer.dispose();
  }
}
