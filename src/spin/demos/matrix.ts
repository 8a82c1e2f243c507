// Demo: a fixed symmetric matrix as the operator on a finite state space (one-hot inputs, a linear
// network, full batch); eigenpairs compared with an exact (Jacobi) eigendecomposition, in order.
import * as tf from '@tensorflow/tfjs';
import * as la from '../linalg';
import { matrixOperator } from '../operators';
import { SpectralNetwork, SpinEstimator } from '../network';
import { Rng } from '../../rng';
import { ScheduledAdam } from '../optimizers';
import { trainSpin } from '../train';

/** Steps between convergence checks (and progress reports). */
export const CONVERGENCE_CHECK_EVERY = 100;

export interface MatrixDemoOptions {
  n?: number;
  k?: number;
  iterations?: number;
  learningRate?: number;
  decay?: number;
  seed?: number;
  estimator?: SpinEstimator;
  /** Stop early once every eigenvalue error < tol and |cos| > 1 - cosTol (checked every CONVERGENCE_CHECK_EVERY steps). */
  tol?: number;
  cosTol?: number;
  onProgress?: (it: number, eig: Float32Array) => void;
}

export interface MatrixDemoResult {
  demo: 'matrix';
  n: number;
  k: number;
  iterations: number;
  seconds: number;
  eigenvalues: number[];
  exact: number[];
  maxEigenvalueError: number;
  absCos: number[];
  minAbsCos: number;
  /** learned ordered eigenfunctions at each state, [n][k] (unit-normalised columns) */
  features: number[][];
  exactVectors: number[][];
}

/**
 * The demo matrix: a path-graph Laplacian on n states plus a smooth potential, so the spectrum is
 * simple and well separated at the bottom. Row-major n x n.
 */
export function demoMatrix(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (i > 0) { m[i * n + i - 1] = -1; m[i * n + i] += 1; }
    if (i < n - 1) { m[i * n + i + 1] = -1; m[i * n + i] += 1; }
    m[i * n + i] += 0.5 * Math.sin((3 * i) / n) + (0.3 * i) / n;
  }
  return m;
}

/** The learned features against the exact eigenvectors: eigenvalues, |cos| per column, unit-normalised columns. */
function compareWithExact(net: SpectralNetwork, x: tf.Tensor, exact: { values: Float64Array; vectors: Float64Array }, n: number, k: number): { eig: Float32Array; absCos: number[]; errs: number[]; cols: number[][] } {
  const eig = net.eigenvalues();
  const f = net.features(x);
  const fa = f.arraySync() as number[][];
  f.dispose();
  const absCos: number[] = [];
  const cols: number[][] = [];
  for (let c = 0; c < k; c++) {
    let dot = 0, nf = 0, ne = 0;
    for (let r = 0; r < n; r++) {
      const ve = exact.vectors[r * n + c];
      dot += fa[r][c] * ve; nf += fa[r][c] ** 2; ne += ve * ve;
    }
    absCos.push(Math.abs(dot) / Math.sqrt(nf * ne));
    cols.push(fa.map((row) => row[c] / Math.sqrt(nf)));
  }
  const errs = Array.from(eig).map((v, i) => Math.abs(v - exact.values[i]));
  return { eig, absCos, errs, cols };
}

export async function runMatrixDemo(opts: MatrixDemoOptions = {}): Promise<MatrixDemoResult> {
  const n = opts.n ?? 12;
  const k = opts.k ?? 4;
  const iterations = opts.iterations ?? 6000;
  if (!Number.isInteger(n) || n < 2) throw new Error(`matrix demo: n must be an integer >= 2, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`matrix demo: k must be an integer in [1, n], got ${k}`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`matrix demo: iterations must be a positive integer, got ${iterations}`);
  const tol = opts.tol ?? 0;
  const cosTol = opts.cosTol ?? 0;
  const seed = opts.seed ?? 1;
  const M = demoMatrix(n);
  const exact = la.symEig(M, n);
  const rng = Rng.mulberry(seed);
  const w0 = new Float32Array(n * k).map(() => rng.normal() / Math.sqrt(n));
  const model = tf.sequential({ layers: [tf.layers.dense({ units: k, inputShape: [n], useBias: false })] });
  const init = tf.tensor2d(w0, [n, k]);
  model.setWeights([init]);
  init.dispose();
  const net = new SpectralNetwork({
    k, model, operator: matrixOperator(M, n), optimizer: new ScheduledAdam(opts.learningRate ?? 0.01),
    decay: opts.decay ?? 1, seed, estimator: opts.estimator ?? 'jacobian-average',
  });
  const x = tf.eye(n);
  let converged: ReturnType<typeof compareWithExact> | null = null;
  const run = await trainSpin({
    net, steps: iterations,
    // full batch: the identity (one-hot rows of every state), every step
    batches: { next: () => ({ x: tf.eye(n) }) },
    log: opts.onProgress ? (r) => opts.onProgress?.(r.step, r.eigenvalues) : undefined,
    until: (step) => {
      if (tol <= 0 || step % CONVERGENCE_CHECK_EVERY !== 0) return false;
      const e = compareWithExact(net, x, exact, n, k);
      if (Math.max(...e.errs) < tol && Math.min(...e.absCos) > 1 - cosTol) converged = e;
      return converged !== null;
    },
  });
  const e = converged ?? compareWithExact(net, x, exact, n, k);
  x.dispose();
  net.dispose();
  model.dispose();
  return {
    demo: 'matrix', n, k, iterations: run.steps, seconds: run.seconds,
    eigenvalues: Array.from(e.eig), exact: Array.from(exact.values.slice(0, k)),
    maxEigenvalueError: Math.max(...e.errs), absCos: e.absCos, minAbsCos: Math.min(...e.absCos),
    features: Array.from({ length: n }, (_, r) => e.cols.map((col) => col[r])),
    exactVectors: Array.from({ length: n }, (_, r) => Array.from({ length: k }, (_, c) => exact.vectors[r * n + c])),
  };
}
