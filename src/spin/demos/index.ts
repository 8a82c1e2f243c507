// The SpIN demos: a matrix operator, the 2D hydrogen atom, slow features of a bouncing-balls video.
export { runMatrixDemo, demoMatrix } from './matrix';
export type { MatrixDemoOptions, MatrixDemoResult } from './matrix';
export { runHydrogenDemo, hydrogenExact } from './hydrogen';
export type { HydrogenDemoOptions, HydrogenDemoResult } from './hydrogen';
export { runBallsDemo, linearSFA, heldOutSlowness, ballsPairBatches } from './balls';
export type { BallsDemoOptions, BallsDemoResult, BallsDemoData, FrameVideo } from './balls';
