// Eigenoptions: the eigenpurpose r(s, s') = sign * (e(s') - e(s)), an option policy maximising it
// (value iteration with the model, Q-learning without), an extra terminate action of value 0, and
// termination wherever max_a q(s, a) <= tolerance.
//
// Tabular options act on state-index observations (a one-element observation holding s), so agents
// drive them through the Option interface like any other option.
import type { FiniteMDP } from '../mdp';
import { Rng } from '../rng';
import type { Option } from './option';

/** Action value used in an option's policy table for "terminate here". */
export const TERMINATE = -1;

export interface OptionConfig {
  /** Discount of the eigenpurpose (default 0.99). */
  gamma?: number;
  /** The option terminates where max_a q(s, a) <= tolerance (default 1e-10). */
  tolerance?: number;
  /**
   * Action values within this of the best count as tied (default 1e-13); ties go to the first of
   * up, down, left, right that does not bump into a wall.
   */
  tieTolerance?: number;
  /** Value iteration stops when no value changes by more than this (default 1e-14). */
  convergence?: number;
  /** Value iteration sweep cap (default 1e6). */
  maxIterations?: number;
}

export const OPTION_DEFAULTS: Required<OptionConfig> = {
  gamma: 0.99,
  tolerance: 1e-10,
  tieTolerance: 1e-13,
  convergence: 1e-14,
  maxIterations: 1_000_000,
};

/** An eigenoption as tables over states; observations are state indices (kind 'index'). */
export class EigenOption implements Option<Float32Array> {
  /** e.g. "+e1", "-e3". */
  readonly name: string;
  /** 1 where the option can be started (it would not terminate at once). */
  readonly availableAt: Uint8Array;

  constructor(
    /** 0-based index of the eigenfunction. */
    readonly eigenIndex: number,
    readonly sign: 1 | -1,
    /** Action per state, or TERMINATE. */
    readonly policy: Int8Array,
    /** max(0, max_a q(s, a)) per state. */
    readonly value: Float64Array,
  ) {
    this.name = `${sign > 0 ? '+' : '-'}e${eigenIndex + 1}`;
    this.availableAt = new Uint8Array(policy.length);
    for (let s = 0; s < policy.length; s++) this.availableAt[s] = policy[s] === TERMINATE ? 0 : 1;
  }

  private stateOf(observation: Float32Array): number {
    const s = observation[0];
    if (!Number.isInteger(s) || s < 0 || s >= this.policy.length) throw new Error(`option ${this.name}: observation ${s} is not a state index in [0, ${this.policy.length})`);
    return s;
  }

  available(observation: Float32Array): boolean {
    return this.availableAt[this.stateOf(observation)] === 1;
  }

  act(observation: Float32Array): number {
    const a = this.policy[this.stateOf(observation)];
    if (a === TERMINATE) throw new Error(`option ${this.name}: act() where it terminates`);
    return a;
  }

  terminates(observation: Float32Array): boolean {
    return this.policy[this.stateOf(observation)] === TERMINATE;
  }
}

/** The eigenpurpose reward of sign * e for a transition s -> s2. */
export function eigenpurposeReward(e: ArrayLike<number>, sign: 1 | -1, s: number, s2: number): number {
  return sign * (e[s2] - e[s]);
}

function checkVector(env: FiniteMDP, e: ArrayLike<number>): void {
  if (e.length !== env.numStates) {
    throw new Error(`eigenfunction has ${e.length} entries but the world has ${env.numStates} states`);
  }
  for (let i = 0; i < e.length; i++) if (!Number.isFinite(e[i])) throw new Error(`eigenfunction entry ${i} is not finite`);
}

function cfgOf(cfg: OptionConfig): Required<OptionConfig> {
  const c = { ...OPTION_DEFAULTS, ...cfg };
  if (!(c.gamma > 0 && c.gamma < 1)) throw new Error(`option gamma must be in (0, 1), got ${c.gamma}`);
  if (!(c.tolerance >= 0)) throw new Error(`option tolerance must be >= 0, got ${c.tolerance}`);
  return c;
}

/** Greedy policy of q (numStates*4) with the terminate rule and the tie-break order. */
export function greedyOptionPolicy(env: FiniteMDP, q: Float64Array, cfg: OptionConfig = {}): Int8Array {
  const c = cfgOf(cfg);
  const n = env.numStates;
  const policy = new Int8Array(n);
  for (let s = 0; s < n; s++) {
    let best = -Infinity;
    for (let a = 0; a < env.numActions; a++) best = Math.max(best, q[s * env.numActions + a]);
    if (best <= c.tolerance) {
      policy[s] = TERMINATE;
      continue;
    }
    let chosen = TERMINATE;
    for (let a = 0; a < env.numActions; a++) {
      if (env.nextTable[s * env.numActions + a] === s) continue; // never towards a wall
      if (q[s * env.numActions + a] >= best - c.tieTolerance) {
        chosen = a;
        break;
      }
    }
    // A positive value can only come from a move (a wall bump scores gamma*V(s) < V(s)).
    policy[s] = chosen;
  }
  return policy;
}

/** q(s, a) = r(s, s') + gamma * V(s') for all (s, a), given V. */
function actionValues(env: FiniteMDP, e: ArrayLike<number>, sign: 1 | -1, V: Float64Array, gamma: number): Float64Array {
  const n = env.numStates;
  const q = new Float64Array(n * env.numActions);
  for (let s = 0; s < n; s++) {
    for (let a = 0; a < env.numActions; a++) {
      const s2 = env.nextTable[s * env.numActions + a];
      q[s * env.numActions + a] = sign * (e[s2] - e[s]) + gamma * V[s2];
    }
  }
  return q;
}

/** The option of sign * e by value iteration on the known deterministic model. */
export function optionByValueIteration(
  env: FiniteMDP,
  e: ArrayLike<number>,
  sign: 1 | -1,
  cfg: OptionConfig = {},
  eigenIndex = 0,
): EigenOption {
  checkVector(env, e);
  const c = cfgOf(cfg);
  const n = env.numStates;
  let V = new Float64Array(n);
  let Vn = new Float64Array(n);
  let converged = false;
  for (let it = 0; it < c.maxIterations; it++) {
    let delta = 0;
    for (let s = 0; s < n; s++) {
      let best = 0; // the terminate action
      for (let a = 0; a < env.numActions; a++) {
        const s2 = env.nextTable[s * env.numActions + a];
        const qa = sign * (e[s2] - e[s]) + c.gamma * V[s2];
        if (qa > best) best = qa;
      }
      Vn[s] = best;
      delta = Math.max(delta, Math.abs(best - V[s]));
    }
    [V, Vn] = [Vn, V];
    if (delta <= c.convergence) {
      converged = true;
      break;
    }
  }
  if (!converged) throw new Error(`value iteration did not converge in ${c.maxIterations} sweeps`);
  const q = actionValues(env, e, sign, V, c.gamma);
  const policy = greedyOptionPolicy(env, q, c);
  return makeOption(eigenIndex, sign, policy, V);
}

function makeOption(eigenIndex: number, sign: 1 | -1, policy: Int8Array, value: Float64Array): EigenOption {
  return new EigenOption(eigenIndex, sign, policy, value);
}

export interface QLearningOptionConfig extends OptionConfig {
  /** Episodes of the behaviour policy (default 2000). */
  episodes?: number;
  /** Steps per episode (default 100). */
  steps?: number;
  /** Step size (default 0.5; the gridworld is deterministic). */
  alpha?: number;
  /** Behaviour policy: epsilon-greedy on q with this epsilon (default 1, uniformly random). */
  epsilon?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * The option of sign * e learned by Q-learning from sampled steps only (the model's next-state
 * table is used as a simulator, never planned over), episodes from uniformly random start states. Targets use the terminate action's value 0:
 * q(s, a) += alpha (r + gamma max(0, max_a' q(s', a')) - q(s, a)).
 */
export function optionByQLearning(
  env: FiniteMDP,
  e: ArrayLike<number>,
  sign: 1 | -1,
  cfg: QLearningOptionConfig = {},
  eigenIndex = 0,
): EigenOption {
  checkVector(env, e);
  const c = cfgOf(cfg);
  const episodes = cfg.episodes ?? 2000;
  const steps = cfg.steps ?? 100;
  const alpha = cfg.alpha ?? 0.5;
  const epsilon = cfg.epsilon ?? 1;
  const rng = new Rng(cfg.seed ?? 0);
  const n = env.numStates;
  const q = new Float64Array(n * env.numActions);
  const vOf = (s: number): number => {
    let best = 0;
    for (let a = 0; a < env.numActions; a++) best = Math.max(best, q[s * env.numActions + a]);
    return best;
  };
  for (let ep = 0; ep < episodes; ep++) {
    let s = rng.int(n);
    for (let t = 0; t < steps; t++) {
      let a: number;
      if (rng.next() < epsilon) a = rng.int(env.numActions);
      else {
        a = 0;
        for (let b = 1; b < env.numActions; b++) if (q[s * env.numActions + b] > q[s * env.numActions + a]) a = b;
      }
      const s2 = env.nextTable[s * env.numActions + a];
      const r = sign * (e[s2] - e[s]);
      const i = s * env.numActions + a;
      q[i] += alpha * (r + c.gamma * vOf(s2) - q[i]);
      s = s2;
    }
  }
  const V = new Float64Array(n);
  for (let s = 0; s < n; s++) V[s] = vOf(s);
  return makeOption(eigenIndex, sign, greedyOptionPolicy(env, q, c), V);
}

/** Option order +e1, -e1, +e2, -e2, ...: the i-th option's eigenvector index and sign. */
export function optionSlot(i: number): { eigenIndex: number; sign: 1 | -1 } {
  return { eigenIndex: Math.floor(i / 2), sign: i % 2 === 0 ? 1 : -1 };
}

/**
 * The first `count` eigenoptions of the eigenfunctions, ordered +e1, -e1, +e2, -e2, ... (ascending
 * eigenvalue, the first eigenvector included), by value iteration.
 */
export function buildOptions(env: FiniteMDP, vectors: readonly ArrayLike<number>[], count: number, cfg: OptionConfig = {}): EigenOption[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`number of options must be a non-negative integer, got ${count}`);
  if (count > 2 * vectors.length) {
    throw new Error(`${count} options need ${Math.ceil(count / 2)} eigenfunctions but only ${vectors.length} are given`);
  }
  const out: EigenOption[] = [];
  for (let i = 0; i < count; i++) {
    const { eigenIndex, sign } = optionSlot(i);
    out.push(optionByValueIteration(env, vectors[eigenIndex], sign, cfg, eigenIndex));
  }
  return out;
}

/**
 * States visited by running the option from s until it terminates: [s, s1, ..., s_end] (just [s]
 * when it is not available at s). Throws if the policy loops.
 */
export function optionTrajectory(env: FiniteMDP, opt: EigenOption, s: number): number[] {
  const path = [s];
  let cur = s;
  const limit = env.numStates + 1;
  while (opt.policy[cur] !== TERMINATE) {
    cur = env.nextTable[cur * env.numActions + opt.policy[cur]];
    path.push(cur);
    if (path.length > limit) throw new Error(`option ${opt.name} loops from state ${s}`);
  }
  return path;
}
