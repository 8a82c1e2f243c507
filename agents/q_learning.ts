// Q-learning over primitive actions + eigenoptions on a gridworld (Machado et al. 2017's reward
// experiment), in one file, top to bottom. Every hyperparameter is named with its default below.
//
// Options are macro-actions: chosen at a state where they are available, run until they terminate,
// the goal is reached or the episode's step budget runs out, and updated with the SMDP target
//   Q(s, o) += alpha * (R + gamma^k * max_b Q(s', b) - Q(s, o)),  R = sum_i gamma^i r_i,
// k the primitive steps it took (the max is 0 at the goal). Primitive actions are options of length 1.
//
// Run directly:  node dist/agents/q_learning.js [--env fourrooms] [--options 8] [--runs 100] ...
import { GridWorld, NUM_ACTIONS, defaultStartGoal } from '../envs/gridworld';
import { EigenOption, Rng, TERMINATE, RandomWalkLearner, buildOptions } from '../src/options';

export interface QLearningArgs {
  /** gridworld name or layout file */
  env: string;
  /** learning rate */
  alpha: number;
  /** discount */
  gamma: number;
  /** exploration rate of the epsilon-greedy behaviour policy */
  epsilon: number;
  /** primitive steps per episode */
  maxSteps: number;
  /** episodes per run (Machado: 250 open room / I-maze, 500 four-room) */
  episodes: number;
  /** independent runs averaged */
  runs: number;
  /** initial action values */
  initialQ: number;
  /** seed of the first run (run i uses seed + i) */
  seed: number;
}

export const Q_LEARNING_DEFAULTS: QLearningArgs = {
  env: 'fourrooms',
  alpha: 0.1,
  gamma: 0.9,
  epsilon: 0.1,
  maxSteps: 100,
  episodes: 500,
  runs: 100,
  initialQ: 0,
  seed: 0,
};

/** Machado's episode counts: 500 on the four-room, 250 elsewhere. */
export function defaultEpisodes(env: string): number {
  return env === 'fourrooms' ? 500 : 250;
}

export interface QLearningResult {
  /** mean over runs of the discounted return sum_t gamma^t r_t of each episode */
  meanReturn: Float64Array;
  /** mean over runs of the primitive steps of each episode (maxSteps when the goal was missed) */
  meanSteps: Float64Array;
  /** fraction of runs reaching the goal in each episode */
  successRate: Float64Array;
}

export function runQLearning(env: GridWorld, options: readonly EigenOption[], partial: Partial<QLearningArgs> = {}): QLearningResult {
  const args: QLearningArgs = { ...Q_LEARNING_DEFAULTS, ...partial };
  for (const [k, v] of Object.entries(args)) if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`q-learning: ${k} must be finite`);
  if (!(args.alpha > 0 && args.alpha <= 1)) throw new Error(`q-learning: alpha must be in (0, 1], got ${args.alpha}`);
  if (!(args.gamma >= 0 && args.gamma <= 1)) throw new Error(`q-learning: gamma must be in [0, 1], got ${args.gamma}`);
  if (!(args.epsilon >= 0 && args.epsilon <= 1)) throw new Error(`q-learning: epsilon must be in [0, 1], got ${args.epsilon}`);
  for (const k of ['maxSteps', 'episodes', 'runs'] as const) {
    if (!Number.isInteger(args[k]) || args[k] < 1) throw new Error(`q-learning: ${k} must be a positive integer, got ${args[k]}`);
  }
  const n = env.numStates;
  const nA = NUM_ACTIONS + options.length;
  const { start, goal } = defaultStartGoal(env);

  // the choices available at each state: primitives always, options where they do not terminate at once
  const avail: number[][] = [];
  for (let s = 0; s < n; s++) {
    const a: number[] = [0, 1, 2, 3];
    options.forEach((o, i) => {
      if (o.available[s]) a.push(NUM_ACTIONS + i);
    });
    avail.push(a);
  }

  const meanReturn = new Float64Array(args.episodes);
  const meanSteps = new Float64Array(args.episodes);
  const successRate = new Float64Array(args.episodes);
  const Q = new Float64Array(n * nA);
  const ties: number[] = [];

  for (let run = 0; run < args.runs; run++) {
    const rng = new Rng(args.seed + run);
    Q.fill(args.initialQ);
    const greedy = (s: number): number => {
      let best = -Infinity;
      ties.length = 0;
      for (const a of avail[s]) {
        const q = Q[s * nA + a];
        if (q > best) {
          best = q;
          ties.length = 0;
          ties.push(a);
        } else if (q === best) ties.push(a);
      }
      return ties[rng.int(ties.length)];
    };
    const maxQ = (s: number): number => {
      let best = -Infinity;
      for (const a of avail[s]) best = Math.max(best, Q[s * nA + a]);
      return best;
    };

    for (let ep = 0; ep < args.episodes; ep++) {
      let s = start;
      let t = 0;
      let ret = 0;
      let reached = false;
      while (t < args.maxSteps && !reached) {
        const a = rng.next() < args.epsilon ? avail[s][rng.int(avail[s].length)] : greedy(s);
        // execute the primitive or the option
        let x = s;
        let R = 0;
        let k = 0;
        do {
          const prim = a < NUM_ACTIONS ? a : options[a - NUM_ACTIONS].policy[x];
          if (prim === TERMINATE) break;
          x = env.nextTable[x * NUM_ACTIONS + prim];
          const r = x === goal ? 1 : 0;
          R += Math.pow(args.gamma, k) * r;
          ret += Math.pow(args.gamma, t) * r;
          k++;
          t++;
          if (x === goal) reached = true;
        } while (a >= NUM_ACTIONS && !reached && t < args.maxSteps);
        const target = R + (reached ? 0 : Math.pow(args.gamma, k) * maxQ(x));
        Q[s * nA + a] += args.alpha * (target - Q[s * nA + a]);
        s = x;
      }
      meanReturn[ep] += ret / args.runs;
      meanSteps[ep] += t / args.runs;
      if (reached) successRate[ep] += 1 / args.runs;
    }
  }
  return { meanReturn, meanSteps, successRate };
}

/** Mean of the last `fraction` of a curve. */
export function tailMean(curve: ArrayLike<number>, fraction = 0.1): number {
  const k = Math.max(1, Math.floor(curve.length * fraction));
  let s = 0;
  for (let i = curve.length - k; i < curve.length; i++) s += curve[i];
  return s / k;
}

// ---- command line: Q-learning with exact `rw` eigenoptions ------------------------------------
async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const envName = get('env') ?? Q_LEARNING_DEFAULTS.env;
  const counts = (get('options') ?? '0,4,8,16,32,64,128').split(',').map(Number);
  const env = GridWorld.fromName(envName);
  const eig = await new RandomWalkLearner().fit(env, Math.min(env.numStates, Math.ceil(Math.max(...counts) / 2)));
  const args: Partial<QLearningArgs> = { episodes: defaultEpisodes(envName) };
  for (const k of Object.keys(Q_LEARNING_DEFAULTS) as (keyof QLearningArgs)[]) {
    const v = get(k);
    if (v !== undefined && k !== 'env') (args as Record<string, number>)[k] = Number(v);
  }
  for (const c of counts) {
    const res = runQLearning(env, buildOptions(env, eig, Math.min(c, 2 * eig.vectors.length)), args);
    console.log(`${c} options: final return ${tailMean(res.meanReturn).toFixed(4)}, steps ${tailMean(res.meanSteps).toFixed(1)}`);
  }
}

if (require.main === module) {
  cli().catch((err) => {
    process.stderr.write(`q_learning: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
