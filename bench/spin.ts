// `npm run bench:spin`: SpIN step time divided by a plain backprop step of the same network and
// batch (128 inputs: 64 consecutive pairs for the slowness operator vs 128 frames for the plain
// step), for k = 5 and 10, for the MLP 2-128-128-128-k and the Atari (Nature DQN) network.
// The Jacobian average ('jacobian-average') runs by default on both networks through the exact
// per-layer contraction path (src/spin/jacobian.ts; conv layers by per-example products).
// Flags: --backend <name>, --reps <n>, --atari-reps <n>, --skip-atari, --full (also runs the
// per-pair Jacobian path, k(k+1)/2 backward passes, on the Atari net: very slow), --profile (splits
// the jacobian-average step into the rest of the step, the contraction's parts and the average
// update), --json. Times are medians; the plain steps are interleaved with the SpIN steps and every
// ratio divides two medians measured in the same run (the table's plain column is the pooled median).
import * as tf from '@tensorflow/tfjs';
import { initBackend, nativeKernelsEnabled } from '../src/backend';
import { SpectralNetwork, slownessOperator, SpinEstimator } from '../src/spin';
import { chainJacobianSources, disposePairSource, planLayerChain } from '../src/spin/jacobian';
import { Command } from 'commander';
import { atari, intFlag, mlp, parseFlags } from './common';

interface Row {
  network: string;
  k: number;
  estimator: string;
  spinMs: number;
  plainMs: number;
  ratio: number;
  goal: number;
  /** fastest SpIN step and fastest plain step, and their ratio (less sensitive to other load on a shared machine) */
  spinMinMs: number;
  plainMinMs: number;
  ratioMin: number;
}

interface Profile {
  network: string;
  k: number;
  /** median ms of a jacobian-average step, of a sigma-average step (the step without the Jacobian average), and of chainJacobians alone */
  stepMs: number;
  sigmaStepMs: number;
  contractionMs: number;
  /** stepMs - sigmaStepMs - contractionMs: the moving-average update with the Sigma-term gradient (pairEma) */
  averageUpdateMs: number;
  /** ms per part of the contraction (mean over the reps) */
  parts: Record<string, number>;
}

/** Wall times of `reps` calls after `warm` warm-up calls. */
function samples(fn: () => void, reps: number, warm = 3): number[] {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return ts;
}

function median(ts: number[]): number {
  const s = ts.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Median wall time of `reps` calls after `warm` warm-up calls (robust on a shared machine). */
function time(fn: () => void, reps: number, warm = 3): number {
  return median(samples(fn, reps, warm));
}

function plainStep(model: tf.Sequential, opt: tf.Optimizer, x: tf.Tensor): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar, vars);
    opt.applyGradients(grads);
    value.dataSync();
  });
}

interface Flags {
  backend?: string;
  json?: boolean;
  reps: number;
  atariReps: number;
  skipAtari?: boolean;
  full?: boolean;
  profile?: boolean;
}

const flags = parseFlags<Flags>(new Command('bench:spin')
  .option('--reps <n>', 'SpIN steps per MLP row', intFlag(), 50)
  .option('--atari-reps <n>', 'SpIN steps per Atari row', intFlag(), 3)
  .option('--skip-atari', 'MLP rows only')
  .option('--full', 'also the per-pair Jacobian path on the Atari net (very slow)')
  .option('--profile', 'split the jacobian-average step into its parts'));

async function main(): Promise<void> {
  const backend = await initBackend(flags.backend);
  const reps = flags.reps;
  const atariReps = flags.atariReps;
  const rows: Row[] = [];
  const profiles: Profile[] = [];
  const B = 128;
  const native = backend === 'wasm' && nativeKernelsEnabled();
  const nets: { name: string; make: (k: number) => tf.Sequential; shape: number[]; reps: number }[] = [
    { name: 'mlp', make: mlp, shape: [2], reps },
  ];
  if (!flags.skipAtari) nets.push({ name: 'atari', make: atari, shape: [84, 84, 4], reps: atariReps });
  for (const net of nets) {
    for (const k of [5, 10]) {
      const x = tf.randomUniform([B, ...net.shape], 0, 1, 'float32', 1);
      const pairs = tf.randomUniform([B / 2, ...net.shape], 0, 1, 'float32', 2);
      const next = tf.randomUniform([B / 2, ...net.shape], 0, 1, 'float32', 3);
      const model = net.make(k);
      const opt = tf.train.adam(1e-4);
      // plain steps are timed interleaved with the SpIN steps (one plain step after each SpIN
      // step) and pooled, so that load changes on a shared machine hit both sides of the ratio alike
      const plainStepFn = () => plainStep(model, opt, x);
      const plainSamples = samples(plainStepFn, 0, net.name === 'atari' ? 2 : 5);
      const rowStart = rows.length;
      const estimators: { est: SpinEstimator; jacobian?: 'per-pair' }[] = [{ est: 'jacobian-average' }, { est: 'sigma-average' }, { est: 'independent' }];
      if (net.name === 'atari' && flags.full) estimators.push({ est: 'jacobian-average', jacobian: 'per-pair' });
      const ms: Record<string, number> = {};
      for (const { est, jacobian } of estimators) {
        const m2 = net.make(k);
        const spin = new SpectralNetwork({ k, model: m2, operator: slownessOperator(), optimizer: tf.train.adam(1e-4), estimator: est, jacobian });
        const path = spin.diagnostics().jacobianPath;
        // warm-up: the first steps of the Jacobian average grow the wasm heap (hundreds of MB, page faults)
        const spinFn = () => spin.step({ x: pairs, xNext: next });
        for (let i = 0; i < (net.name === 'atari' ? (est === 'jacobian-average' ? 4 : 2) : 5); i++) spinFn();
        const spinSamples: number[] = [];
        for (let i = 0; i < net.reps; i++) {
          spinSamples.push(...samples(spinFn, 1, 0));
          plainSamples.push(...samples(plainStepFn, 1, 0));
        }
        const spinMs = median(spinSamples);
        const plainMs = median(plainSamples);
        const label = est === 'jacobian-average' ? `${est} (${path})` : est;
        ms[label] = spinMs;
        rows.push({ network: net.name, k, estimator: label, spinMs, plainMs, ratio: spinMs / plainMs, goal: k + 1, spinMinMs: Math.min(...spinSamples), plainMinMs: NaN, ratioMin: NaN });
        const r = rows[rows.length - 1];
        process.stderr.write(`${r.network} k=${k} ${r.estimator}: spin ${spinMs.toFixed(1)} ms, plain ${plainMs.toFixed(1)} ms, ratio ${r.ratio.toFixed(2)}\n`);
        if (flags.profile && est === 'jacobian-average' && path === 'contraction') {
          const vars = m2.trainableWeights.map((w) => w.read() as tf.Variable);
          const plan = planLayerChain(m2, vars);
          if (plan) {
            const parts: Record<string, number> = {};
            const runs = { n: 0 };
            const contractionMs = time(() => {
              const p: Record<string, number> = {};
              const { u, sources } = chainJacobianSources(plan, pairs, vars, undefined, { profile: p });
              u.dispose();
              sources.forEach(disposePairSource);
              if (runs.n++ > 0) for (const [key, v] of Object.entries(p)) parts[key] = (parts[key] ?? 0) + v;
            }, net.reps, 1);
            for (const key of Object.keys(parts)) parts[key] /= Math.max(1, runs.n - 1);
            profiles.push({ network: net.name, k, stepMs: spinMs, sigmaStepMs: NaN, contractionMs, averageUpdateMs: NaN, parts });
          }
        }
        spin.dispose();
        m2.dispose();
      }
      const plainMs = median(plainSamples);
      const plainMin = Math.min(...plainSamples);
      for (const r of rows.slice(rowStart)) {
        r.plainMs = plainMs;
        r.ratio = r.spinMs / plainMs;
        r.plainMinMs = plainMin;
        r.ratioMin = r.spinMinMs / plainMin;
      }
      process.stderr.write(`${net.name} k=${k} plain step median over ${plainSamples.length} (interleaved): ${plainMs.toFixed(1)} ms\n`);
      for (const pr of profiles.filter((p) => p.network === net.name && p.k === k)) {
        pr.sigmaStepMs = ms['sigma-average'];
        pr.averageUpdateMs = pr.stepMs - pr.sigmaStepMs - pr.contractionMs;
      }
      model.dispose();
      opt.dispose();
      [x, pairs, next].forEach((t) => t.dispose());
    }
  }
  if (!flags.json) {
    console.log(`backend: ${backend}${backend === 'wasm' ? ` (native conv/matmul kernels ${native ? 'on' : 'off'})` : ''}; batch ${B} inputs (64 slowness pairs vs 128 frames)`);
    console.log('network | k  | estimator                        | SpIN step ms | plain step ms | ratio | goal <= k+1 | ratio of fastest');
    for (const r of rows)
      console.log(`${r.network.padEnd(7)} | ${String(r.k).padEnd(2)} | ${r.estimator.padEnd(32)} | ${r.spinMs.toFixed(2).padStart(12)} | ${r.plainMs.toFixed(2).padStart(13)} | ${r.ratio.toFixed(2).padStart(5)} | ${(r.ratio <= r.goal ? 'yes' : 'no').padEnd(11)} | ${r.ratioMin.toFixed(2).padStart(5)}`);
    for (const p of profiles) {
      console.log(`profile ${p.network} k=${p.k}: jacobian-average step ${p.stepMs.toFixed(1)} ms = sigma-average step ${p.sigmaStepMs.toFixed(1)} + contraction ${p.contractionMs.toFixed(1)} + average update/S-term ${p.averageUpdateMs.toFixed(1)}`);
      console.log(`  contraction parts (ms): ${Object.entries(p.parts).map(([key, v]) => `${key} ${v.toFixed(1)}`).join(', ')}`);
    }
  }
  console.log(JSON.stringify({ bench: 'spin', backend, nativeKernels: native, rows, profiles }));
}

main().catch((e: Error) => {
  process.stderr.write(`bench:spin: ${e.message}\n`);
  process.exit(1);
});
