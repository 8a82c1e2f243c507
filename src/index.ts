// Public API of eigenopt. Each area keeps its own index; this file only re-exports them.
// Names two areas share are resolved explicitly below.
export * from './ale';
export * from './spin';
export * from './options';
export * from './data';
export { initBackend, backendNotices } from './backend';
export type { BackendName } from './backend';
export * from '../envs/gridworld';
export * from '../envs/atari';
export * from '../envs/atari_vector';
export { BouncingBalls, generateBallsVideo } from '../envs/balls';
export type { BallsOptions, BallsVideo } from '../envs/balls';

export { ACTION_NAMES } from './ale';
export { ACTION_NAMES as GRID_ACTION_NAMES } from '../envs/gridworld';
export { Rng } from './spin';
export { Rng as OptionsRng } from './options';
