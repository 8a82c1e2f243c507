// Demo: deep slow-feature analysis on a bouncing-balls video with the slowness operator and a
// small conv net, against linear SFA solved exactly (affine functions of a PCA of the pixels).
// Both are scored on held-out video by their slowness: the generalised eigenvalues of
// (Pi, Sigma) of their k features, ascending (lower = slower).
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as la from '../linalg';
import { slownessOperator } from '../operators';
import { SpectralNetwork, SpinEstimator } from '../network';
import { BouncingBalls, generateBallsVideo, BallsVideo } from '../../../envs/balls';
import { writeFrameGrid } from '../../viz/frames';

export interface BallsDemoOptions {
  k?: number;
  iterations?: number;
  batch?: number;
  /** Number of fresh stationary pairs used to fit linear SFA (default 6000). */
  linearPairs?: number;
  testFrames?: number;
  balls?: number;
  radius?: number;
  speed?: number;
  size?: number;
  pcaDims?: number;
  learningRate?: number;
  estimator?: SpinEstimator;
  /**
   * Moving-average rate (default 1: plain minibatch estimates). With Adam at this learning rate
   * the network moves faster than a beta = 0.01 average can track, and the stale Sigma lets the
   * features drift towards the constant (estimated slowness far below the held-out one).
   */
  decay?: number;
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
export function linearSFA(video: BallsVideo, p: number, k: number, episodeLength = video.frames): (pixels: Float32Array, T: number) => Float64Array {
  const d = video.size * video.size;
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

export function ballsModel(size: number, k: number, seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  return tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [size, size, 1], filters: 8, kernelSize: 4, strides: 2, activation: 'relu', kernelInitializer: init(1) }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: init(2) }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 64, activation: 'tanh', kernelInitializer: init(3) }),
    tf.layers.dense({ units: k, kernelInitializer: init(4) }),
  ] });
}

export function runBallsDemo(opts: BallsDemoOptions = {}): BallsDemoResult {
  const k = opts.k ?? 4;
  const iterations = opts.iterations ?? 1500;
  const batch = opts.batch ?? 64;
  const size = opts.size ?? 20;
  const seed = opts.seed ?? 1;
  for (const [name, v] of [['k', k], ['iterations', iterations], ['batch', batch]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`balls demo: ${name} must be a positive integer, got ${v}`);
  // Training pairs are drawn fresh from the stationary distribution (uniform positions and
  // directions): an unlimited supply, so a network cannot memorise a finite training video.
  const ballsOpts = { size, balls: opts.balls ?? 3, radius: opts.radius ?? 2, speed: opts.speed ?? 0.6 };
  let pairSeed = seed * 1_000_003;
  const freshPair = (x: Float32Array, y: Float32Array, off: number) => {
    const sim = new BouncingBalls({ ...ballsOpts, seed: pairSeed++ });
    sim.render(x.subarray(off, off + size * size));
    sim.advance();
    sim.render(y.subarray(off, off + size * size));
  };
  const linPairs = opts.linearPairs ?? 6000;
  const train: BallsVideo = { size, frames: 2 * linPairs, pixels: new Float32Array(2 * linPairs * size * size), positions: new Float32Array(0) };
  for (let p = 0; p < linPairs; p++) {
    const a = train.pixels.subarray(2 * p * size * size, (2 * p + 1) * size * size);
    const b = train.pixels.subarray((2 * p + 1) * size * size, (2 * p + 2) * size * size);
    freshPair(a, b, 0);
  }
  const test = generateBallsVideo(opts.testFrames ?? 1000, { ...ballsOpts, seed: 7_777_777 + seed });
  const d = size * size;
  const model = ballsModel(size, k, seed);
  const net = new SpectralNetwork({ k, model, operator: slownessOperator(), optimizer: tf.train.adam(opts.learningRate ?? 1e-3), decay: opts.decay ?? 1, estimator: opts.estimator ?? 'sigma-average', seed });
  const t0 = Date.now();
  const xb = new Float32Array(batch * d), yb = new Float32Array(batch * d);
  for (let it = 1; it <= iterations; it++) {
    for (let b = 0; b < batch; b++) {
      freshPair(xb, yb, b * d);
    }
    const x = tf.tensor4d(xb, [batch, size, size, 1]);
    const y = tf.tensor4d(yb, [batch, size, size, 1]);
    const { loss } = net.step({ x, xNext: y });
    x.dispose(); y.dispose();
    if (opts.onProgress && (it % 100 === 0 || it === iterations)) opts.onProgress(it, loss, net.eigenvalues());
  }
  const seconds = (Date.now() - t0) / 1000;
  // held-out features
  const feats = new Float64Array(test.frames * k);
  for (let s = 0; s < test.frames; s += 256) {
    const n = Math.min(256, test.frames - s);
    const x = tf.tensor4d(test.pixels.subarray(s * d, (s + n) * d), [n, size, size, 1]);
    const f = net.features(x);
    feats.set(f.dataSync(), s * k);
    x.dispose(); f.dispose();
  }
  const deepSlowness = heldOutSlowness(feats, test.frames, k);
  const lin = linearSFA(train, opts.pcaDims ?? 24, k, 2);
  const linearSlowness = heldOutSlowness(lin(test.pixels, test.frames), test.frames, k);
  const png: string[] = [];
  if (opts.pngDir) {
    const show = 6;
    const rows: (Float32Array | null)[][] = [];
    for (let c = 0; c < k; c++) {
      const idx = Array.from({ length: test.frames }, (_, t) => t).sort((a, b) => feats[b * k + c] - feats[a * k + c]);
      const pick = (ts: number[]) => ts.map((t) => test.pixels.subarray(t * d, (t + 1) * d));
      rows.push([...pick(idx.slice(0, show)), null, ...pick(idx.slice(-show).reverse())]);
    }
    const file = path.join(opts.pngDir, 'balls_features.png');
    writeFrameGrid(file, rows, size, 3);
    png.push(file);
  }
  const trainEigenvalues = Array.from(net.eigenvalues());
  net.dispose();
  model.dispose();
  const deepSum = deepSlowness.reduce((s, v) => s + v, 0);
  const linearSum = linearSlowness.reduce((s, v) => s + v, 0);
  return { demo: 'balls', k, iterations, seconds, trainEigenvalues, deepSlowness, linearSlowness, deepSum, linearSum, deepSlower: deepSum < linearSum, png };
}
