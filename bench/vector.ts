// Vector environment throughput (npm run bench:vector): emulator frames per second of
// AtariVectorEnv with v5 settings and the standard preprocessing, random actions, for 1, 2 and 4
// threads on the same number of envs; ends with the 1 -> 2 thread scaling.
//
// 16 envs by default, 8 per thread at 2 threads. A batch ends when its slowest thread does, so what
// a thread idles at the end of a batch (up to one env step, ~180 us on montezuma_revenge; an
// autoreset costs ~25 steps) weighs twice as much with 4 envs per thread: on a quiet 2-core box
// 8 envs give 1.87-1.91x, 16 give 1.92-1.97x (threads busy 1.95 vs 1.95-1.98 cores).
//
//   node dist/bench/vector.js [--game montezuma_revenge] [--envs 16] [--steps 1500] [--runs 5] [--rom-dir DIR]
import * as os from 'os';
import * as path from 'path';

import { Command } from 'commander';

import { AtariVectorEnv } from '../envs/atari_vector';
import { intFlag } from '../cli/flags';
import { XorShift32 } from '../src/ale/hash';
import { packageRoot } from '../src/ale/native';

const flags = new Command('bench:vector')
  .option('--game <name>', 'ROM id', 'montezuma_revenge')
  .option('--envs <n>', 'environments', intFlag('envs'), 16)
  .option('--steps <n>', 'vector steps per run', intFlag('steps'), 1500)
  .option('--runs <n>', 'runs per thread count', intFlag('runs'), 5)
  .option('--rom-dir <dir>', 'ROM folder', process.env.EIGENOPT_ROM_DIR ?? path.resolve(packageRoot(), '..', 'shared', 'roms'))
  .parse(process.argv)
  .opts<{ game: string; envs: number; steps: number; runs: number; romDir: string }>();

const GAME = flags.game;
const NUM_ENVS = flags.envs;
const STEPS = flags.steps;
const RUNS = flags.runs;
const WARMUP_STEPS = 30;
const THREADS = [1, 2, 4];
const ROM_DIR = flags.romDir;

interface Run {
  fps: number;
  /** CPU seconds of this process per wall second during the run (how many cores it really got). */
  cpu: number;
}

async function framesPerSecond(threads: number): Promise<Run> {
  const env = new AtariVectorEnv({ game: path.join(ROM_DIR, `${GAME}.bin`), numEnvs: NUM_ENVS, threads });
  await env.reset(Array.from({ length: NUM_ENVS }, (_, i) => i));
  // The same seeds and actions for every thread count: the batches are identical (the vector env does
  // not depend on the thread count), so the runs differ only in how the work is spread.
  const rng = new XorShift32(1);
  const actions = new Int32Array(NUM_ENVS);
  const step = async (): Promise<void> => {
    for (let i = 0; i < NUM_ENVS; i++) actions[i] = rng.next() % env.actionCount;
    await env.step(actions);
  };
  for (let t = 0; t < WARMUP_STEPS; t++) await step();
  const frames = (): number => env.buffers.frameNumber.reduce((a, b) => a + b, 0);
  const f0 = frames();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let t = 0; t < STEPS; t++) await step();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { fps: (frames() - f0) / seconds, cpu: (c.user + c.system) / 1e6 / seconds };
}

async function main(): Promise<void> {
  for (const [name, v] of [['envs', NUM_ENVS], ['steps', STEPS], ['runs', RUNS]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`bench:vector: --${name} must be a positive integer`);
  }
  console.log(`bench:vector: ${GAME}, ${NUM_ENVS} envs, ${STEPS} steps x ${RUNS} runs per thread count (median), ` +
    `frame skip 4 + preprocessing; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${os.cpus().length} CPUs`);
  // Runs alternate between thread counts so that a change of machine load hits all of them alike.
  const runs: Record<number, Run[]> = {};
  for (const threads of THREADS) runs[threads] = [];
  for (let r = 0; r < RUNS; r++) for (const threads of THREADS) runs[threads].push(await framesPerSecond(threads));
  const result: Record<number, number> = {};
  const perCpu: Record<number, number> = {};
  for (const threads of THREADS) {
    const sorted = [...runs[threads]].sort((a, b) => a.fps - b.fps);
    const median = sorted[Math.floor(sorted.length / 2)];
    result[threads] = median.fps;
    perCpu[threads] = median.fps / median.cpu;
    console.log(`threads ${threads}: ${Math.round(median.fps)} frames/s, ${median.cpu.toFixed(2)} cores busy, ` +
      `${Math.round(perCpu[threads])} frames per CPU-second (runs: ${runs[threads].map((x) => Math.round(x.fps)).join(', ')})`);
  }
  console.log(`parallel efficiency at 2 threads (frames per CPU-second vs 1 thread): ${((100 * perCpu[2]) / perCpu[1]).toFixed(0)}%`);
  console.log(`scaling 1->2 threads: ${(result[2] / result[1]).toFixed(2)}x`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
