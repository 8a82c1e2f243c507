// Networks for the hydrogen demo: per-eigenfunction (or shared) MLPs, optionally multiplied by a
// learnable exponential envelope (as in FermiNet / PauliNet-style wavefunction networks):
//   u_i(x) = MLP_i(inputs) * sum_m pi_im exp(-sigma_im r),  sigma_im = softplus(rho_im) > 0,
// initialised at log-spaced decay rates. The envelope carries the cusp at the nucleus and the long
// exponential tails of the outer shells, which an MLP of bounded inputs represents poorly.
// (The boundary mask is applied outside, by the trainer.)
import * as tf from '@tensorflow/tfjs';
import { GroupedMLP } from '../layers';
import { LAYER_SEED_STRIDE } from '../../models/networks';
import type { GroupedLayer, WeightGroups } from '../jacobian';

/** Seed offset between the branches of the 'separate' architecture (branch i, layer l: s * LAYER_SEED_STRIDE + BRANCH_SEED_STRIDE * (i + 1) + l). */
export const BRANCH_SEED_STRIDE = 1000;

export type HydrogenInputs = 'radial' | 'xy' | 'polar';
export type HydrogenActivation = 'softplus' | 'tanh';
/**
 * 'shared': one MLP with k outputs; 'separate': k MLPs as separate Dense chains; 'grouped': the same k
 * MLPs evaluated with batched matrix products (GroupedMLP in ../layers.ts: same functions, far fewer kernels).
 */
export type HydrogenArchitecture = 'shared' | 'separate' | 'grouped';

export interface HydrogenEnvelopeArgs {
  /** number of eigenfunctions k (outputs) */
  units: number;
  /** exponentials per eigenfunction M */
  terms: number;
  /** smallest and largest initial decay rates (atomic units^-1), log-spaced */
  rateMin: number;
  rateMax: number;
  /** input column holding ln(1 + r) (r in atomic units) */
  logRadiusColumn: number;
  name?: string;
}

/** inverse of softplus, for initial rates */
function softplusInv(y: number): number {
  return y > 20 ? y : Math.log(Math.expm1(y));
}

/** [B, D] inputs (column `logRadiusColumn` = ln(1 + r)) -> [B, units] envelopes sum_m pi_im exp(-sigma_im r). */
export class HydrogenEnvelope extends tf.layers.Layer implements GroupedLayer {
  static className = 'HydrogenEnvelope';
  private readonly units: number;
  private readonly terms: number;
  private readonly rateMin: number;
  private readonly rateMax: number;
  private readonly logRadiusColumn: number;
  private amp: tf.LayerVariable | null = null;
  private rate: tf.LayerVariable | null = null;

  constructor(args: HydrogenEnvelopeArgs) {
    super({ name: args.name });
    for (const [name, v] of [['units', args.units], ['terms', args.terms]] as [string, number][])
      if (!Number.isInteger(v) || v < 1) throw new Error(`HydrogenEnvelope: ${name} must be a positive integer, got ${v}`);
    if (!(args.rateMin > 0) || !(args.rateMax >= args.rateMin) || !Number.isFinite(args.rateMax)) throw new Error(`HydrogenEnvelope: need 0 < rateMin <= rateMax < inf, got ${args.rateMin}, ${args.rateMax}`);
    if (!Number.isInteger(args.logRadiusColumn) || args.logRadiusColumn < 0) throw new Error(`HydrogenEnvelope: logRadiusColumn must be a non-negative integer, got ${args.logRadiusColumn}`);
    this.units = args.units;
    this.terms = args.terms;
    this.rateMin = args.rateMin;
    this.rateMax = args.rateMax;
    this.logRadiusColumn = args.logRadiusColumn;
  }

  /** initial decay rates, log-spaced from rateMin to rateMax */
  initialRates(): number[] {
    const m = this.terms;
    return Array.from({ length: m }, (_, i) => (m === 1 ? Math.sqrt(this.rateMin * this.rateMax) : this.rateMin * (this.rateMax / this.rateMin) ** (i / (m - 1))));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const d = s[s.length - 1];
    if (typeof d === 'number' && this.logRadiusColumn >= d) throw new Error(`HydrogenEnvelope: logRadiusColumn ${this.logRadiusColumn} outside an input of width ${d}`);
    const k = this.units, m = this.terms;
    const rates = this.initialRates();
    const rho = new Float32Array(k * m);
    for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) rho[i * m + j] = softplusInv(rates[j]);
    this.amp = this.addWeight('amplitude', [k, m], 'float32', tf.initializers.constant({ value: 1 / m }));
    this.rate = this.addWeight('rate', [k, m], 'float32', tf.initializers.zeros());
    const t = tf.tensor2d(rho, [k, m]);
    this.rate.write(t);
    t.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], this.units];
  }

  /** Row i of the amplitudes and rates belongs to eigenfunction i alone (SpIN's grouped Jacobian path). */
  weightGroups(): WeightGroups[] {
    return this.weights.map(() => ({ axis: 0, groups: this.units }));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      if (!this.amp || !this.rate) throw new Error('HydrogenEnvelope: called before build');
      const r = tf.expm1(tf.slice(x, [0, this.logRadiusColumn], [-1, 1])); // [B, 1]
      const sigma = tf.softplus(this.rate.read()); // [k, M]
      const e = tf.exp(tf.neg(tf.mul(tf.reshape(r, [-1, 1, 1]), tf.expandDims(sigma, 0)))); // [B, k, M]
      return tf.sum(tf.mul(e, tf.expandDims(this.amp.read(), 0)), 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, terms: this.terms, rateMin: this.rateMin, rateMax: this.rateMax, logRadiusColumn: this.logRadiusColumn };
  }
}

export interface HydrogenModelOptions {
  k: number;
  /** input width (3 for 'radial' and 'polar', 2 for 'xy') */
  inDim: number;
  hidden: number;
  layers: number;
  activation: HydrogenActivation;
  architecture: HydrogenArchitecture;
  /** exponentials per eigenfunction in the envelope (0 = no envelope) */
  envelopeTerms: number;
  envelopeRateMin?: number;
  envelopeRateMax?: number;
  /** input column of ln(1 + r), needed with an envelope */
  logRadiusColumn?: number;
  seed: number;
}

/** The demo's network: [B, inDim] -> [B, k] (before the boundary mask). */
export function buildHydrogenModel(o: HydrogenModelOptions): tf.LayersModel {
  const { k, inDim, hidden, layers: nLayers, activation, architecture, envelopeTerms, seed } = o;
  if (!Number.isInteger(envelopeTerms) || envelopeTerms < 0) throw new Error(`hydrogen model: envelope terms must be a non-negative integer, got ${envelopeTerms}`);
  if (envelopeTerms > 0 && o.logRadiusColumn === undefined) throw new Error('hydrogen model: an envelope needs inputs with a ln(1 + r) column (radial or polar)');
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * LAYER_SEED_STRIDE + s });
  const input = tf.input({ shape: [inDim] });
  let out: tf.SymbolicTensor;
  if (architecture === 'shared') {
    let h: tf.SymbolicTensor = input;
    for (let l = 0; l < nLayers; l++) h = tf.layers.dense({ units: hidden, activation, kernelInitializer: init(l + 1) }).apply(h) as tf.SymbolicTensor;
    out = tf.layers.dense({ units: k, kernelInitializer: init(nLayers + 1) }).apply(h) as tf.SymbolicTensor;
  } else if (architecture === 'grouped') {
    out = new GroupedMLP({ groups: k, hidden, layers: nLayers, activation, seed }).apply(input) as tf.SymbolicTensor;
  } else {
    const heads: tf.SymbolicTensor[] = [];
    for (let i = 0; i < k; i++) {
      let h: tf.SymbolicTensor = input;
      for (let l = 0; l < nLayers; l++) h = tf.layers.dense({ units: hidden, activation, kernelInitializer: init(BRANCH_SEED_STRIDE * (i + 1) + l) }).apply(h) as tf.SymbolicTensor;
      heads.push(tf.layers.dense({ units: 1, kernelInitializer: init(BRANCH_SEED_STRIDE * (i + 1) + nLayers) }).apply(h) as tf.SymbolicTensor);
    }
    out = k === 1 ? heads[0] : (tf.layers.concatenate({ axis: 1 }).apply(heads) as tf.SymbolicTensor);
  }
  if (envelopeTerms > 0) {
    const env = new HydrogenEnvelope({
      units: k, terms: envelopeTerms, rateMin: o.envelopeRateMin ?? 0.1, rateMax: o.envelopeRateMax ?? 3, logRadiusColumn: o.logRadiusColumn as number,
    }).apply(input) as tf.SymbolicTensor;
    out = tf.layers.multiply().apply([out, env]) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: out });
}
