// Emulator throughput (npm run bench:emulator): emulated frames per second on one thread, random
// actions from the minimal set, reset on game over, in three modes:
//   fs1       frame_skip 1, no screen fetch
//   fs1+gray  frame_skip 1, getScreenGrayscale after every step
//   v5        frame_skip 4, repeat_action_probability 0.25, getScreenGrayscale after every step
// Best (minimum-time) of --runs runs of --frames frames each, per mode. Ratios are against upstream
// ALE 0.12.1's figures below (frame_skip 1 on a 2-core x86-64 machine like CI's). Upstream has no
// published v5 figure: v5 is compared with its fs1+gray figure (frames/s), and also with the
// estimate 4 / (4/noScreen + (1/gray - 1/noScreen)) (four frames plus one grayscale fetch).
//
//   node dist/bench/emulator.js [--frames 20000] [--runs 3] [--games pong,breakout] [--rom-dir DIR]
import * as path from 'path';

import { ALEInterface } from '../src/ale/ale_interface';
import { XorShift32 } from '../src/ale/hash';
import { packageRoot } from '../src/ale/native';

// Upstream ALE 0.12.1 reference (frames/s): [no screen, grayscale each step].
const UPSTREAM: Record<string, [number, number]> = {
  pong: [16400, 12300],
  breakout: [11800, 9700],
  montezuma_revenge: [13700, 10500],
  ms_pacman: [15100, 11600],
  space_invaders: [14900, 11800],
  freeway: [8700, 7500],
};

interface Args {
  frames: number;
  runs: number;
  games: string[];
  romDir: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    frames: 20000,
    runs: 3,
    games: Object.keys(UPSTREAM),
    romDir: process.env.EIGENOPT_ROM_DIR ?? path.resolve(packageRoot(), '..', 'shared', 'roms'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    const need = (): string => {
      if (v === undefined) throw new Error(`bench:emulator: ${a} needs a value`);
      i++;
      return v;
    };
    if (a === '--frames') args.frames = Number(need());
    else if (a === '--runs') args.runs = Number(need());
    else if (a === '--games') args.games = need().split(',').filter((s) => s.length > 0);
    else if (a === '--rom-dir') args.romDir = need();
    else if (a === '--help' || a === '-h') {
      console.log('usage: bench:emulator [--frames N] [--runs R] [--games a,b] [--rom-dir DIR]');
      process.exit(0);
    } else throw new Error(`bench:emulator: unknown argument '${a}'`);
  }
  if (!Number.isInteger(args.frames) || args.frames < 1) throw new Error('bench:emulator: --frames must be a positive integer');
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('bench:emulator: --runs must be a positive integer');
  return args;
}

interface RunResult {
  /** Frames per wall-clock second. */
  fps: number;
  /** Frames per second of this process's CPU time (user + system): robust on a shared machine. */
  cpuFps: number;
}

interface Mode {
  name: string;
  frameSkip: number;
  repeatProbability: number;
  grayscale: boolean;
}

const MODES: Mode[] = [
  { name: 'fs1', frameSkip: 1, repeatProbability: 0, grayscale: false },
  { name: 'fs1+gray', frameSkip: 1, repeatProbability: 0, grayscale: true },
  { name: 'v5', frameSkip: 4, repeatProbability: 0.25, grayscale: true },
];

function runOnce(game: string, romDir: string, frames: number, mode: Mode, seed: number): RunResult {
  const ale = new ALEInterface();
  ale.setInt('random_seed', seed);
  ale.setInt('frame_skip', mode.frameSkip);
  ale.setFloat('repeat_action_probability', mode.repeatProbability);
  ale.loadROM(path.join(romDir, `${game}.bin`));
  const actions = ale.getMinimalActionSet();
  const [h, w] = ale.getScreenDims();
  const gray = new Uint8Array(h * w);
  const rng = new XorShift32(seed);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let done = 0;
  while (done < frames) {
    const before = ale.getFrameNumber();
    ale.act(actions[rng.next() % actions.length]);
    if (mode.grayscale) ale.getScreenGrayscale(gray);
    done += ale.getFrameNumber() - before;
    if (ale.game_over()) ale.reset_game();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { fps: done / seconds, cpuFps: done / ((cpu.user + cpu.system) / 1e6) };
}

function best(xs: RunResult[]): RunResult {
  return { fps: Math.max(...xs.map((x) => x.fps)), cpuFps: Math.max(...xs.map((x) => x.cpuFps)) };
}

/** Upstream's frames/s for a v5 step (four frames, one grayscale fetch), from its fs1 figures. */
function upstreamV5Estimate([noScreen, gray]: [number, number]): number {
  return 4 / (4 / noScreen + (1 / gray - 1 / noScreen));
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  console.log(`emulator benchmark: ${args.frames} frames x ${args.runs} runs per mode (best run), one thread`);
  console.log('modes: fs1 = frame_skip 1, no screen; fs1+gray = frame_skip 1, grayscale every step;');
  console.log('       v5 = frame_skip 4, sticky 0.25, grayscale every step');
  console.log('fps = frames per wall-clock second; cpu-fps = frames per second of process CPU time (shared machines)');
  console.log('ratio = fps / upstream (cpu-fps / upstream); v5 vs upstream fs1+gray figure, v5* vs upstream v5 estimate');
  const header = ['game'.padEnd(18), ...MODES.map((m) => `${m.name}: fps (cpu-fps)`.padStart(24) + ' | ' + 'ratio'.padStart(13)), 'v5* ratio'.padStart(13)];
  const headerLine = header.join(' | ');
  console.log(headerLine);
  console.log(headerLine.replace(/[^|]/g, '-'));
  for (const game of args.games) {
    const up = UPSTREAM[game];
    const baselines = up ? [up[0], up[1], up[1]] : [undefined, undefined, undefined];
    const cells: string[] = [game.padEnd(18)];
    let v5: RunResult | undefined;
    MODES.forEach((mode, i) => {
      const runs: RunResult[] = [];
      for (let r = 0; r < args.runs; r++) runs.push(runOnce(game, args.romDir, args.frames, mode, r + 1));
      const x = best(runs);
      if (mode.name === 'v5') v5 = x;
      cells.push(`${x.fps.toFixed(0)} (${x.cpuFps.toFixed(0)})`.padStart(24) + ' | ' + ratio(x, baselines[i]).padStart(13));
    });
    cells.push(ratio(v5 as RunResult, up ? upstreamV5Estimate(up) : undefined).padStart(13));
    console.log(cells.join(' | '));
  }
}

function ratio(x: RunResult, u: number | undefined): string {
  return u ? `${(x.fps / u).toFixed(2)}x (${(x.cpuFps / u).toFixed(2)}x)` : 'n/a';
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
