// `deep-sr`: eigenfunctions from a deep successor representation (after Machado et al., ICLR 2018,
// "Eigenoption discovery through the deep successor representation"), learned from transitions
// only. One file, top to bottom; every hyperparameter is named with its default below.
//
// 1. An encoder phi(x) (MLP for vector observations, a conv torso for images) is trained with the
//    reconstruction auxiliary: a linear decoder maps phi(x) back to x, loss ||dec(phi(x)) - x||^2.
// 2. Successor features psi(x) = E[sum_t gamma^t phi(x_t) | x_0 = x] with a linear head on phi,
//    psi(x) = M^T phi(x). Machado et al. fit the head by TD with SGD; here the head's TD fixed point
//    is solved in closed form (LSTD): E[phi (phi - gamma phi')^T] M = E[phi phi^T], with phi' = 0
//    where the episode ended. (SGD TD on the head converged slowly and noisily in our runs: the SR
//    eigenvalues near the top are close together, 1/(1 - gamma (1 - lambda)).)
// 3. Eigenfunctions: for f = phi . a, (Psi f)(x) = psi(x) . a, so the SR's eigenfunctions in the
//    span of phi solve sym(C M) a = mu C a, C = E[phi phi^T]. The k largest mu are the slowest
//    eigenfunctions. (Machado et al. take eigenvectors of the matrix of psi rows; this is the same
//    eigenproblem written independently of the basis of phi.) For Psi = (I - gamma P)^-1 an SR
//    eigenvalue mu maps to the I - P eigenvalue 1 - (1 - 1/mu) / gamma, which is what is reported.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { layerInitializer } from '../models/networks';
import type { TransitionBatch, TransitionSource } from '../data/transitions';
import { solveLinear } from '../linalg';
import * as la from '../spin/linalg';
import { SpinEigenfunctions } from '../spin/model';
import { loadLearnerState, saveLearnerState } from '../spin/learner_state';
import { ScheduledAdam } from '../spin/optimizers';
import { trainLoop } from '../spin/train';
import type { LoopTrainer } from '../spin/train';
import { EigenLearner, LearnerContext } from './learner';

export interface DeepSrConfig {
  /** Width of phi (default 64). */
  features?: number;
  /** Hidden widths of the MLP encoder for vector observations (default [256]; [] = linear). */
  hidden?: number[];
  /** SR discount (default 0.9, as the tabular `sr` learner). */
  gamma?: number;
  /** Adam learning rate of the encoder and decoder (default 1e-3). */
  learningRate?: number;
  /** Training steps (default 4000). */
  steps?: number;
  /** Wall-clock budget in seconds (default: none). */
  maxSeconds?: number;
  /** Transitions per step (default 256). */
  batchSize?: number;
  /** Transitions used for the LSTD statistics after training (default 65536). */
  evalTransitions?: number;
  /** Observations are multiplied by this (default 1; use 1/255 for uint8 frames). */
  inputScale?: number;
  /** Observation kind recorded in the model (default 'unknown'). */
  observation?: string;
  /** Seed of the weight initialisers (default 0). */
  seed?: number;
  /** Called every `logEvery` steps. */
  onProgress?: (step: number, reconstructionLoss: number) => void;
  logEvery?: number;
  /** Folder of the training checkpoint (the shared loop's, spin/train.ts): written every `checkpointEvery` steps and at the end. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Continue from the checkpoint in checkpointDir when there is one. */
  resume?: boolean;
}

export const DEEP_SR_DEFAULTS = {
  features: 64,
  hidden: [256],
  gamma: 0.9,
  learningRate: 1e-3,
  steps: 4000,
  batchSize: 256,
  evalTransitions: 65536,
  inputScale: 1,
  seed: 0,
  logEvery: 500,
};


function encoder(shape: readonly number[], features: number, hidden: number[], seed: number): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  let layer = 0;
  const init = (): ReturnType<typeof layerInitializer> => layerInitializer(seed, layer++);
  if (shape.length >= 2) {
    // images [h, w] or [h, w, c]: a small conv torso (stride 2 convolutions), then phi
    const inputShape = shape.length === 2 ? [shape[0], shape[1], 1] : shape.slice();
    if (shape.length === 2) layers.push(tf.layers.reshape({ targetShape: inputShape, inputShape: shape.slice() }));
    layers.push(tf.layers.conv2d({ filters: 16, kernelSize: 5, strides: 2, activation: 'relu', kernelInitializer: init(), ...(shape.length === 2 ? {} : { inputShape }) }));
    layers.push(tf.layers.conv2d({ filters: 32, kernelSize: 5, strides: 2, activation: 'relu', kernelInitializer: init() }));
    layers.push(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: init() }));
    layers.push(tf.layers.flatten());
    for (const h of hidden) layers.push(tf.layers.dense({ units: h, activation: 'relu', kernelInitializer: init() }));
  } else {
    hidden.forEach((h, i) => layers.push(tf.layers.dense({ units: h, activation: 'relu', kernelInitializer: init(), ...(i === 0 ? { inputShape: shape.slice() } : {}) })));
  }
  layers.push(tf.layers.dense({ units: features, kernelInitializer: init(), ...(layers.length === 0 ? { inputShape: shape.slice() } : {}) }));
  return tf.sequential({ layers });
}

export class DeepSrLearner implements EigenLearner {
  readonly name = 'deep-sr';
  constructor(private readonly cfg: DeepSrConfig = {}) {}

  async fit(context: LearnerContext, k: number): Promise<SpinEigenfunctions> {
    const c = { ...DEEP_SR_DEFAULTS, ...this.cfg };
    const source = context.source;
    if (!source) throw new Error('deep-sr learner: needs a transition source');
    if (!Number.isInteger(k) || k < 1 || k > c.features) throw new Error(`deep-sr learner: k must be an integer in [1, ${c.features}] (the width of phi), got ${k}`);
    for (const key of ['features', 'steps', 'batchSize', 'evalTransitions'] as const) {
      if (!Number.isInteger(c[key]) || c[key] < 1) throw new Error(`deep-sr learner: ${key} must be a positive integer, got ${c[key]}`);
    }
    if (!(c.gamma > 0 && c.gamma < 1)) throw new Error(`deep-sr learner: gamma must be in (0, 1), got ${c.gamma}`);
    await initBackend();
    const shape = source.observationShape;
    const inSize = shape.reduce((a, b) => a * b, 1);
    const phi = encoder(shape, c.features, c.hidden, c.seed);
    const decoder = tf.sequential({ layers: [tf.layers.dense({ units: inSize, inputShape: [c.features], kernelInitializer: tf.initializers.glorotUniform({ seed: c.seed + 1 }) })] });
    const toTensor = (data: ArrayLike<number>, n: number): tf.Tensor => tf.tidy(() => tf.mul(tf.tensor(Float32Array.from(data), [n, ...shape]), c.inputScale));
    const trainer = new ReconstructionTrainer(phi, decoder, new ScheduledAdam(c.learningRate), inSize);
    let keepPhi = false;
    try {
      const t0 = Date.now();
      const run = await trainLoop({
        trainer,
        batches: {
          next: async () => {
            const b = await source.nextBatch(c.batchSize);
            return toTensor(b.x, b.size);
          },
          release: (x) => x.dispose(),
          samplerState: () => source.samplerState(),
          restoreSamplerState: (st) => source.restoreSamplerState(st),
        },
        steps: c.steps,
        maxSeconds: c.maxSeconds,
        logEvery: c.logEvery,
        log: (rec) => this.cfg.onProgress?.(rec.step, rec.loss),
        checkpointDir: c.checkpointDir,
        checkpointEvery: c.checkpointEvery,
        resume: c.resume,
      });
      const step = run.steps;
      const { a, mu } = await srEigen(source, phi, toTensor, c.features, c.gamma, c.evalTransitions, c.batchSize, k);
      const values = Float64Array.from(mu, (m) => 1 - (1 - 1 / m) / c.gamma);
      keepPhi = true;
      return new SpinEigenfunctions({
        learner: this.name,
        model: phi,
        demix: a,
        eigenvalues: values,
        observation: c.observation ?? 'unknown',
        observationShape: shape,
        inputScale: c.inputScale,
        info: { steps: step, transitions: step * c.batchSize + c.evalTransitions, gamma: c.gamma, features: c.features, seconds: (Date.now() - t0) / 1000 },
      });
    } finally {
      if (!keepPhi) phi.dispose();
      decoder.dispose();
      trainer.optimizer.dispose();
    }
  }
}

/**
 * The encoder phi and its linear decoder trained on the reconstruction loss ||dec(phi(x)) - x||^2,
 * as a LoopTrainer of the shared loop: its checkpoints hold both networks' weights and Adam's state.
 */
class ReconstructionTrainer implements LoopTrainer<tf.Tensor> {
  iteration = 0;
  private readonly trainable: tf.Variable[];

  constructor(private readonly phi: tf.LayersModel, private readonly decoder: tf.LayersModel, readonly optimizer: ScheduledAdam, private readonly inSize: number) {
    this.trainable = [...phi.trainableWeights, ...decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  }

  step(x: tf.Tensor): number {
    const n = x.shape[0];
    let rec = NaN;
    const cost = this.optimizer.minimize(() => {
      const recLoss = tf.mean(tf.sum(tf.square(tf.sub(this.decoder.apply(this.phi.apply(x)) as tf.Tensor, tf.reshape(x, [n, this.inSize]))), 1)) as tf.Scalar;
      rec = (recLoss.dataSync() as Float32Array)[0];
      return recLoss;
    }, true, this.trainable);
    cost?.dispose();
    if (!Number.isFinite(rec)) throw new Error(`deep-sr learner: non-finite reconstruction loss at step ${this.iteration + 1} (lower the learning rate)`);
    this.iteration++;
    return rec;
  }

  progress(): Float32Array {
    return new Float32Array(0);
  }

  async save(dir: string, sampler: number[] | null): Promise<void> {
    await saveLearnerState(dir, 'deep-sr', { step: this.iteration, models: [this.phi, this.decoder], optimizer: this.optimizer }, sampler);
  }

  async load(dir: string): Promise<number[] | null> {
    const { step, sampler } = await loadLearnerState(dir, 'deep-sr', [this.phi, this.decoder], this.optimizer);
    this.iteration = step;
    return sampler;
  }
}

/**
 * LSTD successor features on phi and the k largest generalised eigenpairs of sym(C M) a = mu C a
 * (a as columns [d, k], slowest first).
 */
async function srEigen(
  source: TransitionSource,
  phi: tf.LayersModel,
  toTensor: (d: ArrayLike<number>, n: number) => tf.Tensor,
  d: number,
  gamma: number,
  total: number,
  batch: number,
  k: number,
): Promise<{ a: Float64Array; mu: Float64Array }> {
  const C = new Float64Array(d * d);
  const A = new Float64Array(d * d);
  let seen = 0;
  while (seen < total) {
    const b: TransitionBatch = await source.nextBatch(Math.min(batch, total - seen));
    const x = toTensor(b.x, b.size);
    const xn = toTensor(b.xNext, b.size);
    const alive = tf.tensor2d(Float32Array.from({ length: b.size }, (_, i) => (b.terminated && b.terminated[i] ? 0 : 1)), [b.size, 1]);
    const [cc, aa] = tf.tidy(() => {
      const f = phi.apply(x) as tf.Tensor2D;
      const fn = tf.mul(phi.apply(xn) as tf.Tensor2D, alive) as tf.Tensor2D;
      return [tf.matMul(f, f, true, false), tf.matMul(f, tf.sub(f, tf.mul(gamma, fn)) as tf.Tensor2D, true, false)];
    });
    const cd = await cc.data();
    const ad = await aa.data();
    for (let i = 0; i < d * d; i++) {
      C[i] += cd[i];
      A[i] += ad[i];
    }
    [cc, aa, x, xn, alive].forEach((t) => t.dispose());
    seen += b.size;
  }
  let trace = 0;
  for (let i = 0; i < d * d; i++) {
    C[i] /= seen;
    A[i] /= seen;
  }
  for (let i = 0; i < d; i++) trace += C[i * d + i];
  // a small ridge keeps C and A invertible when phi has dead or duplicate units
  const ridge = 1e-6 * (trace / d + 1e-12);
  for (let i = 0; i < d; i++) {
    C[i * d + i] += ridge;
    A[i * d + i] += ridge;
  }
  // M = A^-1 C, column by column
  const M = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) col[i] = C[i * d + j];
    const m = solveLinear(A, col, d);
    for (let i = 0; i < d; i++) M[i * d + j] = m[i];
  }
  const g = la.symGenEig(la.symmetrize(la.matmul(C, M, d), d), C, d);
  // ascending: the k largest are the last k, slowest first
  const a = new Float64Array(d * k);
  const mu = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const c = d - 1 - j;
    mu[j] = g.values[c];
    // sign convention: the largest-magnitude coefficient positive
    let best = 0;
    for (let r = 0; r < d; r++) if (Math.abs(g.vectors[r * d + c]) > Math.abs(best)) best = g.vectors[r * d + c];
    const sign = best < 0 ? -1 : 1;
    for (let r = 0; r < d; r++) a[r * k + j] = sign * g.vectors[r * d + c];
  }
  return { a, mu };
}
