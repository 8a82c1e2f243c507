// The learner interface: fit(context, k) -> an EigenfunctionModel of the k slowest eigenfunctions.
//
// Exact learners read the world's model (context.world); learners from observations read only
// minibatches of transitions (context.source) and never state indices.
import type { TransitionSource } from '../data/transitions';
import type { ObservableMDP } from '../mdp';
import type { EigenfunctionModel } from '../models/eigenfunctions';

export interface LearnerContext {
  /** The listable world, when there is one (gridworlds): exact learners and evaluation only. */
  world?: ObservableMDP;
  /** Transitions to learn from (learners from observations). */
  source?: TransitionSource;
  /** Progress lines (optional). */
  log?: (line: string) => void;
}

export interface EigenLearner {
  readonly name: string;
  fit(context: LearnerContext, k: number): Promise<EigenfunctionModel>;
}

/** The world of a context, or a clear error naming the learner that needs it. */
export function requireWorld(learner: string, context: LearnerContext): ObservableMDP {
  if (!context.world) throw new Error(`learner ${learner} needs a listable world (a gridworld), not only transitions`);
  return context.world;
}

export function checkK(numStates: number, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > numStates) {
    throw new Error(`number of eigenfunctions must be an integer in [1, ${numStates}], got ${k}`);
  }
}
