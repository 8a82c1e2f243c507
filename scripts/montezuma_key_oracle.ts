// How far a key would carry random exploration on montezuma_revenge: a uniform random agent over
// the minimal action set (ALE v5 settings: frameskip 4, sticky actions 0.25) counts the distinct
// abstract states of the exploration table ((room, x / 8, y / 8) from RAM, lives left out, as
// cli/atari_chain.ts counts them) in a frame budget, once as the game starts and once with a key
// written into the inventory at every game start. An upper reference for options that would
// fetch the key and nothing else: the rest of the gain must come from moving better than random.
//
// The inventory is byte 0xC1: each of its bits draws one item in the top-of-screen inventory, and
// with any of bits 0x02..0x10 set the doors of the first room open (score +300) as with the key
// picked up in play.
//
//   node dist/scripts/montezuma_key_oracle.js [--frames 60000] [--seeds 0,1,2] [--inventory 2]
import { Command } from 'commander';

import { ALEInterface } from '../src/ale';
import { findRom } from '../src/ale/roms';
import { Rng } from '../src/rng';
import { abstractKey, abstractState } from '../envs/atari_ram';

const INVENTORY = 0xc1;
const DEFAULT_FRAMES = 60_000;
const DEFAULT_SEEDS = '0,1,2';
const DEFAULT_KEY_BIT = 0x02;
const BIN_SIZE = 8;

interface OracleRun {
  seed: number;
  inventory: number;
  frames: number;
  abstract_states: number;
  rooms: Record<string, number>;
  score: number;
}

function run(seed: number, inventory: number, frames: number): OracleRun {
  const ale = new ALEInterface();
  ale.setInt('random_seed', seed);
  ale.setInt('frame_skip', 4);
  ale.setFloat('repeat_action_probability', 0.25);
  ale.loadROM(findRom('montezuma_revenge').path);
  const actions = ale.getMinimalActionSet();
  const rng = new Rng(seed);
  const ram = new Uint8Array(128);
  const seen = new Set<number>();
  const rooms: Record<string, number> = {};
  let score = 0;
  const startGame = (): void => {
    if (inventory !== 0) ale.setRAM(INVENTORY - 0x80, inventory);
  };
  startGame();
  while (ale.getFrameNumber() < frames) {
    score += ale.act(actions[rng.int(actions.length)]);
    const s = abstractState('montezuma_revenge', ale.getRAM(ram));
    seen.add(abstractKey(s, { binSize: BIN_SIZE, ignoreLives: true }));
    rooms[String(s.room)] = (rooms[String(s.room)] ?? 0) + 1;
    if (ale.game_over()) {
      ale.reset_game();
      startGame();
    }
  }
  return { seed, inventory, frames: ale.getFrameNumber(), abstract_states: seen.size, rooms, score };
}

function main(argv: string[]): void {
  const p = new Command()
    .option('--frames <n>', 'emulator frames per run', String(DEFAULT_FRAMES))
    .option('--seeds <list>', 'comma-separated seeds', DEFAULT_SEEDS)
    .option('--inventory <byte>', 'inventory written at every game start (0x02: one key)', String(DEFAULT_KEY_BIT))
    .parse(argv);
  const o = p.opts<{ frames: string; seeds: string; inventory: string }>();
  const frames = Number(o.frames);
  const inventory = Number(o.inventory);
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`--frames must be a positive integer, got '${o.frames}'`);
  if (!Number.isInteger(inventory) || inventory < 0 || inventory > 255) throw new Error(`--inventory must be a byte 0..255, got '${o.inventory}'`);
  const seeds = o.seeds.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds must be non-negative integers, got '${o.seeds}'`);
  const means: Record<string, number> = {};
  for (const inv of [0, inventory]) {
    const runs = seeds.map((seed) => run(seed, inv, frames));
    for (const r of runs) console.log(JSON.stringify(r));
    means[inv === 0 ? 'as_started' : 'with_key'] = runs.reduce((a, r) => a + r.abstract_states, 0) / runs.length;
  }
  console.log(JSON.stringify({ mean_abstract_states: means, ratio: means.with_key / means.as_started }));
}

if (require.main === module) {
  try {
    main(process.argv);
  } catch (e) {
    process.stderr.write(`montezuma_key_oracle: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
