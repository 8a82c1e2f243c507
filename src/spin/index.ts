// Spectral Inference Networks (SpIN) in TF.js: operators, trainer, training loop, checkpoints,
// k x k linear algebra. The demos (which load PNG writers and data generators) are exported from
// ./demos/index.ts.
export * from './operators';
export * from './network';
export { GroupedMLP, GROUPED_LAYER_SEED_STRIDE } from './layers';
export type { GroupedMLPArgs, GroupedActivation } from './layers';
export * as linalg from './linalg';
export { planDenseChain, planLayerChain, explainLayerChain, chainJacobians, perPairJacobians, groupedJacobians, explainWeightGroups, convContractionFlops, CONTRACTION_SUPPORTED } from './jacobian';
export type { ChainPlan, ChainStep, DenseStep, Conv2DStep, FlattenStep, ActivationStep, ChainJacobianOptions, ActivationName, WeightGroups, GroupedLayer } from './jacobian';
export { ScheduledAdam, ScheduledRMSProp, isScheduledOptimizer } from './optimizers';
export type { ScheduledOptimizer, NamedTensor } from './optimizers';
export { writeSpinCheckpoint, readSpinCheckpoint, hasSpinCheckpoint, hasCheckpoint, writeLearnerCheckpoint, readLearnerCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, CHECKPOINT_INDEX, LEARNER_CHECKPOINT_FORMAT, LEARNER_CHECKPOINT_VERSION } from './checkpoint';
export type { SpinCheckpoint, LearnerCheckpoint, NamedArray, CheckpointIndex, CheckpointDtype, TensorGroup } from './checkpoint';
export { trainSpin, trainLoop, transitionBatches, cosineSchedule, DEFAULT_LOG_EVERY } from './train';
export type { LoopTrainer, LoopBatchSource, TrainLoopOptions, SpinBatchSource, ScheduleState, LearningRateSchedule, TrainLogRecord, TrainSpinOptions, TrainSpinResult, TrainRunOptions } from './train';
