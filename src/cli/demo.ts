// `eigenopt demo matrix|hydrogen|balls`: the SpIN experiments. Each prints progress on stderr,
// a short summary (unless --json), and ends with one JSON line of results on stdout.
import * as path from 'path';
import type { Command } from 'commander';
import { initBackend } from '../backend';
import { runMatrixDemo } from '../spin/demos/matrix';
import { runHydrogenDemo } from '../spin/demos/hydrogen';
import { runBallsDemo } from '../spin/demos/balls';
import type { SpinEstimator } from '../spin/network';
import { writeHeatPng } from '../viz/frames';

function intOpt(name: string, min = 1): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
}
function numOpt(name: string, lo: number, hi: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < lo || n > hi) throw new Error(`--${name} must be a number in [${lo}, ${hi}], got '${v}'`);
    return n;
  };
}
function estimatorOpt(v: string): SpinEstimator {
  if (v !== 'jacobian-average' && v !== 'sigma-average' && v !== 'independent') throw new Error(`--estimator must be jacobian-average, sigma-average or independent, got '${v}'`);
  return v;
}

interface CommonOpts {
  json?: boolean;
  png?: string;
  backend?: string;
  seed?: number;
}

function common(cmd: Command): Command {
  return cmd
    .option('--json', 'print only the final JSON line on stdout')
    .option('--png <dir>', 'write PNG figures into this directory')
    .option('--backend <name>', 'TF.js backend: auto, wasm, cpu, node, node-gpu (default: EIGENOPT_BACKEND or auto)')
    .option('--seed <n>', 'random seed', intOpt('seed', 0), 1);
}

function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function fmt(v: number[]): string {
  return v.map((x) => x.toPrecision(5)).join(' ');
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('Spectral Inference Network experiments (each ends with one JSON line)');

  common(demo.command('matrix').description('fixed symmetric matrix operator, one-hot inputs, linear net, full batch; compared with an exact eigendecomposition'))
    .option('--n <n>', 'number of states', intOpt('n', 2), 12)
    .option('--k <k>', 'number of eigenfunctions', intOpt('k'), 4)
    .option('--iterations <n>', 'maximum training steps', intOpt('iterations'), 6000)
    .option('--decay <beta>', 'moving-average rate (1 = none)', numOpt('decay', 1e-6, 1), 1)
    .option('--lr <lr>', 'Adam learning rate', numOpt('lr', 0, 10), 0.01)
    .action(async (o: CommonOpts & { n: number; k: number; iterations: number; decay: number; lr: number }) => {
      const backend = await initBackend(o.backend);
      const r = runMatrixDemo({ n: o.n, k: o.k, iterations: o.iterations, decay: o.decay, learningRate: o.lr, seed: o.seed, tol: 1e-4, cosTol: 1e-5, onProgress: (it, e) => { if (it % 1000 === 0) progress(`[matrix] step ${it}: ${fmt(Array.from(e))}`); } });
      const png: string[] = [];
      if (o.png) {
        const img = new Float32Array(r.n * (2 * r.k + 1));
        for (let i = 0; i < r.n; i++) for (let c = 0; c < r.k; c++) {
          const sign = Math.sign(r.features.reduce((s, row, j) => s + row[c] * r.exactVectors[j][c], 0)) || 1;
          img[i * (2 * r.k + 1) + c] = sign * r.features[i][c];
          img[i * (2 * r.k + 1) + r.k + 1 + c] = r.exactVectors[i][c];
        }
        const file = path.join(o.png, 'matrix_eigenvectors.png');
        writeHeatPng(file, img, 2 * r.k + 1, r.n, 16);
        png.push(file);
      }
      if (!o.json) {
        console.log(`backend ${backend}; ${r.iterations} steps in ${r.seconds.toFixed(1)} s`);
        console.log(`learned eigenvalues: ${fmt(r.eigenvalues)}`);
        console.log(`exact eigenvalues:   ${fmt(r.exact)}`);
        console.log(`max |error| ${r.maxEigenvalueError.toExponential(2)}; |cos| ${r.absCos.map((c) => c.toFixed(6)).join(' ')}`);
      }
      const { features, exactVectors, ...rest } = r;
      void features; void exactVectors;
      console.log(JSON.stringify({ ...rest, backend, png }));
    });

  common(demo.command('hydrogen').description('2D hydrogen atom on [-50, 50]^2 with a boundary-masked MLP'))
    .option('--iterations <n>', 'training steps', intOpt('iterations'), 6000)
    .option('--max-seconds <s>', 'stop after this many seconds (0 = no limit)', numOpt('max-seconds', 0, 1e9), 570)
    .option('--batch <n>', 'batch size', intOpt('batch'), 128)
    .option('--hidden <n>', 'hidden units per layer', intOpt('hidden'), 64)
    .option('--lr <lr>', 'Adam learning rate', numOpt('lr', 0, 10), 1e-3)
    .option('--decay <beta>', 'moving-average rate (1 = none)', numOpt('decay', 1e-6, 1), 0.01)
    .option('--no-average', 'disable the moving averages (decay 1)')
    .option('--laplacian <method>', 'finite-difference or autodiff', 'finite-difference')
    .option('--estimator <name>', 'jacobian-average, sigma-average or independent', estimatorOpt, 'jacobian-average')
    .action(async (o: CommonOpts & { iterations: number; maxSeconds: number; batch: number; hidden: number; lr: number; decay: number; average: boolean; laplacian: string; estimator: SpinEstimator }) => {
      if (o.laplacian !== 'finite-difference' && o.laplacian !== 'autodiff') throw new Error(`--laplacian must be finite-difference or autodiff, got '${o.laplacian}'`);
      const backend = await initBackend(o.backend);
      const r = runHydrogenDemo({
        iterations: o.iterations, maxSeconds: o.maxSeconds, batch: o.batch, hidden: o.hidden, learningRate: o.lr,
        decay: o.average === false ? 1 : o.decay, laplacian: o.laplacian, estimator: o.estimator, seed: o.seed, pngDir: o.png,
        onProgress: (it, loss, e) => { if (it % 1000 === 0) progress(`[hydrogen] step ${it}: loss ${loss.toFixed(4)} eig ${fmt(e)}`); },
      });
      if (!o.json) {
        console.log(`backend ${backend}; ${r.iterations} steps in ${r.seconds.toFixed(1)} s (decay ${r.decay})`);
        console.log(`learned (ascending): ${fmt(r.eigenvalues)}`);
        console.log(`exact:               ${fmt(r.exact)}`);
        console.log(`relative errors:     ${fmt(r.relativeErrors)} (mean ${r.meanRelativeError.toFixed(4)}, goal 0.01)`);
      }
      console.log(JSON.stringify({ ...r, backend }));
    });

  common(demo.command('balls').description('deep slow-feature analysis of a bouncing-balls video vs exact linear SFA'))
    .option('--k <k>', 'number of features', intOpt('k'), 4)
    .option('--iterations <n>', 'training steps', intOpt('iterations'), 1500)
    .option('--batch <n>', 'pairs per batch', intOpt('batch'), 64)
    .option('--lr <lr>', 'Adam learning rate', numOpt('lr', 0, 10), 2e-3)
    .option('--decay <beta>', 'moving-average rate (1 = none; small rates lag behind Adam here)', numOpt('decay', 1e-6, 1), 1)
    .option('--estimator <name>', 'jacobian-average, sigma-average or independent', estimatorOpt, 'sigma-average')
    .option('--pca <p>', 'PCA dimensions for linear SFA', intOpt('pca'), 24)
    .action(async (o: CommonOpts & { k: number; iterations: number; batch: number; lr: number; decay: number; estimator: SpinEstimator; pca: number }) => {
      const backend = await initBackend(o.backend);
      const r = runBallsDemo({
        k: o.k, iterations: o.iterations, batch: o.batch, learningRate: o.lr, decay: o.decay, estimator: o.estimator, pcaDims: o.pca, seed: o.seed, pngDir: o.png,
        onProgress: (it, loss, e) => { if (it % 100 === 0) progress(`[balls] step ${it}: loss ${loss.toFixed(5)} eig ${fmt(Array.from(e))}`); },
      });
      if (!o.json) {
        console.log(`backend ${backend}; ${r.iterations} steps in ${r.seconds.toFixed(1)} s`);
        console.log(`held-out slowness, deep SFA (SpIN): ${fmt(r.deepSlowness)} (sum ${r.deepSum.toPrecision(4)})`);
        console.log(`held-out slowness, linear SFA:      ${fmt(r.linearSlowness)} (sum ${r.linearSum.toPrecision(4)})`);
        console.log(r.deepSlower ? 'deep features are slower' : 'deep features are NOT slower than linear SFA');
      }
      console.log(JSON.stringify({ ...r, backend }));
    });
}
