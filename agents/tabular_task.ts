// A task for tabular agents: an Env whose observations map to a finite set of state keys.
// Gridworlds are one (observation 'index'); any Env with a discretised observation can be another.
import { GridEnv, GridWorld, defaultStartGoal } from '../envs/gridworld';
import type { Env } from '../src/env';

export interface TabularTask {
  env: Env<Float32Array>;
  /** Number of distinct state keys. */
  numStates: number;
  /** The state key (0 .. numStates-1) of an observation. */
  stateKey(observation: Float32Array): number;
  /** Name for logs. */
  name: string;
}

/** Machado's gridworld task: index observations, start and goal from defaultStartGoal unless given. */
export function gridTask(world: GridWorld, where: { start?: number; goal?: number } = {}): TabularTask {
  const d = defaultStartGoal(world);
  const env = new GridEnv(world, { observation: 'index', start: where.start ?? d.start, goal: where.goal ?? d.goal });
  return { env, numStates: world.numStates, stateKey: (o) => o[0], name: world.layout.name };
}
