// How far a key carries exploration on montezuma_revenge, and what stops the chain's eigenoptions
// without one. Every run is the exploration of the Atari chain (agents/explore.ts on AtariEnv with
// the ALE v5 settings: frameskip 4, sticky actions 0.25; abstract states (room, x / 8, y / 8) from
// RAM, lives left out, as cli/atari_chain.ts counts them), once as the game starts and once with a
// key written into the inventory at every game start (AtariEnv.setRAM after each reset). Arms:
//   random          a uniform random agent over the minimal action set;
//   options         random + the chain's look-ahead eigenoptions of a learned model (--model DIR,
//                   built exactly as `eigenopt discover --env atari:montezuma_revenge` builds them).
// Each run also reports when the key was first picked up in play (frames), how many lives the game
// had left then, how many keys were lost at a game over (the inventory starts empty each game), and
// the lives played (frames per life). --last-life starts every game on its last life (the lives
// byte 0xBA written to 0 after each reset), so each game is one life: that measures the options
// where a death can only show as the game's end (see --game-over-horizon, the look-ahead's
// gameOverHorizon; the chain's default is 28 steps, 12 before).
//
// The inventory is byte 0xC1: each of its bits draws one item in the top-of-screen inventory, and
// with any of bits 0x02..0x10 set the doors of the first room open (score +300) as with the key
// picked up in play.
//
//   node dist/scripts/montezuma_key_oracle.js [--frames 60000] [--seeds 0,1,2] [--inventory 2]
//       [--model DIR] [--arms random,options] [--holds 8,16] [--option-weight 2] [--last-life]
//       [--game-over-horizon 28]
import { Command } from 'commander';

import { explore } from '../agents/explore';
import { ATARI_CHAIN_DEFAULTS, atariEigenoptions, avatarProbes } from '../cli/atari_chain';
import { parseHolds, parseIntArg } from '../cli/flags';
import { AtariEnv } from '../envs/atari';
import type { AtariEnvOptions, AtariResetResult } from '../envs/atari';
import { initBackend } from '../src/backend';
import type { ResetOptions } from '../src/env';
import { loadEigenfunctionModel } from '../src/models/eigenfunctions';
import type { EigenfunctionModel } from '../src/models/eigenfunctions';
import { loadSpinEigenfunctions } from '../src/spin/model';

const GAME = 'montezuma_revenge';
const INVENTORY = 0xc1;
const LIVES = 0xba;
const DEFAULTS = { frames: 60_000, seeds: '0,1,2', inventory: 0x02, arms: 'random' };

/** AtariEnv that writes `inventory` into the inventory byte at every game start (and, with `lastLife`, 0 spare lives). */
class InventoryAtStart extends AtariEnv {
  private readonly ram = new Uint8Array(128);

  constructor(
    options: AtariEnvOptions,
    private readonly inventory: number,
    private readonly lastLife: boolean,
  ) {
    super(options);
  }

  override reset(options: ResetOptions = {}, out?: Uint8Array): AtariResetResult {
    const r = super.reset(options, out);
    if (this.inventory !== 0) this.setRAM(INVENTORY - 0x80, this.inventory);
    if (this.lastLife) {
      this.getRAM(this.ram);
      this.setRAM(LIVES - 0x80, this.ram[LIVES - 0x80] & ~7);
    }
    return r;
  }
}

interface KeyRun {
  arm: string;
  seed: number;
  inventory: number;
  frames: number;
  abstract_states: number;
  rooms: Record<string, number>;
  score: number;
  games: number;
  /** frames at the first key picked up in play (null: none) */
  first_key_frames: number | null;
  /** lives left (the counter, 0 = last life) at each key picked up in play */
  lives_at_key: number[];
  /** games that ended with a key in the inventory */
  keys_lost_at_game_over: number;
  /** lives that ended (game overs included), and the run's frames per such life */
  lives_lost: number;
  frames_per_life: number;
  seconds: number;
}

interface OptionSettings {
  holds: readonly number[];
  optionWeight: number;
  gameOverHorizon: number;
  lastLife: boolean;
}

async function run(arm: string, seed: number, inventory: number, frames: number, model: EigenfunctionModel | null, settings: OptionSettings): Promise<KeyRun> {
  const env = new InventoryAtStart({ game: GAME, seed }, inventory, settings.lastLife);
  const options = arm === 'options' && model
    ? atariEigenoptions(env, model, ATARI_CHAIN_DEFAULTS.options, { maxSteps: ATARI_CHAIN_DEFAULTS.optionMaxSteps, repeat: ATARI_CHAIN_DEFAULTS.optionRepeat, tolerance: ATARI_CHAIN_DEFAULTS.optionTolerance, lifeLossHorizon: ATARI_CHAIN_DEFAULTS.optionLifeLossHorizon, gameOverHorizon: settings.gameOverHorizon, holds: settings.holds })
    : [];
  const probes = avatarProbes(GAME, env, ATARI_CHAIN_DEFAULTS.binSize);
  // the key events, watched through the abstract-state probe (called once per observation)
  const ram = new Uint8Array(128);
  const rooms: Record<string, number> = {};
  const livesAtKey: number[] = [];
  let frame = 0;
  let firstKey: number | null = null;
  let lost = 0;
  let prevInventory = -1;
  let prevFrame = -1;
  let prevLives = -1;
  let livesLost = 0;
  const abstractKey = (info: unknown): number => {
    env.getRAM(ram);
    const inv = ram[INVENTORY - 0x80];
    const episodeFrame = (info as { episodeFrameNumber: number }).episodeFrameNumber;
    const newGame = episodeFrame < prevFrame;
    const lives = ram[LIVES - 0x80] & 7;
    if (newGame || (prevLives >= 0 && lives < prevLives)) livesLost++;
    prevLives = lives;
    if (newGame && (prevInventory & 0x1e) !== 0) lost++;
    else if (!newGame && prevInventory >= 0 && (inv & 0x1e) > (prevInventory & 0x1e)) {
      livesAtKey.push(ram[LIVES - 0x80] & 7);
      if (firstKey === null) firstKey = frame + episodeFrame;
    }
    if (newGame) frame += prevFrame;
    prevInventory = inv;
    prevFrame = episodeFrame;
    const room = String(ram[0x83 - 0x80]);
    rooms[room] = (rooms[room] ?? 0) + 1;
    return probes.abstractKey(info);
  };
  const t0 = Date.now();
  const r = await explore(env, options, { abstractKey, room: probes.room }, { frames, seed, optionWeight: settings.optionWeight });
  return {
    arm, seed, inventory, frames: r.summary.frames, abstract_states: r.summary.abstract_states, rooms, score: r.summary.score,
    games: r.summary.episodes, first_key_frames: firstKey, lives_at_key: livesAtKey, keys_lost_at_game_over: lost,
    lives_lost: livesLost, frames_per_life: Math.round(r.summary.frames / Math.max(1, livesLost)), seconds: (Date.now() - t0) / 1000,
  };
}

async function main(argv: string[]): Promise<void> {
  const p = new Command()
    .option('--frames <n>', 'emulator frames per run', String(DEFAULTS.frames))
    .option('--seeds <list>', 'comma-separated seeds', DEFAULTS.seeds)
    .option('--inventory <byte>', 'inventory written at every game start (0x02: one key)', String(DEFAULTS.inventory))
    .option('--arms <list>', 'random, options (options needs --model)', DEFAULTS.arms)
    .option('--model <dir>', 'a model written by eigenopt train / discover (the options arm)')
    .option('--holds <list>', "the options' longer holds ('' for none)", ATARI_CHAIN_DEFAULTS.optionHolds.join(','))
    .option('--option-weight <w>', 'the agent counts each option as w choices of its draw', String(ATARI_CHAIN_DEFAULTS.optionWeight))
    .option('--game-over-horizon <n>', "the options' life-loss check on the last life (NOOP steps)", String(ATARI_CHAIN_DEFAULTS.optionGameOverHorizon))
    .option('--last-life', 'start every game on its last life (each game is one life)', false)
    .parse(argv);
  const o = p.opts<{ frames: string; seeds: string; inventory: string; arms: string; model?: string; holds: string; optionWeight: string; gameOverHorizon: string; lastLife: boolean }>();
  const settings: OptionSettings = {
    holds: parseHolds('holds', o.holds), optionWeight: parseIntArg('option-weight', o.optionWeight, 1),
    gameOverHorizon: parseIntArg('game-over-horizon', o.gameOverHorizon, 0), lastLife: o.lastLife,
  };
  const frames = Number(o.frames);
  const inventory = Number(o.inventory);
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`--frames must be a positive integer, got '${o.frames}'`);
  if (!Number.isInteger(inventory) || inventory < 1 || inventory > 255) throw new Error(`--inventory must be a byte 1..255, got '${o.inventory}'`);
  const seeds = o.seeds.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds must be non-negative integers, got '${o.seeds}'`);
  const arms = o.arms.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const a of arms) if (a !== 'random' && a !== 'options') throw new Error(`--arms: unknown arm '${a}' (random, options)`);
  if (arms.includes('options') && o.model === undefined) throw new Error('--arms options needs --model DIR');
  if (o.model !== undefined) await initBackend(); // the chain's backend (wasm)
  const model = o.model === undefined ? null : await loadEigenfunctionModel(o.model, loadSpinEigenfunctions);
  try {
    const means: Record<string, number> = {};
    for (const arm of arms) {
      for (const inv of [0, inventory]) {
        const runs: KeyRun[] = [];
        for (const seed of seeds) {
          const r = await run(arm, seed, inv, frames, model, settings);
          runs.push(r);
          console.log(JSON.stringify(r));
        }
        means[`${arm}${inv === 0 ? '' : '_with_key'}`] = runs.reduce((a, r) => a + r.abstract_states, 0) / runs.length;
      }
    }
    console.log(JSON.stringify({ mean_abstract_states: means }));
  } finally {
    model?.dispose();
  }
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    process.stderr.write(`montezuma_key_oracle: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
