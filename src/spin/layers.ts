// Layers for SpIN feature networks.
//
// GroupedMLP: k independent MLPs (one per eigenfunction, each D -> H -> ... -> H -> 1) evaluated as
// one layer. Separate networks per eigenfunction keep the ordered gradient of one eigenfunction
// from sharing hidden weights (and optimiser statistics) with the others; built from k tf.layers
// chains they cost k times the kernel launches of one network, which on the TF.js wasm backend
// dominates small networks (the hydrogen demo: ~6,000 kernels per step). Here the k networks run
// side by side: the first layer is one [B, D] . [D, k*H] product, every further layer one batched
// product [k, B, H] . [k, H, H], the output one [k, B, H] . [k, H, 1]. The mathematics is exactly
// that of k separate networks (no weight is shared between groups).
import * as tf from '@tensorflow/tfjs';
import type { GroupedLayer, WeightGroups } from './jacobian';

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

function act(x: tf.Tensor, a: GroupedActivation): tf.Tensor {
  switch (a) {
    case 'softplus': return tf.softplus(x);
    case 'tanh': return tf.tanh(x);
    case 'relu': return tf.relu(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'linear': return x;
  }
}

/** [B, D] -> [B, groups]: output g is network g's scalar output. Weights (in order): W0 [D, k*H], b0 [k*H], then per further hidden layer W [k, H, H], b [k, 1, H], then Wout [k, H, 1], bout [k, 1, 1]. */
export class GroupedMLP extends tf.layers.Layer implements GroupedLayer {
  static className = 'GroupedMLP';
  readonly groups: number;
  readonly hidden: number;
  readonly depth: number;
  readonly activationName: GroupedActivation;
  private readonly seed: number | undefined;
  private ws: tf.LayerVariable[] = [];

  constructor(args: GroupedMLPArgs) {
    super({ name: args.name, inputShape: args.inputShape });
    for (const [name, v] of [['groups', args.groups], ['hidden', args.hidden], ['layers', args.layers]] as [string, number][])
      if (!Number.isInteger(v) || v < 1) throw new Error(`GroupedMLP: ${name} must be a positive integer, got ${v}`);
    const a = args.activation ?? 'softplus';
    if (!ACTIVATIONS.includes(a)) throw new Error(`GroupedMLP: activation must be one of ${ACTIVATIONS.join(', ')}, got '${String(a)}'`);
    this.groups = args.groups;
    this.hidden = args.hidden;
    this.depth = args.layers;
    this.activationName = a;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 2 || shape[1] == null) throw new Error(`GroupedMLP: input must be [B, D], got [${shape}]`);
    const D = shape[1], k = this.groups, H = this.hidden;
    let s = this.seed;
    const next = () => (s === undefined ? undefined : s++);
    // Glorot-uniform with each group's own fan-in / fan-out (as for k separate Dense layers)
    const glorot = (fanIn: number, fanOut: number) => {
      const lim = Math.sqrt(6 / (fanIn + fanOut));
      return tf.initializers.randomUniform({ minval: -lim, maxval: lim, seed: next() });
    };
    const zeros = tf.initializers.zeros();
    this.ws = [this.addWeight('W0', [D, k * H], 'float32', glorot(D, H)), this.addWeight('b0', [k * H], 'float32', zeros)];
    for (let l = 1; l < this.depth; l++) {
      this.ws.push(this.addWeight(`W${l}`, [k, H, H], 'float32', glorot(H, H)));
      this.ws.push(this.addWeight(`b${l}`, [k, 1, H], 'float32', zeros));
    }
    this.ws.push(this.addWeight('Wout', [k, H, 1], 'float32', glorot(H, 1)));
    this.ws.push(this.addWeight('bout', [k, 1, 1], 'float32', zeros));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.groups];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const B = x.shape[0], k = this.groups, H = this.hidden;
      const w = this.ws.map((v) => v.read());
      // first layer, all groups in one product: [B, k*H] -> [k, B, H]
      let h: tf.Tensor = act(tf.add(tf.matMul(x, w[0] as tf.Tensor2D), w[1]), this.activationName);
      h = tf.transpose(tf.reshape(h, [B, k, H]), [1, 0, 2]);
      for (let l = 1; l < this.depth; l++)
        h = act(tf.add(tf.matMul(h as tf.Tensor3D, w[2 * l] as tf.Tensor3D), w[2 * l + 1]), this.activationName);
      const out = tf.add(tf.matMul(h as tf.Tensor3D, w[2 * this.depth] as tf.Tensor3D), w[2 * this.depth + 1]); // [k, B, 1]
      return tf.transpose(tf.reshape(out, [k, B]));
    });
  }

  /** Weight blocks per network (for SpIN's grouped Jacobian path): W0/b0 split along their last axis, every other weight along axis 0. */
  weightGroups(): WeightGroups[] {
    return this.weights.map((_, n) => ({ axis: n === 0 ? 1 : 0, groups: this.groups }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, hidden: this.hidden, layers: this.depth, activation: this.activationName, seed: this.seed ?? null };
  }
}
tf.serialization.registerClass(GroupedMLP);

/** A tf.LayersModel [B, inputDim] -> [B, groups] of one GroupedMLP layer. */
export function groupedMLP(inputDim: number, args: GroupedMLPArgs): tf.LayersModel {
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new Error(`groupedMLP: inputDim must be a positive integer, got ${inputDim}`);
  const input = tf.input({ shape: [inputDim] });
  const out = new GroupedMLP(args).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
