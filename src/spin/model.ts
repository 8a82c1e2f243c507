// A trained network as an EigenfunctionModel: e(x) = u(x) @ demix. For SpIN, u is the network's
// k outputs and demix = L^-T of the trainer's averaged Sigma (the ordered eigenfunctions L^-1 u(x)),
// each with a fixed sign; other learners (deep SR) demix a wider feature layer into k functions.
//
// On disk (a folder, see src/models/eigenfunctions.ts for the common meta.json fields):
//   meta.json        kind 'network', the TF.js layers topology (model.toJSON) and the input scale
//   weights-NN.npy   float32, one per weight tensor in model.getWeights() order
//   demix.npy        float64 [outputs, k]: e(x) = u(x) @ demix
//   eigenvalues.npy  float32 [k]
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Observation } from '../env';
import { readNpy, writeNpy } from '../data/npy';
import { EigenfunctionModel, MODEL_FORMAT, MODEL_VERSION, writeModelMeta } from '../models/eigenfunctions';
import './layers'; // registers GroupedMLP for model (de)serialisation

export interface SpinModelParts {
  learner: string;
  model: tf.LayersModel;
  /** [network outputs, k] row-major: e(x) = u(x) @ demix (for SpIN, L^-T with signs folded in). */
  demix: Float64Array;
  eigenvalues: Float64Array;
  observation: string;
  observationShape: readonly number[];
  /** Observations are multiplied by this before the network (e.g. 1/255 for uint8 frames). */
  inputScale?: number;
  info?: Record<string, number | string>;
}

/** Rows evaluated per batch by evaluate(). */
const EVAL_BATCH = 1024;

export class SpinEigenfunctions implements EigenfunctionModel {
  readonly learner: string;
  readonly k: number;
  readonly eigenvalues: Float64Array;
  readonly observation: string;
  readonly observationShape: readonly number[];
  readonly info: Record<string, number | string>;
  readonly inputScale: number;
  readonly model: tf.LayersModel;
  private readonly demix: Float64Array;
  /** Number of network outputs (rows of demix). */
  private readonly outputs: number;
  private disposed = false;
  /** The network with its last hidden layer as a second output (built on first use by featuresAndValues). */
  private hidden: { net: tf.LayersModel; width: number } | null = null;

  constructor(parts: SpinModelParts) {
    const k = parts.eigenvalues.length;
    const out = parts.model.outputs[0].shape;
    const m = out[out.length - 1];
    if (typeof m !== 'number' || parts.demix.length !== m * k) throw new Error(`SpinEigenfunctions: demix must be ${m}x${k} (network outputs x eigenfunctions), got ${parts.demix.length} entries`);
    this.outputs = m;
    this.learner = parts.learner;
    this.k = k;
    this.model = parts.model;
    this.demix = Float64Array.from(parts.demix);
    this.eigenvalues = Float64Array.from(parts.eigenvalues);
    this.observation = parts.observation;
    this.observationShape = parts.observationShape.slice();
    this.inputScale = parts.inputScale ?? 1;
    this.info = { ...(parts.info ?? {}) };
  }

  /** Network outputs u(x) (before demixing), float32 [count, outputs]. */
  private async raw(observations: Observation, count: number): Promise<Float32Array> {
    return (await this.run(this.model, [this.outputs], observations, count, 'evaluate'))[0];
  }

  /**
   * `net` (a model on this network's input, with outputs of the given widths) applied to `count`
   * observations in chunks: one float32 [count, width] array per output.
   */
  private async run(net: tf.LayersModel, widths: readonly number[], observations: Observation, count: number, caller: string): Promise<Float32Array[]> {
    if (this.disposed) throw new Error(`SpinEigenfunctions.${caller}: used after dispose()`);
    const size = this.observationShape.reduce((a, b) => a * b, 1);
    if (observations.length !== count * size) {
      throw new Error(`SpinEigenfunctions.${caller}: expected ${count} observations of shape [${this.observationShape}] (${count * size} values), got ${observations.length}`);
    }
    const outs = widths.map((w) => new Float32Array(count * w));
    for (let b = 0; b < count; b += EVAL_BATCH) {
      const n = Math.min(EVAL_BATCH, count - b);
      const chunk = observations.subarray(b * size, (b + n) * size);
      const ys = tf.tidy(() => {
        const x = tf.tensor(Float32Array.from(chunk), [n, ...this.observationShape], 'float32');
        const y = net.apply(this.inputScale === 1 ? x : tf.mul(x, this.inputScale)) as tf.Tensor | tf.Tensor[];
        return Array.isArray(y) ? y : [y];
      });
      for (let i = 0; i < ys.length; i++) outs[i].set(await ys[i].data(), b * widths[i]);
      tf.dispose(ys);
    }
    return outs;
  }

  /** e = u demix for `count` rows of raw outputs u. */
  private demixed(u: Float32Array, count: number): Float64Array {
    const k = this.k;
    const o = this.outputs;
    const e = new Float64Array(count * k);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let m = 0; m < o; m++) s += u[i * o + m] * this.demix[m * k + j];
        e[i * k + j] = s;
      }
    }
    return e;
  }

  /**
   * The network's last hidden layer (the input of its output layer), float32 [count, width], and the
   * eigenfunctions e(x) (as evaluate) from the same pass: features for heads trained on top of the
   * eigenfunction network (e.g. the DQN option policies of agents/option_dqn.ts). The sub-network
   * shares this network's weights.
   */
  async featuresAndValues(observations: Observation, count: number): Promise<{ features: Float32Array; width: number; values: Float64Array }> {
    if (!this.hidden) {
      const last = this.model.layers[this.model.layers.length - 1];
      const input = last.input;
      const sym = Array.isArray(input) ? input[0] : input;
      const w = sym.shape[sym.shape.length - 1];
      if (sym.shape.length !== 2 || typeof w !== 'number') throw new Error(`SpinEigenfunctions.featuresAndValues: the output layer's input is [${sym.shape}], not [batch, width]`);
      this.hidden = { net: tf.model({ inputs: this.model.inputs, outputs: [sym, this.model.outputs[0]] }), width: w };
    }
    const { net, width } = this.hidden;
    const [features, u] = await this.run(net, [width, this.outputs], observations, count, 'featuresAndValues');
    return { features, width, values: this.demixed(u, count) };
  }

  async evaluate(observations: Observation, count: number): Promise<Float64Array> {
    return this.demixed(await this.raw(observations, count), count);
  }

  async save(dir: string, extraMeta: Record<string, unknown> = {}): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    const weights = this.model.getWeights();
    const files: string[] = [];
    for (let i = 0; i < weights.length; i++) {
      const name = `weights-${String(i).padStart(2, '0')}.npy`;
      atomicNpy(path.join(dir, name), Float32Array.from(await weights[i].data()), weights[i].shape);
      files.push(name);
    }
    atomicNpy(path.join(dir, 'demix.npy'), this.demix, [this.outputs, this.k]);
    atomicNpy(path.join(dir, 'eigenvalues.npy'), Float32Array.from(this.eigenvalues), [this.k]);
    writeModelMeta(dir, {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      kind: 'network',
      learner: this.learner,
      k: this.k,
      observation: this.observation,
      observationShape: this.observationShape.slice(),
      info: this.info,
      ...extraMeta,
      network: { topology: this.model.toJSON(null, false), weights: files, inputScale: this.inputScale },
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}

function atomicNpy(file: string, data: Float32Array | Float64Array, shape: readonly number[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeNpy(tmp, data, shape);
  fs.renameSync(tmp, file);
}

interface NetworkMeta {
  topology: unknown;
  weights: string[];
  inputScale: number;
}

function isNetworkMeta(x: unknown): x is NetworkMeta {
  const m = x as Partial<NetworkMeta> | null;
  return !!m && typeof m === 'object' && m.topology !== undefined && Array.isArray(m.weights) && typeof m.inputScale === 'number';
}

/** Loads a folder written by SpinEigenfunctions.save (the `network` loader of loadEigenfunctionModel). */
export async function loadSpinEigenfunctions(dir: string, meta: Record<string, unknown>): Promise<SpinEigenfunctions> {
  const net = meta.network;
  if (!isNetworkMeta(net)) throw new Error(`${path.join(dir, 'meta.json')}: missing or malformed 'network' section`);
  const k = Number(meta.k);
  const shape = meta.observationShape;
  if (!Number.isInteger(k) || k < 1 || !Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${path.join(dir, 'meta.json')}: bad k or observationShape`);
  }
  const model = await tf.models.modelFromJSON(net.topology as Parameters<typeof tf.models.modelFromJSON>[0]);
  try {
    const current = model.getWeights();
    if (current.length !== net.weights.length) throw new Error(`${dir}: ${net.weights.length} weight files for a network with ${current.length} weight tensors`);
    const ws = net.weights.map((f, i) => {
      const a = readNpy(path.join(dir, f));
      if (a.shape.join() !== current[i].shape.join()) throw new Error(`${path.join(dir, f)}: shape [${a.shape}] but the network expects [${current[i].shape}]`);
      return tf.tensor(Float32Array.from(a.data), a.shape, 'float32');
    });
    model.setWeights(ws);
    ws.forEach((w) => w.dispose());
    const demix = readNpy(path.join(dir, 'demix.npy'));
    const ev = readNpy(path.join(dir, 'eigenvalues.npy'));
    return new SpinEigenfunctions({
      learner: typeof meta.learner === 'string' ? meta.learner : 'spin',
      model,
      demix: Float64Array.from(demix.data),
      eigenvalues: Float64Array.from(ev.data),
      observation: typeof meta.observation === 'string' ? meta.observation : 'unknown',
      observationShape: shape as number[],
      inputScale: net.inputScale,
      info: (meta.info as Record<string, number | string>) ?? {},
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
}
