// `eigenopt options --model MODEL --game G`: where each Atari eigenoption takes the avatar. For
// every look-ahead eigenoption (+-e2, +-e3, ...; cli/atari_chain.ts) and several runs from
// random starting points, the option runs until it terminates; the avatar's position (from RAM,
// docs/atari-avatar.md) is recorded at every step. Writes per option:
//   option_+e2.png   the first run's starting frame (84 x 84, 4x) with every run's path drawn on it
//                    (one colour per run, a square at the start, a ring at the end)
//   option_+e2.gif   the first run's frames
// and options.json (per option and run: steps, positions, start and end).
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { PNG } from 'pngjs';
import { AVATAR_RAM, AVATAR_RAM_GAMES, abstractState } from '../envs/atari_ram';
import type { AvatarRamGame } from '../envs/atari_ram';
import { AtariEnv } from '../envs/atari';
import { initBackend } from '../src/backend';
import { loadEigenfunctionModel } from '../src/models/eigenfunctions';
import { Rng } from '../src/rng';
import { loadSpinEigenfunctions } from '../src/spin/model';
import { ATARI_CHAIN_DEFAULTS, atariEigenoptions } from './atari_chain';
import { intFlag } from './flags';

export const OPTIONS_CMD_DEFAULTS = {
  /** runs per option */
  runs: 4,
  /** eigenoptions shown (+-e2, +-e3, ...) */
  options: 8,
  /** random steps before each run (to start from different places), and the most tried to find a start where the option is available */
  warmup: 40,
  maxWarmup: 400,
  seed: 0,
  /** pixels per frame pixel in the PNG and the GIF */
  scale: 4,
};

const FRAME = 84;
const SCREEN_W = 160;
const SCREEN_H = 210;
const RUN_COLOURS: [number, number, number][] = [[230, 50, 50], [40, 140, 255], [40, 200, 90], [250, 190, 30], [200, 80, 220], [30, 210, 210]];

export interface OptionRun {
  steps: number;
  /** avatar positions in 84 x 84 frame pixels, start first */
  path: [number, number][];
  /** RAM positions (x, y bytes) at the start and the end */
  start: [number, number];
  end: [number, number];
}

/** The avatar's position in preprocessed-frame pixels (sprite's left / top edge). */
function framePosition(game: AvatarRamGame, ram: Uint8Array): [number, number] {
  const info = AVATAR_RAM[game];
  const s = abstractState(game, ram);
  const sx = info.xScreen && s.x !== null ? info.xScreen.scale * s.x + info.xScreen.offset : SCREEN_W / 2;
  const sy = info.yScreen && s.y !== null ? info.yScreen.scale * s.y + info.yScreen.offset : SCREEN_H / 2;
  return [(sx * FRAME) / SCREEN_W, (sy * FRAME) / SCREEN_H];
}

function grayToRgba(frame: Uint8Array, scale: number): Uint8Array {
  const w = FRAME * scale;
  const out = new Uint8Array(w * w * 4);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) {
    const v = frame[Math.floor(y / scale) * FRAME + Math.floor(x / scale)];
    const o = (y * w + x) * 4;
    out[o] = out[o + 1] = out[o + 2] = v;
    out[o + 3] = 255;
  }
  return out;
}

function dot(img: Uint8Array, w: number, cx: number, cy: number, r: number, c: [number, number, number], ring = false): void {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
    if (x < 0 || y < 0 || x >= w || y >= w) continue;
    const d = Math.hypot(x - cx, y - cy);
    if (d > r || (ring && d < r - 1.5)) continue;
    const o = (y * w + x) * 4;
    img[o] = c[0];
    img[o + 1] = c[1];
    img[o + 2] = c[2];
  }
}

export interface ShowOptionsOptions {
  model: string;
  game: string;
  out: string;
  runs?: number;
  options?: number;
  seed?: number;
  log?: (line: string) => void;
}

export async function showOptions(o: ShowOptionsOptions): Promise<Record<string, OptionRun[]>> {
  const c = { ...OPTIONS_CMD_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as typeof OPTIONS_CMD_DEFAULTS & ShowOptionsOptions;
  const log = o.log ?? ((): void => undefined);
  if (!(AVATAR_RAM_GAMES as readonly string[]).includes(o.game)) throw new Error(`options: no avatar RAM table for ${o.game} (known: ${AVATAR_RAM_GAMES.join(', ')})`);
  const game = o.game as AvatarRamGame;
  await initBackend();
  const model = await loadEigenfunctionModel(o.model, loadSpinEigenfunctions);
  fs.mkdirSync(o.out, { recursive: true });
  const env = new AtariEnv({ game, seed: c.seed });
  const options = atariEigenoptions(env, model, c.options);
  const frameSize = FRAME * FRAME;
  const ram = new Uint8Array(128);
  const rng = new Rng(c.seed);
  const result: Record<string, OptionRun[]> = {};
  try {
    for (const opt of options) {
      const runs: OptionRun[] = [];
      let background: Uint8Array | null = null;
      let gifFrames: Uint8Array[] = [];
      for (let r = 0; r < c.runs; r++) {
        let obs = env.reset({ seed: c.seed + r }).observation;
        // random steps until the option is available (after at least `warmup` of them)
        let tried = 0;
        for (;;) {
          if (tried >= c.warmup) {
            await opt.prepare(obs);
            if (opt.available(obs)) break;
          }
          if (tried >= c.maxWarmup) break;
          const step = env.step(rng.int(env.actionCount));
          obs = step.observation;
          tried++;
          if (step.terminated || step.truncated) obs = env.reset().observation;
        }
        await opt.prepare(obs);
        if (!opt.available(obs)) continue;
        const frames: Uint8Array[] = [Uint8Array.from(obs.subarray(obs.length - frameSize))];
        const p0 = framePosition(game, env.getRAM(ram));
        const s0 = abstractState(game, ram);
        const pathPx: [number, number][] = [p0];
        opt.begin(obs);
        let steps = 0;
        for (;;) {
          await opt.prepare(obs);
          if (opt.terminates(obs)) break;
          const st = env.step(opt.act(obs));
          obs = st.observation;
          steps++;
          frames.push(Uint8Array.from(obs.subarray(obs.length - frameSize)));
          pathPx.push(framePosition(game, env.getRAM(ram)));
          if (st.terminated || st.truncated) break;
        }
        opt.end();
        const s1 = abstractState(game, env.getRAM(ram));
        runs.push({ steps, path: pathPx, start: [s0.x ?? 0, s0.y ?? 0], end: [s1.x ?? 0, s1.y ?? 0] });
        if (!background) {
          background = frames[0];
          gifFrames = frames;
        }
      }
      result[opt.name] = runs;
      log(`  ${opt.name}: ${runs.length} runs, ${runs.map((x) => x.steps).join('/')} steps, ends ${runs.map((x) => `(${x.end.join(',')})`).join(' ')}`);
      if (!background) continue;
      const w = FRAME * c.scale;
      const img = grayToRgba(background, c.scale);
      runs.forEach((run, i) => {
        const col = RUN_COLOURS[i % RUN_COLOURS.length];
        run.path.forEach(([x, y]) => dot(img, w, (x + 1) * c.scale, (y + 2) * c.scale, 1.5, col));
        const [sx, sy] = run.path[0];
        const [ex, ey] = run.path[run.path.length - 1];
        dot(img, w, (sx + 1) * c.scale, (sy + 2) * c.scale, 4, col);
        dot(img, w, (ex + 1) * c.scale, (ey + 2) * c.scale, 6, col, true);
      });
      const png = new PNG({ width: w, height: w });
      png.data.set(img);
      fs.writeFileSync(path.join(o.out, `option_${opt.name}.png`), PNG.sync.write(png));
      const gif = GIFEncoder();
      for (const f of gifFrames) {
        const rgba = grayToRgba(f, 2);
        const palette = quantize(rgba, 64);
        gif.writeFrame(applyPalette(rgba, palette), FRAME * 2, FRAME * 2, { palette, delay: 60 });
      }
      gif.finish();
      fs.writeFileSync(path.join(o.out, `option_${opt.name}.gif`), gif.bytes());
    }
  } finally {
    model.dispose();
  }
  fs.writeFileSync(path.join(o.out, 'options.json'), JSON.stringify({ game, model: path.resolve(o.model), options: result }, null, 1) + '\n');
  return result;
}

interface OptionsFlags {
  model: string;
  game: string;
  out: string;
  runs: number;
  options: number;
  seed: number;
}

export function registerOptionsCommand(program: Command): void {
  program
    .command('options')
    .description('run each Atari eigenoption of a trained model and draw where it takes the avatar (PNG per option, GIF of a run)')
    .requiredOption('--model <dir>', 'model folder written by eigenopt train (or discover --env atari:GAME, DIR/model)')
    .requiredOption('--game <name>', `game with an avatar RAM table: ${AVATAR_RAM_GAMES.join(', ')}`)
    .option('--out <dir>', 'output folder', 'eigenopt-options')
    .option('--runs <n>', 'runs per option', intFlag('runs'), OPTIONS_CMD_DEFAULTS.runs)
    .option('--options <n>', 'eigenoptions +-e2, +-e3, ...', intFlag('options'), ATARI_CHAIN_DEFAULTS.options)
    .option('--seed <n>', 'seed of the environment and the random starts', intFlag('seed', 0), OPTIONS_CMD_DEFAULTS.seed)
    .action(async (f: OptionsFlags) => {
      await showOptions({ ...f, log: (s) => console.log(s) });
      console.log(`wrote option_*.png, option_*.gif and options.json to ${f.out}`);
    });
}
