// Eigenoptions area: gridworld eigenfunction learners, option policies, termination, metrics.
export * from './linalg';
export * from './rng';
export * from './learners';
export * from './options';
export * from './metrics';
// The `spin` learner lives in './spin-learner' (imports TF.js); createLearner('spin') loads it lazily.
export type { SpinLearnerConfig } from './spin-learner';
