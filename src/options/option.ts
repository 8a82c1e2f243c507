// The option interface (Sutton, Precup & Singh 1999): where it can start, what it does, where it
// stops. Value-iteration options on a known model, look-ahead options through an emulator and
// learned (Q-learning / DQN) options all implement it; agents take options only through it.
//
// Protocol for agents: at a decision point call `prepare` (when present, awaited) and then
// `available`; to run an option call `begin` (when present) once, then at every observation
// `prepare` (when present) followed by `terminates` and, while it does not terminate, `act`; when
// the run stops for any reason call `end` (when present).
// Options that decide from tables need neither `prepare` nor `begin`; options that plan through
// a model whose evaluation is asynchronous (look-ahead eigenoptions) do their work in `prepare`.
import type { Observation } from '../env';

export interface Option<O extends Observation = Observation> {
  /** e.g. "+e1", "-e3". */
  readonly name: string;
  /** True where the option may be started (it would not terminate at once). */
  available(observation: O): boolean;
  /** The primitive action to take at this observation. */
  act(observation: O): number;
  /** True where the option stops (before acting). */
  terminates(observation: O): boolean;
  /**
   * Asynchronous work the option needs before available/act/terminates can answer at this
   * observation (optional; agents await it when present).
   */
  prepare?(observation: O): Promise<void>;
  /** The agent starts the option here (optional; options that count their steps reset here). */
  begin?(observation: O): void;
  /**
   * The agent stops running the option (optional): after it terminated, or when the episode or
   * the budget ended first. Options that commit to actions over several steps drop them here.
   */
  end?(): void;
}
