// Test fixtures over the raw ALE: an Env over RAM observations and a model reading RAM bytes.
import type { ALEInterface } from '../../src/ale';
import type { Env, Observation, ResetResult, StepResult } from '../../src/env';
import type { EigenfunctionModel } from '../../src/models/eigenfunctions';

/** What AleRamEnv reports per step: the ALE's episode frame counter and lives. */
export interface AleInfo {
  [key: string]: number;
  episodeFrameNumber: number;
  lives: number;
}

/**
 * The ALE as an Env over RAM observations. Deterministic (no sticky actions): the ALE's memory of
 * the previous action, which sticky actions repeat, is not part of its cloneState (as in ALE
 * 0.12.1), so a look-ahead on a sticky raw ALE would change which action a sticky step repeats.
 */
export class AleRamEnv implements Env<Uint8Array, AleInfo, Uint8Array> {
  readonly observationShape = [128];
  readonly actionCount: number;
  constructor(readonly ale: ALEInterface, readonly actionSet: number[]) {
    this.actionCount = actionSet.length;
  }
  reset(): ResetResult<Uint8Array, AleInfo> {
    this.ale.reset_game();
    return { observation: this.ale.getRAM().slice(), info: this.info() };
  }
  step(action: number): StepResult<Uint8Array, AleInfo> {
    const reward = this.ale.act(this.actionSet[action]);
    return { observation: this.ale.getRAM().slice(), reward, terminated: this.ale.game_over(), truncated: false, info: this.info() };
  }
  private info(): AleInfo {
    return { episodeFrameNumber: this.ale.getEpisodeFrameNumber(), lives: this.ale.lives() };
  }
  cloneState(): Uint8Array {
    return this.ale.cloneState(true);
  }
  restoreState(state: Uint8Array): void {
    this.ale.restoreState(state);
  }
}

/** e_j(ram) = ram[bytes[j]]: a model over RAM written for this test. */
export class RamBytesModel implements EigenfunctionModel {
  readonly learner = 'ram-bytes';
  readonly observation = 'ram';
  readonly observationShape = [128];
  readonly info = {};
  readonly k: number;
  readonly eigenvalues: Float64Array;
  calls = 0;
  constructor(readonly bytes: number[]) {
    this.k = bytes.length;
    this.eigenvalues = new Float64Array(this.k);
  }
  async evaluate(observations: Observation, count: number): Promise<Float64Array> {
    this.calls++;
    const out = new Float64Array(count * this.k);
    for (let i = 0; i < count; i++) for (let j = 0; j < this.k; j++) out[i * this.k + j] = observations[i * 128 + this.bytes[j]];
    return out;
  }
  async save(): Promise<void> {
    throw new Error('not saved');
  }
  dispose(): void {}
}
