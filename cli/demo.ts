// `eigenopt demo matrix|hydrogen|balls`: the SpIN experiments. Each prints progress on stderr,
// a short summary (unless --json), and ends with one JSON line of results on stdout.
import * as path from 'path';
import type { Command } from 'commander';
import { initBackend } from '../src/backend';
import { ballsDemoData } from '../envs/balls';
import { runMatrixDemo } from '../src/spin/demos/matrix';
import type { MatrixDemoResult } from '../src/spin/demos/matrix';
import { HYDROGEN_ACTIVATIONS, HYDROGEN_ARCHITECTURES, HYDROGEN_EVALUATIONS, HYDROGEN_INPUTS, HYDROGEN_KINETICS, HYDROGEN_SAMPLINGS, HYDROGEN_SCHEDULES, runHydrogenDemo } from '../src/spin/demos/hydrogen';
import type { HydrogenActivation, HydrogenArchitecture, HydrogenDemoResult, HydrogenEvaluation, HydrogenInputs, HydrogenKinetic, HydrogenSampling, HydrogenSchedule } from '../src/spin/demos/hydrogen';
import { runBallsDemo } from '../src/spin/demos/balls';
import { DEFAULT_QUADRATURE_ANGULAR, DEFAULT_QUADRATURE_RADIAL, MAX_GAUSS_LEGENDRE_NODES } from '../src/spin/demos/hydrogenQuadrature';
import type { SpinEstimator } from '../src/spin/network';
import { writeHeatPng } from '../src/viz/frames';

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
/** A parser accepting one of `values` ('--name must be a, b or c' otherwise). */
function choiceOpt<T extends string>(name: string, values: readonly T[]): (v: string) => T {
  const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0];
  return (v: string) => {
    if (!(values as readonly string[]).includes(v)) throw new Error(`--${name} must be ${list}, got '${v}'`);
    return v as T;
  };
}
const ESTIMATORS: readonly SpinEstimator[] = ['jacobian-average', 'sigma-average', 'independent'];
const estimatorOpt = choiceOpt('estimator', ESTIMATORS);

/** `--quadrature a,r`: Gauss-Legendre nodes per octant in theta and in the radius. */
function quadratureOpt(v: string): [number, number] {
  const q = v.split(',').map(Number);
  if (q.length !== 2 || !q.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_GAUSS_LEGENDRE_NODES)) throw new Error(`--quadrature must be two integers in [1, ${MAX_GAUSS_LEGENDRE_NODES}] (e.g. ${DEFAULT_QUADRATURE_ANGULAR},${DEFAULT_QUADRATURE_RADIAL}), got '${v}'`);
  return [q[0], q[1]];
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

interface CheckpointOpts {
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: boolean;
}

/** Checkpoint flags of the demos that train for long. */
function checkpointFlags(cmd: Command): Command {
  return cmd
    .option('--checkpoint <dir>', 'write training checkpoints into this folder (at the end, and every --checkpoint-every steps)')
    .option('--checkpoint-every <n>', 'steps between checkpoints', intOpt('checkpoint-every'))
    .option('--resume', 'continue from the checkpoint in --checkpoint (bit-identical to an uninterrupted run with a step-based schedule)');
}

function checkpointOptions(o: CheckpointOpts): { checkpointDir?: string; checkpointEvery?: number; resume?: boolean } {
  if ((o.resume || o.checkpointEvery !== undefined) && !o.checkpoint) throw new Error('--resume and --checkpoint-every need --checkpoint <dir>');
  return { checkpointDir: o.checkpoint, checkpointEvery: o.checkpointEvery, resume: o.resume };
}

function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function fmt(v: number[]): string {
  return v.map((x) => x.toPrecision(5)).join(' ');
}

function printResult(json: boolean | undefined, summary: string[], result: object): void {
  if (!json) summary.forEach((line) => console.log(line));
  console.log(JSON.stringify(result));
}

/** The learned eigenvectors (sign-aligned with the exact ones) and the exact ones side by side, as a heat map. */
function writeMatrixPng(r: MatrixDemoResult, dir: string): string {
  const cols = 2 * r.k + 1;
  const img = new Float32Array(r.n * cols);
  for (let c = 0; c < r.k; c++) {
    const sign = Math.sign(r.features.reduce((s, row, j) => s + row[c] * r.exactVectors[j][c], 0)) || 1;
    for (let i = 0; i < r.n; i++) {
      img[i * cols + c] = sign * r.features[i][c];
      img[i * cols + r.k + 1 + c] = r.exactVectors[i][c];
    }
  }
  const file = path.join(dir, 'matrix_eigenvectors.png');
  writeHeatPng(file, img, cols, r.n, 16);
  return file;
}

function registerMatrixCommand(demo: Command): void {
  common(demo.command('matrix').description('fixed symmetric matrix operator, one-hot inputs, linear net, full batch; compared with an exact eigendecomposition'))
    .option('--n <n>', 'number of states', intOpt('n', 2), 12)
    .option('--k <k>', 'number of eigenfunctions', intOpt('k'), 4)
    .option('--iterations <n>', 'maximum training steps', intOpt('iterations'), 6000)
    .option('--decay <beta>', 'moving-average rate (1 = none)', numOpt('decay', 1e-6, 1), 1)
    .option('--lr <lr>', 'Adam learning rate', numOpt('lr', 0, 10), 0.01)
    .action(async (o: CommonOpts & { n: number; k: number; iterations: number; decay: number; lr: number }) => {
      const backend = await initBackend(o.backend);
      const r = await runMatrixDemo({ n: o.n, k: o.k, iterations: o.iterations, decay: o.decay, learningRate: o.lr, seed: o.seed, tol: 1e-4, cosTol: 1e-5, onProgress: (it, e) => { if (it % 1000 === 0) progress(`[matrix] step ${it}: ${fmt(Array.from(e))}`); } });
      const png = o.png ? [writeMatrixPng(r, o.png)] : [];
      const { features, exactVectors, ...rest } = r;
      void features; void exactVectors;
      printResult(o.json, [
        `backend ${backend}; ${r.iterations} steps in ${r.seconds.toFixed(1)} s`,
        `learned eigenvalues: ${fmt(r.eigenvalues)}`,
        `exact eigenvalues:   ${fmt(r.exact)}`,
        `max |error| ${r.maxEigenvalueError.toExponential(2)}; |cos| ${r.absCos.map((c) => c.toFixed(6)).join(' ')}`,
      ], { ...rest, backend, png });
    });
}

interface HydrogenFlags extends CommonOpts, CheckpointOpts {
  iterations: number; maxSeconds: number; batch: number; hidden: number; architecture: HydrogenArchitecture; lr: number; decay: number; average: boolean;
  laplacian?: 'finite-difference' | 'autodiff'; kinetic?: HydrogenKinetic; sampling: HydrogenSampling; inputs: HydrogenInputs; layers: number;
  activation: HydrogenActivation; schedule: HydrogenSchedule; lrFinal?: number; evalPoints: number; estimator: SpinEstimator; envelope?: number;
  uniformFraction: number; radialScale: number; eval: HydrogenEvaluation; quadrature: [number, number];
}

function hydrogenSummary(r: HydrogenDemoResult, backend: string): string[] {
  const lines = [
    `backend ${backend}; ${r.iterations} steps in ${r.seconds.toFixed(1)} s (decay ${r.decay}, sampling ${r.sampling}, kinetic ${r.kinetic}, estimator ${r.estimator})`,
    `trainer estimate:    ${fmt(r.trainerEigenvalues)} (mean rel. error ${r.trainerMeanRelativeError.toFixed(4)})`,
    `evaluation: ${r.evaluation}${r.evalPoints > 0 ? ` on ${r.evalPoints} points (${r.evalSeconds.toFixed(1)} s)` : ''}${r.quadratureCheck ? `; with ${r.quadratureCheck.angular},${r.quadratureCheck.radial} nodes the eigenvalues change by <= ${r.quadratureCheck.maxRelativeDifference.toExponential(1)} (relative)` : ''}`,
    `SpIN diag(L^-1 Pi L^-T), ascending: ${fmt(r.eigenvalues)}`,
    `exact:                              ${fmt(r.exact)}`,
    `relative errors:                    ${fmt(r.relativeErrors)} (mean ${r.meanRelativeError.toFixed(4)}, goal 0.01)`,
  ];
  if (r.ritzMeanRelativeError !== null) {
    lines.push(`Ritz values of the learned span:    ${fmt(r.ritzEigenvalues)}`);
    lines.push(`Ritz relative errors:               ${fmt(r.ritzRelativeErrors)} (mean ${r.ritzMeanRelativeError.toFixed(4)})`);
  }
  return lines;
}

function registerHydrogenCommand(demo: Command): void {
  checkpointFlags(common(demo.command('hydrogen').description('2D hydrogen atom on [-50, 50]^2 with boundary-masked MLPs (times exponential envelopes)')))
    .option('--iterations <n>', 'training steps (the --max-seconds budget usually ends training first; --max-seconds 0 --iterations N trains exactly N)', intOpt('iterations'), 1000000)
    .option('--max-seconds <s>', 'stop training after this many seconds (0 = no limit); the final evaluation follows', numOpt('max-seconds', 0, 1e9), 520)
    .option('--batch <n>', 'batch size', intOpt('batch'), 512)
    .option('--hidden <n>', 'hidden units per layer (per eigenfunction with --architecture separate or grouped)', intOpt('hidden'), 32)
    .option('--architecture <a>', 'grouped (one MLP per eigenfunction, evaluated as batched matrix products), separate (the same as separate layers, slower) or shared (one MLP, k outputs)', choiceOpt('architecture', HYDROGEN_ARCHITECTURES), 'grouped')
    .option('--lr <lr>', 'Adam learning rate', numOpt('lr', 0, 10), 3e-2)
    .option('--decay <beta>', 'moving-average rate (1 = none; < 1 with jacobian-average adds k backward passes per step with --architecture grouped, k(k+1)/2 with separate)', numOpt('decay', 1e-6, 1), 1)
    .option('--no-average', 'disable the moving averages (decay 1)')
    .option('--laplacian <method>', 'alias of --kinetic: finite-difference (= laplacian) or autodiff (= dirichlet)', choiceOpt('laplacian', ['finite-difference', 'autodiff'] as const))
    .option('--kinetic <form>', 'kinetic term: dirichlet (1/2 E[grad u . grad u], autodiff) or laplacian (E[u (-1/2 Lap_h u)], finite differences; default)', choiceOpt('kinetic', HYDROGEN_KINETICS))
    .option('--sampling <how>', 'importance (mixture near the nucleus, weighted by p/q) or uniform (the issue\'s setting)', choiceOpt('sampling', HYDROGEN_SAMPLINGS), 'importance')
    .option('--inputs <which>', 'network inputs: radial ([x/L, y/L, ln(1 + r)]), polar ([x/(1 + r), y/(1 + r), ln(1 + r)]) or xy', choiceOpt('inputs', HYDROGEN_INPUTS), 'polar')
    .option('--envelope <m>', 'exponentials per eigenfunction in a learnable envelope sum_m pi exp(-sigma r) multiplying each MLP (default 6, 0 with --inputs xy; 0 = none)', intOpt('envelope', 0))
    .option('--uniform-fraction <a>', 'fraction of uniform points in the importance mixture', numOpt('uniform-fraction', 1e-6, 1), 0.25)
    .option('--radial-scale <r0>', 'scale r0 of the radial importance proposal (atomic units)', numOpt('radial-scale', 1e-6, 1e6), 1)
    .option('--layers <n>', 'hidden layers', intOpt('layers'), 3)
    .option('--activation <name>', 'softplus or tanh', choiceOpt('activation', HYDROGEN_ACTIVATIONS), 'softplus')
    .option('--schedule <name>', 'learning-rate schedule: constant or cosine (to --lr-final over the iteration/time budget)', choiceOpt('schedule', HYDROGEN_SCHEDULES), 'cosine')
    .option('--lr-final <lr>', 'final learning rate of the cosine schedule (default lr / 100)', numOpt('lr-final', 0, 10))
    .option('--eval <method>', 'final evaluation: quadrature (deterministic, over the exact box), monte-carlo (--eval-points fresh points) or none (the trainer\'s estimate)', choiceOpt('eval', HYDROGEN_EVALUATIONS), 'quadrature')
    .option('--eval-points <n>', 'points of the monte-carlo evaluation (0 = no evaluation, as --eval none)', intOpt('eval-points', 0), 65536)
    .option('--quadrature <a,r>', 'Gauss-Legendre nodes of the quadrature evaluation: per octant in theta, and in the radius', quadratureOpt, [DEFAULT_QUADRATURE_ANGULAR, DEFAULT_QUADRATURE_RADIAL])
    .option('--estimator <name>', 'jacobian-average, sigma-average or independent', estimatorOpt, 'jacobian-average')
    .action(async (o: HydrogenFlags) => {
      if (o.envelope !== undefined && o.envelope > 0 && o.inputs === 'xy') throw new Error('--envelope needs --inputs radial or polar');
      const backend = await initBackend(o.backend);
      const r = await runHydrogenDemo({
        iterations: o.iterations, maxSeconds: o.maxSeconds, batch: o.batch, hidden: o.hidden, learningRate: o.lr,
        decay: o.average === false ? 1 : o.decay, kinetic: o.kinetic, laplacian: o.laplacian, sampling: o.sampling, inputs: o.inputs, layers: o.layers, architecture: o.architecture,
        activation: o.activation, schedule: o.schedule, lrFinal: o.lrFinal, evalPoints: o.evalPoints,
        estimator: o.estimator, seed: o.seed, pngDir: o.png, envelope: o.envelope, uniformFraction: o.uniformFraction, radialScale: o.radialScale,
        evaluation: o.eval, quadratureAngular: o.quadrature[0], quadratureRadial: o.quadrature[1], ...checkpointOptions(o),
        onProgress: (it, loss, e) => { if (it % 1000 === 0) progress(`[hydrogen] step ${it}: loss ${loss.toFixed(4)} eig ${fmt(e)}`); },
      });
      printResult(o.json, hydrogenSummary(r, backend), { ...r, backend });
    });
}

function registerBallsCommand(demo: Command): void {
  checkpointFlags(common(demo.command('balls').description('deep slow-feature analysis of a bouncing-balls video vs exact linear SFA')))
    .option('--k <k>', 'number of features', intOpt('k'), 4)
    .option('--iterations <n>', 'training steps', intOpt('iterations'), 1500)
    .option('--batch <n>', 'pairs per batch', intOpt('batch'), 64)
    .option('--lr <lr>', 'Adam learning rate', numOpt('lr', 0, 10), 2e-3)
    .option('--decay <beta>', 'moving-average rate (1 = none; small rates lag behind Adam here)', numOpt('decay', 1e-6, 1), 1)
    .option('--estimator <name>', 'jacobian-average, sigma-average or independent', estimatorOpt, 'sigma-average')
    .option('--pca <p>', 'PCA dimensions for linear SFA', intOpt('pca'), 24)
    .option('--max-seconds <s>', 'stop training after this many seconds (0 = no limit)', numOpt('max-seconds', 0, 1e9), 0)
    .action(async (o: CommonOpts & CheckpointOpts & { k: number; iterations: number; batch: number; lr: number; decay: number; estimator: SpinEstimator; pca: number; maxSeconds: number }) => {
      const backend = await initBackend(o.backend);
      const r = await runBallsDemo(ballsDemoData({ seed: o.seed }), {
        k: o.k, iterations: o.iterations, batch: o.batch, learningRate: o.lr, decay: o.decay, estimator: o.estimator, pcaDims: o.pca, seed: o.seed, pngDir: o.png, maxSeconds: o.maxSeconds, ...checkpointOptions(o),
        onProgress: (it, loss, e) => { if (it % 100 === 0) progress(`[balls] step ${it}: loss ${loss.toFixed(5)} eig ${fmt(Array.from(e))}`); },
      });
      printResult(o.json, [
        `backend ${backend}; ${r.iterations} steps in ${r.seconds.toFixed(1)} s`,
        `held-out slowness, deep SFA (SpIN): ${fmt(r.deepSlowness)} (sum ${r.deepSum.toPrecision(4)})`,
        `held-out slowness, linear SFA:      ${fmt(r.linearSlowness)} (sum ${r.linearSum.toPrecision(4)})`,
        r.deepSlower ? 'deep features are slower' : 'deep features are NOT slower than linear SFA',
      ], { ...r, backend });
    });
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('Spectral Inference Network experiments (each ends with one JSON line)');
  registerMatrixCommand(demo);
  registerHydrogenCommand(demo);
  registerBallsCommand(demo);
}
