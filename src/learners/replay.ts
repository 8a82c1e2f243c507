// Learners from replayed observations (spin, allo, ggdo) behind the EigenLearner interface: they
// read only context.source, a ReplayBuffer of (x, x') observation pairs, never state indices.
import type { ReplayBuffer } from '../data/replay';
import type { EigenfunctionModel } from '../models/eigenfunctions';
import type { AlloConfig } from './allo';
import type { GgdoConfig } from './ggdo';
import { EigenLearner, LearnerContext } from './learner';
import type { SpinReplayConfig } from './spin-replay';

export type ReplayLearnerName = 'spin' | 'allo' | 'ggdo';
export const REPLAY_LEARNERS: readonly ReplayLearnerName[] = ['spin', 'allo', 'ggdo'];

export type ReplayTrainConfig = SpinReplayConfig & AlloConfig & GgdoConfig;

function isReplayBuffer(s: unknown): s is ReplayBuffer {
  return typeof s === 'object' && s !== null && 'sampleRows' in s && 'observations' in s && 'distinct' in s;
}

export class ReplayLearner implements EigenLearner {
  constructor(readonly name: ReplayLearnerName, private readonly cfg: ReplayTrainConfig = {}) {
    if (!REPLAY_LEARNERS.includes(name)) throw new Error(`unknown replay learner ${JSON.stringify(name)} (expected ${REPLAY_LEARNERS.join(', ')})`);
  }

  async fit(context: LearnerContext, k: number): Promise<EigenfunctionModel> {
    const buffer = context.source;
    if (!isReplayBuffer(buffer)) throw new Error(`learner ${this.name} (replay) needs a ReplayBuffer as its transition source`);
    if (!Number.isInteger(k) || k < 1 || k > buffer.distinct) throw new Error(`number of eigenfunctions must be an integer in [1, ${buffer.distinct}] (distinct observations in the buffer), got ${k}`);
    const cfg = { ...this.cfg, onProgress: this.cfg.onProgress ?? (context.log ? (s: number, loss: number, ev: ArrayLike<number>) => context.log?.(`  step ${s}: loss ${loss.toFixed(5)}, eigenvalues ${Array.from(ev, (x) => x.toFixed(4)).join(' ')}`) : undefined) };
    const r =
      this.name === 'spin'
        ? await (await import('./spin-replay')).trainSpinReplay(buffer, k, cfg)
        : this.name === 'allo'
          ? await (await import('./allo')).trainAllo(buffer, k, cfg)
          : await (await import('./ggdo')).trainGgdo(buffer, k, cfg);
    Object.assign(r.model.info, { sampling: 'replay', transitions: buffer.size, episodeLength: buffer.episodeLength, distinctObservations: buffer.distinct });
    return r.model;
  }
}
