// Random walk over primitive actions + options: at every decision point pick uniformly among the
// primitives and the options available there; options run until they terminate. Reports
// state-visitation counts and coverage, in one file top to bottom. The walk sees the task only
// through its Env and the options only through the Option interface.
//
// Run directly:  node dist/agents/random_walk.js --env fourrooms --options 8 --steps 1000
import { Command } from 'commander';
import { GridWorld, defaultStartGoal } from '../envs/gridworld';
import { randomWalkEigenfunctions } from '../src/learners';
import { buildOptions, diffusionTime } from '../src/options';
import type { Option } from '../src/options';
import { Rng } from '../src/rng';
import { TabularTask, gridTask } from './tabular_task';

export interface RandomWalkArgs {
  /** primitive steps per walk */
  steps: number;
  /** walks averaged */
  runs: number;
  /** seed of the first walk (walk i uses seed + i) */
  seed: number;
}

export const RANDOM_WALK_DEFAULTS: RandomWalkArgs = { steps: 1000, runs: 100, seed: 0 };

export interface CoverageResult {
  /** Fraction of states visited at least once. */
  coverage: number;
  /** Visits per state (every primitive step counts, also inside options; the start counts once). */
  visits: Float64Array;
  /** Primitive steps taken. */
  steps: number;
}

/**
 * One walk of `steps` primitive steps from the task's reset state (an option cut off when the
 * budget runs out). The walk ignores episode ends: it is a pure exploration process.
 */
export function coverage(task: TabularTask, options: readonly Option<Float32Array>[], steps: number, seed = 0): CoverageResult {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, got ${steps}`);
  const { env } = task;
  const rng = new Rng(seed);
  const visits = new Float64Array(task.numStates);
  let obs = env.reset().observation;
  visits[task.stateKey(obs)]++;
  const choices = new Map<number, number[]>();
  let t = 0;
  while (t < steps) {
    const s = task.stateKey(obs);
    let cs = choices.get(s);
    if (!cs) {
      cs = Array.from({ length: env.actionCount }, (_, i) => i);
      options.forEach((o, i) => {
        if (o.available(obs)) cs?.push(env.actionCount + i);
      });
      choices.set(s, cs);
    }
    const c = cs[rng.int(cs.length)];
    const option = c < env.actionCount ? null : options[c - env.actionCount];
    do {
      if (t >= steps || (option && option.terminates(obs))) break;
      obs = env.step(option ? option.act(obs) : c).observation;
      visits[task.stateKey(obs)]++;
      t++;
    } while (option);
  }
  let seen = 0;
  for (const v of visits) if (v > 0) seen++;
  return { coverage: seen / task.numStates, visits, steps: t };
}

export interface RandomWalkResult {
  /** mean fraction of states visited */
  coverage: number;
  /** mean visits per state */
  visits: Float64Array;
}

export function runRandomWalk(task: TabularTask, options: readonly Option<Float32Array>[], partial: Partial<RandomWalkArgs> = {}): RandomWalkResult {
  const args = { ...RANDOM_WALK_DEFAULTS, ...partial };
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error(`random walk: runs must be a positive integer, got ${args.runs}`);
  const visits = new Float64Array(task.numStates);
  let cov = 0;
  for (let r = 0; r < args.runs; r++) {
    const c = coverage(task, options, args.steps, args.seed + r);
    cov += c.coverage / args.runs;
    for (let s = 0; s < task.numStates; s++) visits[s] += c.visits[s] / args.runs;
  }
  return { coverage: cov, visits };
}

async function cli(argv: string[]): Promise<void> {
  const o = new Command('random_walk')
    .option('--env <name>', 'gridworld name or layout file', 'fourrooms')
    .option('--options <n>', 'number of eigenoptions (+e1, -e1, +e2, ... of the exact rw eigenvectors)', '8')
    .option('--steps <n>', 'primitive steps per walk', String(RANDOM_WALK_DEFAULTS.steps))
    .option('--runs <n>', 'walks averaged', String(RANDOM_WALK_DEFAULTS.runs))
    .option('--seed <n>', 'seed of the first walk', String(RANDOM_WALK_DEFAULTS.seed))
    .parse(argv)
    .opts<Record<string, string>>();
  const world = GridWorld.fromName(o.env);
  const count = Number(o.options);
  const vectors = randomWalkEigenfunctions(world, Math.max(1, Math.ceil(count / 2))).vectors;
  const opts = buildOptions(world, vectors, count);
  const task = gridTask(world, { start: defaultStartGoal(world).start });
  const res = runRandomWalk(task, opts, { steps: Number(o.steps), runs: Number(o.runs), seed: Number(o.seed) });
  console.log(`coverage after ${o.steps} steps: ${res.coverage.toFixed(3)}; diffusion time ${diffusionTime(world, opts).mean.toFixed(1)}`);
}

if (require.main === module) {
  cli(process.argv).catch((err) => {
    process.stderr.write(`random_walk: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
