// Metrics: exact diffusion time (by linear systems) and state-visitation coverage.
import { solveLinear } from '../linalg';
import type { FiniteMDP } from '../mdp';
import { EigenOption, optionTrajectory } from './options';

/** One choice of the random walk at a state: the states it passes through, first one excluded. */
interface Choice {
  path: number[];
}

function choicesAt(env: FiniteMDP, options: readonly EigenOption[], s: number): Choice[] {
  const out: Choice[] = [];
  for (let a = 0; a < env.numActions; a++) out.push({ path: [env.nextTable[s * env.numActions + a]] });
  for (const o of options) {
    if (o.policy.length !== env.numStates) throw new Error(`option ${o.name} does not match the world (${o.policy.length} states, not ${env.numStates})`);
    if (o.availableAt[s]) out.push({ path: optionTrajectory(env, o, s).slice(1) });
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
export function diffusionTime(env: FiniteMDP, options: readonly EigenOption[] = []): DiffusionTimeResult {
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
