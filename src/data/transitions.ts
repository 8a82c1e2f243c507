// Transition sources: where learners get their minibatches of consecutive observations from.
//
// A source yields batches of (observation, next observation) pairs, flat and row-major over
// `observationShape`, plus what else a learner may need (actions, rewards, episode ends, and for
// enumerated worlds the state indices used only by exact evaluations, never by learners).
// Implementations: the enumerated table of a gridworld (every (s, a) once, or i.i.d.), a replay
// buffer filled by a policy acting in any Env, and a stream over rollout datasets on disk.
import type { Observation } from '../env';

export interface TransitionBatch<O extends Observation = Observation> {
  /** Number of transitions in the batch. */
  size: number;
  /** Observations x_t, [size, ...observationShape] row-major. */
  x: O;
  /** Next observations x_{t+1}, same layout. */
  xNext: O;
  /** Actions a_t (optional). */
  action?: Int32Array;
  /** Rewards r_t (optional). */
  reward?: Float32Array;
  /** 1 where x_{t+1} ended the episode (optional). */
  terminated?: Uint8Array;
}

export interface TransitionSource<O extends Observation = Observation> {
  /** Shape of one observation. */
  readonly observationShape: readonly number[];
  /** Number of distinct transitions held (Infinity for an endless stream). */
  readonly size: number;
  /** The next minibatch of `batchSize` transitions. */
  nextBatch(batchSize: number): Promise<TransitionBatch<O>>;
  /** Position of the sampler (for checkpoints): restoring it repeats the same batches. */
  samplerState(): number[];
  restoreSamplerState(state: readonly number[]): void;
}
