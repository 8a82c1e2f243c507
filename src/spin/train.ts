// The training loop shared by the gradient learners: batches from a source, one optimiser step
// each, an optional learning-rate schedule (through ScheduledOptimizer.setLearningRate), progress
// records, stops on a step count, a time budget or a caller's condition, and checkpoints to a folder
// (checkpoint.ts) from which a later call resumes bit-identically. trainLoop() drives any
// LoopTrainer (ALLO and deep SR on frames, learners/frames.ts and learners/deep_sr.ts); trainSpin()
// is trainLoop() on a SpectralNetwork.
//
// Batches come from a SpinBatchSource: `next()` returns the tensors of one step (the loop disposes
// them). Minibatch streams of transitions are adapted with transitionBatches(); samplers that are
// not transition streams (the hydrogen demo's importance sampler, the matrix demo's full operator)
// implement next() directly. A source that draws from the network's RNG (net.rng) needs no state of
// its own: the RNG is part of the network's checkpoint; one with its own sampler saves it through
// samplerState()/restoreSamplerState().
import type * as tf from '@tensorflow/tfjs';
import type { TransitionBatch, TransitionSource } from '../data/transitions';
import { hasCheckpoint, readCheckpointSampler, readSpinCheckpoint, writeSpinCheckpoint } from './checkpoint';
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

/** A learner as the shared loop drives it: one optimiser step per batch and its whole state on disk. */
export interface LoopTrainer<B> {
  /** Steps taken, those of a restored checkpoint included. */
  readonly iteration: number;
  /** Its optimiser (a learning-rate schedule needs a ScheduledOptimizer). */
  readonly optimizer: tf.Optimizer;
  /** One optimiser step on `batch`; returns the loss. */
  step(batch: B): number;
  /** The numbers a progress record shows (SpIN: its eigenvalue estimates). */
  progress(): Float32Array;
  /** Writes the whole training state, with the batch source's sampler position, into the folder `dir`. */
  save(dir: string, sampler: number[] | null): Promise<void>;
  /** Restores the state save() wrote in `dir`; returns the sampler position saved with it. */
  load(dir: string): Promise<number[] | null>;
}

/** Where the loop's batches come from. */
export interface LoopBatchSource<B> {
  next(): B | Promise<B>;
  /** Called after each step with its batch (e.g. to dispose its tensors). */
  release?(batch: B): void;
  samplerState?(): number[];
  restoreSamplerState?(state: readonly number[]): void;
}

export interface TrainLoopOptions<B> extends Omit<TrainSpinOptions, 'net' | 'batches'> {
  trainer: LoopTrainer<B>;
  batches: LoopBatchSource<B>;
}

function checkOptions<B>(o: TrainLoopOptions<B>): void {
  if (!o || !o.trainer || !o.batches || typeof o.batches.next !== 'function') throw new Error('trainLoop: a trainer and batches are required');
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new Error(`trainLoop: steps must be a non-negative integer, got ${o.steps}`);
  if (o.maxSeconds !== undefined && !(o.maxSeconds >= 0)) throw new Error(`trainLoop: maxSeconds must be >= 0, got ${o.maxSeconds}`);
  for (const [name, v] of [['logEvery', o.logEvery], ['checkpointEvery', o.checkpointEvery]] as [string, number | undefined][])
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`trainLoop: ${name} must be a positive integer, got ${v}`);
  if (o.schedule && !isScheduledOptimizer(o.trainer.optimizer)) throw new Error('trainLoop: a learning-rate schedule needs a ScheduledOptimizer (ScheduledAdam or ScheduledRMSProp)');
  if ((o.resume || o.checkpointEvery !== undefined) && !o.checkpointDir) throw new Error('trainLoop: resume and checkpointEvery need checkpointDir');
}

async function resume<B>(trainer: LoopTrainer<B>, batches: LoopBatchSource<B>, dir: string): Promise<number> {
  // the batch source and the checkpoint must agree on a sampler state before anything is restored
  const saved = readCheckpointSampler(dir);
  if (saved && !batches.restoreSamplerState) throw new Error(`trainLoop: the checkpoint in ${dir} holds a sampler state but this batch source keeps none`);
  if (!saved && batches.samplerState) throw new Error(`trainLoop: this batch source keeps a sampler state but the checkpoint in ${dir} holds none`);
  const sampler = await trainer.load(dir);
  if (sampler && batches.restoreSamplerState) batches.restoreSamplerState(sampler);
  return trainer.iteration;
}

async function saveCheckpoint<B>(trainer: LoopTrainer<B>, batches: LoopBatchSource<B>, dir: string): Promise<void> {
  await trainer.save(dir, batches.samplerState ? batches.samplerState() : null);
}

/** Trains `trainer` on `batches` until the step budget, the time budget or `until` ends it. */
export async function trainLoop<B>(o: TrainLoopOptions<B>): Promise<TrainSpinResult> {
  checkOptions(o);
  const { trainer, batches } = o;
  const logEvery = o.logEvery ?? DEFAULT_LOG_EVERY;
  const maxMs = (o.maxSeconds ?? 0) * 1000;
  const resumedFrom = o.resume && o.checkpointDir && hasCheckpoint(o.checkpointDir) ? await resume(trainer, batches, o.checkpointDir) : null;
  const optimizer = trainer.optimizer;
  const t0 = Date.now();
  const elapsed = () => Date.now() - t0;
  let lastLoss = NaN;
  let lastLogged = -1;
  let stoppedBy: TrainSpinResult['stoppedBy'] = 'steps';
  const log = () => {
    if (!o.log || lastLogged === trainer.iteration || trainer.iteration === 0) return;
    lastLogged = trainer.iteration;
    o.log({ step: trainer.iteration, loss: lastLoss, eigenvalues: trainer.progress(), learningRate: isScheduledOptimizer(optimizer) ? optimizer.currentLearningRate : null, seconds: elapsed() / 1000 });
  };
  while (trainer.iteration < o.steps) {
    if (o.schedule && isScheduledOptimizer(optimizer))
      optimizer.setLearningRate(o.schedule({ step: trainer.iteration, totalSteps: o.steps, timeFraction: maxMs > 0 ? elapsed() / maxMs : 0 }));
    const batch = await batches.next();
    try {
      lastLoss = trainer.step(batch);
    } finally {
      batches.release?.(batch);
    }
    const step = trainer.iteration;
    if (step % logEvery === 0) log();
    if (o.checkpointDir && o.checkpointEvery && step % o.checkpointEvery === 0 && step < o.steps) await saveCheckpoint(trainer, batches, o.checkpointDir);
    if (o.until && o.until(step)) { stoppedBy = 'until'; break; }
    if (maxMs > 0 && elapsed() > maxMs) { stoppedBy = 'time'; break; }
  }
  log();
  if (o.checkpointDir) await saveCheckpoint(trainer, batches, o.checkpointDir);
  return { steps: trainer.iteration, seconds: elapsed() / 1000, stoppedBy, lastLoss, resumedFrom };
}

/** A SpectralNetwork as a LoopTrainer: SpIN's step, eigenvalue estimates and checkpoint format. */
function spinTrainer(net: SpectralNetwork): LoopTrainer<SpinBatch> {
  return {
    get iteration() {
      return net.iteration;
    },
    optimizer: net.optimizer,
    step: (batch) => net.step(batch).loss,
    progress: () => net.eigenvalues(),
    save: async (dir, sampler) => writeSpinCheckpoint(dir, await net.checkpoint(), sampler),
    load: async (dir) => {
      const { checkpoint, sampler } = readSpinCheckpoint(dir);
      await net.restore(checkpoint);
      return sampler;
    },
  };
}

/** Trains `net` on `batches` until the step budget, the time budget or `until` ends it. */
export async function trainSpin(o: TrainSpinOptions): Promise<TrainSpinResult> {
  if (!o || !o.net || !o.batches || typeof o.batches.next !== 'function') throw new Error('trainSpin: net and batches are required');
  const { net, batches, ...rest } = o;
  const source: LoopBatchSource<SpinBatch> = {
    next: () => batches.next(),
    release: (batch) => {
      for (const t of [batch.x, batch.xNext, batch.xSigma, batch.weights, batch.xSigmaWeights]) t?.dispose();
    },
    // called as methods of `batches`, so that a class-based source keeps its `this`
    samplerState: batches.samplerState ? () => batches.samplerState?.() ?? [] : undefined,
    restoreSamplerState: batches.restoreSamplerState ? (s) => batches.restoreSamplerState?.(s) : undefined,
  };
  return trainLoop({ ...rest, trainer: spinTrainer(net), batches: source });
}
