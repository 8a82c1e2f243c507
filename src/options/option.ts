// The option interface (Sutton, Precup & Singh 1999): where it can start, what it does, where it
// stops. Value-iteration options on a known model, look-ahead options through an emulator and
// learned (Q-learning / DQN) options all implement it; agents take options only through it.
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
}
