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
import { softArgmaxConv, spatialSoftArgmax } from '../backend';
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

export interface FixedOffsetArgs {
  /** The offset, of the input's shape without the batch axis. */
  shape: number[];
  name?: string;
  inputShape?: number[];
  /** Initial value [offset] (default zeros); saved and loaded with the model's weights. */
  weights?: tf.Tensor[];
}

/**
 * y = x - offset with a fixed (non-trainable) offset of the input's per-example shape, e.g. the
 * mean observation of the training data (per-pixel centring of images). The offset is the layer's
 * weight 'offset', so it is saved and loaded with the model.
 */
export class FixedOffset extends tf.layers.Layer {
  static className = 'FixedOffset';
  readonly offsetShape: number[];
  private offset: tf.LayerVariable | null = null;

  constructor(args: FixedOffsetArgs) {
    super({ name: args.name, inputShape: args.inputShape, weights: args.weights, trainable: false });
    if (!Array.isArray(args.shape) || !args.shape.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`FixedOffset: shape must be a list of positive integers, got ${JSON.stringify(args.shape)}`);
    this.offsetShape = args.shape.slice();
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.slice(1).join() !== this.offsetShape.join()) throw new Error(`FixedOffset: input [${shape}] does not end in the offset's shape [${this.offsetShape}]`);
    this.offset = this.addWeight('offset', this.offsetShape, 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.sub((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor, (this.offset as tf.LayerVariable).read()));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shape: this.offsetShape };
  }
}
tf.serialization.registerClass(FixedOffset);

/** Initial inverse temperature of SpatialSoftArgmax unless set. */
export const DEFAULT_SOFT_ARGMAX_TEMPERATURE = 10;

export interface SpatialSoftArgmaxArgs {
  /** Initial inverse temperature beta of every channel (default DEFAULT_SOFT_ARGMAX_TEMPERATURE); learned. */
  temperature?: number;
  /** Learn beta (default true). */
  learnTemperature?: boolean;
  /**
   * With `filters`, the layer first applies its own learned convolution (filters channels,
   * kernelSize x kernelSize, stride 1, 'same' padding, no bias) and takes the soft-argmax of its
   * maps; without, of the input's channels.
   */
  filters?: number;
  /** Convolution kernel size (default 3). */
  kernelSize?: number;
  /** Standard deviation of the convolution's initial (normal) weights (default 1). */
  kernelStd?: number;
  /** Seed of the convolution's initial weights (default: unseeded). */
  seed?: number;
  name?: string;
  inputShape?: number[];
}

/** Pixel coordinates of the soft-argmax (defined with the op in src/backend). */
export { pixelCoordinates } from '../backend';

/**
 * Spatial soft-argmax (the "spatial softmax" of deep spatial autoencoders, Levine et al. 2016):
 * [B, H, W, C] -> [B, 2C]. For each channel c the feature map a_c becomes a distribution over the
 * pixels, p_c(i, j) = softmax over (i, j) of beta_c * a_c(i, j), and the output is its expected
 * coordinates (E[r], E[col]) under p_c, with rows and columns scaled to [-1, 1] as in
 * pixelCoordinates; outputs are ordered (row_1, col_1, row_2, col_2, ...). beta (one per channel,
 * weight 'inverse_temperature') is learned unless learnTemperature is false. A constant added to a
 * channel does not change its output.
 *
 * With `filters`, a_c are the maps of the layer's own convolution (weight 'kernel'): the same as a
 * conv2d layer without bias followed by this layer, computed as one convolution with the kernel of
 * channel c scaled by beta_c (no per-pixel product with beta). The convolution and the soft-argmax
 * run as one op (softArgmaxConv in src/backend: a fused native kernel on the wasm backend with the
 * native kernels on, else TF ops).
 */
export class SpatialSoftArgmax extends tf.layers.Layer {
  static className = 'SpatialSoftArgmax';
  readonly temperature: number;
  readonly learnTemperature: boolean;
  readonly filters: number | null;
  readonly kernelSize: number;
  readonly kernelStd: number;
  private readonly seed: number | undefined;
  private beta: tf.LayerVariable | null = null;
  private kernel: tf.LayerVariable | null = null;

  constructor(args: SpatialSoftArgmaxArgs = {}) {
    super({ name: args.name, inputShape: args.inputShape });
    const t = args.temperature ?? DEFAULT_SOFT_ARGMAX_TEMPERATURE;
    if (!Number.isFinite(t)) throw new Error(`SpatialSoftArgmax: temperature must be a finite number, got ${t}`);
    if (args.filters != null && (!Number.isInteger(args.filters) || args.filters < 1)) throw new Error(`SpatialSoftArgmax: filters must be a positive integer, got ${args.filters}`);
    const ks = args.kernelSize ?? 3;
    if (!Number.isInteger(ks) || ks < 1) throw new Error(`SpatialSoftArgmax: kernelSize must be a positive integer, got ${ks}`);
    const std = args.kernelStd ?? 1;
    if (!(std > 0)) throw new Error(`SpatialSoftArgmax: kernelStd must be positive, got ${std}`);
    if (args.seed != null && !Number.isInteger(args.seed)) throw new Error(`SpatialSoftArgmax: seed must be an integer, got ${args.seed}`);
    this.temperature = t;
    this.learnTemperature = args.learnTemperature ?? true;
    this.filters = args.filters ?? null;
    this.kernelSize = ks;
    this.kernelStd = std;
    this.seed = args.seed ?? undefined;
  }

  private static dims(inputShape: tf.Shape | tf.Shape[]): [number, number, number] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [, H, W, C] = shape;
    if (shape.length !== 4 || typeof H !== 'number' || typeof W !== 'number' || typeof C !== 'number') throw new Error(`SpatialSoftArgmax: input must be [B, H, W, C] with H, W, C known, got [${shape}]`);
    return [H, W, C];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, , C] = SpatialSoftArgmax.dims(inputShape);
    if (this.filters !== null) {
      const init = tf.initializers.randomNormal({ mean: 0, stddev: this.kernelStd, seed: this.seed });
      this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, C, this.filters], 'float32', init);
    }
    this.beta = this.addWeight('inverse_temperature', [this.filters ?? C], 'float32', tf.initializers.constant({ value: this.temperature }), undefined, this.learnTemperature);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [, , C] = SpatialSoftArgmax.dims(inputShape);
    return [shape[0], 2 * (this.filters ?? C)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [B, H, W] = x.shape;
      const beta = (this.beta as tf.LayerVariable).read();
      if (this.kernel) {
        const k = tf.mul(this.kernel.read(), beta) as tf.Tensor4D; // [kh, kw, C, F] * [F]
        return softArgmaxConv(x, k);
      }
      return spatialSoftArgmax(tf.mul(tf.reshape(x, [B, H * W, x.shape[3]]), beta) as tf.Tensor3D, H, W);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), temperature: this.temperature, learnTemperature: this.learnTemperature, filters: this.filters, kernelSize: this.kernelSize, kernelStd: this.kernelStd, seed: this.seed ?? null };
  }
}
tf.serialization.registerClass(SpatialSoftArgmax);
