// Optimisers whose learning rate a schedule may change between steps, and whose whole state is
// exposed by getWeights()/setWeights() so a checkpoint resumes them exactly.
//
// ScheduledAdam is Adam (Kingma & Ba) with the operations of tf.AdamOptimizer in the same order, so
// it produces the same numbers; its bias-correction products beta1^t and beta2^t are kept as the
// running float32 products and saved with the moments (tf.AdamOptimizer recomputes them with pow()
// on restore, which differs in the last bits). ScheduledRMSProp is tf.RMSPropOptimizer with a public
// learning-rate setter (its accumulators are all in getWeights()).
import * as tf from '@tensorflow/tfjs';

/** An optimiser whose learning rate can be changed between steps. */
export interface ScheduledOptimizer extends tf.Optimizer {
  readonly currentLearningRate: number;
  setLearningRate(learningRate: number): void;
}

/** Whether `o` offers currentLearningRate and setLearningRate (tf.Optimizer's `instanceof` matches any optimiser, so the check is by members). */
export function isScheduledOptimizer(o: tf.Optimizer): o is ScheduledOptimizer {
  return 'currentLearningRate' in o && typeof (o as Partial<ScheduledOptimizer>).setLearningRate === 'function';
}

function checkRate(who: string, lr: number): void {
  if (!(Number.isFinite(lr) && lr >= 0)) throw new Error(`${who}: learning rate must be a finite number >= 0, got ${lr}`);
}

/** A named tensor as the tf.Optimizer weight API passes them. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

const ACC_BETA1 = 'adam/accBeta1';
const ACC_BETA2 = 'adam/accBeta2';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export class ScheduledAdam extends tf.Optimizer implements ScheduledOptimizer {
  static readonly className = 'ScheduledAdam';
  private learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly accBeta1: tf.Variable;
  private readonly accBeta2: tf.Variable;
  private firstMoments: Slot[] = [];
  private secondMoments: Slot[] = [];

  constructor(learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super();
    checkRate('ScheduledAdam', learningRate);
    for (const [name, b] of [['beta1', beta1], ['beta2', beta2]] as [string, number][])
      if (!(b >= 0 && b < 1)) throw new Error(`ScheduledAdam: ${name} must be in [0, 1), got ${b}`);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon ?? tf.backend().epsilon();
    this.accBeta1 = tf.tidy(() => tf.scalar(beta1).variable(false));
    this.accBeta2 = tf.tidy(() => tf.scalar(beta2).variable(false));
  }

  get currentLearningRate(): number {
    return this.learningRate;
  }

  setLearningRate(learningRate: number): void {
    checkRate('ScheduledAdam', learningRate);
    this.learningRate = learningRate;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const registered = tf.engine().registeredVariables;
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, this.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, this.accBeta2);
      names.forEach((name, i) => {
        const value = registered[name];
        if (!value) throw new Error(`ScheduledAdam: no variable named '${name}'`);
        this.firstMoments[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.secondMoments[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = this.firstMoments[i].variable;
        const v = this.secondMoments[i].variable;
        const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        const mHat = tf.div(newM, oneMinusAccBeta1);
        const vHat = tf.div(newV, oneMinusAccBeta2);
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value));
      });
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  /** [iterations, accBeta1, accBeta2, first moments..., second moments...]. */
  override async getWeights(): Promise<NamedTensor[]> {
    return [
      await this.saveIterations(),
      { name: ACC_BETA1, tensor: this.accBeta1 },
      { name: ACC_BETA2, tensor: this.accBeta2 },
      ...[...this.firstMoments, ...this.secondMoments].map((s) => ({ name: s.originalName, tensor: s.variable })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length < 2 || rest[0].name !== ACC_BETA1 || rest[1].name !== ACC_BETA2) throw new Error(`ScheduledAdam.setWeights: expected ${ACC_BETA1} and ${ACC_BETA2} after the iteration count`);
    if ((rest.length - 2) % 2 !== 0) throw new Error('ScheduledAdam.setWeights: first and second moments differ in number');
    this.accBeta1.assign(rest[0].tensor);
    this.accBeta2.assign(rest[1].tensor);
    this.disposeSlots();
    const moments = rest.slice(2);
    const half = moments.length / 2;
    const slot = (w: NamedTensor): Slot => ({ originalName: w.name, variable: w.tensor.variable(false) });
    this.firstMoments = moments.slice(0, half).map(slot);
    this.secondMoments = moments.slice(half).map(slot);
  }

  private disposeSlots(): void {
    [...this.firstMoments, ...this.secondMoments].forEach((s) => s.variable.dispose());
    this.firstMoments = [];
    this.secondMoments = [];
  }

  override dispose(): void {
    this.accBeta1.dispose();
    this.accBeta2.dispose();
    this.disposeSlots();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export class ScheduledRMSProp extends tf.RMSPropOptimizer implements ScheduledOptimizer {
  static override get className(): string {
    return 'ScheduledRMSProp';
  }

  constructor(learningRate: number, decay?: number, momentum?: number, epsilon?: number, centered?: boolean) {
    checkRate('ScheduledRMSProp', learningRate);
    super(learningRate, decay, momentum, epsilon, centered);
  }

  get currentLearningRate(): number {
    return this.learningRate;
  }

  setLearningRate(learningRate: number): void {
    checkRate('ScheduledRMSProp', learningRate);
    this.learningRate = learningRate;
  }
}
