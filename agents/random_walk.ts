// Random walk over primitive actions + eigenoptions: at every decision point pick uniformly among
// the four primitives and the options available there; options run to termination. Reports
// state-visitation counts, coverage and the diffusion time, in one file top to bottom.
//
// Run directly:  node dist/agents/random_walk.js [--env fourrooms] [--options 8] [--steps 1000]
import { GridWorld, defaultStartGoal } from '../envs/gridworld';
import { EigenOption, RandomWalkLearner, buildOptions, coverage, diffusionTime } from '../src/options';

export interface RandomWalkArgs {
  /** gridworld name or layout file */
  env: string;
  /** number of eigenoptions (+e1, -e1, +e2, ... of the exact `rw` eigenvectors) */
  options: number;
  /** primitive steps per walk */
  steps: number;
  /** walks averaged */
  runs: number;
  /** seed of the first walk (walk i uses seed + i) */
  seed: number;
}

export const RANDOM_WALK_DEFAULTS: RandomWalkArgs = { env: 'fourrooms', options: 8, steps: 1000, runs: 100, seed: 0 };

export interface RandomWalkResult {
  /** mean fraction of states visited */
  coverage: number;
  /** mean visits per state */
  visits: Float64Array;
}

export function runRandomWalk(env: GridWorld, options: readonly EigenOption[], partial: Partial<RandomWalkArgs> = {}): RandomWalkResult {
  const args = { ...RANDOM_WALK_DEFAULTS, ...partial };
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error(`random walk: runs must be a positive integer, got ${args.runs}`);
  const { start } = defaultStartGoal(env);
  const visits = new Float64Array(env.numStates);
  let cov = 0;
  for (let r = 0; r < args.runs; r++) {
    const c = coverage(env, options, args.steps, start, args.seed + r);
    cov += c.coverage / args.runs;
    for (let s = 0; s < env.numStates; s++) visits[s] += c.visits[s] / args.runs;
  }
  return { coverage: cov, visits };
}

async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const args: RandomWalkArgs = {
    env: get('env') ?? RANDOM_WALK_DEFAULTS.env,
    options: Number(get('options') ?? RANDOM_WALK_DEFAULTS.options),
    steps: Number(get('steps') ?? RANDOM_WALK_DEFAULTS.steps),
    runs: Number(get('runs') ?? RANDOM_WALK_DEFAULTS.runs),
    seed: Number(get('seed') ?? RANDOM_WALK_DEFAULTS.seed),
  };
  const env = GridWorld.fromName(args.env);
  const eig = await new RandomWalkLearner().fit(env, Math.max(1, Math.ceil(args.options / 2)));
  const opts = buildOptions(env, eig, args.options);
  const res = runRandomWalk(env, opts, args);
  console.log(`coverage after ${args.steps} steps: ${res.coverage.toFixed(3)}; diffusion time ${diffusionTime(env, opts).mean.toFixed(1)}`);
}

if (require.main === module) {
  cli().catch((err) => {
    process.stderr.write(`random_walk: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
