// Eigenfunctions of the slowness operator learned from consecutive frames of an `eigenopt rollout`
// dataset (what `eigenopt train` runs), streamed from disk (pairs never cross an episode end), then
// scored on held-out frames against linear slow-feature analysis.
//
// Learners: `spin` (default), `allo` (ALLO's augmented Lagrangian objective, learners/allo.ts, on the
// same network and frames: each step a batch of pairs and two more batches of frames for its
// constraints, Adam at ALLO's 1e-3) and `deep-sr` (the deep successor-representation baseline).
// All three train in the shared loop (trainLoop, spin/train.ts), so `--checkpoint-every N` and
// `--resume` (OUT/checkpoint) work for each and a resumed run ends with the model of an
// uninterrupted one. Both spin and allo end the same way: the final Sigma and Pi of the network over
// many pairs give the eigenvalues and the order (the span's Rayleigh-Ritz rotation). Networks:
//   --preset cpu (default): conv 16 8x8/4, conv 32 4x4/2, dense 128, k outputs; Adam 1e-3, the
//     Sigma-average estimator without moving averages (decay 1): the setting that learns slow
//     features from pixels in the bouncing-balls demo. Batch 128.
//   --preset spin-paper: the SpIN paper's Atari network, 3 x conv 64 6x6/2, dense 128; RMSProp
//     1e-4, the Jacobian-average estimator with averaging decay 0.01, batch 128.
// The last 10% of shards (at least one when there are two) are held out: the model never trains on
// them, and the report gives each eigenfunction's slowness there (E[(e(x) - e(x'))^2] / (2 Var e),
// the I - P scale) and the slowness of the span (generalised eigenvalues), next to linear SFA on a
// 64-component PCA of 21 x 21 block-averaged frames fitted on training frames.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { readRolloutMeta } from '../data/rollout';
import { RolloutTransitionSource, readRolloutFrames, splitShards } from '../data/rollout_source';
import type { RolloutFrames } from '../data/rollout_source';
import { ALLO_DEFAULTS, AlloTrainer } from './allo';
import { DeepSrLearner } from './deep_sr';
import { applyLinearSfa, fitLinearSfa, pairSlowness } from './linear_sfa';
import type { EigenfunctionModel } from '../models/eigenfunctions';
import { buildNetwork } from '../models/networks';
import type { ConvNetSpec } from '../models/networks';
import { slownessOperator } from '../spin/operators';
import { SpectralNetwork } from '../spin/network';
import type { SpinEstimator } from '../spin/network';
import { SpinEigenfunctions } from '../spin/model';
import * as la from '../spin/linalg';
import { ScheduledAdam, ScheduledRMSProp } from '../spin/optimizers';
import { trainLoop, trainSpin, transitionBatches } from '../spin/train';
import type { LoopBatchSource } from '../spin/train';

export type TrainPreset = 'cpu' | 'spin-paper';
export type FrameLearner = 'spin' | 'allo' | 'deep-sr';
export const FRAME_LEARNERS: readonly FrameLearner[] = ['spin', 'allo', 'deep-sr'];

interface PresetSettings {
  convs: [number, number, number][];
  dense: number;
  optimizer: 'adam' | 'rmsprop';
  learningRate: number;
  estimator: SpinEstimator;
  decay: number;
}

export const TRAIN_PRESETS: Record<TrainPreset, PresetSettings> = {
  cpu: { convs: [[16, 8, 4], [32, 4, 2]], dense: 128, optimizer: 'adam', learningRate: 1e-3, estimator: 'sigma-average', decay: 1 },
  'spin-paper': { convs: [[64, 6, 2], [64, 6, 2], [64, 6, 2]], dense: 128, optimizer: 'rmsprop', learningRate: 1e-4, estimator: 'jacobian-average', decay: 0.01 },
};

export const TRAIN_DEFAULTS = {
  neig: 8,
  learner: 'spin' as FrameLearner,
  preset: 'cpu' as TrainPreset,
  steps: 3000,
  maxSeconds: 300,
  batchSize: 128,
  seed: 0,
  /** SpIN's adaptive gradient clipping (SpectralNetworkConfig.clipFactor); 0 turns it off */
  clipFactor: 0,
  /** largest lag of a training pair, drawn per pair from 1..lag (TrainOnRolloutOptions.lag; 1: consecutive frames) */
  lag: 1,
  /** Held-out frames evaluated (and training frames for the linear-SFA baseline). */
  evalFrames: 4000,
  /** Block size of the frame downsampling for linear SFA, and its PCA components. */
  sfaBlock: 4,
  sfaComponents: 64,
  /** Training pairs over which the final Sigma and Pi (ordering, eigenvalues) are estimated. */
  finalPairs: 8192,
};

/** Sigma = E[u u^T] and Pi = E[(u - u')(u - u')^T] of a network over `total` pairs of a source. */
export async function finalStatistics(
  network: tf.LayersModel,
  source: RolloutTransitionSource,
  toInput: (data: Uint8Array, n: number) => tf.Tensor,
  k: number,
  total: number,
  batch: number,
): Promise<{ sigma: Float64Array; pi: Float64Array; pairs: number }> {
  const sigma = new Float64Array(k * k);
  const pi = new Float64Array(k * k);
  let seen = 0;
  while (seen < total) {
    const b = await source.nextBatch(Math.min(batch, total - seen));
    const x = toInput(b.x, b.size);
    const y = toInput(b.xNext, b.size);
    const [s, p] = tf.tidy(() => {
      const u = network.apply(x) as tf.Tensor2D;
      const d = tf.sub(u, network.apply(y) as tf.Tensor2D) as tf.Tensor2D;
      return [tf.matMul(u, u, true, false), tf.matMul(d, d, true, false)];
    });
    const sd = await s.data();
    const pd = await p.data();
    for (let i = 0; i < k * k; i++) {
      sigma[i] += sd[i];
      pi[i] += pd[i];
    }
    [x, y, s, p].forEach((t) => t.dispose());
    seen += b.size;
  }
  for (let i = 0; i < k * k; i++) {
    sigma[i] /= seen;
    pi[i] /= seen;
  }
  return { sigma, pi, pairs: seen };
}

/** Observation kind recorded in models trained on preprocessed Atari frames. */
export const ATARI_OBSERVATION = 'atari-frame';

export interface TrainOnRolloutOptions {
  data: string;
  neig?: number;
  out: string;
  learner?: FrameLearner;
  preset?: TrainPreset;
  steps?: number;
  maxSeconds?: number;
  batchSize?: number;
  learningRate?: number;
  /**
   * Training pairs are frames l steps apart, l drawn uniformly from 1..lag per pair (default 1:
   * consecutive frames). The slowness operator is then I - (P + P^2 + ... + P^lag) / lag, whose
   * eigenfunctions are P's for a reversible Markov chain: a diffusing avatar's slow features stay
   * slow (their change grows like sqrt(l)), while objects moving on their own at a steady speed
   * (Montezuma's rolling skull) change l times as much and drop out of the first eigenfunctions.
   * Mixing the lags keeps features that repeat with a fixed period (a blinking sprite, a frame
   * counter) from looking slow at a lag that is a multiple of it.
   */
  lag?: number;
  /** SpIN: adaptive gradient clipping at this multiple of the running gradient norm (0: off; see SpectralNetworkConfig.clipFactor). */
  clipFactor?: number;
  seed?: number;
  checkpointEvery?: number;
  resume?: boolean;
  evalFrames?: number;
  log?: (line: string) => void;
}

export interface HeldOutReport {
  frames: number;
  pairs: number;
  /** Per eigenfunction, I - P scale. */
  slowness: number[];
  /** Generalised eigenvalues of the learned span. */
  spanSlowness: number[];
  linearSfa: { slowness: number[]; trainSlowness: number[]; components: number; block: number };
}

export interface TrainOnRolloutResult {
  model: EigenfunctionModel;
  heldOut: HeldOutReport;
  seconds: number;
  steps: number;
}

/** Pairs (t, t') of a frame set, flattened. */
export function framePairIndex(frames: RolloutFrames): Int32Array {
  const out: number[] = [];
  for (let t = 0; t < frames.count; t++) if (frames.next[t] >= 0) out.push(t, frames.next[t]);
  return Int32Array.from(out);
}

/** Block-averaged frames (h x w -> h/b x w/b), as float64 rows in [0, 1]. */
export function blockAverage(obs: Uint8Array, count: number, h: number, w: number, b: number): { x: Float64Array; d: number } {
  const hh = Math.floor(h / b);
  const ww = Math.floor(w / b);
  const d = hh * ww;
  const x = new Float64Array(count * d);
  for (let t = 0; t < count; t++) {
    const base = t * h * w;
    for (let r = 0; r < hh; r++) for (let c = 0; c < ww; c++) {
      let s = 0;
      for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) s += obs[base + (r * b + i) * w + c * b + j];
      x[t * d + r * ww + c] = s / (b * b * 255);
    }
  }
  return { x, d };
}

export async function trainOnRollout(o: TrainOnRolloutOptions): Promise<TrainOnRolloutResult> {
  const log = o.log ?? ((): void => undefined);
  const k = o.neig ?? TRAIN_DEFAULTS.neig;
  const learner = o.learner ?? TRAIN_DEFAULTS.learner;
  const preset = TRAIN_PRESETS[o.preset ?? TRAIN_DEFAULTS.preset];
  if (!preset) throw new Error(`train: unknown preset ${JSON.stringify(o.preset)} (expected ${Object.keys(TRAIN_PRESETS).join(', ')})`);
  const steps = o.steps ?? TRAIN_DEFAULTS.steps;
  const batchSize = o.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const seed = o.seed ?? TRAIN_DEFAULTS.seed;
  const evalFrames = o.evalFrames ?? TRAIN_DEFAULTS.evalFrames;
  const maxSeconds = o.maxSeconds ?? TRAIN_DEFAULTS.maxSeconds;
  if (!Number.isInteger(k) || k < 1) throw new Error(`train: --neig must be a positive integer, got ${k}`);
  const meta = readRolloutMeta(o.data);
  if (meta.obsShape.length !== 2) throw new Error(`train: expected grayscale frames [h, w] in ${o.data}, got shape [${meta.obsShape}]`);
  const [h, w] = meta.obsShape;
  const split = splitShards(meta);
  const heldShards = split.heldOut.length > 0 ? split.heldOut : split.train.slice(-1);
  if (split.heldOut.length === 0) log(`train: ${o.data} has one shard: held-out scores use training frames`);
  await initBackend();
  fs.mkdirSync(o.out, { recursive: true });
  const lag = o.lag ?? TRAIN_DEFAULTS.lag;
  if (learner === 'deep-sr' && lag !== 1) throw new Error(`train: --lag ${lag} is for spin and allo; deep-sr learns from consecutive transitions (--lag 1)`);
  const source = new RolloutTransitionSource(o.data, { shards: split.train, seed, lag });
  const t0 = Date.now();
  const toInput = (data: Uint8Array, n: number): tf.Tensor => tf.tidy(() => tf.mul(tf.tensor4d(Float32Array.from(data), [n, h, w, 1]), 1 / 255));
  let model: EigenfunctionModel;
  let taken: number;
  // spin and allo: the preset's network, ordered and scored the same way once trained
  const networkSpec: ConvNetSpec = { kind: 'conv', inputShape: [h, w, 1], convs: preset.convs, dense: preset.dense, outputs: k, seed };
  const frameNetwork = (): tf.LayersModel => buildNetwork(networkSpec);
  // the ordering and the eigenvalues from Sigma and Pi of the final network over many pairs, not
  // from the last minibatch (with decay 1 SpIN's statistics are one batch's)
  const frameModel = async (name: FrameLearner, network: tf.LayersModel, info: Record<string, number | string>): Promise<SpinEigenfunctions> => {
    const stats = await finalStatistics(network, source, toInput, k, TRAIN_DEFAULTS.finalPairs, batchSize);
    const { demix, eigenvalues } = la.demixFromStatistics(stats.sigma, stats.pi, k);
    return new SpinEigenfunctions({
      learner: name,
      model: network,
      demix,
      eigenvalues: Float64Array.from(eigenvalues, (x) => x / 2),
      observation: ATARI_OBSERVATION,
      observationShape: [h, w, 1],
      inputScale: 1 / 255,
      info: { preset: o.preset ?? TRAIN_DEFAULTS.preset, ...info, game: meta.game, finalPairs: stats.pairs, lag },
    });
  };
  if (learner === 'spin') {
    const network = frameNetwork();
    const lr = o.learningRate ?? preset.learningRate;
    const optimizer = preset.optimizer === 'adam' ? new ScheduledAdam(lr) : new ScheduledRMSProp(lr);
    const clip = o.clipFactor ?? TRAIN_DEFAULTS.clipFactor;
    const net = new SpectralNetwork({ k, model: network, operator: slownessOperator(), optimizer, decay: preset.decay, estimator: preset.estimator, seed, clipFactor: clip > 0 ? clip : undefined });
    const batches = transitionBatches(source, batchSize, (b) => ({ x: toInput(b.x as Uint8Array, b.size), xNext: toInput(b.xNext as Uint8Array, b.size) }));
    try {
      const r = await trainSpin({
        net,
        batches,
        steps,
        maxSeconds,
        logEvery: 100,
        log: (rec) => log(`  step ${rec.step}: loss ${rec.loss.toFixed(5)}, eigenvalues ${Array.from(rec.eigenvalues, (x) => (x / 2).toFixed(4)).join(' ')} (${rec.seconds.toFixed(0)} s)`),
        checkpointDir: path.join(o.out, 'checkpoint'),
        checkpointEvery: o.checkpointEvery,
        resume: o.resume,
      });
      taken = r.steps;
      const d = net.diagnostics();
      model = await frameModel('spin', network, { steps: r.steps, batchSize, transitions: r.steps * batchSize, stoppedBy: r.stoppedBy, ...(clip > 0 ? { clipFactor: clip, clippedSteps: d.clippedSteps, maxGradientNormRatio: d.maxNormRatio } : {}) });
    } catch (e) {
      network.dispose();
      throw e;
    } finally {
      net.dispose();
      optimizer.dispose();
    }
  } else if (learner === 'allo') {
    const network = frameNetwork();
    const lr = o.learningRate ?? ALLO_DEFAULTS.learningRate;
    const trainer = new AlloTrainer(network, k, { learningRate: lr });
    const frame = h * w;
    const input = new Uint8Array(4 * batchSize * frame);
    // (x, x') of a batch of pairs, and the first frames of two more batches as the two independent
    // state samples of the constraint terms, stacked into one input
    const batches: LoopBatchSource<tf.Tensor> = {
      next: async () => {
        const tr = await source.nextBatch(batchSize);
        const s1 = await source.nextBatch(batchSize);
        const s2 = await source.nextBatch(batchSize);
        input.set(tr.x, 0);
        input.set(tr.xNext, batchSize * frame);
        input.set(s1.x, 2 * batchSize * frame);
        input.set(s2.x, 3 * batchSize * frame);
        return toInput(input, 4 * batchSize);
      },
      release: (x) => x.dispose(),
      samplerState: () => source.samplerState(),
      restoreSamplerState: (st) => source.restoreSamplerState(st),
    };
    try {
      const r = await trainLoop({
        trainer,
        batches,
        steps,
        maxSeconds,
        logEvery: 100,
        log: (rec) => log(`  step ${rec.step}: loss ${rec.loss.toFixed(5)}, barrier ${trainer.objective.barrier.toFixed(3)}, dual eigenvalues ${Array.from(rec.eigenvalues, (x) => x.toFixed(4)).join(' ')} (${rec.seconds.toFixed(0)} s)`),
        checkpointDir: path.join(o.out, 'checkpoint'),
        checkpointEvery: o.checkpointEvery,
        resume: o.resume,
      });
      taken = r.steps;
      model = await frameModel('allo', network, { steps: r.steps, batchSize, learningRate: lr, transitions: r.steps * batchSize, stoppedBy: r.stoppedBy, ...trainer.objective.info() });
    } catch (e) {
      network.dispose();
      throw e;
    } finally {
      trainer.dispose();
    }
  } else if (learner === 'deep-sr') {
    model = await new DeepSrLearner({
      steps,
      maxSeconds,
      batchSize,
      seed,
      inputScale: 1 / 255,
      observation: ATARI_OBSERVATION,
      onProgress: (s, rec) => log(`  step ${s}: reconstruction loss ${rec.toFixed(6)}`),
      checkpointDir: path.join(o.out, 'checkpoint'),
      checkpointEvery: o.checkpointEvery,
      resume: o.resume,
    }).fit({ source }, k);
    taken = Number(model.info.steps);
  } else {
    throw new Error(`train: unknown learner ${JSON.stringify(learner)} (expected ${FRAME_LEARNERS.join(', ')})`);
  }
  const seconds = (Date.now() - t0) / 1000;
  log(`trained ${learner} for ${taken} steps in ${seconds.toFixed(0)} s`);
  const heldOut = await heldOutScores(o.data, model, split.train, heldShards, evalFrames, h, w, k);
  await model.save(o.out, { data: path.resolve(o.data), game: meta.game, heldOut, seconds });
  fs.writeFileSync(path.join(o.out, 'train.json'), JSON.stringify({ learner, k, steps: taken, seconds, heldOut }, null, 2) + '\n');
  return { model, heldOut, seconds, steps: taken };
}

/** Slowness of the model and of linear SFA on held-out frames. */
export async function heldOutScores(data: string, model: EigenfunctionModel, trainShards: number[], heldShards: number[], evalFrames: number, h: number, w: number, k: number): Promise<HeldOutReport> {
  const held = readRolloutFrames(data, heldShards, evalFrames);
  const pairs = framePairIndex(held);
  if (pairs.length === 0) throw new Error(`train: the held-out frames of ${data} hold no consecutive pairs`);
  const f = await model.evaluate(held.obs, held.count);
  const s = pairSlowness(f, held.count, k, pairs);
  const train = readRolloutFrames(data, trainShards, evalFrames);
  const trainPairs = framePairIndex(train);
  const b = TRAIN_DEFAULTS.sfaBlock;
  const xt = blockAverage(train.obs, train.count, h, w, b);
  const p = Math.min(TRAIN_DEFAULTS.sfaComponents, xt.d - 1);
  const sfa = fitLinearSfa(xt.x, train.count, xt.d, trainPairs, p, Math.min(k, p));
  const xh = blockAverage(held.obs, held.count, h, w, b);
  const fs2 = applyLinearSfa(sfa, xh.x, held.count);
  const sfaHeld = pairSlowness(fs2, held.count, sfa.k, pairs);
  return {
    frames: held.count,
    pairs: pairs.length / 2,
    slowness: s.perFunction,
    spanSlowness: s.span,
    linearSfa: { slowness: sfaHeld.perFunction, trainSlowness: Array.from(sfa.eigenvalues), components: p, block: b },
  };
}

