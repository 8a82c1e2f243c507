// DQN eigenoptions: learned option policies for eigenpurposes.
//
// Option o = (j, s) maximises the discounted sum of its eigenpurpose r_o(x, x') = s * (e_j(x') - e_j(x))
// (Machado et al. 2017, 2018) instead of its one-step gain, so it can take steps that pay off only
// later (walk to a ladder, then climb it), which the greedy look-ahead of src/options/lookahead.ts
// cannot. Q-values are learned the DQN way (Mnih et al. 2015: minibatch TD targets from a target
// network, Huber loss, Adam; with the double-DQN target of van Hasselt et al. 2016) but offline, on the
// transitions of the random-action rollout the eigenfunctions were learned from: that data tries
// every action uniformly in every situation it visits, which is what Q-learning from a fixed batch
// needs. The network is the eigenfunction network's torso, frozen (its last hidden layer, computed
// once per frame), then an MLP head with one output per (option, action); every minibatch trains all
// options at once, each transition carrying one reward per option.
//
// Running an option: at each observation take argmax_a Q_o(x, a); the option terminates where
// max_a Q_o(x, a) <= terminationValue (no positive intrinsic value left) or after maxSteps of its
// own steps. A transition into a lost life ends the return with -lifeLossPenalty, so options learn
// to avoid dying where the data shows how.
//
// Read top to bottom: hyperparameters, the transition batch, training (trainOptionQ), the option
// (DqnEigenoption), and the glue from an eigenfunction model plus a rollout dataset
// (dqnEigenoptionsFromRollout).
import * as tf from '@tensorflow/tfjs';
import type { Observation } from '../src/env';
import type { Option } from '../src/options';
import { Rng } from '../src/rng';
import { readRolloutFrames } from '../src/data/rollout_source';
import { readRolloutMeta } from '../src/data/rollout';

// ---- hyperparameters ---------------------------------------------------------------------------
export interface OptionDqnConfig {
  /** discount of the eigenpurpose's return, per agent step (default 0.9: a horizon of ~10 steps;
   *  on Montezuma's Revenge 0.95 and 0.97 gave options that chase overestimated values and explore less) */
  gamma: number;
  /** Adam learning rate (default 5e-4) */
  learningRate: number;
  /** transitions per minibatch (default 256) */
  batchSize: number;
  /** gradient steps (default 4000) */
  steps: number;
  /** the target network is copied from the online one every this many steps (default 100) */
  targetEvery: number;
  /** hidden units of the Q head's one hidden layer (default 256) */
  hidden: number;
  /** Huber loss threshold (default 1) */
  huberDelta: number;
  /** subtracted from the return of a transition into a lost life, in eigenfunction units (default 5:
   *  beyond the spread of unit-variance eigenfunctions, so no eigenpurpose is worth a life) */
  lifeLossPenalty: number;
  /** an option terminates where max_a Q_o(x, a) <= this (default 0.05) */
  terminationValue: number;
  /** an option terminates after this many of its own steps (default 100) */
  maxSteps: number;
  /** an option also terminates when its eigenpurpose's running total has not reached a new high
   *  (by more than stallTolerance) for this many of its steps: it is stuck where its Q-values still
   *  promise gains it does not realise (default 16) */
  stallSteps: number;
  /** (default 0.02, in eigenfunction units) */
  stallTolerance: number;
  /** seed of the head's initialisation and the minibatch sampler (default 0) */
  seed: number;
}

export const OPTION_DQN_DEFAULTS: OptionDqnConfig = {
  gamma: 0.9,
  learningRate: 5e-4,
  batchSize: 256,
  steps: 4000,
  targetEvery: 100,
  hidden: 256,
  huberDelta: 1,
  lifeLossPenalty: 5,
  terminationValue: 0.05,
  maxSteps: 100,
  stallSteps: 16,
  stallTolerance: 0.02,
  seed: 0,
};

/** Option o climbs (sign +1) or descends (sign -1) eigenfunction eigenIndex (0-based: 0 = e1). */
export interface OptionSpec {
  eigenIndex: number;
  sign: 1 | -1;
}

/** +-e2, +-e3, ...: `count` options, e1 (the constant function) skipped. */
export function eigenoptionSpecs(count: number, k: number): OptionSpec[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`option count must be a positive integer, got ${count}`);
  if (count > 2 * (k - 1)) throw new Error(`${count} options need ${Math.ceil(count / 2) + 1} eigenfunctions (e1 is skipped) but the model has ${k}`);
  return Array.from({ length: count }, (_, i) => ({ eigenIndex: 1 + Math.floor(i / 2), sign: (i % 2 === 0 ? 1 : -1) as 1 | -1 }));
}

export function optionName(o: OptionSpec): string {
  return `${o.sign > 0 ? '+' : '-'}e${o.eigenIndex + 1}`;
}

// ---- the transitions ---------------------------------------------------------------------------
/**
 * A fixed batch of transitions over `count` frames: features [count, width] of every frame, the
 * eigenfunctions e [count, k] at every frame, and the transitions i -> next[i] (next[i] = -1: none)
 * taken with action action[i] (0 .. actionCount - 1), lifeLost[i] = 1 when next[i] is a lost life.
 */
export interface OptionTransitions {
  features: Float32Array;
  width: number;
  values: Float64Array;
  k: number;
  next: Int32Array;
  action: Int32Array;
  lifeLost: Uint8Array;
  actionCount: number;
  count: number;
}

function checkTransitions(d: OptionTransitions): number[] {
  const { count, width, k, actionCount } = d;
  if (d.features.length !== count * width) throw new Error(`option DQN: features must hold ${count} x ${width} values, got ${d.features.length}`);
  if (d.values.length !== count * k) throw new Error(`option DQN: eigenfunction values must hold ${count} x ${k} values, got ${d.values.length}`);
  if (d.next.length !== count || d.action.length !== count || d.lifeLost.length !== count) throw new Error(`option DQN: next, action and lifeLost must hold ${count} entries each`);
  const rows: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = d.next[i];
    if (n < 0) continue;
    if (n >= count) throw new Error(`option DQN: next[${i}] = ${n} is outside the ${count} frames`);
    const a = d.action[i];
    if (!Number.isInteger(a) || a < 0 || a >= actionCount) throw new Error(`option DQN: action[${i}] = ${a} is not an action in 0..${actionCount - 1}`);
    rows.push(i);
  }
  if (rows.length === 0) throw new Error('option DQN: no transitions (every next[i] is -1)');
  return rows;
}

// ---- training ----------------------------------------------------------------------------------
/** Q-values of every option: values(features, n) -> [n, options, actions] (float32). */
export class OptionQ {
  constructor(readonly head: tf.LayersModel, readonly options: readonly OptionSpec[], readonly actionCount: number, readonly width: number) {}

  values(features: Float32Array, n: number): Float32Array {
    if (features.length !== n * this.width) throw new Error(`OptionQ: expected ${n} x ${this.width} features, got ${features.length}`);
    const q = tf.tidy(() => this.head.apply(tf.tensor2d(features, [n, this.width])) as tf.Tensor);
    const out = q.dataSync() as Float32Array;
    q.dispose();
    return out;
  }

  dispose(): void {
    this.head.dispose();
  }
}

function buildHead(width: number, outputs: number, hidden: number, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [width] });
  const h = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + 1 }) }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: outputs, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + 2 }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

export interface OptionQTraining {
  q: OptionQ;
  /** mean Huber loss over the last 100 steps */
  finalLoss: number;
  seconds: number;
}

export async function trainOptionQ(data: OptionTransitions, options: readonly OptionSpec[], config: Partial<OptionDqnConfig> = {}, log?: (s: string) => void): Promise<OptionQTraining> {
  const c = { ...OPTION_DQN_DEFAULTS, ...config };
  if (!(c.gamma >= 0 && c.gamma < 1)) throw new Error(`option DQN: gamma must be in [0, 1), got ${c.gamma}`);
  for (const [name, v] of [['batchSize', c.batchSize], ['steps', c.steps], ['targetEvery', c.targetEvery], ['hidden', c.hidden]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`option DQN: ${name} must be a positive integer, got ${v}`);
  for (const o of options) if (!Number.isInteger(o.eigenIndex) || o.eigenIndex < 0 || o.eigenIndex >= data.k) throw new Error(`option DQN: eigenIndex ${o.eigenIndex} outside the model's ${data.k} eigenfunctions`);
  const rows = checkTransitions(data);
  const O = options.length;
  const A = data.actionCount;
  const { width, k } = data;
  const online = buildHead(width, O * A, c.hidden, c.seed);
  const target = buildHead(width, O * A, c.hidden, c.seed);
  target.setWeights(online.getWeights());
  const optimizer = tf.train.adam(c.learningRate);
  const rng = Rng.derive(c.seed, 7);
  const t0 = Date.now();
  const B = c.batchSize;
  const x = new Float32Array(B * width);
  const xn = new Float32Array(B * width);
  const reward = new Float32Array(B * O);
  const alive = new Float32Array(B);
  // one-hot of the action taken, the same for every option: [B, 1, A], broadcast over the options
  const chosen = new Float32Array(B * A);
  const losses: number[] = [];
  try {
    for (let step = 1; step <= c.steps; step++) {
      chosen.fill(0);
      for (let b = 0; b < B; b++) {
        const i = rows[rng.int(rows.length)];
        const n = data.next[i];
        x.set(data.features.subarray(i * width, (i + 1) * width), b * width);
        xn.set(data.features.subarray(n * width, (n + 1) * width), b * width);
        const lost = data.lifeLost[i] === 1;
        alive[b] = lost ? 0 : 1;
        for (let o = 0; o < O; o++) {
          const j = options[o].eigenIndex;
          const r = options[o].sign * (data.values[n * k + j] - data.values[i * k + j]);
          reward[b * O + o] = lost ? r - c.lifeLossPenalty : r;
        }
        chosen[b * A + data.action[i]] = 1;
      }
      // double-DQN target: the online network picks a', the target network values it
      const y = tf.tidy(() => {
        const next = tf.tensor2d(xn, [B, width]);
        const qOnline = tf.reshape(online.apply(next) as tf.Tensor, [B, O, A]);
        const qTarget = tf.reshape(target.apply(next) as tf.Tensor, [B, O, A]);
        const best = tf.oneHot(tf.reshape(tf.argMax(qOnline, 2), [B * O]), A).reshape([B, O, A]);
        const vNext = tf.sum(tf.mul(qTarget, best), 2); // [B, O]
        return tf.add(tf.tensor2d(reward, [B, O]), tf.mul(tf.mul(vNext, c.gamma), tf.tensor2d(alive, [B, 1])));
      });
      const mask = tf.tensor3d(chosen, [B, 1, A]);
      const cur = tf.tensor2d(x, [B, width]);
      const lossT = optimizer.minimize(() => {
        const q = tf.sum(tf.mul(tf.reshape(online.apply(cur) as tf.Tensor, [B, O, A]), mask), 2);
        return tf.losses.huberLoss(y, q, undefined, c.huberDelta) as tf.Scalar;
      }, true) as tf.Scalar;
      losses.push((await lossT.data())[0]);
      if (losses.length > 100) losses.shift();
      tf.dispose([y, mask, cur, lossT]);
      if (step % c.targetEvery === 0) target.setWeights(online.getWeights());
      if (log && step % 1000 === 0) log(`option DQN step ${step}: loss ${(losses.reduce((a, b) => a + b, 0) / losses.length).toExponential(3)}`);
    }
  } finally {
    target.dispose();
    optimizer.dispose();
  }
  const finalLoss = losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length);
  return { q: new OptionQ(online, options, A, width), finalLoss, seconds: (Date.now() - t0) / 1000 };
}

// ---- the options -------------------------------------------------------------------------------
/** Features of one observation (e.g. the eigenfunction network's last hidden layer on its last frame) and the eigenfunctions there. */
export type FeatureFunction<O extends Observation> = (observation: O) => Promise<{ features: Float32Array; values: Float64Array }>;

/**
 * Q-values of all options at the last prepared observation, shared by the options of one OptionQ so
 * one feature evaluation serves them all. The cache holds a copy of the observation: an environment
 * that reuses its observation buffer gets a fresh evaluation once the contents change.
 */
export class OptionQEvaluator<O extends Observation> {
  private key: Float64Array | null = null;
  private q: Float32Array | null = null;
  private e: Float64Array | null = null;

  constructor(readonly optionQ: OptionQ, private readonly features: FeatureFunction<O>) {}

  async prepare(observation: O): Promise<void> {
    if (this.q && this.key && sameContents(this.key, observation)) return;
    const f = await this.features(observation);
    this.q = this.optionQ.values(f.features, 1);
    this.e = f.values;
    this.key = Float64Array.from(observation as ArrayLike<number>);
  }

  /** Q_o(x, .) at the prepared observation. */
  valuesAt(observation: O, option: number): Float32Array {
    if (!this.q || !this.key || !sameContents(this.key, observation)) throw new Error('DqnEigenoption: observation was not prepared (await option.prepare(observation) first)');
    const A = this.optionQ.actionCount;
    return this.q.subarray(option * A, (option + 1) * A);
  }

  /** The option's eigenpurpose potential s * e_j at the prepared observation. */
  potentialAt(observation: O, option: number): number {
    this.valuesAt(observation, option);
    const spec = this.optionQ.options[option];
    return spec.sign * (this.e as Float64Array)[spec.eigenIndex];
  }
}

function sameContents(key: Float64Array, o: Observation): boolean {
  const a = o as ArrayLike<number>;
  if (a.length !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== a[i]) return false;
  return true;
}

/** The greedy policy of Q_o, terminating where no positive intrinsic value is left (see the header). */
export class DqnEigenoption<O extends Observation> implements Option<O> {
  readonly name: string;
  private steps = 0;
  /** best potential s * e_j reached in this run, and the step it was reached */
  private best = -Infinity;
  private bestStep = 0;

  constructor(private readonly evaluator: OptionQEvaluator<O>, private readonly index: number, private readonly config: Pick<OptionDqnConfig, 'terminationValue' | 'maxSteps' | 'stallSteps' | 'stallTolerance'> = OPTION_DQN_DEFAULTS) {
    const spec = evaluator.optionQ.options[index];
    if (!spec) throw new Error(`DqnEigenoption: no option ${index} in the Q network (${evaluator.optionQ.options.length} options)`);
    this.name = optionName(spec);
  }

  prepare(observation: O): Promise<void> {
    return this.evaluator.prepare(observation);
  }

  private greedy(observation: O): { action: number; value: number } {
    const q = this.evaluator.valuesAt(observation, this.index);
    let action = 0;
    for (let a = 1; a < q.length; a++) if (q[a] > q[action]) action = a;
    return { action, value: q[action] };
  }

  available(observation: O): boolean {
    return this.greedy(observation).value > this.config.terminationValue;
  }

  begin(observation: O): void {
    this.steps = 0;
    this.best = this.evaluator.potentialAt(observation, this.index);
    this.bestStep = 0;
  }

  terminates(observation: O): boolean {
    const p = this.evaluator.potentialAt(observation, this.index);
    if (p > this.best + this.config.stallTolerance) {
      this.best = p;
      this.bestStep = this.steps;
    }
    return this.steps >= this.config.maxSteps || this.steps - this.bestStep >= this.config.stallSteps || this.greedy(observation).value <= this.config.terminationValue;
  }

  act(observation: O): number {
    this.steps++;
    return this.greedy(observation).action;
  }

  end(): void {
    this.steps = 0;
    this.best = -Infinity;
  }
}

// ---- from an eigenfunction model and a rollout dataset -----------------------------------------
/** What the glue needs of an eigenfunction model: its last hidden layer and its values, from one pass. */
export interface FeatureModel {
  readonly k: number;
  readonly observationShape: readonly number[];
  featuresAndValues(observations: Observation, count: number): Promise<{ features: Float32Array; width: number; values: Float64Array }>;
}

export interface RolloutOptionDqn {
  optionQ: OptionQ;
  /** `count` options (+-e2, +-e3, ...) for one environment whose observations end with the model's input frame. */
  options: <O extends Uint8Array>(modelInput?: (o: O) => Uint8Array) => DqnEigenoption<O>[];
  training: OptionQTraining;
  transitions: number;
}

/**
 * Trains the Q-values of `count` eigenoptions on (at most maxFrames) frames of a rollout dataset
 * (src/data/rollout.ts; --terminal-on-life-loss data marks lost lives) with the model's frozen torso.
 */
export async function dqnEigenoptionsFromRollout(model: FeatureModel, dataDir: string, count: number, config: Partial<OptionDqnConfig> & { maxFrames?: number } = {}, log?: (s: string) => void): Promise<RolloutOptionDqn> {
  const c = { ...OPTION_DQN_DEFAULTS, ...config };
  const specs = eigenoptionSpecs(count, model.k);
  const meta = readRolloutMeta(dataDir);
  const frames = readRolloutFrames(dataDir, meta.shards.map((_, i) => i), config.maxFrames ?? Infinity);
  const size = model.observationShape.reduce((a, b) => a * b, 1);
  const frameSize = meta.obsShape.reduce((a, b) => a * b, 1);
  if (frameSize !== size) throw new Error(`option DQN: the rollout's frames [${meta.obsShape}] are not the model's input [${model.observationShape}]`);
  const { features, width, values } = await model.featuresAndValues(frames.obs, frames.count);
  // the transition i -> next[i] was taken with the action recorded at next[i]; it loses a life when next[i] terminates
  const action = new Int32Array(frames.count);
  const lifeLost = new Uint8Array(frames.count);
  let transitions = 0;
  for (let i = 0; i < frames.count; i++) {
    const n = frames.next[i];
    if (n < 0) continue;
    action[i] = frames.action[n];
    lifeLost[i] = frames.terminated[n];
    transitions++;
  }
  const data: OptionTransitions = { features, width, values, k: model.k, next: frames.next, action, lifeLost, actionCount: meta.actionSet.length, count: frames.count };
  const training = await trainOptionQ(data, specs, c, log);
  const optionQ = training.q;
  const options = <O extends Uint8Array>(modelInput: (o: O) => Uint8Array = (o) => o.subarray(o.length - size)): DqnEigenoption<O>[] => {
    const evaluator = new OptionQEvaluator<O>(optionQ, (o) => model.featuresAndValues(modelInput(o), 1));
    return specs.map((_, i) => new DqnEigenoption<O>(evaluator, i, c));
  };
  return { optionQ, options, training, transitions };
}
