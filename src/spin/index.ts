// Spectral Inference Networks (SpIN) in TF.js: operators, trainer, training loop, checkpoints,
// k x k linear algebra. The demos (which load PNG writers and data generators) are exported from
// ./demos/index.ts.
export * from './operators';
export * from './network';
export { GroupedMLP, groupedMLP } from './layers';
export type { GroupedMLPArgs, GroupedActivation } from './layers';
export * as linalg from './linalg';
export { planDenseChain, planLayerChain, explainLayerChain, chainJacobians, denseChainJacobians, perPairJacobians, groupedJacobians, explainWeightGroups, convContractionFlops, CONTRACTION_SUPPORTED } from './jacobian';
export type { DensePlan, ChainPlan, ChainStep, DenseStep, Conv2DStep, FlattenStep, ActivationStep, ChainJacobianOptions, ActivationName, WeightGroups, GroupedLayer } from './jacobian';
