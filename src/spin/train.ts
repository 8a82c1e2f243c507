// The SpIN training loop: batches from a source, one SpectralNetwork step each, an optional
// learning-rate schedule (through ScheduledOptimizer.setLearningRate), progress records, stops on a
// step count, a time budget or a caller's condition, and checkpoints to a folder (checkpoint.ts)
// from which a later call resumes bit-identically.
//
// Batches come from a SpinBatchSource: `next()` returns the tensors of one step (the loop disposes
// them). Minibatch streams of transitions are adapted with transitionBatches(); samplers that are
// not transition streams (the hydrogen demo's importance sampler, the matrix demo's full operator)
// implement next() directly. A source that draws from the network's RNG (net.rng) needs no state of
// its own: the RNG is part of the network's checkpoint; one with its own sampler saves it through
// samplerState()/restoreSamplerState().
import type { TransitionBatch, TransitionSource } from '../data/transitions';
import { hasSpinCheckpoint, readSpinCheckpoint, writeSpinCheckpoint } from './checkpoint';
import type { SpectralNetwork, SpinBatch } from './network';
import { isScheduledOptimizer } from './optimizers';

export const DEFAULT_LOG_EVERY = 100;

export interface SpinBatchSource {
  /** The batch of the next step; the loop disposes its tensors after the step. */
  next(): SpinBatch | Promise<SpinBatch>;
  /** Position of the sampler (saved with checkpoints), for sources with a generator of their own. */
  samplerState?(): number[];
  restoreSamplerState?(state: readonly number[]): void;
}

/** Batches of `batchSize` transitions from a TransitionSource, converted to tensors by `toTensors`. */
export function transitionBatches(source: TransitionSource, batchSize: number, toTensors: (batch: TransitionBatch) => SpinBatch): SpinBatchSource {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`transitionBatches: batchSize must be a positive integer, got ${batchSize}`);
  return {
    next: async () => toTensors(await source.nextBatch(batchSize)),
    samplerState: () => source.samplerState(),
    restoreSamplerState: (s) => source.restoreSamplerState(s),
  };
}

/** What a learning-rate schedule sees before each step. */
export interface ScheduleState {
  /** Steps taken so far (0 before the first). */
  step: number;
  /** The step budget. */
  totalSteps: number;
  /** Seconds spent / maxSeconds (0 without a time budget). */
  timeFraction: number;
}

export type LearningRateSchedule = (s: ScheduleState) => number;

/**
 * Cosine decay from `lr` to `lrFinal` over the budget: progress is the larger of step / (totalSteps - 1)
 * and the time fraction.
 */
export function cosineSchedule(lr: number, lrFinal: number): LearningRateSchedule {
  return ({ step, totalSteps, timeFraction }) => {
    const progress = Math.min(1, Math.max(step / Math.max(1, totalSteps - 1), timeFraction));
    return lrFinal + 0.5 * (lr - lrFinal) * (1 + Math.cos(Math.PI * progress));
  };
}

export interface TrainLogRecord {
  step: number;
  loss: number;
  /** The network's eigenvalue estimates (feature order). */
  eigenvalues: Float32Array;
  /** Learning rate of the step (null when the optimiser has no schedule). */
  learningRate: number | null;
  /** Seconds since this call started. */
  seconds: number;
}

export interface TrainSpinOptions {
  net: SpectralNetwork;
  batches: SpinBatchSource;
  /** Step budget, counted from the network's first step (a resumed run continues to it). */
  steps: number;
  /** Stop after this many seconds of this call (0 or undefined: no limit). */
  maxSeconds?: number;
  /** Learning rate before each step; needs a ScheduledOptimizer (ScheduledAdam, ScheduledRMSProp). */
  schedule?: LearningRateSchedule;
  /** Called every `logEvery` steps and after the last one. */
  log?: (record: TrainLogRecord) => void;
  logEvery?: number;
  /** Called after every step (after logging): true stops training. */
  until?: (step: number) => boolean;
  /** Folder for checkpoints: written every `checkpointEvery` steps (if given) and at the end. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Continue from the checkpoint in checkpointDir when there is one. */
  resume?: boolean;
}

/** The loop's budget and checkpoint settings, as the demos pass them through. */
export type TrainRunOptions = Pick<TrainSpinOptions, 'maxSeconds' | 'checkpointDir' | 'checkpointEvery' | 'resume'>;

export interface TrainSpinResult {
  /** The network's step count at the end. */
  steps: number;
  /** Seconds of this call. */
  seconds: number;
  stoppedBy: 'steps' | 'time' | 'until';
  /** Loss of the last step (NaN when no step was taken). */
  lastLoss: number;
  /** Step of the checkpoint this call resumed from (null when it started afresh). */
  resumedFrom: number | null;
}

function checkOptions(o: TrainSpinOptions): void {
  if (!o || !o.net || !o.batches || typeof o.batches.next !== 'function') throw new Error('trainSpin: net and batches are required');
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new Error(`trainSpin: steps must be a non-negative integer, got ${o.steps}`);
  if (o.maxSeconds !== undefined && !(o.maxSeconds >= 0)) throw new Error(`trainSpin: maxSeconds must be >= 0, got ${o.maxSeconds}`);
  for (const [name, v] of [['logEvery', o.logEvery], ['checkpointEvery', o.checkpointEvery]] as [string, number | undefined][])
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`trainSpin: ${name} must be a positive integer, got ${v}`);
  if (o.schedule && !isScheduledOptimizer(o.net.optimizer)) throw new Error('trainSpin: a learning-rate schedule needs a ScheduledOptimizer (ScheduledAdam or ScheduledRMSProp)');
  if ((o.resume || o.checkpointEvery !== undefined) && !o.checkpointDir) throw new Error('trainSpin: resume and checkpointEvery need checkpointDir');
}

async function resume(net: SpectralNetwork, batches: SpinBatchSource, dir: string): Promise<number> {
  const { checkpoint, sampler } = readSpinCheckpoint(dir);
  if (sampler && !batches.restoreSamplerState) throw new Error(`trainSpin: the checkpoint in ${dir} holds a sampler state but this batch source keeps none`);
  if (!sampler && batches.samplerState) throw new Error(`trainSpin: this batch source keeps a sampler state but the checkpoint in ${dir} holds none`);
  await net.restore(checkpoint);
  if (sampler && batches.restoreSamplerState) batches.restoreSamplerState(sampler);
  return checkpoint.step;
}

async function saveCheckpoint(net: SpectralNetwork, batches: SpinBatchSource, dir: string): Promise<void> {
  writeSpinCheckpoint(dir, await net.checkpoint(), batches.samplerState ? batches.samplerState() : null);
}

/** Trains `net` on `batches` until the step budget, the time budget or `until` ends it. */
export async function trainSpin(o: TrainSpinOptions): Promise<TrainSpinResult> {
  checkOptions(o);
  const { net, batches } = o;
  const logEvery = o.logEvery ?? DEFAULT_LOG_EVERY;
  const maxMs = (o.maxSeconds ?? 0) * 1000;
  const resumedFrom = o.resume && o.checkpointDir && hasSpinCheckpoint(o.checkpointDir) ? await resume(net, batches, o.checkpointDir) : null;
  const optimizer = net.optimizer;
  const t0 = Date.now();
  const elapsed = () => Date.now() - t0;
  let lastLoss = NaN;
  let lastLogged = -1;
  let stoppedBy: TrainSpinResult['stoppedBy'] = 'steps';
  const log = () => {
    if (!o.log || lastLogged === net.iteration || net.iteration === 0) return;
    lastLogged = net.iteration;
    o.log({ step: net.iteration, loss: lastLoss, eigenvalues: net.eigenvalues(), learningRate: isScheduledOptimizer(optimizer) ? optimizer.currentLearningRate : null, seconds: elapsed() / 1000 });
  };
  while (net.iteration < o.steps) {
    if (o.schedule && isScheduledOptimizer(optimizer))
      optimizer.setLearningRate(o.schedule({ step: net.iteration, totalSteps: o.steps, timeFraction: maxMs > 0 ? elapsed() / maxMs : 0 }));
    const batch = await batches.next();
    try {
      lastLoss = net.step(batch).loss;
    } finally {
      for (const t of [batch.x, batch.xNext, batch.xSigma, batch.weights, batch.xSigmaWeights]) t?.dispose();
    }
    const step = net.iteration;
    if (step % logEvery === 0) log();
    if (o.checkpointDir && o.checkpointEvery && step % o.checkpointEvery === 0 && step < o.steps) await saveCheckpoint(net, batches, o.checkpointDir);
    if (o.until && o.until(step)) { stoppedBy = 'until'; break; }
    if (maxMs > 0 && elapsed() > maxMs) { stoppedBy = 'time'; break; }
  }
  log();
  if (o.checkpointDir) await saveCheckpoint(net, batches, o.checkpointDir);
  return { steps: net.iteration, seconds: elapsed() / 1000, stoppedBy, lastLoss, resumedFrom };
}
