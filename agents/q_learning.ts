// Q-learning over primitive actions + options on a tabular task (Machado et al. 2017's reward
// experiment), in one file, top to bottom. Every hyperparameter is named with its default below.
//
// Options are macro-actions: chosen where they are available, run until they terminate, the
// episode ends or its step budget runs out, and updated with the SMDP target
//   Q(s, o) += alpha * (R + gamma^k * max_b Q(s', b) - Q(s, o)),  R = sum_i gamma^i r_i,
// k the primitive steps it took (the max is 0 when the episode ended). Primitive actions are
// options of length 1. The agent sees the task only through its Env (reset/step) and the options
// only through the Option interface (available/act/terminates).
//
// Run directly:  node dist/agents/q_learning.js --env fourrooms --options 0,8,64 --runs 100
import { Command } from 'commander';
import { GridWorld } from '../envs/gridworld';
import { randomWalkEigenfunctions } from '../src/learners';
import { buildOptions } from '../src/options';
import type { Option } from '../src/options';
import { Rng } from '../src/rng';
import { TabularTask, gridTask } from './tabular_task';

export interface QLearningArgs {
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
  /** fraction of runs ending the episode (reaching the goal) in each episode */
  successRate: Float64Array;
}

function checkArgs(args: QLearningArgs): void {
  for (const [k, v] of Object.entries(args)) if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`q-learning: ${k} must be finite`);
  if (!(args.alpha > 0 && args.alpha <= 1)) throw new Error(`q-learning: alpha must be in (0, 1], got ${args.alpha}`);
  if (!(args.gamma >= 0 && args.gamma <= 1)) throw new Error(`q-learning: gamma must be in [0, 1], got ${args.gamma}`);
  if (!(args.epsilon >= 0 && args.epsilon <= 1)) throw new Error(`q-learning: epsilon must be in [0, 1], got ${args.epsilon}`);
  for (const k of ['maxSteps', 'episodes', 'runs'] as const) {
    if (!Number.isInteger(args[k]) || args[k] < 1) throw new Error(`q-learning: ${k} must be a positive integer, got ${args[k]}`);
  }
}

export function runQLearning(task: TabularTask, options: readonly Option<Float32Array>[], partial: Partial<QLearningArgs> = {}): QLearningResult {
  const args: QLearningArgs = { ...Q_LEARNING_DEFAULTS, ...partial };
  checkArgs(args);
  const { env, numStates: n } = task;
  const nPrim = env.actionCount;
  const nA = nPrim + options.length;

  // the choices available at each state, found the first time the state is seen: primitives
  // always, options where they would not terminate at once
  const avail: (number[] | undefined)[] = new Array(n);
  const choicesAt = (s: number, obs: Float32Array): number[] => {
    let a = avail[s];
    if (!a) {
      a = Array.from({ length: nPrim }, (_, i) => i);
      options.forEach((o, i) => {
        if (o.available(obs)) a?.push(nPrim + i);
      });
      avail[s] = a;
    }
    return a;
  };

  const meanReturn = new Float64Array(args.episodes);
  const meanSteps = new Float64Array(args.episodes);
  const successRate = new Float64Array(args.episodes);
  const Q = new Float64Array(n * nA);
  const ties: number[] = [];

  for (let run = 0; run < args.runs; run++) {
    const rng = new Rng(args.seed + run);
    Q.fill(args.initialQ);
    const greedy = (s: number, choices: number[]): number => {
      let best = -Infinity;
      ties.length = 0;
      for (const a of choices) {
        const q = Q[s * nA + a];
        if (q > best) {
          best = q;
          ties.length = 0;
          ties.push(a);
        } else if (q === best) ties.push(a);
      }
      return ties[rng.int(ties.length)];
    };
    const maxQ = (s: number, choices: number[]): number => {
      let best = -Infinity;
      for (const a of choices) best = Math.max(best, Q[s * nA + a]);
      return best;
    };

    for (let ep = 0; ep < args.episodes; ep++) {
      let obs = env.reset().observation;
      let s = task.stateKey(obs);
      let t = 0;
      let ret = 0;
      let ended = false;
      while (t < args.maxSteps && !ended) {
        const choices = choicesAt(s, obs);
        const a = rng.next() < args.epsilon ? choices[rng.int(choices.length)] : greedy(s, choices);
        const option = a < nPrim ? null : options[a - nPrim];
        // execute the primitive or the option
        let R = 0;
        let k = 0;
        do {
          if (option && option.terminates(obs)) break;
          const step = env.step(option ? option.act(obs) : a);
          obs = step.observation;
          R += Math.pow(args.gamma, k) * step.reward;
          ret += Math.pow(args.gamma, t) * step.reward;
          k++;
          t++;
          if (step.terminated || step.truncated) ended = true;
        } while (option && !ended && t < args.maxSteps);
        const x = task.stateKey(obs);
        const target = R + (ended ? 0 : Math.pow(args.gamma, k) * maxQ(x, choicesAt(x, obs)));
        Q[s * nA + a] += args.alpha * (target - Q[s * nA + a]);
        s = x;
      }
      meanReturn[ep] += ret / args.runs;
      meanSteps[ep] += t / args.runs;
      if (ended) successRate[ep] += 1 / args.runs;
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
async function cli(argv: string[]): Promise<void> {
  const program = new Command('q_learning')
    .option('--env <name>', 'gridworld name or layout file', 'fourrooms')
    .option('--options <list>', 'numbers of eigenoptions to compare', '0,4,8,16,32,64,128');
  for (const k of Object.keys(Q_LEARNING_DEFAULTS) as (keyof QLearningArgs)[]) {
    program.option(`--${k} <x>`, `${k} (default ${k === 'episodes' ? '500 four-room, 250 elsewhere' : Q_LEARNING_DEFAULTS[k]})`);
  }
  program.parse(argv);
  const o = program.opts<Record<string, string>>();
  const counts = o.options.split(',').map(Number);
  const world = GridWorld.fromName(o.env);
  const vectors = randomWalkEigenfunctions(world, Math.min(world.numStates, Math.ceil(Math.max(...counts) / 2))).vectors;
  const args: Partial<QLearningArgs> = { episodes: defaultEpisodes(o.env) };
  for (const k of Object.keys(Q_LEARNING_DEFAULTS) as (keyof QLearningArgs)[]) if (o[k] !== undefined) args[k] = Number(o[k]);
  for (const c of counts) {
    const res = runQLearning(gridTask(world), buildOptions(world, vectors, Math.min(c, 2 * vectors.length)), args);
    console.log(`${c} options: final return ${tailMean(res.meanReturn).toFixed(4)}, steps ${tailMean(res.meanSteps).toFixed(1)}`);
  }
}

if (require.main === module) {
  cli(process.argv).catch((err) => {
    process.stderr.write(`q_learning: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
