// Exact eigenfunction learners on a listable world: eigenvectors of a Laplacian built from the
// world's model, by the dense symmetric eigensolver.
//   pvf: Machado's normalised Laplacian D^{-1/2}(D - W)D^{-1/2} (Machado et al. 2017).
//   rw:  I - P for the uniform random walk with wall bumps as self-loops; the operator SpIN's
//        slowness objective converges to on uniformly sampled transitions.
import { symmetricEigen } from '../linalg';
import type { SymmetricEigen } from '../linalg';
import { normalizedLaplacian, randomWalkLaplacian } from '../mdp';
import type { FiniteMDP } from '../mdp';
import { TabularEigenfunctions, canonicalize } from '../models/eigenfunctions';
import { EigenLearner, LearnerContext, checkK, requireWorld } from './learner';

/** The first k of an ascending decomposition, each vector canonicalised (unit norm, sign fixed). */
export function takeK(values: Float64Array, vectors: Float64Array[], k: number, learner: string, info: Record<string, number | string>): TabularEigenfunctions {
  return new TabularEigenfunctions(
    learner,
    values.slice(0, k),
    vectors.slice(0, k).map((v) => canonicalize(Float64Array.from(v))),
    info,
  );
}

export const PVF_OPERATOR = 'D^-1/2 (D - W) D^-1/2';
export const RW_OPERATOR = 'I - P';

/** Exact eigenfunctions of the normalised Laplacian. */
export function pvfEigenfunctions(mdp: FiniteMDP, k: number): TabularEigenfunctions {
  checkK(mdp.numStates, k);
  const { values, vectors } = symmetricEigen(normalizedLaplacian(mdp), mdp.numStates);
  return takeK(values, vectors, k, 'pvf', { operator: PVF_OPERATOR });
}

/** Exact eigenfunctions of I - P. */
export function randomWalkEigenfunctions(mdp: FiniteMDP, k: number): TabularEigenfunctions {
  checkK(mdp.numStates, k);
  const { values, vectors } = symmetricEigen(randomWalkLaplacian(mdp), mdp.numStates);
  return takeK(values, vectors, k, 'rw', { operator: RW_OPERATOR });
}

export class PvfLearner implements EigenLearner {
  readonly name = 'pvf';
  async fit(context: LearnerContext, k: number): Promise<TabularEigenfunctions> {
    return pvfEigenfunctions(requireWorld(this.name, context), k);
  }
}

export class RandomWalkLearner implements EigenLearner {
  readonly name = 'rw';
  async fit(context: LearnerContext, k: number): Promise<TabularEigenfunctions> {
    return randomWalkEigenfunctions(requireWorld(this.name, context), k);
  }
}

/** The operator a learner's eigenfunctions are compared with: `pvf`'s normalised Laplacian, I - P otherwise. */
export function exactOperator(mdp: FiniteMDP, learner: string): { matrix: Float64Array; name: string } {
  return learner === 'pvf' ? { matrix: normalizedLaplacian(mdp), name: PVF_OPERATOR } : { matrix: randomWalkLaplacian(mdp), name: RW_OPERATOR };
}

/**
 * Exact eigenfunctions to compare a learner with (see exactOperator); `spectrum`, the operator's
 * decomposition when the caller has it, saves computing it again.
 */
export function exactReference(mdp: FiniteMDP, learner: string, k: number, spectrum?: SymmetricEigen): TabularEigenfunctions {
  checkK(mdp.numStates, k);
  const op = exactOperator(mdp, learner);
  const { values, vectors } = spectrum ?? symmetricEigen(op.matrix, mdp.numStates);
  return takeK(values, vectors, k, learner === 'pvf' ? 'pvf' : 'rw', { operator: op.name });
}
