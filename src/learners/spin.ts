// `spin` learner: Spectral Inference Networks (the SpIN trainer in src/spin) with the slowness
// operator on gridworld transitions (s uniform, a uniform: every (s, a) once per minibatch by
// default, or drawn at random), on any observation type. The slowness operator
// E[(u(x) - u(x'))(u(x) - u(x'))^T] is 2(I - P) for this sampling, so the eigenvalues are reported
// halved, on the I - P scale of the `rw` learner.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import type { FiniteMDP } from '../mdp';
import { Rng } from '../rng';
import { LEARNER_SEED_STRIDE, OUTPUT_SEED_OFFSET } from '../models/networks';
import { SpectralNetwork, slownessOperator } from '../spin';
import { ScheduledAdam } from '../spin/optimizers';
import { trainSpin } from '../spin/train';
import type { ScheduleState, SpinBatchSource } from '../spin/train';
import { SpinEigenfunctions } from '../spin/model';
import * as la from '../spin/linalg';
import { canonicalDemix } from './spin-replay';
import { EigenLearner, LearnerContext, checkK, requireWorld } from './learner';

/** Observations the gridworld SpIN learner can read. */
export type GridObservation = 'onehot' | 'xy' | 'pixels';
export const GRID_OBSERVATIONS: readonly GridObservation[] = ['onehot', 'xy', 'pixels'];

/** The slowness operator on uniformly sampled transitions is this multiple of I - P. */
export const SLOWNESS_PER_LAPLACIAN = 2;


/** Sampled transitions (s, s') between state indices. */
interface Transitions {
  states: Int32Array;
  next: Int32Array;
}

/** Transitions (s, a uniform) -> s' with s drawn uniformly over states. */
export function sampleUniformTransitions(mdp: FiniteMDP, count: number, rng: Rng): Transitions {
  const states = new Int32Array(count);
  const next = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = rng.int(mdp.numStates);
    states[i] = s;
    next[i] = mdp.nextTable[s * mdp.numActions + rng.int(mdp.numActions)];
  }
  return { states, next };
}

export interface SpinLearnerConfig {
  /** Observation fed to the network (default 'onehot'). */
  observation?: GridObservation;
  /** Hidden layer widths (default [] for one-hot: a linear, i.e. tabular, model; [128, 128] otherwise). */
  hidden?: number[];
  /** Hidden activation (default 'relu'). */
  activation?: 'relu' | 'tanh' | 'elu' | 'softplus';
  /** Training steps (default 2500). */
  steps?: number;
  /** Transitions per minibatch, sampled fresh each step (default 512). */
  batchSize?: number;
  /**
   * 'stratified' (default): each minibatch holds every (state, action) pair equally often
   * (batchSize, default 4 * states, is rounded to a multiple of 4 * states): the exact expectation
   * of uniform sampling, without sampling noise.
   * 'uniform': each transition's state and action drawn uniformly at random (batchSize default 512).
   */
  sampling?: 'uniform' | 'stratified';
  /** Adam learning rate (default 0.03 for one-hot, 1e-3 otherwise). */
  learningRate?: number;
  /** Learning rate brought linearly to this multiple of itself over the second half of training (default 1: constant). */
  finalLearningRateFactor?: number;
  /** SpIN moving-average rate of Sigma, Pi and the Jacobian (default 0.1). */
  decay?: number;
  /** Seed of the sampler and the weights (default 0). */
  seed?: number;
  /** Called every `logEvery` steps with (step, loss, eigenvalues on the I - P scale). */
  onProgress?: (step: number, loss: number, eigenvalues: Float32Array) => void;
  /** Progress interval in steps (default 500). */
  logEvery?: number;
}

export class SpinLearner implements EigenLearner {
  readonly name = 'spin';
  constructor(private readonly cfg: SpinLearnerConfig = {}) {}

  async fit(context: LearnerContext, k: number): Promise<SpinEigenfunctions> {
    const env = requireWorld(this.name, context);
    checkK(env.numStates, k);
    const obs = this.cfg.observation ?? 'onehot';
    if (!GRID_OBSERVATIONS.includes(obs)) throw new Error(`unknown observation kind ${JSON.stringify(obs)} (expected ${GRID_OBSERVATIONS.join(', ')})`);
    const tabular = obs === 'onehot';
    const hidden = this.cfg.hidden ?? (tabular ? [] : [128, 128]);
    const activation = this.cfg.activation ?? 'relu';
    const steps = this.cfg.steps ?? 2500;
    const sampling = this.cfg.sampling ?? 'stratified';
    if (sampling !== 'uniform' && sampling !== 'stratified') throw new Error(`spin learner: unknown sampling ${JSON.stringify(sampling)}`);
    const pairs = env.numStates * env.numActions;
    const batchSize =
      sampling === 'stratified' ? Math.max(1, Math.round((this.cfg.batchSize ?? pairs) / pairs)) * pairs : (this.cfg.batchSize ?? 512);
    const lr = this.cfg.learningRate ?? (tabular ? 0.03 : 1e-3);
    const finalFactor = this.cfg.finalLearningRateFactor ?? 1;
    const decay = this.cfg.decay ?? 0.1;
    const seed = this.cfg.seed ?? 0;
    const logEvery = this.cfg.logEvery ?? 500;
    for (const [name, v] of [
      ['steps', steps],
      ['batchSize', batchSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`spin learner: ${name} must be a positive integer, got ${v}`);
    }
    if (!(lr > 0)) throw new Error(`spin learner: learningRate must be positive, got ${lr}`);

    await initBackend();
    const inDim = env.observationShapeOf(obs).reduce((a, b) => a * b, 1);
    const model = tf.sequential();
    let width = inDim;
    hidden.forEach((h, i) => {
      model.add(
        tf.layers.dense({
          units: h,
          activation,
          inputShape: i === 0 ? [inDim] : undefined,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed * LEARNER_SEED_STRIDE + i + 1 }),
        }),
      );
      width = h;
    });
    model.add(
      tf.layers.dense({
        units: k,
        activation: 'linear',
        useBias: !tabular,
        inputShape: hidden.length === 0 ? [inDim] : undefined,
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(width), seed: seed * LEARNER_SEED_STRIDE + OUTPUT_SEED_OFFSET }),
      }),
    );
    const optimizer = new ScheduledAdam(lr);
    const net = new SpectralNetwork({ k, model, operator: slownessOperator(), optimizer, decay, seed: seed + 1 });
    const rng = new Rng(seed);
    // observations of every state, looked up by gather
    const allStates = Int32Array.from({ length: env.numStates }, (_, i) => i);
    const table = tf.tensor2d(Float32Array.from(env.observeStates(allStates, obs)), [env.numStates, inDim]);
    let lastLoss = NaN;
    try {
      const batches: SpinBatchSource = {
        next: () => {
          const tr = sampling === 'uniform' ? sampleUniformTransitions(env, batchSize, rng) : allTransitions(env, batchSize / pairs);
          const x = tf.tidy(() => tf.gather(table, tf.tensor1d(tr.states, 'int32')));
          const xNext = tf.tidy(() => tf.gather(table, tf.tensor1d(tr.next, 'int32')));
          return { x, xNext };
        },
        samplerState: () => [rng.state],
        restoreSamplerState: (st) => {
          rng.state = st[0];
        },
      };
      // constant, then linearly to finalFactor * lr over the second half of the steps
      const schedule = ({ step, totalSteps }: ScheduleState): number => {
        const frac = step / totalSteps;
        return frac < 0.5 ? lr : lr * (1 - (1 - finalFactor) * (frac - 0.5) * 2);
      };
      const run = await trainSpin({
        net,
        batches,
        steps,
        schedule,
        logEvery,
        log: (r) => this.cfg.onProgress?.(r.step, r.loss, r.eigenvalues.map((x) => x / SLOWNESS_PER_LAPLACIAN)),
      });
      lastLoss = run.lastLoss;
      // final demixing and eigenvalues from Sigma and Pi of the sampling distribution itself (uniform
      // states, every action: exact on an enumerated world) rather than from the trainer's minibatch
      // averages, whose noise mixes nearly tied eigenvectors under i.i.d. sampling
      const exact = exactStatistics(env, model, table, k);
      // Rayleigh-Ritz on the learned span: Pi v = lambda Sigma v (as the replay learner does)
      const ritz = la.symGenEig(exact.pi, exact.sigma, k);
      const info = {
        observation: obs,
        sampling,
        steps,
        batchSize,
        transitions: steps * batchSize,
        finalLoss: lastLoss,
        hidden: hidden.join('x') || 'linear',
        backend: tf.getBackend(),
      };
      return new SpinEigenfunctions({
        learner: this.name,
        model,
        demix: canonicalDemix(model, table, Float64Array.from(ritz.vectors), k),
        eigenvalues: Float64Array.from(ritz.values, (v) => v / SLOWNESS_PER_LAPLACIAN),
        observation: obs,
        observationShape: env.observationShapeOf(obs),
        info,
      });
    } catch (e) {
      model.dispose();
      throw e;
    } finally {
      table.dispose();
      net.dispose();
      optimizer.dispose();
    }
  }
}

/** Every (state, action) transition, `repeats` times. */
function allTransitions(env: FiniteMDP, repeats: number): Transitions {
  const A = env.numActions;
  const m = env.numStates * A * repeats;
  const states = new Int32Array(m);
  const next = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i % (env.numStates * A);
    states[i] = Math.floor(j / A);
    next[i] = env.nextTable[j];
  }
  return { states, next };
}

/** Sigma = E_s[u u^T] and Pi = E_{s,a}[(u(s) - u(s'))(u(s) - u(s'))^T] for s uniform, a uniform (k x k, float64). */
function exactStatistics(env: FiniteMDP, model: tf.LayersModel, table: tf.Tensor2D, k: number): { sigma: Float64Array; pi: Float64Array } {
  const f = tf.tidy(() => model.apply(table) as tf.Tensor2D);
  const U = f.dataSync();
  f.dispose();
  const n = env.numStates;
  const A = env.numActions;
  const sigma = new Float64Array(k * k);
  const pi = new Float64Array(k * k);
  const d = new Float64Array(k);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sigma[i * k + j] += (U[s * k + i] * U[s * k + j]) / n;
    for (let a = 0; a < A; a++) {
      const t = env.nextTable[s * A + a];
      for (let i = 0; i < k; i++) d[i] = U[s * k + i] - U[t * k + i];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) pi[i * k + j] += (d[i] * d[j]) / (n * A);
    }
  }
  return { sigma, pi };
}
