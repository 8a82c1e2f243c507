// Public API of eigenopt, in the order data flows: ALE -> environments -> transition sources ->
// learners -> eigenfunction models -> options -> agents. Each area keeps its own index; this file
// re-exports them and the environments of envs/. Names two areas share are resolved explicitly.
export * from './ale';
export * from './env';
export * from './mdp';
export * from './rng';
export * from './linalg';
export * from './data';
export * from './spin';
export * from './models/eigenfunctions';
export * from './learners';
export * from './options';
export { initBackend, backendNotices } from './backend';
export type { BackendName } from './backend';
export * from './spin/demos';
export * from './models/networks';
export * from '../envs/gridworld';
export * from '../envs/atari';
export * from '../envs/atari_vector';
export { BouncingBalls, generateBallsVideo } from '../envs/balls';
export type { BallsOptions, BallsVideo } from '../envs/balls';
export { runQLearning, Q_LEARNING_DEFAULTS } from '../agents/q_learning';
export type { QLearningArgs, QLearningResult } from '../agents/q_learning';
export { runRandomWalk, coverage } from '../agents/random_walk';
export type { RandomWalkArgs, RandomWalkResult, CoverageResult } from '../agents/random_walk';
export { gridTask } from '../agents/tabular_task';
export { explore, compareExploration, stepFrames, EXPLORE_DEFAULTS } from '../agents/explore';
export type { ExploreArgs, ExploreProbes, ExplorePoint, ExploreSummary, ExploreResult, CompareResult } from '../agents/explore';
export * from './viz/charts';
export * from './report/html';
export type { TabularTask } from '../agents/tabular_task';

export { ACTION_NAMES } from './ale';
export { ACTION_NAMES as GRID_ACTION_NAMES } from '../envs/gridworld';
