// SpIN checkpoints on disk: a folder with one .npy file per tensor (network weights, optimiser
// slots, Jacobian averages) and an `index.json` holding the scalars (step, RNG and sampler state,
// the k x k averages of Sigma and Pi) and the list of tensor files with their shapes and dtypes.
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
  /** Averaged Sigma and Pi, k x k row-major (null before the first step). */
  sigmaAvg: number[] | null;
  piAvg: number[] | null;
  weights: NamedArray[];
  optimizer: NamedArray[];
  /** Moving averages of the pair Jacobians (null unless the estimator keeps them). */
  jacobianAvg: NamedArray[] | null;
}

interface IndexFile {
  group: TensorGroup;
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

/** Writes `ck` (and the sampler state) into the folder `dir` (created if needed). */
export function writeSpinCheckpoint(dir: string, ck: SpinCheckpoint, sampler: number[] | null = null): void {
  fs.mkdirSync(dir, { recursive: true });
  const previous = fs.existsSync(path.join(dir, CHECKPOINT_INDEX)) ? listedFiles(dir) : [];
  const files: IndexFile[] = [];
  for (const group of GROUPS) {
    const arrays = ck[group];
    if (!arrays) continue;
    arrays.forEach((a, i) => {
      const file = `step${ck.step}-${group}-${i}.npy`;
      writeAtomic(path.join(dir, file), encodeNpy(a.data, a.shape));
      files.push({ group, name: a.name, file, dtype: dtypeOf(a.data), shape: a.shape.slice() });
    });
  }
  const { weights, optimizer, jacobianAvg, ...scalars } = ck;
  void weights; void optimizer;
  const index: CheckpointIndex = { ...scalars, hasJacobianAvg: jacobianAvg !== null, sampler, files };
  writeAtomic(path.join(dir, CHECKPOINT_INDEX), JSON.stringify(index, null, 1));
  const current = new Set(files.map((f) => f.file));
  for (const f of previous) if (!current.has(f)) fs.rmSync(path.join(dir, f), { force: true });
}

/** Whether `dir` holds a checkpoint index. */
export function hasSpinCheckpoint(dir: string): boolean {
  return fs.existsSync(path.join(dir, CHECKPOINT_INDEX));
}

function listedFiles(dir: string): string[] {
  try {
    return readIndex(dir).files.map((f) => f.file);
  } catch {
    return [];
  }
}

function readIndex(dir: string): CheckpointIndex {
  const file = path.join(dir, CHECKPOINT_INDEX);
  if (!fs.existsSync(file)) throw new Error(`SpIN checkpoint: no ${CHECKPOINT_INDEX} in ${dir}`);
  let index: CheckpointIndex;
  try {
    index = JSON.parse(fs.readFileSync(file, 'utf8')) as CheckpointIndex;
  } catch (e) {
    throw new Error(`SpIN checkpoint: ${file} is not valid JSON (${(e as Error).message})`);
  }
  if (!index || index.format !== CHECKPOINT_FORMAT) throw new Error(`SpIN checkpoint: ${file} is not an eigenopt SpIN checkpoint index`);
  if (index.version !== CHECKPOINT_VERSION) throw new Error(`SpIN checkpoint: ${file} has version ${String(index.version)}, this reader reads version ${CHECKPOINT_VERSION}`);
  for (const key of ['k', 'step', 'decay', 'rngState', 'regularizations'] as const)
    if (typeof index[key] !== 'number' || !Number.isFinite(index[key])) throw new Error(`SpIN checkpoint: ${file}: '${key}' must be a number`);
  const kk = index.k * index.k;
  for (const key of ['sigmaAvg', 'piAvg'] as const) {
    const v = index[key];
    if (v !== null && !(Array.isArray(v) && v.length === kk && v.every((x) => typeof x === 'number'))) throw new Error(`SpIN checkpoint: ${file}: '${key}' must be null or ${kk} numbers`);
  }
  if (index.sampler !== null && !(Array.isArray(index.sampler) && index.sampler.every((x) => typeof x === 'number'))) throw new Error(`SpIN checkpoint: ${file}: 'sampler' must be null or an array of numbers`);
  if (!Array.isArray(index.files)) throw new Error(`SpIN checkpoint: ${file}: 'files' must be an array`);
  for (const f of index.files) {
    if (!f || !GROUPS.includes(f.group) || typeof f.file !== 'string' || path.basename(f.file) !== f.file || (f.dtype !== 'float32' && f.dtype !== 'int32') || !Array.isArray(f.shape) || !f.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new Error(`SpIN checkpoint: ${file}: bad file entry ${JSON.stringify(f)}`);
  }
  return index;
}

function readArray(dir: string, f: IndexFile): NamedArray {
  const file = path.join(dir, f.file);
  if (!fs.existsSync(file)) throw new Error(`SpIN checkpoint: ${file} is missing (listed in ${CHECKPOINT_INDEX})`);
  let a: NpyArray;
  try {
    a = decodeNpy(new Uint8Array(fs.readFileSync(file)));
  } catch (e) {
    throw new Error(`SpIN checkpoint: ${file} is corrupt (${(e as Error).message})`);
  }
  if (a.dtype !== f.dtype || a.shape.join() !== f.shape.join()) throw new Error(`SpIN checkpoint: ${file} holds ${a.dtype} [${a.shape}], the index says ${f.dtype} [${f.shape}]`);
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
