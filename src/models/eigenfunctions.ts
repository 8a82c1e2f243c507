// Eigenfunction models: what every learner returns and what options, metrics and plots consume.
//
// A model holds k eigenfunctions e_1..e_k ordered slowest first (ascending eigenvalue of the
// learner's Laplacian-like operator) and evaluates them on any batch of observations of its
// observation kind. The exact learners (pvf, rw, sr) return TabularEigenfunctions over state
// indices (observation kind 'index'); SpIN returns its network with the demixing L^-1 applied.
//
// On disk a model is a folder: meta.json ({format, version, kind, learner, k, observation,
// observationShape, info}), eigenvalues.npy (float32 [k]) and, for tabular models,
// eigenfunctions.npy (float32 [states, k], row s = state s), which numpy.load reads directly.
import * as fs from 'fs';
import * as path from 'path';
import type { Observation } from '../env';
import type { ObservableMDP } from '../mdp';
import { readNpy, writeNpy } from '../data/npy';

export interface EigenfunctionModel {
  /** Learner that produced it (pvf, rw, sr, spin, allo, ...). */
  readonly learner: string;
  /** Number of eigenfunctions. */
  readonly k: number;
  /** Eigenvalues, ascending, on the learner's reporting scale (I - P for random-walk operators). */
  readonly eigenvalues: Float64Array;
  /** Observation kind the model reads ('index' for tabular models, 'xy', 'pixels', 'atari84', ...). */
  readonly observation: string;
  /** Shape of one input observation. */
  readonly observationShape: readonly number[];
  /** Learner-specific facts (transitions used, training steps, ...). */
  readonly info: Record<string, number | string>;
  /** e(x) for `count` observations, row-major [count, k] (float64). */
  evaluate(observations: Observation, count: number): Promise<Float64Array>;
  /** Writes the model to a folder (meta.json, with `extraMeta` merged in, plus binary arrays). */
  save(dir: string, extraMeta?: Record<string, unknown>): Promise<void>;
  /** Frees what the model holds (tensors); a no-op for plain arrays. */
  dispose(): void;
}

export const MODEL_FORMAT = 'eigenopt-eigenfunctions';
export const MODEL_VERSION = 1;

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: 'tabular' | 'network';
  learner: string;
  k: number;
  observation: string;
  observationShape: number[];
  info: Record<string, number | string>;
  [extra: string]: unknown;
}

/**
 * Fixes the sign of v in place so its largest-magnitude entry is positive (the first such entry,
 * entries within a relative 1e-9 of the maximum counting as equal) and scales it to unit norm.
 */
export function canonicalize(v: Float64Array): Float64Array {
  let norm = 0;
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    norm += v[i] * v[i];
    max = Math.max(max, Math.abs(v[i]));
  }
  norm = Math.sqrt(norm);
  if (norm === 0) return v;
  let sign = 1;
  for (let i = 0; i < v.length; i++) {
    if (Math.abs(v[i]) >= max * (1 - 1e-9)) {
      sign = v[i] < 0 ? -1 : 1;
      break;
    }
  }
  for (let i = 0; i < v.length; i++) v[i] = (sign * v[i]) / norm;
  return v;
}

/** Eigenfunctions stored as a value per state; observations are state indices (kind 'index'). */
export class TabularEigenfunctions implements EigenfunctionModel {
  readonly observation = 'index';
  readonly observationShape: readonly number[] = [1];
  readonly k: number;
  readonly numStates: number;

  /** vectors[i][s] = e_{i+1}(s). */
  constructor(
    readonly learner: string,
    readonly eigenvalues: Float64Array,
    readonly vectors: readonly Float64Array[],
    readonly info: Record<string, number | string> = {},
  ) {
    if (vectors.length === 0) throw new Error('TabularEigenfunctions: no eigenfunctions');
    if (eigenvalues.length !== vectors.length) throw new Error(`TabularEigenfunctions: ${eigenvalues.length} eigenvalues for ${vectors.length} eigenfunctions`);
    this.k = vectors.length;
    this.numStates = vectors[0].length;
    for (const v of vectors) if (v.length !== this.numStates) throw new Error('TabularEigenfunctions: eigenfunctions of different lengths');
  }

  async evaluate(observations: Observation, count: number): Promise<Float64Array> {
    if (observations.length !== count) throw new Error(`TabularEigenfunctions.evaluate: expected ${count} state indices, got ${observations.length}`);
    const out = new Float64Array(count * this.k);
    for (let i = 0; i < count; i++) {
      const s = observations[i];
      if (!Number.isInteger(s) || s < 0 || s >= this.numStates) throw new Error(`TabularEigenfunctions.evaluate: state ${s} out of range [0, ${this.numStates})`);
      for (let j = 0; j < this.k; j++) out[i * this.k + j] = this.vectors[j][s];
    }
    return out;
  }

  async save(dir: string, extraMeta: Record<string, unknown> = {}): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    const n = this.numStates;
    const k = this.k;
    const m = new Float32Array(n * k);
    for (let s = 0; s < n; s++) for (let j = 0; j < k; j++) m[s * k + j] = this.vectors[j][s];
    writeNpy(path.join(dir, 'eigenfunctions.npy'), m, [n, k]);
    writeNpy(path.join(dir, 'eigenvalues.npy'), Float32Array.from(this.eigenvalues), [k]);
    writeModelMeta(dir, { format: MODEL_FORMAT, version: MODEL_VERSION, kind: 'tabular', learner: this.learner, k, observation: this.observation, observationShape: [1], info: this.info, ...extraMeta });
  }

  dispose(): void {}

  /** Reads a folder written by save() (or by older `eigenopt discover` runs, which lack `format`). */
  static load(dir: string): TabularEigenfunctions {
    const file = path.join(dir, 'eigenfunctions.npy');
    if (!fs.existsSync(file)) throw new Error(`no eigenfunctions.npy in ${dir} (run eigenopt discover --out ${dir} first)`);
    const a = readNpy(file);
    if (a.shape.length !== 2) throw new Error(`${file}: expected a 2-D array (states x K), got shape [${a.shape.join(', ')}]`);
    const [n, k] = a.shape;
    const vectors: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const v = new Float64Array(n);
      for (let s = 0; s < n; s++) v[s] = a.data[s * k + j];
      vectors.push(v);
    }
    const evFile = path.join(dir, 'eigenvalues.npy');
    const values = fs.existsSync(evFile) ? Float64Array.from(readNpy(evFile).data) : new Float64Array(k).fill(NaN);
    if (values.length !== k) throw new Error(`${evFile} has ${values.length} eigenvalues but ${file} has ${k} eigenfunctions`);
    const meta = readModelMetaLoose(dir);
    return new TabularEigenfunctions(typeof meta.learner === 'string' ? meta.learner : 'unknown', values, vectors, isInfo(meta.info) ? meta.info : {});
  }
}

function isInfo(x: unknown): x is Record<string, number | string> {
  return typeof x === 'object' && x !== null && Object.values(x).every((v) => typeof v === 'number' || typeof v === 'string');
}

/** Writes meta.json atomically (temporary file, then rename). */
export function writeModelMeta(dir: string, meta: ModelMeta): void {
  const file = path.join(dir, 'meta.json');
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(meta, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

function readModelMetaLoose(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'meta.json');
  if (!fs.existsSync(file)) return {};
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** Loaders of non-tabular model kinds, by the `network` meta field (registered by their modules). */
export type ModelLoader = (dir: string, meta: Record<string, unknown>) => Promise<EigenfunctionModel>;

/**
 * Loads a model folder written by any learner. Tabular folders load here; network folders are
 * handed to `loadNetwork` (SpIN's loader in src/spin/model.ts, which needs TF.js).
 */
export async function loadEigenfunctionModel(dir: string, loadNetwork?: ModelLoader): Promise<EigenfunctionModel> {
  if (!fs.existsSync(dir)) throw new Error(`no eigenfunctions.npy in ${dir}: no such folder (run eigenopt discover --out ${dir} first)`);
  const meta = readModelMetaLoose(dir);
  if (meta.kind === 'network') {
    if (!loadNetwork) throw new Error(`${dir} holds a network model; load it with its learner's loader`);
    return loadNetwork(dir, meta);
  }
  return TabularEigenfunctions.load(dir);
}

/**
 * The model's eigenfunctions over every state of a listable world: vectors[i][s] = e_{i+1}(s),
 * evaluated on each state's observation of the model's kind (state indices for tabular models).
 */
export async function stateValues(model: EigenfunctionModel, world: ObservableMDP): Promise<Float64Array[]> {
  const n = world.numStates;
  const states = Int32Array.from({ length: n }, (_, i) => i);
  let obs: Observation;
  if (model.observation === 'index') {
    obs = Float32Array.from(states);
  } else {
    const shape = world.observationShapeOf(model.observation);
    if (shape.join() !== model.observationShape.join()) {
      throw new Error(`model reads ${model.observation} observations of shape [${model.observationShape}] but this world renders [${shape}]`);
    }
    obs = world.observeStates(states, model.observation);
  }
  const vals = await model.evaluate(obs, n);
  const k = model.k;
  const out: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n);
    for (let s = 0; s < n; s++) v[s] = vals[s * k + j];
    out.push(v);
  }
  return out;
}
