// Metrics: exact diffusion time (by linear systems) and state-visitation coverage.
import { GridWorld, NUM_ACTIONS } from '../../envs/gridworld';
import { solveLinear } from './linalg';
import { EigenOption, optionTrajectory } from './options';
import { Rng } from './rng';

/** One choice of the random walk at a state: the states it passes through, first one excluded. */
interface Choice {
  path: number[];
}

function choicesAt(env: GridWorld, options: readonly EigenOption[], s: number): Choice[] {
  const out: Choice[] = [];
  for (let a = 0; a < NUM_ACTIONS; a++) out.push({ path: [env.nextTable[s * NUM_ACTIONS + a]] });
  for (const o of options) {
    if (o.policy.length !== env.numStates) throw new Error(`option ${o.name} does not match the gridworld (${o.policy.length} states)`);
    if (o.available[s]) out.push({ path: optionTrajectory(env, o, s).slice(1) });
  }
  return out;
}

export interface DiffusionTimeResult {
  /** Mean over all ordered pairs (s, g), s != g, of the expected primitive steps from s to g. */
  mean: number;
  /** hitting[g*n + s]: expected primitive steps from s to reach g (0 on the diagonal). */
  hitting: Float64Array;
}

/**
 * Diffusion time: expected number of primitive steps the uniformly random walk over the
 * primitive actions and the options available at each state takes from s to g, averaged over all
 * ordered pairs of distinct states. Every choice at a state is equally likely; an option runs until
 * it terminates and costs its number of primitive steps; the goal counts as reached at any
 * primitive step, also inside an option. Solved exactly: one linear system per goal.
 */
export function diffusionTime(env: GridWorld, options: readonly EigenOption[] = []): DiffusionTimeResult {
  const n = env.numStates;
  if (n < 2) throw new Error('diffusion time needs at least two states');
  const choices: Choice[][] = [];
  for (let s = 0; s < n; s++) choices.push(choicesAt(env, options, s));
  const hitting = new Float64Array(n * n);
  const m = n - 1;
  const A = new Float64Array(m * m);
  const b = new Float64Array(m);
  let total = 0;
  for (let g = 0; g < n; g++) {
    A.fill(0);
    b.fill(0);
    const row = (s: number): number => (s < g ? s : s - 1);
    for (let s = 0; s < n; s++) {
      if (s === g) continue;
      const i = row(s);
      A[i * m + i] += 1;
      const cs = choices[s];
      const p = 1 / cs.length;
      for (const c of cs) {
        const hit = c.path.indexOf(g);
        if (hit >= 0) {
          b[i] += p * (hit + 1);
        } else {
          b[i] += p * c.path.length;
          const end = c.path[c.path.length - 1];
          A[i * m + row(end)] -= p;
        }
      }
    }
    const h = solveLinear(A, b, m);
    for (let s = 0; s < n; s++) {
      if (s === g) continue;
      const v = h[row(s)];
      hitting[g * n + s] = v;
      total += v;
    }
  }
  return { mean: total / (n * (n - 1)), hitting };
}

export interface CoverageResult {
  /** Fraction of states visited at least once. */
  coverage: number;
  /** Visits per state (every primitive step counts, also inside options). */
  visits: Float64Array;
  /** Primitive steps taken. */
  steps: number;
}

/**
 * State-visitation coverage of the random walk over primitives and available options, run for
 * `steps` primitive steps from `start` (an option cut off when the budget runs out).
 */
export function coverage(env: GridWorld, options: readonly EigenOption[], steps: number, start: number, seed = 0): CoverageResult {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, got ${steps}`);
  if (!Number.isInteger(start) || start < 0 || start >= env.numStates) throw new Error(`start state ${start} out of range`);
  const rng = new Rng(seed);
  const visits = new Float64Array(env.numStates);
  let s = start;
  visits[s]++;
  let t = 0;
  const cache = new Map<number, Choice[]>();
  while (t < steps) {
    let cs = cache.get(s);
    if (!cs) {
      cs = choicesAt(env, options, s);
      cache.set(s, cs);
    }
    const c = cs[rng.int(cs.length)];
    for (const x of c.path) {
      if (t >= steps) break;
      s = x;
      visits[s]++;
      t++;
    }
  }
  let seen = 0;
  for (const v of visits) if (v > 0) seen++;
  return { coverage: seen / env.numStates, visits, steps: t };
}
