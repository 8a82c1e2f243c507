// Learners trained on replayed observations (spin, allo, ggdo) behind the EigenLearner interface
// of `discover`: fit(world, k) fills a replay buffer from the gridworld behind the Env interface
// (uniform random policy, episodes of 50 steps from uniformly drawn free cells), trains on
// observation pairs only, then evaluates the learned functions on every state's observation for
// the written eigenvectors and the scores.
import { GridWorld, GridWorldEnv, ObservationKind } from '../../envs/gridworld';
import { ReplayBuffer, REPLAY_DEFAULTS } from '../data/replay';
import { EigenLearner, Eigenfunctions, canonicalize } from '../options/learners';
import type { SpinReplayConfig } from '../learners/spin';
import type { AlloConfig, ReplayLearnerResult } from '../learners/allo';
import type { GgdoConfig } from '../learners/ggdo';

export type ReplayLearnerName = 'spin' | 'allo' | 'ggdo';

export interface ReplayLearnerConfig {
  observation: ObservationKind;
  /** Transitions in the buffer (default 200,000). */
  transitions?: number;
  episodeLength?: number;
  seed?: number;
  /** Learner settings (steps, maxSeconds, learningRate, batchSize, ...). */
  train?: SpinReplayConfig & AlloConfig & GgdoConfig;
}

/** Per observation type: the learners' defaults that differ from their built-in ones (see docs/laplacian-learning.md). */
export function observationDefaults(name: ReplayLearnerName, obs: ObservationKind): SpinReplayConfig & AlloConfig {
  if (name !== 'spin') return {};
  switch (obs) {
    case 'xy':
      return { encoding: 'raw' };
    default:
      return { encoding: 'raw' };
  }
}

export class ReplayLearner implements EigenLearner {
  constructor(readonly name: ReplayLearnerName, private readonly cfg: ReplayLearnerConfig) {}

  async fit(world: GridWorld, k: number): Promise<Eigenfunctions> {
    if (!Number.isInteger(k) || k < 1 || k > world.numStates) throw new Error(`number of eigenfunctions must be an integer in [1, ${world.numStates}], got ${k}`);
    const obs = this.cfg.observation;
    const seed = this.cfg.seed ?? 0;
    const t0 = Date.now();
    const env = new GridWorldEnv(world, { observation: obs, seed });
    const buffer = new ReplayBuffer(env, { transitions: this.cfg.transitions ?? REPLAY_DEFAULTS.transitions, episodeLength: this.cfg.episodeLength, seed });
    const collectSeconds = (Date.now() - t0) / 1000;
    const train = { ...observationDefaults(this.name, obs), ...(this.cfg.train ?? {}), seed };
    let r: ReplayLearnerResult;
    if (this.name === 'spin') r = await (await import('../learners/spin')).trainSpinReplay(buffer, k, train);
    else if (this.name === 'allo') r = await (await import('../learners/allo')).trainAllo(buffer, k, train);
    else r = await (await import('../learners/ggdo')).trainGgdo(buffer, k, train);
    try {
      const n = world.numStates;
      const all = world.observeBatch(Int32Array.from({ length: n }, (_, i) => i), obs);
      const f = r.evaluate(all, n);
      const vectors = Array.from({ length: k }, (_, j) => canonicalize(Float64Array.from({ length: n }, (_, s) => f[s * k + j])));
      return {
        learner: this.name,
        values: Float64Array.from(r.values),
        vectors,
        info: {
          ...r.info,
          observation: obs,
          sampling: 'replay',
          transitions: buffer.size,
          episodeLength: buffer.episodeLength,
          distinctObservations: buffer.distinct,
          collectSeconds,
          trainSeconds: r.seconds,
          sampledTransitions: r.steps * (train.batchSize ?? 1024),
        },
      };
    } finally {
      r.dispose();
    }
  }
}
