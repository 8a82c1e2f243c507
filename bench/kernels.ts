// `npm run bench:kernels`: fwd+bwd time of the Atari (Nature DQN) net and the MLP 2-128-128-128-9 at
// batch 128 on the default backend, with the native kernels (src/backend/native_kernels.ts) on and
// off in the same process (interleaved, medians), their ratios to PyTorch CPU (0.49 s and 0.52 ms on
// a 2-core x86-64 box, issue 2), and a per-kernel profile of one Atari step (tf.profile). Also the
// front end of SpIN's pixel networks, SpatialSoftArgmax (8 filters 3x3 on 1,088 images of 41x41):
// the fused native kernel (softArgmaxConv) against the composed conv2d + softmax + matmul expression,
// run with the other native kernels on and on the stock wasm kernels.
// Flags: --backend <name>, --reps <n> (MLP steps per mode, default 200), --block <n> (MLP steps per
// block, default 20; see timeBoth), --atari-reps <n> (default 5), --ssm-reps <n> (default 10), --no-profile,
// --threads <n> (native pool size), --isa avx512|avx2|generic (micro-kernel), --json (one JSON
// line at the end).
import * as tf from '@tensorflow/tfjs';
import { initBackend, nativeKernelsEnabled, setNativeKernelsEnabled } from '../src/backend';
import { loadNativeNn } from '../src/backend/native_kernels';
import { softArgmaxConv, softArgmaxConvComposed } from '../src/backend';
import { Command } from 'commander';
import { atari, intFlag, mlp, parseFlags } from './common';

const PYTORCH_ATARI_S = 0.49;
const PYTORCH_MLP_MS = 0.52;
/** The SpatialSoftArgmax case: SpIN's pixel front end (src/learners/spin-replay.ts) on a replay batch of GridMaze images. */
const SSM_BATCH = 1088;
const SSM_IMAGE = 41;
const SSM_FILTERS = 8;
const SSM_KERNEL = 3;
const SSM_BETA = 10;

/** One fwd+bwd step: gradients of mean(y^2) with respect to all weights, values read back. */
function step(model: tf.Sequential, x: tf.Tensor): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar, vars);
    value.dataSync();
    for (const g of Object.values(grads)) g.dataSync();
  });
}

type SoftArgmaxOp = (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor2D;
/** One fwd+bwd step of SpatialSoftArgmax's computation (op(x, kernel * beta)): gradients of mean(y^2) with respect to kernel and beta. */
function ssmStep(op: SoftArgmaxOp, x: tf.Tensor4D, kernel: tf.Variable, beta: tf.Variable): void {
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(op(x, tf.mul(kernel, beta) as tf.Tensor4D))) as tf.Scalar, [kernel, beta]);
    value.dataSync();
    for (const g of Object.values(grads)) g.dataSync();
  });
}

/**
 * Medians (ms) of `reps` steps with the native kernels on and off, interleaved in blocks: each block
 * runs `block` consecutive steps of one mode after one unmeasured step (so a step is timed in a
 * steady training loop, not right after the other mode's kernels), and the modes alternate block by
 * block (so load changes on a shared machine hit both alike). onOnly: the native mode alone (off: NaN).
 */
function timeBoth(fn: () => void, reps: number, withNative: boolean, block = 1, onOnly = false): { on: number; off: number } {
  const ts: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const modes: ('on' | 'off')[] = withNative ? (onOnly ? ['on'] : ['on', 'off']) : ['off'];
  for (const m of modes) { setNativeKernelsEnabled(m === 'on'); fn(); fn(); }
  for (let r = 0; r < reps; r += block)
    for (const m of modes) {
      setNativeKernelsEnabled(m === 'on');
      fn();
      for (let i = 0; i < Math.min(block, reps - r); i++) {
        const t0 = performance.now();
        fn();
        ts[m].push(performance.now() - t0);
      }
    }
  setNativeKernelsEnabled(true);
  const med = (a: number[]): number => { if (!a.length) return NaN; const s = [...a].sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };
  return { on: med(ts.on), off: med(ts.off) };
}

async function profile(fn: () => void): Promise<{ name: string; ms: number; count: number }[]> {
  const info = await tf.profile(fn);
  const agg = new Map<string, { ms: number; count: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = agg.get(k.name) ?? { ms: 0, count: 0 };
    e.ms += ms;
    e.count++;
    agg.set(k.name, e);
  }
  return [...agg.entries()].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms);
}

interface Flags {
  backend?: string;
  json?: boolean;
  reps: number;
  block: number;
  atariReps: number;
  ssmReps: number;
  profile: boolean;
  threads?: number;
  isa?: string;
}

const flags = parseFlags<Flags>(new Command('bench:kernels')
  .option('--reps <n>', 'MLP steps per mode', intFlag(), 200)
  .option('--block <n>', 'MLP steps per block (see timeBoth)', intFlag(), 20)
  .option('--atari-reps <n>', 'Atari steps per mode', intFlag(), 5)
  .option('--ssm-reps <n>', 'SpatialSoftArgmax steps per mode', intFlag(), 10)
  .option('--no-profile', 'skip the per-kernel profile')
  .option('--threads <n>', 'native thread-pool size', intFlag())
  .option('--isa <name>', 'native micro-kernel: avx512, avx2, generic or auto'));

async function main(): Promise<void> {
  const backend = await initBackend(flags.backend);
  const withNative = backend === 'wasm' && nativeKernelsEnabled();
  let nativeInfo: { isa: string; threads: number } | null = null;
  if (withNative) {
    const nn = loadNativeNn();
    if (flags.threads !== undefined) nn.nnSetThreads(flags.threads);
    const isa = flags.isa;
    if (isa && !nn.nnSetIsa(isa)) throw new Error(`--isa ${isa}: not supported on this machine (avx512, avx2, generic, auto)`);
    nativeInfo = nn.nnInfo();
  }
  const { reps, atariReps, block } = flags;
  const B = 128;
  const am = atari(9), xa = tf.randomUniform([B, 84, 84, 4], 0, 1, 'float32', 1);
  const mm = mlp(9), xm = tf.randomUniform([B, 2], -1, 1, 'float32', 2);
  const xs = tf.randomUniform([SSM_BATCH, SSM_IMAGE, SSM_IMAGE, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const kernel = tf.variable(tf.randomNormal([SSM_KERNEL, SSM_KERNEL, 1, SSM_FILTERS], 0, 1, 'float32', 4));
  const beta = tf.variable(tf.fill([SSM_FILTERS], SSM_BETA));
  const a = timeBoth(() => step(am, xa), atariReps, withNative);
  const m = timeBoth(() => step(mm, xm), reps, withNative, block);
  // fused (on) and stock wasm (off); then the composed expression with the other native kernels on
  const sf = timeBoth(() => ssmStep(softArgmaxConv, xs, kernel, beta), flags.ssmReps, withNative);
  const sc = timeBoth(() => ssmStep(softArgmaxConvComposed, xs, kernel, beta), flags.ssmReps, withNative, 1, true);
  const res = {
    backend, native: nativeInfo,
    spatialSoftArgmax: { ms: sf.on, msComposed: sc.on, msNoNative: sf.off, ratioComposed: sc.on / sf.on, ratioNoNative: sf.off / sf.on },
    atari: { seconds: a.on / 1000, secondsNoNative: a.off / 1000, ratioToPytorch: a.on / 1000 / PYTORCH_ATARI_S, ratioNoNative: a.off / 1000 / PYTORCH_ATARI_S },
    mlp: { ms: m.on, msNoNative: m.off, ratioToPytorch: m.on / PYTORCH_MLP_MS, ratioNoNative: m.off / PYTORCH_MLP_MS },
  };
  const f = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  console.log(`backend ${backend}${nativeInfo ? ` + native kernels (${nativeInfo.isa}, ${nativeInfo.threads} threads)` : ''}`);
  console.log(`Atari fwd+bwd batch 128: ${f(res.atari.seconds)} s (${f(res.atari.ratioToPytorch, 2)}x PyTorch 0.49 s); without native kernels ${f(res.atari.secondsNoNative)} s (${f(res.atari.ratioNoNative, 2)}x)`);
  console.log(`MLP 2-128-128-128-9 fwd+bwd batch 128: ${f(res.mlp.ms)} ms (${f(res.mlp.ratioToPytorch, 2)}x PyTorch 0.52 ms); without native kernels ${f(res.mlp.msNoNative)} ms (${f(res.mlp.ratioNoNative, 2)}x)`);
  const s = res.spatialSoftArgmax;
  console.log(`SpatialSoftArgmax ${SSM_FILTERS} filters ${SSM_KERNEL}x${SSM_KERNEL} fwd+bwd [${SSM_BATCH}, ${SSM_IMAGE}, ${SSM_IMAGE}, 1]: fused ${f(s.ms, 1)} ms; ` +
    `composed with native conv/matmul ${f(s.msComposed, 1)} ms (${f(s.ratioComposed, 1)}x the fused); stock wasm ${f(s.msNoNative, 1)} ms (${f(s.ratioNoNative, 1)}x)`);
  if (flags.profile) {
    for (const mode of withNative ? [true, false] : [false]) {
      setNativeKernelsEnabled(mode);
      step(am, xa);
      const rows = await profile(() => step(am, xa));
      const total = rows.reduce((s, r) => s + r.ms, 0);
      console.log(`\nAtari step kernels, native ${mode ? 'on' : 'off'} (total ${total.toFixed(0)} ms):`);
      for (const r of rows.slice(0, 12)) console.log(`  ${r.name.padEnd(24)} ${r.ms.toFixed(1).padStart(8)} ms  ${(100 * r.ms / total).toFixed(1).padStart(5)}%  x${r.count}`);
    }
    setNativeKernelsEnabled(true);
  }
  if (flags.json) console.log(JSON.stringify(res));
  tf.dispose([xa, xm, xs, kernel, beta]);
  am.dispose();
  mm.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
