// Public API of eigenopt, in the order data flows: ALE -> environments -> transition sources ->
// learners -> eigenfunction models -> options -> agents. Each area keeps its own index; this file
// re-exports them and the environments of envs/. Names two areas share are resolved explicitly.
export * from './src/ale';
export * from './src/env';
export * from './src/mdp';
export * from './src/rng';
export * from './src/linalg';
export * from './src/data';
export * from './src/spin';
export * from './src/models/eigenfunctions';
export * from './src/learners';
export * from './src/options';
export { initBackend, backendNotices } from './src/backend';
export type { BackendName } from './src/backend';
export * from './src/spin/demos';
export * from './src/models/networks';
export * from './envs/gridworld';
export * from './envs/atari';
export * from './envs/atari_vector';
export { BouncingBalls, generateBallsVideo } from './envs/balls';
export type { BallsOptions, BallsVideo } from './envs/balls';
export { runQLearning, Q_LEARNING_DEFAULTS } from './agents/q_learning';
export type { QLearningArgs, QLearningResult } from './agents/q_learning';
export { runRandomWalk, coverage } from './agents/random_walk';
export type { RandomWalkArgs, RandomWalkResult, CoverageResult } from './agents/random_walk';
export { gridTask } from './agents/tabular_task';
export { explore, compareExploration, stepFrames, EXPLORE_DEFAULTS } from './agents/explore';
export type { ExploreArgs, ExploreProbes, ExplorePoint, ExploreSummary, ExploreResult, CompareResult } from './agents/explore';
export * from './src/viz/charts';
export * from './src/report/html';
export type { TabularTask } from './agents/tabular_task';

export { ACTION_NAMES } from './src/ale';
export { ACTION_NAMES as GRID_ACTION_NAMES } from './envs/gridworld';
