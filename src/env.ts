// The environment interface every layer above `envs/` speaks (Gymnasium's reset/step contract).
//
// An environment has a fixed number of discrete actions and a fixed observation shape.
// `reset({seed})` starts an episode (re-seeding when a seed is given), `step(action)` advances it.
// `terminated` is a true end of the episode (game over, goal); `truncated` is a cut by a time
// limit. Environments whose state can be saved and restored exactly (the emulator, gridworlds)
// also offer `cloneState`/`restoreState`; planners (one-step look-ahead options) need them.

/** A flat observation: float features or raw bytes (frames, RAM), row-major over observationShape. */
export type Observation = Float32Array | Uint8Array;

/** Extra facts a step reports (lives, frame numbers, the agent's cell, ...). */
export type EnvInfo = Record<string, number | string | boolean | undefined>;

export interface ResetResult<O extends Observation = Observation, I extends EnvInfo = EnvInfo> {
  observation: O;
  info: I;
}

export interface StepResult<O extends Observation = Observation, I extends EnvInfo = EnvInfo> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: I;
}

export interface ResetOptions {
  /** Re-seed the environment's randomness before this episode. */
  seed?: number;
}

export interface Env<O extends Observation = Observation, I extends EnvInfo = EnvInfo, S = unknown> {
  /** Discrete actions 0 .. actionCount-1. */
  readonly actionCount: number;
  /** Shape of one observation (e.g. [2], [84, 84], [210, 160, 3]). */
  readonly observationShape: readonly number[];
  reset(options?: ResetOptions): ResetResult<O, I>;
  step(action: number): StepResult<O, I>;
  /** An exact snapshot of the environment (optional). */
  cloneState?(): S;
  /** Restores a snapshot taken by cloneState (optional). */
  restoreState?(state: S): void;
}

/** Number of elements of one observation of the given shape. */
export function observationSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws a clear error unless `action` is an integer in [0, actionCount). */
export function checkAction(where: string, action: number, actionCount: number): void {
  if (!Number.isInteger(action) || action < 0 || action >= actionCount) {
    throw new Error(`${where}: action ${String(action)} is out of range 0..${actionCount - 1}`);
  }
}
