// Eigenfunction learners by name. `spin` and `deep-sr` are loaded on demand (they pull in TF.js).
import { PvfLearner, RandomWalkLearner } from './exact';
import type { EigenLearner } from './learner';
import { SrConfig, SrLearner } from './sr';

export * from './learner';
export * from './exact';
export * from './sr';

export type LearnerName = 'pvf' | 'rw' | 'sr' | 'spin' | 'deep-sr';
export const LEARNER_NAMES: readonly LearnerName[] = ['pvf', 'rw', 'sr', 'spin', 'deep-sr'];

/** A learner by name; `sr` takes SrConfig, `spin` its SpinLearnerConfig. */
export async function createLearner(name: string, cfg: SrConfig & Record<string, unknown> = {}): Promise<EigenLearner> {
  switch (name) {
    case 'pvf':
      return new PvfLearner();
    case 'rw':
      return new RandomWalkLearner();
    case 'sr':
      return new SrLearner(cfg);
    case 'spin': {
      const { SpinLearner } = await import('./spin');
      return new SpinLearner(cfg);
    }
    case 'deep-sr': {
      const { DeepSrLearner } = await import('./deep_sr');
      return new DeepSrLearner(cfg);
    }
    default:
      throw new Error(`unknown learner ${JSON.stringify(name)} (expected ${LEARNER_NAMES.join(', ')})`);
  }
}
