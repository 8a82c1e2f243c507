// `sr`: eigenvectors of a successor representation learned by TD(0) under the uniform random
// policy (Machado et al. 2018), symmetrised as (Psi + Psi^T) / 2, largest SR eigenvalue first.
// For Psi = (I - gamma P)^-1 an SR eigenvalue mu maps to the I - P eigenvalue 1 - (1 - 1/mu)/gamma,
// which is how the eigenvalues are reported (ascending, like the other learners').
import { symmetricEigen } from '../linalg';
import type { FiniteMDP } from '../mdp';
import type { TabularEigenfunctions } from '../models/eigenfunctions';
import { Rng } from '../rng';
import { takeK } from './exact';
import { EigenLearner, LearnerContext, checkK, requireWorld } from './learner';

export interface SrConfig {
  /** Episodes of the uniform random policy (default 1000, Machado et al. 2018). */
  episodes?: number;
  /** Steps per episode (default 100). */
  steps?: number;
  /** TD step size (default 0.1). */
  alpha?: number;
  /** SR discount (default 0.9). */
  gamma?: number;
  /** Seed of the start states and actions (default 0). */
  seed?: number;
}

export const SR_DEFAULTS: Required<SrConfig> = { episodes: 1000, steps: 100, alpha: 0.1, gamma: 0.9, seed: 0 };

/** Successor representation Psi (row-major n*n) learned by TD(0) under the uniform random policy. */
export function learnSuccessorRepresentation(mdp: FiniteMDP, cfg: SrConfig = {}): Float64Array {
  const { episodes, steps, alpha, gamma, seed } = { ...SR_DEFAULTS, ...cfg };
  const rng = new Rng(seed);
  const n = mdp.numStates;
  const A = mdp.numActions;
  const psi = new Float64Array(n * n);
  for (let ep = 0; ep < episodes; ep++) {
    let s = rng.int(n);
    for (let t = 0; t < steps; t++) {
      const s2 = mdp.nextTable[s * A + rng.int(A)];
      // psi(s, :) += alpha * (1_s + gamma psi(s', :) - psi(s, :))
      for (let j = 0; j < n; j++) {
        const target = (j === s ? 1 : 0) + gamma * psi[s2 * n + j];
        psi[s * n + j] += alpha * (target - psi[s * n + j]);
      }
      s = s2;
    }
  }
  return psi;
}

export class SrLearner implements EigenLearner {
  readonly name = 'sr';
  constructor(private readonly cfg: SrConfig = {}) {}

  async fit(context: LearnerContext, k: number): Promise<TabularEigenfunctions> {
    const mdp = requireWorld(this.name, context);
    checkK(mdp.numStates, k);
    const { episodes, steps, gamma } = { ...SR_DEFAULTS, ...this.cfg };
    const n = mdp.numStates;
    const psi = learnSuccessorRepresentation(mdp, this.cfg);
    const sym = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = 0.5 * (psi[i * n + j] + psi[j * n + i]);
    const { values, vectors } = symmetricEigen(sym, n);
    // descending SR eigenvalue = ascending I - P eigenvalue
    const idx = Array.from({ length: n }, (_, i) => n - 1 - i);
    const mapped = Float64Array.from(idx.map((i) => 1 - (1 - 1 / values[i]) / gamma));
    return takeK(mapped, idx.map((i) => vectors[i]), k, this.name, { transitions: episodes * steps, episodes, steps });
  }
}
