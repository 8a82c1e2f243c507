// `npm run bench:spin`: SpIN step time divided by a plain backprop step of the same network and
// batch (128 inputs: 64 consecutive pairs for the slowness operator vs 128 frames for the plain
// step), for k = 5 and 10, for the MLP 2-128-128-128-k and the Atari (Nature DQN) network.
// Flags: --backend <name>, --reps <n>, --atari-reps <n>, --skip-atari, --full (also runs the
// per-pair Jacobian path on the Atari net, very slow), --json. Times are medians.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { SpectralNetwork, slownessOperator, SpinEstimator } from '../src/spin';

interface Row {
  network: string;
  k: number;
  estimator: string;
  spinMs: number;
  plainMs: number;
  ratio: number;
  goal: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);

function mlp(k: number): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.dense({ units: 128, inputShape: [2], activation: 'relu' }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: k }),
  ] });
}

function atari(k: number): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [84, 84, 4], filters: 32, kernelSize: 8, strides: 4, activation: 'relu' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, activation: 'relu' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 1, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 512, activation: 'relu' }),
    tf.layers.dense({ units: k }),
  ] });
}

/** Median wall time of `reps` calls after `warm` warm-up calls (robust on a shared machine). */
function time(fn: () => void, reps: number, warm = 3): number {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

function plainStep(model: tf.Sequential, opt: tf.Optimizer, x: tf.Tensor): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar, vars);
    opt.applyGradients(grads);
    value.dataSync();
  });
}

async function main(): Promise<void> {
  const backend = await initBackend(arg('backend'));
  const reps = Number(arg('reps') ?? 10);
  const atariReps = Number(arg('atari-reps') ?? 2);
  const rows: Row[] = [];
  const B = 128;
  const nets: { name: string; make: (k: number) => tf.Sequential; shape: number[]; reps: number }[] = [
    { name: 'mlp', make: mlp, shape: [2], reps },
  ];
  if (!has('skip-atari')) nets.push({ name: 'atari', make: atari, shape: [84, 84, 4], reps: atariReps });
  for (const net of nets) {
    for (const k of [5, 10]) {
      const x = tf.randomUniform([B, ...net.shape], 0, 1, 'float32', 1);
      const pairs = tf.randomUniform([B / 2, ...net.shape], 0, 1, 'float32', 2);
      const next = tf.randomUniform([B / 2, ...net.shape], 0, 1, 'float32', 3);
      const model = net.make(k);
      const opt = tf.train.adam(1e-4);
      const plainMs = time(() => plainStep(model, opt, x), net.reps, net.name === 'atari' ? 1 : 3);
      const estimators: SpinEstimator[] = ['sigma-average', 'independent'];
      const isDense = net.name === 'mlp';
      if (isDense || has('full')) estimators.unshift('jacobian-average');
      for (const est of estimators) {
        const m2 = net.make(k);
        const spin = new SpectralNetwork({ k, model: m2, operator: slownessOperator(), optimizer: tf.train.adam(1e-4), estimator: est });
        const path = spin.diagnostics().jacobianPath;
        const spinMs = time(() => spin.step({ x: pairs, xNext: next }), net.reps, net.name === 'atari' ? 1 : 3);
        rows.push({ network: net.name, k, estimator: est === 'jacobian-average' ? `${est} (${path})` : est, spinMs, plainMs, ratio: spinMs / plainMs, goal: k + 1 });
        const r = rows[rows.length - 1];
        process.stderr.write(`${r.network} k=${k} ${r.estimator}: spin ${spinMs.toFixed(1)} ms, plain ${plainMs.toFixed(1)} ms, ratio ${r.ratio.toFixed(2)}\n`);
        spin.dispose();
        m2.dispose();
      }
      model.dispose();
      opt.dispose();
      [x, pairs, next].forEach((t) => t.dispose());
    }
  }
  if (!has('json')) {
    console.log(`backend: ${backend}; batch ${B} inputs (64 slowness pairs vs 128 frames)`);
    console.log('network | k  | estimator                        | SpIN step ms | plain step ms | ratio | goal <= k+1');
    for (const r of rows)
      console.log(`${r.network.padEnd(7)} | ${String(r.k).padEnd(2)} | ${r.estimator.padEnd(32)} | ${r.spinMs.toFixed(2).padStart(12)} | ${r.plainMs.toFixed(2).padStart(13)} | ${r.ratio.toFixed(2).padStart(5)} | ${r.ratio <= r.goal ? 'yes' : 'no'}`);
  }
  console.log(JSON.stringify({ bench: 'spin', backend, rows }));
}

main().catch((e: Error) => {
  process.stderr.write(`bench:spin: ${e.message}\n`);
  process.exit(1);
});
