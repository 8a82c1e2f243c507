// Training checkpoints on disk: a folder with one .npy file per tensor (network weights, optimiser
// slots, Jacobian averages) and an `index.json` holding the scalars (step, RNG and sampler state,
// the k x k averages of Sigma and Pi) and the list of tensor files with their shapes and dtypes.
// SpIN's checkpoints (SpinCheckpoint, format CHECKPOINT_FORMAT) and those of the other learners the
// shared loop trains (LearnerCheckpoint, format LEARNER_CHECKPOINT_FORMAT: ALLO, deep SR) are the
// same kind of folder, written and checked by the same two functions.
//
// Writing is atomic: every file goes to a temporary name and is renamed into place; tensor files
// carry the step in their name, index.json is renamed last, and only then are the files of the
// previous checkpoint removed, so an interrupted write leaves the previous checkpoint readable.
// Reading checks every file against the index (present, a valid .npy, the recorded shape and dtype).
import * as fs from 'fs';
import * as path from 'path';
import { decodeNpy, encodeNpy } from '../data/npy';
import type { NpyArray } from '../data/npy';

export const CHECKPOINT_FORMAT = 'eigenopt-spin-checkpoint';
export const CHECKPOINT_VERSION = 2;
export const CHECKPOINT_INDEX = 'index.json';

export type CheckpointDtype = 'float32' | 'int32';

/** One tensor of a checkpoint (row-major data). */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export type TensorGroup = 'weights' | 'optimizer' | 'jacobianAvg';
const GROUPS: readonly TensorGroup[] = ['weights', 'optimizer', 'jacobianAvg'];

/** The full training state of a SpectralNetwork (SpectralNetwork.checkpoint() / restore()). */
export interface SpinCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  k: number;
  step: number;
  decay: number;
  /** The trainer's SpinEstimator ('jacobian-average', 'sigma-average' or 'independent'). */
  estimator: string;
  order: 'smallest' | 'largest';
  /** State of the network's RNG (Rng.mulberry). */
  rngState: number;
  regularizations: number;
  /** Running average of gradient norms and clipped-step count of adaptive clipping (absent in checkpoints of runs without it). */
  gradNormAvg?: number | null;
  clippedSteps?: number;
  /** Averaged Sigma and Pi, k x k row-major (null before the first step). */
  sigmaAvg: number[] | null;
  piAvg: number[] | null;
  weights: NamedArray[];
  optimizer: NamedArray[];
  /** Moving averages of the pair Jacobians (null unless the estimator keeps them). */
  jacobianAvg: NamedArray[] | null;
}

interface IndexFile {
  group: string;
  name: string;
  file: string;
  dtype: CheckpointDtype;
  shape: number[];
}

/** index.json: the checkpoint's scalars, the state of the batch sampler, and the tensor files. */
export interface CheckpointIndex extends Omit<SpinCheckpoint, 'weights' | 'optimizer' | 'jacobianAvg'> {
  hasJacobianAvg: boolean;
  /** Sampler position of the batch source (null when it keeps none). */
  sampler: number[] | null;
  files: IndexFile[];
}

function writeAtomic(file: string, bytes: Uint8Array | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

function dtypeOf(data: Float32Array | Int32Array): CheckpointDtype {
  return data instanceof Int32Array ? 'int32' : 'float32';
}

/**
 * Writes a checkpoint folder: `scalars` (JSON, with `format`, `version` and `step`) and `sampler`
 * into index.json, each array of `groups` into its own .npy file. Atomic as described above.
 */
function writeCheckpointFolder(dir: string, step: number, scalars: Record<string, unknown>, groups: readonly [string, readonly NamedArray[] | null][], sampler: number[] | null): void {
  fs.mkdirSync(dir, { recursive: true });
  const previous = fs.existsSync(path.join(dir, CHECKPOINT_INDEX)) ? listedFiles(dir) : [];
  const files: IndexFile[] = [];
  for (const [group, arrays] of groups) {
    if (!arrays) continue;
    arrays.forEach((a, i) => {
      const file = `step${step}-${group}-${i}.npy`;
      writeAtomic(path.join(dir, file), encodeNpy(a.data, a.shape));
      files.push({ group, name: a.name, file, dtype: dtypeOf(a.data), shape: a.shape.slice() });
    });
  }
  writeAtomic(path.join(dir, CHECKPOINT_INDEX), JSON.stringify({ ...scalars, sampler, files }, null, 1));
  const current = new Set(files.map((f) => f.file));
  for (const f of previous) if (!current.has(f)) fs.rmSync(path.join(dir, f), { force: true });
}

/** Writes `ck` (and the sampler state) into the folder `dir` (created if needed). */
export function writeSpinCheckpoint(dir: string, ck: SpinCheckpoint, sampler: number[] | null = null): void {
  const { weights, optimizer, jacobianAvg, ...scalars } = ck;
  writeCheckpointFolder(dir, ck.step, { ...scalars, hasJacobianAvg: jacobianAvg !== null }, [['weights', weights], ['optimizer', optimizer], ['jacobianAvg', jacobianAvg]], sampler);
}

/** Whether `dir` holds a checkpoint index (of any learner). */
export function hasCheckpoint(dir: string): boolean {
  return fs.existsSync(path.join(dir, CHECKPOINT_INDEX));
}

/** Whether `dir` holds a checkpoint index (kept for callers of the SpIN-only name). */
export const hasSpinCheckpoint = hasCheckpoint;

/**
 * The sampler state saved in the checkpoint folder `dir` (null when none was saved), read from its
 * index alone, so that a resume can check it against its batch source before restoring anything.
 */
export function readCheckpointSampler(dir: string): number[] | null {
  const { file, index } = parseIndexJson(dir, 'checkpoint');
  return checkedSampler(index && typeof index === 'object' ? (index as { sampler?: unknown }).sampler : undefined, file, 'checkpoint');
}

/** index.json of the folder `dir`, parsed (not yet validated). */
function parseIndexJson(dir: string, who: string): { file: string; index: unknown } {
  const file = path.join(dir, CHECKPOINT_INDEX);
  if (!fs.existsSync(file)) throw new Error(`${who}: no ${CHECKPOINT_INDEX} in ${dir}`);
  try {
    return { file, index: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown };
  } catch (e) {
    throw new Error(`${who}: ${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** An index's sampler state: null or an array of numbers. */
function checkedSampler(sampler: unknown, file: string, who: string): number[] | null {
  if (sampler !== null && !(Array.isArray(sampler) && sampler.every((x) => typeof x === 'number'))) throw new Error(`${who}: ${file}: 'sampler' must be null or an array of numbers`);
  return sampler as number[] | null;
}

function listedFiles(dir: string): string[] {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(dir, CHECKPOINT_INDEX), 'utf8')) as { files?: { file?: unknown }[] };
    return (index.files ?? []).map((f) => f.file).filter((f): f is string => typeof f === 'string' && path.basename(f) === f);
  } catch {
    return [];
  }
}

/**
 * index.json of the folder `dir` parsed, with its format and version checked against the caller's,
 * its sampler and its list of files (each in one of `groups`) validated.
 */
function readIndexFile(dir: string, format: string, version: number, groups: readonly string[], who: string): Record<string, unknown> & { sampler: number[] | null; files: IndexFile[] } {
  const parsed = parseIndexJson(dir, who);
  const file = parsed.file;
  const index = parsed.index as Record<string, unknown> & { sampler: number[] | null; files: IndexFile[] };
  if (!index || typeof index !== 'object' || index.format !== format) throw new Error(`${who}: ${file} is not an eigenopt ${who} index (format ${index && typeof index === 'object' ? JSON.stringify(index.format) : 'missing'}, expected ${format})`);
  if (index.version !== version) throw new Error(`${who}: ${file} has version ${String(index.version)}, this reader reads version ${version}`);
  if (typeof index.step !== 'number' || !Number.isInteger(index.step) || index.step < 0) throw new Error(`${who}: ${file}: 'step' must be a non-negative integer`);
  checkedSampler(index.sampler, file, who);
  if (!Array.isArray(index.files)) throw new Error(`${who}: ${file}: 'files' must be an array`);
  for (const f of index.files) {
    if (!f || !groups.includes(f.group) || typeof f.file !== 'string' || path.basename(f.file) !== f.file || (f.dtype !== 'float32' && f.dtype !== 'int32') || !Array.isArray(f.shape) || !f.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new Error(`${who}: ${file}: bad file entry ${JSON.stringify(f)}`);
  }
  return index;
}

function readIndex(dir: string): CheckpointIndex {
  const index = readIndexFile(dir, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, GROUPS, 'SpIN checkpoint') as unknown as CheckpointIndex;
  const file = path.join(dir, CHECKPOINT_INDEX);
  for (const key of ['k', 'step', 'decay', 'rngState', 'regularizations'] as const)
    if (typeof index[key] !== 'number' || !Number.isFinite(index[key])) throw new Error(`SpIN checkpoint: ${file}: '${key}' must be a number`);
  const kk = index.k * index.k;
  for (const key of ['sigmaAvg', 'piAvg'] as const) {
    const v = index[key];
    if (v !== null && !(Array.isArray(v) && v.length === kk && v.every((x) => typeof x === 'number'))) throw new Error(`SpIN checkpoint: ${file}: '${key}' must be null or ${kk} numbers`);
  }
  return index;
}

function readArray(dir: string, f: IndexFile, who = 'SpIN checkpoint'): NamedArray {
  const file = path.join(dir, f.file);
  if (!fs.existsSync(file)) throw new Error(`${who}: ${file} is missing (listed in ${CHECKPOINT_INDEX})`);
  let a: NpyArray;
  try {
    a = decodeNpy(new Uint8Array(fs.readFileSync(file)));
  } catch (e) {
    throw new Error(`${who}: ${file} is corrupt (${(e as Error).message})`);
  }
  if (a.dtype !== f.dtype || a.shape.join() !== f.shape.join()) throw new Error(`${who}: ${file} holds ${a.dtype} [${a.shape}], the index says ${f.dtype} [${f.shape}]`);
  return { name: f.name, shape: a.shape, data: a.data as Float32Array | Int32Array };
}

/** Reads the checkpoint in `dir` and the sampler state saved with it. */
export function readSpinCheckpoint(dir: string): { checkpoint: SpinCheckpoint; sampler: number[] | null } {
  const index = readIndex(dir);
  const { files, sampler, hasJacobianAvg, ...scalars } = index;
  const group = (g: TensorGroup) => files.filter((f) => f.group === g).map((f) => readArray(dir, f));
  const checkpoint: SpinCheckpoint = {
    ...scalars,
    weights: group('weights'),
    optimizer: group('optimizer'),
    jacobianAvg: hasJacobianAvg ? group('jacobianAvg') : null,
  };
  return { checkpoint, sampler };
}

// ---- checkpoints of the other learners of the shared loop --------------------------------------

export const LEARNER_CHECKPOINT_FORMAT = 'eigenopt-learner-checkpoint';
export const LEARNER_CHECKPOINT_VERSION = 1;
const LEARNER_GROUPS = ['weights', 'optimizer'] as const;

/**
 * The training state of a learner other than SpIN's SpectralNetwork (ALLO, deep SR): its step, its
 * network weights and optimiser slots, and whatever else it keeps as JSON scalars (ALLO's duals and
 * barrier).
 */
export interface LearnerCheckpoint {
  learner: string;
  step: number;
  scalars: Record<string, number | number[] | null>;
  weights: NamedArray[];
  optimizer: NamedArray[];
}

export function writeLearnerCheckpoint(dir: string, ck: LearnerCheckpoint, sampler: number[] | null = null): void {
  writeCheckpointFolder(dir, ck.step, { format: LEARNER_CHECKPOINT_FORMAT, version: LEARNER_CHECKPOINT_VERSION, learner: ck.learner, step: ck.step, scalars: ck.scalars }, [['weights', ck.weights], ['optimizer', ck.optimizer]], sampler);
}

/** Reads the checkpoint of `learner` in `dir` (any other learner's, or a corrupt one, is refused by name). */
export function readLearnerCheckpoint(dir: string, learner: string): { checkpoint: LearnerCheckpoint; sampler: number[] | null } {
  const who = `${learner} checkpoint`;
  const index = readIndexFile(dir, LEARNER_CHECKPOINT_FORMAT, LEARNER_CHECKPOINT_VERSION, LEARNER_GROUPS, who);
  const file = path.join(dir, CHECKPOINT_INDEX);
  if (index.learner !== learner) throw new Error(`${who}: ${file} holds a checkpoint of ${JSON.stringify(index.learner)}, not ${learner}`);
  const scalars = index.scalars;
  if (!scalars || typeof scalars !== 'object' || Array.isArray(scalars)) throw new Error(`${who}: ${file}: 'scalars' must be an object`);
  for (const [key, v] of Object.entries(scalars as Record<string, unknown>))
    if (!(v === null || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))))) throw new Error(`${who}: ${file}: scalar '${key}' must be null, a finite number or an array of them`);
  const group = (g: string): NamedArray[] => index.files.filter((f) => f.group === g).map((f) => readArray(dir, f, who));
  return {
    checkpoint: { learner, step: index.step as number, scalars: scalars as LearnerCheckpoint['scalars'], weights: group('weights'), optimizer: group('optimizer') },
    sampler: index.sampler,
  };
}
