// Demo: deep slow-feature analysis on a bouncing-balls video with the slowness operator and a
// small conv net, against linear SFA solved exactly (affine functions of a PCA of the pixels).
// Both are scored on held-out video by their slowness: the generalised eigenvalues of
// (Pi, Sigma) of their k features, ascending (lower = slower).
// The video comes from the caller (BallsDemoData; envs/balls.ts: ballsDemoData).
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as la from '../linalg';
import { slownessOperator } from '../operators';
import { SpectralNetwork, SpinEstimator } from '../network';
import { ScheduledAdam } from '../optimizers';
import { trainSpin } from '../train';
import type { SpinBatchSource, TrainRunOptions } from '../train';
import { buildPixelConv } from '../../models/networks';
import { writeFrameGrid } from '../../viz/frames';

/** Grayscale frames, row-major per frame: pixels[t * height * width + y * width + x]. */
export interface FrameVideo {
  pixels: Float32Array;
  frames: number;
  height: number;
  width: number;
}

/** The demo's data. */
export interface BallsDemoData {
  /**
   * Renders training pair `index` (frames x_t and x_t+1, height * width pixels each) of an endless
   * supply of pairs from the stationary distribution: a network cannot memorise a finite video.
   */
  renderPair(index: number, x: Float32Array, xNext: Float32Array): void;
  /** Held-out video. */
  test: FrameVideo;
}

/** Progress reports every this many steps. */
const PROGRESS_EVERY = 100;
/** Frames per chunk when evaluating the features on the held-out video. */
const EVAL_CHUNK = 256;

/** maxSeconds / checkpointDir / checkpointEvery / resume: see trainSpin. */
export interface BallsDemoOptions extends TrainRunOptions {
  k?: number;
  iterations?: number;
  batch?: number;
  /** Number of fresh stationary pairs used to fit linear SFA (default 6000). */
  linearPairs?: number;
  pcaDims?: number;
  learningRate?: number;
  estimator?: SpinEstimator;
  /**
   * Moving-average rate (default 1: plain minibatch estimates). With Adam at this learning rate
   * the network moves faster than a beta = 0.01 average can track, and the stale Sigma lets the
   * features drift towards the constant (estimated slowness far below the held-out one).
   */
  decay?: number;
  /** Seed of the network's initialisation (the data carries its own seed). */
  seed?: number;
  /** Directory for PNGs (per feature: held-out frames that most / least activate it). */
  pngDir?: string;
  onProgress?: (it: number, loss: number, eig: Float32Array) => void;
}

export interface BallsDemoResult {
  demo: 'balls';
  k: number;
  iterations: number;
  seconds: number;
  /** SpIN's own eigenvalue estimates (training, moving averages). */
  trainEigenvalues: number[];
  /** held-out slowness of the deep features (ascending). */
  deepSlowness: number[];
  /** held-out slowness of exact linear SFA on PCA(pcaDims) of the pixels + constant (ascending). */
  linearSlowness: number[];
  deepSum: number;
  linearSum: number;
  deepSlower: boolean;
  png: string[];
}

/** Held-out slowness of features F (T x k, row-major): ascending generalised eigenvalues of (Pi, Sigma). */
export function heldOutSlowness(f: Float64Array, T: number, k: number): number[] {
  const S = new Float64Array(k * k), P = new Float64Array(k * k);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) S[i * k + j] += f[t * k + i] * f[t * k + j];
  for (let t = 0; t + 1 < T; t++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) P[i * k + j] += (f[t * k + i] - f[(t + 1) * k + i]) * (f[t * k + j] - f[(t + 1) * k + j]);
  for (let i = 0; i < k * k; i++) { S[i] /= T; P[i] /= T - 1; }
  return Array.from(la.symGenEig(P, S, k).values);
}

/** Exact linear SFA: affine functions of the top-p PCA components. Returns a projector to k features. */
export function linearSFA(video: FrameVideo, p: number, k: number, episodeLength = video.frames): (pixels: Float32Array, T: number) => Float64Array {
  const d = video.height * video.width;
  const T = video.frames;
  const X = video.pixels;
  const mean = new Float64Array(d);
  for (let t = 0; t < T; t++) for (let i = 0; i < d; i++) mean[i] += X[t * d + i] / T;
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < d; i++) row[i] = X[t * d + i] - mean[i];
    for (let i = 0; i < d; i++) { const ri = row[i]; if (ri === 0) continue; for (let j = 0; j < d; j++) C[i * d + j] += ri * row[j]; }
  }
  for (let i = 0; i < d * d; i++) C[i] /= T;
  const pca = la.symEig(C, d);
  const comps: Float64Array[] = [];
  for (let c = 0; c < p; c++) {
    const col = d - 1 - c; // largest variance first
    const v = new Float64Array(d);
    for (let r = 0; r < d; r++) v[r] = pca.vectors[r * d + col];
    comps.push(v);
  }
  const project = (pixels: Float32Array, n: number): Float64Array => {
    const z = new Float64Array(n * (p + 1));
    for (let t = 0; t < n; t++) {
      z[t * (p + 1)] = 1;
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += (pixels[t * d + i] - mean[i]) * comps[c][i];
        z[t * (p + 1) + 1 + c] = s;
      }
    }
    return z;
  };
  const q = p + 1;
  const Z = project(X, T);
  const S = new Float64Array(q * q), P = new Float64Array(q * q);
  for (let t = 0; t < T; t++) for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) S[i * q + j] += (Z[t * q + i] * Z[t * q + j]) / T;
  let npairs = 0;
  for (let t = 0; t + 1 < T; t++) {
    if ((t + 1) % episodeLength === 0) continue; // no pair across episode boundaries
    npairs++;
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) P[i * q + j] += (Z[t * q + i] - Z[(t + 1) * q + i]) * (Z[t * q + j] - Z[(t + 1) * q + j]);
  }
  for (let i = 0; i < q * q; i++) P[i] /= npairs;
  const g = la.symGenEig(P, S, q);
  return (pixels: Float32Array, n: number) => {
    const z = project(pixels, n);
    const out = new Float64Array(n * k);
    for (let t = 0; t < n; t++) for (let c = 0; c < k; c++) { let s = 0; for (let i = 0; i < q; i++) s += z[t * q + i] * g.vectors[i * q + c]; out[t * k + c] = s; }
    return out;
  };
}

/** Pairs index, index + 1, ... of `data` as batches of `batch` slowness pairs [batch, h, w, 1]; the next index is the sampler state. */
export function ballsPairBatches(data: BallsDemoData, batch: number, firstIndex: number): SpinBatchSource {
  const { height: h, width: w } = data.test;
  const d = h * w;
  const xb = new Float32Array(batch * d), yb = new Float32Array(batch * d);
  let index = firstIndex;
  return {
    next: () => {
      for (let b = 0; b < batch; b++) data.renderPair(index++, xb.subarray(b * d, (b + 1) * d), yb.subarray(b * d, (b + 1) * d));
      return { x: tf.tensor4d(xb, [batch, h, w, 1]), xNext: tf.tensor4d(yb, [batch, h, w, 1]) };
    },
    samplerState: () => [index],
    restoreSamplerState: (s) => {
      if (s.length !== 1 || !Number.isInteger(s[0]) || s[0] < 0) throw new Error(`balls pair source: bad sampler state [${s}]`);
      index = s[0];
    },
  };
}

/** Pairs 0 .. n - 1 as a video of n two-frame episodes (for linear SFA with episodeLength 2). */
function pairVideo(data: BallsDemoData, n: number): FrameVideo {
  const { height, width } = data.test;
  const d = height * width;
  const pixels = new Float32Array(2 * n * d);
  for (let p = 0; p < n; p++) data.renderPair(p, pixels.subarray(2 * p * d, (2 * p + 1) * d), pixels.subarray((2 * p + 1) * d, (2 * p + 2) * d));
  return { pixels, frames: 2 * n, height, width };
}

/** Features of the network on every frame of `video`, [frames * k]. */
function videoFeatures(net: SpectralNetwork, video: FrameVideo): Float64Array {
  const { height: h, width: w, frames } = video;
  const d = h * w, k = net.k;
  const feats = new Float64Array(frames * k);
  for (let s = 0; s < frames; s += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, frames - s);
    const x = tf.tensor4d(video.pixels.subarray(s * d, (s + n) * d), [n, h, w, 1]);
    const f = net.features(x);
    feats.set(f.dataSync(), s * k);
    x.dispose(); f.dispose();
  }
  return feats;
}

/** Per feature, the held-out frames that most (left) and least (right) activate it. */
function writeFeatureFramesPng(feats: Float64Array, test: FrameVideo, k: number, dir: string): string {
  const show = 6;
  const d = test.height * test.width;
  const rows: (Float32Array | null)[][] = [];
  for (let c = 0; c < k; c++) {
    const idx = Array.from({ length: test.frames }, (_, t) => t).sort((a, b) => feats[b * k + c] - feats[a * k + c]);
    const pick = (ts: number[]) => ts.map((t) => test.pixels.subarray(t * d, (t + 1) * d));
    rows.push([...pick(idx.slice(0, show)), null, ...pick(idx.slice(-show).reverse())]);
  }
  const file = path.join(dir, 'balls_features.png');
  writeFrameGrid(file, rows, test.height, 3);
  return file;
}

export async function runBallsDemo(data: BallsDemoData, opts: BallsDemoOptions = {}): Promise<BallsDemoResult> {
  const k = opts.k ?? 4;
  const iterations = opts.iterations ?? 1500;
  const batch = opts.batch ?? 64;
  const seed = opts.seed ?? 1;
  const linPairs = opts.linearPairs ?? 6000;
  for (const [name, v] of [['k', k], ['iterations', iterations], ['batch', batch], ['linearPairs', linPairs]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`balls demo: ${name} must be a positive integer, got ${v}`);
  const { test } = data;
  if (test.height !== test.width) throw new Error(`balls demo: frames must be square, got ${test.height} x ${test.width}`);
  const model = buildPixelConv({ kind: 'pixel-conv', inputShape: [test.height, test.width, 1], outputs: k, seed });
  const optimizer = new ScheduledAdam(opts.learningRate ?? 1e-3);
  const net = new SpectralNetwork({ k, model, operator: slownessOperator(), optimizer, decay: opts.decay ?? 1, estimator: opts.estimator ?? 'sigma-average', seed });
  // linear SFA is fitted on pairs 0 .. linPairs - 1; SpIN trains on the pairs after them
  const linearTrain = pairVideo(data, linPairs);
  const onProgress = opts.onProgress;
  const run = await trainSpin({
    net, batches: ballsPairBatches(data, batch, linPairs), steps: iterations,
    log: onProgress ? (r) => onProgress(r.step, r.loss, r.eigenvalues) : undefined, logEvery: PROGRESS_EVERY,
    maxSeconds: opts.maxSeconds, checkpointDir: opts.checkpointDir, checkpointEvery: opts.checkpointEvery, resume: opts.resume,
  });
  const feats = videoFeatures(net, test);
  const deepSlowness = heldOutSlowness(feats, test.frames, k);
  const lin = linearSFA(linearTrain, opts.pcaDims ?? 24, k, 2);
  const linearSlowness = heldOutSlowness(lin(test.pixels, test.frames), test.frames, k);
  const png = opts.pngDir ? [writeFeatureFramesPng(feats, test, k, opts.pngDir)] : [];
  const trainEigenvalues = Array.from(net.eigenvalues());
  net.dispose();
  model.dispose();
  optimizer.dispose();
  const deepSum = deepSlowness.reduce((s, v) => s + v, 0);
  const linearSum = linearSlowness.reduce((s, v) => s + v, 0);
  return { demo: 'balls', k, iterations: run.steps, seconds: run.seconds, trainEigenvalues, deepSlowness, linearSlowness, deepSum, linearSum, deepSlower: deepSum < linearSum, png };
}
