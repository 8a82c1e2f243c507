// Spectral Inference Networks (SpIN) in TF.js: operators, trainer, k x k linear algebra, demos.
export * from './operators';
export * from './network';
export { Rng } from './rng';
export { GroupedMLP, groupedMLP } from './layers';
export type { GroupedMLPArgs, GroupedActivation } from './layers';
export * as linalg from './linalg';
export { planDenseChain, planLayerChain, explainLayerChain, chainJacobians, denseChainJacobians, perPairJacobians, groupedJacobians, explainWeightGroups, convContractionFlops, CONTRACTION_SUPPORTED } from './jacobian';
export type { DensePlan, ChainPlan, ChainStep, DenseStep, Conv2DStep, FlattenStep, ActivationStep, ChainJacobianOptions, ActivationName, WeightGroups, GroupedLayer } from './jacobian';
export { runMatrixDemo, demoMatrix } from './demos/matrix';
export type { MatrixDemoOptions, MatrixDemoResult } from './demos/matrix';
export { runHydrogenDemo, hydrogenExact } from './demos/hydrogen';
export type { HydrogenDemoOptions, HydrogenDemoResult } from './demos/hydrogen';
export { runBallsDemo, linearSFA, heldOutSlowness, ballsModel } from './demos/balls';
export type { BallsDemoOptions, BallsDemoResult } from './demos/balls';
