// Layers for SpIN feature networks.
//
// GroupedMLP: k independent MLPs (one per eigenfunction, each D -> H -> ... -> H -> 1) evaluated as
// one layer. Separate networks per eigenfunction keep the ordered gradient of one eigenfunction
// from sharing hidden weights (and optimiser statistics) with the others; built from k tf.layers
// chains they cost k times the kernel launches of one network, which on the TF.js wasm backend
// dominates small networks (the hydrogen demo: ~6,000 kernels per step). Here the k networks run
// side by side: every layer is one batched product ([k, B, D] . [k, D, H], ..., [k, B, H] . [k, H, 1]).
// The mathematics is exactly that of k separate networks (no weight is shared between groups).
import * as tf from '@tensorflow/tfjs';
import { activate } from './jacobian';
import type { GroupedLayer, WeightGroups } from './jacobian';

/** Layer l of a GroupedMLP seeded s is initialised with seed s * GROUPED_LAYER_SEED_STRIDE + l. */
export const GROUPED_LAYER_SEED_STRIDE = 1000;

export type GroupedActivation = 'softplus' | 'tanh' | 'relu' | 'sigmoid' | 'linear';
const ACTIVATIONS: readonly GroupedActivation[] = ['softplus', 'tanh', 'relu', 'sigmoid', 'linear'];

export interface GroupedMLPArgs {
  /** number of independent networks (outputs) k */
  groups: number;
  /** hidden units per network */
  hidden: number;
  /** hidden layers per network (>= 1) */
  layers: number;
  /** hidden activation (default softplus) */
  activation?: GroupedActivation;
  /** seed of the Glorot-uniform initialisation (default: unseeded) */
  seed?: number;
  name?: string;
  inputShape?: number[];
}

/**
 * [B, D] -> [B, groups]: output g is network g's scalar output. Weights, per layer l = 0..layers
 * (the last one is the output layer): kernel_l [k, d_l, d_(l+1)] and bias_l [k, 1, d_(l+1)] with
 * d = [D, H, ..., H, 1]; block g (index g on axis 0) belongs to network g alone.
 */
export class GroupedMLP extends tf.layers.Layer implements GroupedLayer {
  static className = 'GroupedMLP';
  readonly groups: number;
  readonly hidden: number;
  readonly depth: number;
  readonly activationName: GroupedActivation;
  private readonly seed: number | undefined;
  private kernels: tf.LayerVariable[] = [];
  private biases: tf.LayerVariable[] = [];

  constructor(args: GroupedMLPArgs) {
    super({ name: args.name, inputShape: args.inputShape });
    for (const [name, v] of [['groups', args.groups], ['hidden', args.hidden], ['layers', args.layers]] as [string, number][])
      if (!Number.isInteger(v) || v < 1) throw new Error(`GroupedMLP: ${name} must be a positive integer, got ${v}`);
    const a = args.activation ?? 'softplus';
    if (!ACTIVATIONS.includes(a)) throw new Error(`GroupedMLP: activation must be one of ${ACTIVATIONS.join(', ')}, got '${String(a)}'`);
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new Error(`GroupedMLP: seed must be an integer, got ${args.seed}`);
    this.groups = args.groups;
    this.hidden = args.hidden;
    this.depth = args.layers;
    this.activationName = a;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const D = shape[shape.length - 1];
    if (shape.length !== 2 || typeof D !== 'number') throw new Error(`GroupedMLP: input must be [B, D] with D known, got [${shape}]`);
    const k = this.groups;
    const dims = [D, ...Array.from({ length: this.depth }, () => this.hidden), 1];
    for (let l = 0; l + 1 < dims.length; l++) {
      // Glorot-uniform with each network's own fan-in / fan-out (as for k separate Dense layers)
      const lim = Math.sqrt(6 / (dims[l] + dims[l + 1]));
      const init = tf.initializers.randomUniform({ minval: -lim, maxval: lim, seed: this.seed === undefined ? undefined : this.seed * GROUPED_LAYER_SEED_STRIDE + l });
      this.kernels.push(this.addWeight(`kernel_${l}`, [k, dims[l], dims[l + 1]], 'float32', init));
      this.biases.push(this.addWeight(`bias_${l}`, [k, 1, dims[l + 1]], 'float32', tf.initializers.zeros()));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.groups];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const B = x.shape[0], k = this.groups;
      let h: tf.Tensor3D = tf.tile(tf.expandDims(x, 0), [k, 1, 1]) as tf.Tensor3D; // [k, B, D]
      const last = this.kernels.length - 1;
      this.kernels.forEach((kv, l) => {
        const z = tf.add(tf.matMul(h, kv.read() as tf.Tensor3D), this.biases[l].read()) as tf.Tensor3D;
        h = (l === last ? z : activate(z, this.activationName)) as tf.Tensor3D;
      });
      return tf.transpose(tf.reshape(h, [k, B]), [1, 0]); // [B, k]
    });
  }

  /** Weight blocks per network (SpIN's grouped Jacobian path): every weight splits along axis 0. */
  weightGroups(): WeightGroups[] {
    return this.weights.map(() => ({ axis: 0, groups: this.groups }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, hidden: this.hidden, layers: this.depth, activation: this.activationName, seed: this.seed ?? null };
  }
}
tf.serialization.registerClass(GroupedMLP);
