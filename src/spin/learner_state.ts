// The whole training state of a learner the shared loop trains other than SpIN's SpectralNetwork
// (ALLO and deep SR): its networks' weights, its optimiser's state, its step and the scalars it
// keeps, saved to and restored from a LearnerCheckpoint folder (checkpoint.ts).
import type * as tf from '@tensorflow/tfjs';
import { readLearnerCheckpoint, writeLearnerCheckpoint } from './checkpoint';
import type { LearnerCheckpoint } from './checkpoint';
import { checkSavedShapes, checkpointArrays, restoreOptimizerState, setWeightsFrom, weightArrays } from './network';

export async function saveLearnerState(
  dir: string,
  learner: string,
  state: { step: number; models: readonly tf.LayersModel[]; optimizer: tf.Optimizer; scalars?: LearnerCheckpoint['scalars'] },
  sampler: number[] | null,
): Promise<void> {
  writeLearnerCheckpoint(
    dir,
    { learner, step: state.step, scalars: state.scalars ?? {}, weights: await weightArrays(state.models), optimizer: await checkpointArrays(await state.optimizer.getWeights()) },
    sampler,
  );
}

/**
 * Restores `models` and `optimizer` from the checkpoint of `learner` in `dir`. In order: `check`
 * sees the scalars, the weights' shapes are checked against `models`, `apply` takes the scalars,
 * then the weights and the optimiser state are set. Returns the step and the sampler state.
 */
export async function loadLearnerState(
  dir: string,
  learner: string,
  models: readonly tf.LayersModel[],
  optimizer: tf.Optimizer,
  hooks: { check?: (scalars: LearnerCheckpoint['scalars']) => void; apply?: (scalars: LearnerCheckpoint['scalars']) => void } = {},
): Promise<{ step: number; sampler: number[] | null }> {
  const { checkpoint: ck, sampler } = readLearnerCheckpoint(dir, learner);
  hooks.check?.(ck.scalars);
  checkSavedShapes(ck.weights, models.flatMap((m) => m.getWeights()), `${learner} checkpoint in ${dir}: its ${models.length > 1 ? "networks' weights do not match these networks" : "network's weights do not match this network"}`);
  hooks.apply?.(ck.scalars);
  setWeightsFrom(models, ck.weights);
  await restoreOptimizerState(optimizer, ck.optimizer);
  return { step: ck.step, sampler };
}
