// Eigenfunction models: what every learner returns and what options, metrics and plots consume.
//
// A model holds k eigenfunctions e_1..e_k ordered slowest first (ascending eigenvalue of the
// learner's Laplacian-like operator) and evaluates them on any batch of observations of its
// observation shape. The exact learners (pvf, rw, sr) return TabularEigenfunctions over state
// indices; SpIN returns its network with the demixing L^-1 applied (src/spin/model.ts).
import type { Observation } from '../env';

export interface EigenfunctionModel {
  /** Learner that produced it (pvf, rw, sr, spin, allo, ...). */
  readonly learner: string;
  /** Number of eigenfunctions. */
  readonly k: number;
  /** Eigenvalues, ascending, on the learner's reporting scale (I - P for random-walk operators). */
  readonly eigenvalues: Float64Array;
  /** Shape of one input observation. */
  readonly observationShape: readonly number[];
  /** e(x) for `count` observations, row-major [count, k] (float64). */
  evaluate(observations: Observation, count: number): Promise<Float64Array>;
  /** Writes the model to a folder (meta.json plus binary arrays). */
  save(dir: string): Promise<void>;
  /** Frees what the model holds (tensors); a no-op for plain arrays. */
  dispose(): void;
}
