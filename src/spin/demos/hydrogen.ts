// Demo: the 2D hydrogen atom H = -1/2 Lap - 1/|x| on the box [-L, L]^2 (L = 50), points sampled
// uniformly, an MLP whose output is multiplied by a boundary mask (zero at the box edge).
// Exact eigenvalues E_n = -1 / (2 (n - 1/2)^2) with degeneracy 2n - 1: -2, -2/9 (x3), -2/25 (x5).
// The network works in scaled coordinates s = x / L in [-1, 1]^2, where
// H = -(1 / (2 L^2)) Lap_s - 1 / (L |s|) (same eigenvalues).
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { laplacianOperator, potentialOperator, scaleOperator, sumOperators } from '../operators';
import { SpectralNetwork, SpinEstimator } from '../network';
import { Rng } from '../rng';
import { writeHeatPng } from '../../viz/frames';

export interface HydrogenDemoOptions {
  k?: number;
  iterations?: number;
  /** Stop after this many seconds even if iterations remain (0 = no limit). */
  maxSeconds?: number;
  batch?: number;
  hidden?: number;
  learningRate?: number;
  decay?: number;
  estimator?: SpinEstimator;
  laplacian?: 'autodiff' | 'finite-difference';
  boxHalfWidth?: number;
  seed?: number;
  pngDir?: string;
  onProgress?: (it: number, loss: number, eig: number[]) => void;
}

export interface HydrogenDemoResult {
  demo: 'hydrogen';
  k: number;
  iterations: number;
  seconds: number;
  decay: number;
  /** learned eigenvalues, ascending */
  eigenvalues: number[];
  exact: number[];
  /** |E_learned - E_exact| / |E_exact| per eigenvalue (ascending order) */
  relativeErrors: number[];
  meanRelativeError: number;
  png: string[];
}

export function hydrogenExact(k: number): number[] {
  const out: number[] = [];
  for (let n = 1; out.length < k; n++) for (let d = 0; d < 2 * n - 1 && out.length < k; d++) out.push(-1 / (2 * (n - 0.5) ** 2));
  return out;
}

export function runHydrogenDemo(opts: HydrogenDemoOptions = {}): HydrogenDemoResult {
  const k = opts.k ?? 9;
  const iterations = opts.iterations ?? 20000;
  const batch = opts.batch ?? 128;
  const hidden = opts.hidden ?? 64;
  const L = opts.boxHalfWidth ?? 50;
  const decay = opts.decay ?? 0.01;
  const seed = opts.seed ?? 1;
  for (const [name, v] of [['k', k], ['iterations', iterations], ['batch', batch], ['hidden', hidden]] as [string, number][])
    if (!Number.isInteger(v) || v < 1) throw new Error(`hydrogen demo: ${name} must be a positive integer, got ${v}`);
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: hidden, inputShape: [2], activation: 'softplus', kernelInitializer: init(1) }),
    tf.layers.dense({ units: hidden, activation: 'softplus', kernelInitializer: init(2) }),
    tf.layers.dense({ units: hidden, activation: 'softplus', kernelInitializer: init(3) }),
    tf.layers.dense({ units: k, kernelInitializer: init(4) }),
  ] });
  const mask = (s: tf.Tensor) => tf.tidy(() => {
    const sq = tf.square(s as tf.Tensor2D);
    return tf.prod(tf.sub(1, sq), 1) as tf.Tensor1D;
  });
  const potential = (s: tf.Tensor) => tf.tidy(() => tf.div(-1 / L, tf.sqrt(tf.add(tf.sum(tf.square(s), 1), 1e-12))));
  const op = sumOperators(
    scaleOperator(laplacianOperator({ method: opts.laplacian ?? 'finite-difference', h: 1e-3 }), 1 / (2 * L * L)),
    potentialOperator(potential),
  );
  const net = new SpectralNetwork({
    k, model, operator: op, optimizer: tf.train.adam(opts.learningRate ?? 1e-3), decay, seed,
    estimator: opts.estimator ?? 'jacobian-average', featureMask: mask,
  });
  const rng = new Rng(seed);
  const xs = new Float32Array(batch * 2);
  const t0 = Date.now();
  let it = 0;
  const maxMs = (opts.maxSeconds ?? 0) * 1000;
  for (it = 1; it <= iterations; it++) {
    for (let i = 0; i < batch * 2; i++) xs[i] = rng.uniform(-1, 1);
    const x = tf.tensor2d(xs, [batch, 2]);
    const { loss } = net.step({ x });
    x.dispose();
    if (opts.onProgress && it % 200 === 0) opts.onProgress(it, loss, Array.from(net.eigenvalues()));
    if (maxMs > 0 && Date.now() - t0 > maxMs) break;
  }
  if (it > iterations) it = iterations;
  const seconds = (Date.now() - t0) / 1000;
  const eig = Array.from(net.eigenvalues());
  const order = eig.map((v, i) => i).sort((a, b) => eig[a] - eig[b]);
  const eigenvalues = order.map((i) => eig[i]);
  const exact = hydrogenExact(k);
  const relativeErrors = eigenvalues.map((v, i) => Math.abs(v - exact[i]) / Math.abs(exact[i]));
  const png: string[] = [];
  if (opts.pngDir) {
    // eigenfunctions on the central [-10, 10]^2 window
    const g = 64, win = 10 / L;
    const grid = new Float32Array(g * g * 2);
    for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) { grid[(r * g + c) * 2] = -win + (2 * win * (c + 0.5)) / g; grid[(r * g + c) * 2 + 1] = win - (2 * win * (r + 0.5)) / g; }
    const x = tf.tensor2d(grid, [g * g, 2]);
    const f = net.features(x);
    const fd = f.dataSync();
    order.forEach((src, rank) => {
      const img = new Float32Array(g * g);
      for (let p = 0; p < g * g; p++) img[p] = fd[p * k + src];
      const file = path.join(opts.pngDir as string, `hydrogen_eigenfunction_${rank + 1}.png`);
      writeHeatPng(file, img, g, g, 3);
      png.push(file);
    });
    x.dispose(); f.dispose();
  }
  net.dispose();
  model.dispose();
  return {
    demo: 'hydrogen', k, iterations: it, seconds, decay, eigenvalues, exact, relativeErrors,
    meanRelativeError: relativeErrors.reduce((s, v) => s + v, 0) / k, png,
  };
}
