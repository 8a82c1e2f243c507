// Feature networks used in more than one place, each described by a plain JSON-able spec so that a
// saved model can be rebuilt from its spec and weights:
// - 'mlp': a dense chain D -> H_1 -> ... -> H_n -> k (hidden activation, linear output);
// - 'grouped-mlp': k independent MLPs D -> H -> ... -> H -> 1 evaluated as one layer (GroupedMLP);
// - 'nature-dqn': the Atari torso of Mnih et al. 2015 (conv 32 8x8/4, conv 64 4x4/2, conv 64 3x3/1,
//   dense 512, ReLU) with a linear head of k outputs;
// - 'pixel-conv': a small conv net for pixel grids (conv 8 4x4/2, conv 16 3x3/2, dense 64 tanh, linear
//   head of k outputs).
// Seeds: layer l (0-based, head included) of a model seeded s is initialised with seed
// s * LAYER_SEED_STRIDE + l + 1 (Glorot-uniform kernels, zero biases); without a seed the
// initialisers are unseeded.
import * as tf from '@tensorflow/tfjs';
import { GroupedMLP } from '../spin/layers';
import type { GroupedActivation } from '../spin/layers';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** Initialiser seed of layer l of a model seeded s: s * LAYER_SEED_STRIDE + l + 1. */
export const LAYER_SEED_STRIDE = 100;
/**
 * Seeds of the gridworld learners' layers (spin, spin on replay, allo, ggdo): layer l of a run with
 * seed s is seeded s * LEARNER_SEED_STRIDE + l + 1, its output layer s * LEARNER_SEED_STRIDE + OUTPUT_SEED_OFFSET.
 */
export const LEARNER_SEED_STRIDE = 7919;
export const OUTPUT_SEED_OFFSET = 1000;

export type DenseActivation = 'relu' | 'tanh' | 'elu' | 'softplus' | 'sigmoid' | 'linear';
const DENSE_ACTIVATIONS: readonly DenseActivation[] = ['relu', 'tanh', 'elu', 'softplus', 'sigmoid', 'linear'];

export interface MlpSpec {
  kind: 'mlp';
  /** Input width D. */
  inputDim: number;
  /** Hidden widths (empty: a linear map). */
  hidden: number[];
  /** Outputs k. */
  outputs: number;
  /** Hidden activation (default relu). */
  activation?: DenseActivation;
  /** Biases in the output layer (default true). */
  outputBias?: boolean;
  seed?: number;
}

export interface GroupedMlpSpec {
  kind: 'grouped-mlp';
  inputDim: number;
  /** Number of independent networks = outputs k. */
  outputs: number;
  hidden: number;
  layers: number;
  activation?: GroupedActivation;
  seed?: number;
}

export interface NatureDqnSpec {
  kind: 'nature-dqn';
  /** [height, width, channels] (the Atari setting: [84, 84, 4]). */
  inputShape: [number, number, number];
  outputs: number;
  seed?: number;
}

export interface PixelConvSpec {
  kind: 'pixel-conv';
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  outputs: number;
  seed?: number;
}

/** A general conv net: convolutions [filters, kernel, stride] (ReLU), flatten, one dense layer, linear head. */
export interface ConvNetSpec {
  kind: 'conv';
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  convs: [number, number, number][];
  dense: number;
  denseActivation?: DenseActivation;
  outputs: number;
  seed?: number;
}

export type NetworkSpec = MlpSpec | GroupedMlpSpec | NatureDqnSpec | PixelConvSpec | ConvNetSpec;

function checkPositiveInt(what: string, name: string, v: unknown): void {
  if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`${what}: ${name} must be a positive integer, got ${String(v)}`);
}

function checkSeed(what: string, seed: unknown): void {
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`${what}: seed must be an integer, got ${String(seed)}`);
}

function checkImageShape(what: string, shape: unknown): void {
  if (!Array.isArray(shape) || shape.length !== 3) throw new Error(`${what}: inputShape must be [height, width, channels], got ${JSON.stringify(shape)}`);
  shape.forEach((d, i) => checkPositiveInt(what, `inputShape[${i}]`, d));
}

/** Glorot-uniform initialiser of layer `layer`, seeded from the model seed (unseeded without one). */
export function layerInitializer(seed: number | undefined, layer: number): Initializer {
  return tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed * LAYER_SEED_STRIDE + layer + 1 });
}

/** Dense chain [B, D] -> [B, k]. */
export function buildMlp(spec: MlpSpec): tf.Sequential {
  const what = 'mlp';
  checkPositiveInt(what, 'inputDim', spec.inputDim);
  checkPositiveInt(what, 'outputs', spec.outputs);
  if (!Array.isArray(spec.hidden)) throw new Error(`${what}: hidden must be an array of widths`);
  spec.hidden.forEach((h, i) => checkPositiveInt(what, `hidden[${i}]`, h));
  checkSeed(what, spec.seed);
  const activation = spec.activation ?? 'relu';
  if (!DENSE_ACTIVATIONS.includes(activation)) throw new Error(`${what}: activation must be one of ${DENSE_ACTIVATIONS.join(', ')}, got '${String(activation)}'`);
  const layers: tf.layers.Layer[] = spec.hidden.map((units, l) =>
    tf.layers.dense({ units, activation, inputShape: l === 0 ? [spec.inputDim] : undefined, kernelInitializer: layerInitializer(spec.seed, l) }));
  layers.push(tf.layers.dense({
    units: spec.outputs, useBias: spec.outputBias ?? true, inputShape: spec.hidden.length === 0 ? [spec.inputDim] : undefined,
    kernelInitializer: layerInitializer(spec.seed, spec.hidden.length),
  }));
  return tf.sequential({ layers });
}

/** k independent MLPs as one GroupedMLP layer, [B, D] -> [B, k]. */
export function buildGroupedMlp(spec: GroupedMlpSpec): tf.LayersModel {
  const what = 'grouped-mlp';
  checkPositiveInt(what, 'inputDim', spec.inputDim);
  checkSeed(what, spec.seed);
  const input = tf.input({ shape: [spec.inputDim] });
  const out = new GroupedMLP({ groups: spec.outputs, hidden: spec.hidden, layers: spec.layers, activation: spec.activation, seed: spec.seed }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Convolutions (filters, kernel, stride, all ReLU), flatten, one dense hidden layer, linear head. */
function convNet(what: string, spec: { inputShape: [number, number, number]; outputs: number; seed?: number }, convs: [number, number, number][], dense: number, denseActivation: DenseActivation): tf.Sequential {
  checkImageShape(what, spec.inputShape);
  checkPositiveInt(what, 'outputs', spec.outputs);
  checkSeed(what, spec.seed);
  const init = (l: number) => layerInitializer(spec.seed, l);
  const layers: tf.layers.Layer[] = convs.map(([filters, kernelSize, strides], l) =>
    tf.layers.conv2d({ inputShape: l === 0 ? spec.inputShape : undefined, filters, kernelSize, strides, activation: 'relu', kernelInitializer: init(l) }));
  layers.push(tf.layers.flatten());
  layers.push(tf.layers.dense({ units: dense, activation: denseActivation, kernelInitializer: init(convs.length) }));
  layers.push(tf.layers.dense({ units: spec.outputs, kernelInitializer: init(convs.length + 1) }));
  const model = tf.sequential({ layers });
  const out = model.outputs[0].shape;
  if (out.some((d, i) => i > 0 && (d === null || d < 1))) throw new Error(`${what}: input [${spec.inputShape}] is too small for the convolutions`);
  return model;
}

/** The Nature-DQN network (Mnih et al. 2015) with a linear head of k outputs. */
export function buildNatureDqn(spec: NatureDqnSpec): tf.Sequential {
  return convNet('nature-dqn', spec, [[32, 8, 4], [64, 4, 2], [64, 3, 1]], 512, 'relu');
}

/** The small pixel-grid conv net (e.g. 20 x 20 frames). */
export function buildPixelConv(spec: PixelConvSpec): tf.Sequential {
  return convNet('pixel-conv', spec, [[8, 4, 2], [16, 3, 2]], 64, 'tanh');
}

/** A conv net of the given layers (e.g. the SpIN paper's Atari network: 3 x (64, 6x6, stride 2), 128). */
export function buildConvNet(spec: ConvNetSpec): tf.Sequential {
  const what = 'conv';
  if (!Array.isArray(spec.convs) || spec.convs.length === 0) throw new Error(`${what}: convs must be a non-empty list of [filters, kernel, stride]`);
  spec.convs.forEach((c, i) => {
    if (!Array.isArray(c) || c.length !== 3) throw new Error(`${what}: convs[${i}] must be [filters, kernel, stride]`);
    c.forEach((v, j) => checkPositiveInt(what, `convs[${i}][${j}]`, v));
  });
  checkPositiveInt(what, 'dense', spec.dense);
  const act = spec.denseActivation ?? 'relu';
  if (!DENSE_ACTIVATIONS.includes(act)) throw new Error(`${what}: denseActivation must be one of ${DENSE_ACTIVATIONS.join(', ')}`);
  return convNet(what, spec, spec.convs, spec.dense, act);
}

/** Builds the network a spec describes. */
export function buildNetwork(spec: NetworkSpec): tf.LayersModel {
  if (!spec || typeof spec !== 'object') throw new Error('buildNetwork: spec object required');
  switch (spec.kind) {
    case 'mlp': return buildMlp(spec);
    case 'grouped-mlp': return buildGroupedMlp(spec);
    case 'nature-dqn': return buildNatureDqn(spec);
    case 'pixel-conv': return buildPixelConv(spec);
    case 'conv': return buildConvNet(spec);
    default: throw new Error(`buildNetwork: unknown network kind ${JSON.stringify((spec as { kind?: unknown }).kind)}`);
  }
}
