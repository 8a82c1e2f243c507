// A TransitionSource over a listable world (gridworlds): transitions (s, a) -> s' with the state and
// the action drawn uniformly ('uniform'), or every (s, a) pair equally often in each minibatch
// ('stratified': the exact expectation of uniform sampling, without sampling noise). Learners see
// the observations of s and s' only.
import type { ObservableMDP } from '../mdp';
import { Rng } from '../rng';
import type { TransitionBatch, TransitionSource } from './transitions';

export type MdpSampling = 'uniform' | 'stratified';

export interface MdpSourceOptions {
  /** Observation kind rendered for s and s' (e.g. 'onehot', 'xy', 'pixels'). */
  observation: string;
  sampling?: MdpSampling;
  seed?: number;
}

export class MdpTransitionSource implements TransitionSource<Float32Array> {
  readonly observationShape: readonly number[];
  readonly size: number;
  readonly sampling: MdpSampling;
  private readonly table: Float32Array;
  private readonly obsSize: number;
  private readonly rng: Rng;

  constructor(private readonly world: ObservableMDP, options: MdpSourceOptions) {
    this.sampling = options.sampling ?? 'uniform';
    if (this.sampling !== 'uniform' && this.sampling !== 'stratified') throw new Error(`MdpTransitionSource: unknown sampling ${JSON.stringify(this.sampling)}`);
    this.observationShape = world.observationShapeOf(options.observation);
    this.obsSize = this.observationShape.reduce((a, b) => a * b, 1);
    const states = Int32Array.from({ length: world.numStates }, (_, i) => i);
    this.table = Float32Array.from(world.observeStates(states, options.observation));
    this.size = world.numStates * world.numActions;
    this.rng = new Rng(options.seed ?? 0);
  }

  async nextBatch(batchSize: number): Promise<TransitionBatch<Float32Array>> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`MdpTransitionSource: batch size must be a positive integer, got ${batchSize}`);
    const { numStates: n, numActions: A, nextTable } = this.world;
    if (this.sampling === 'stratified' && batchSize % (n * A) !== 0) {
      throw new Error(`MdpTransitionSource: a stratified batch must hold every (state, action) pair equally often: a multiple of ${n * A}, got ${batchSize}`);
    }
    const d = this.obsSize;
    const x = new Float32Array(batchSize * d);
    const xNext = new Float32Array(batchSize * d);
    const action = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      let s: number;
      let a: number;
      if (this.sampling === 'uniform') {
        s = this.rng.int(n);
        a = this.rng.int(A);
      } else {
        const j = i % (n * A);
        s = Math.floor(j / A);
        a = j % A;
      }
      const s2 = nextTable[s * A + a];
      x.set(this.table.subarray(s * d, (s + 1) * d), i * d);
      xNext.set(this.table.subarray(s2 * d, (s2 + 1) * d), i * d);
      action[i] = a;
    }
    return { size: batchSize, x, xNext, action };
  }

  samplerState(): number[] {
    return [this.rng.state];
  }

  restoreSamplerState(state: readonly number[]): void {
    if (state.length !== 1) throw new Error('MdpTransitionSource: sampler state must be [rngState]');
    this.rng.state = state[0];
  }
}
