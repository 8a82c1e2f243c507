// Random-policy rollouts of the annotated Atari games, read through envs/atari_ram.ts: how many
// abstract states (room, lives, binned avatar x, y) a rollout visits, the range of each RAM field,
// and the slowest eigenvalues of the empirical chain over those states (src/data/abstract_chain.ts).
// Sizes the binning for the abstract-state check of learned eigenfunctions.
//
//   node dist/scripts/avatar_chain.js [--games a,b] [--steps 5000] [--bins 1,4,8] [--seed 0] [--k 6]
//        [--max-states 500]
import { Command } from 'commander';

import { buildAbstractChain, MAX_STATES_DEFAULT } from '../src/data/abstract_chain';
import { AtariEnv } from '../envs/atari';
import { abstractKey, abstractState, AVATAR_RAM_GAMES, AvatarRamGame, AbstractState } from '../envs/atari_ram';

const DEFAULT_STEPS = 5000; // agent steps (frameskip 4) per game
const DEFAULT_BINS = '1,4,8';
const DEFAULT_K = 6;

interface Rollout {
  states: AbstractState[];
  episodeStarts: number[];
}

function rollout(game: AvatarRamGame, steps: number, seed: number): Rollout {
  const env = new AtariEnv({ game, obsType: 'ram', seed });
  let a = (seed * 2654435761 + 1) >>> 0;
  const nextAction = (): number => {
    a ^= a << 13;
    a >>>= 0;
    a ^= a >>> 17;
    a ^= a << 5;
    a >>>= 0;
    return a % env.numActions;
  };
  const states: AbstractState[] = [];
  const episodeStarts: number[] = [0];
  let obs = env.reset({ seed }).observation;
  for (let t = 0; t < steps; t++) {
    states.push(abstractState(game, obs));
    const r = env.step(nextAction());
    obs = r.observation;
    if (r.terminated || r.truncated) {
      obs = env.reset().observation;
      if (t + 1 < steps) episodeStarts.push(t + 1);
    }
  }
  return { states, episodeStarts };
}

function range(values: Array<number | null>): string {
  const v = values.filter((x): x is number => x !== null);
  return v.length === 0 ? '-' : `${Math.min(...v)}..${Math.max(...v)}`;
}

function main(): void {
  const program = new Command()
    .option('--games <list>', 'comma-separated games', AVATAR_RAM_GAMES.join(','))
    .option('--steps <n>', 'agent steps per game', String(DEFAULT_STEPS))
    .option('--bins <list>', 'bin sizes for x and y', DEFAULT_BINS)
    .option('--seed <n>', 'seed', '0')
    .option('--k <n>', 'eigenvalues to print', String(DEFAULT_K))
    .option('--max-states <n>', 'cap of the dense eigensolver', String(MAX_STATES_DEFAULT))
    .parse(process.argv);
  const opts = program.opts<{ games: string; steps: string; bins: string; seed: string; k: string; maxStates: string }>();
  const games = opts.games.split(',') as AvatarRamGame[];
  const bins = opts.bins.split(',').map(Number);
  const steps = Number(opts.steps);
  const k = Number(opts.k);
  const maxStates = Number(opts.maxStates);
  for (const game of games) {
    const { states, episodeStarts } = rollout(game, steps, Number(opts.seed));
    console.log(`${game}: ${states.length} steps, ${episodeStarts.length} episodes; x ${range(states.map((s) => s.x))}, ` +
      `y ${range(states.map((s) => s.y))}, room ${range(states.map((s) => s.room))}, level ${range(states.map((s) => s.level))}, ` +
      `lives ${range(states.map((s) => s.lives))}`);
    for (const binSize of bins) {
      const keys = Int32Array.from(states, (s) => abstractKey(s, { binSize }));
      const episodes = episodeStarts.map((s, i) => keys.subarray(s, i + 1 < episodeStarts.length ? episodeStarts[i + 1] : keys.length));
      const visited = new Set(keys).size;
      if (visited > maxStates) {
        console.log(`  bin ${binSize}: ${visited} states (over the dense cap ${maxStates})`);
        continue;
      }
      const chain = buildAbstractChain(episodes, { k, maxStates });
      console.log(`  bin ${binSize}: ${visited} states, ${chain.components} components, largest ${chain.keys.length} ` +
        `(dropped ${chain.droppedVisits} frames); eigenvalues ${Array.from(chain.values, (v) => v.toFixed(4)).join(' ')}`);
    }
  }
}

main();
