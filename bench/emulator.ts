// Emulator throughput (npm run bench:emulator): frames per second on one thread, random actions
// from the minimal set, reset on game over, frame_skip 1, with and without getScreenGrayscale
// after every step. Median of --runs runs of --frames frames each.
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

function runOnce(game: string, romDir: string, frames: number, grayscale: boolean, seed: number): RunResult {
  const ale = new ALEInterface();
  ale.setInt('random_seed', seed);
  ale.setInt('frame_skip', 1);
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
    if (grayscale) ale.getScreenGrayscale(gray);
    done += ale.getFrameNumber() - before;
    if (ale.game_over()) ale.reset_game();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { fps: done / seconds, cpuFps: done / ((cpu.user + cpu.system) / 1e6) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  console.log(`emulator benchmark: frame_skip 1, ${args.frames} frames x ${args.runs} runs (median), one thread`);
  console.log('fps = frames per wall-clock second; cpu-fps = frames per second of process CPU time (shared machines)');
  console.log('game               | no screen: fps (cpu-fps) | vs upstream     | grayscale: fps (cpu-fps) | vs upstream');
  console.log('-------------------|--------------------------|-----------------|--------------------------|----------------');
  for (const game of args.games) {
    const res: RunResult[] = [];
    for (const grayscale of [false, true]) {
      const runs: RunResult[] = [];
      for (let r = 0; r < args.runs; r++) runs.push(runOnce(game, args.romDir, args.frames, grayscale, r + 1));
      res.push({ fps: median(runs.map((x) => x.fps)), cpuFps: median(runs.map((x) => x.cpuFps)) });
    }
    const up = UPSTREAM[game];
    const ratio = (x: RunResult, u: number | undefined) =>
      u ? `${(x.fps / u).toFixed(2)}x (${(x.cpuFps / u).toFixed(2)}x)` : 'n/a';
    const cell = (x: RunResult) => `${x.fps.toFixed(0)} (${x.cpuFps.toFixed(0)})`;
    console.log(
      `${game.padEnd(19)}| ${cell(res[0]).padStart(24)} | ${ratio(res[0], up?.[0]).padStart(15)} | ` +
        `${cell(res[1]).padStart(24)} | ${ratio(res[1], up?.[1]).padStart(15)}`,
    );
  }
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
