// Look-ahead eigenoptions: eigenoptions on environments with no model to plan over, only a
// simulator that can save and restore its state (the emulator), as in Machado et al. (2018) on
// Atari. The eigenpurpose of eigenfunction e with sign s is r(x, x') = s * (e(x') - e(x)) on the
// learned model's e. At each state the option tries every action from a saved copy of the
// environment (cloneState, step, restoreState), evaluates e on the current observation and the
// resulting ones in ONE batched model.evaluate call, and takes the action of largest r (ties go
// to the action listed first, by default the lowest action id). It terminates where no action
// improves the eigenpurpose by more than `tolerance`, or after `maxSteps` of its own steps.
// This is the greedy one-step look-ahead policy: it maximises the immediate eigenpurpose, i.e.
// the value-iteration eigenoption in the limit of discount gamma -> 0.
//
// model.evaluate is asynchronous while Option's methods are not, so the look-ahead runs in
// `prepare(observation)` (awaited by agents, see the protocol in option.ts):
//   const opt = new LookaheadEigenoption(env, model, { eigenIndex: 1, sign: 1 });
//   await opt.prepare(obs);                      // simulates |A| steps, one model.evaluate
//   if (opt.available(obs)) { opt.begin(obs); while (true) { await opt.prepare(obs);
//     if (opt.terminates(obs)) break; obs = env.step(opt.act(obs)).observation; } }
// lookaheadEigenoptions(env, model, count) builds +e1, -e1, +e2, ... sharing one
// LookaheadSimulator, so one look-ahead and one model.evaluate serve all options at a state.
//
// The observation given to prepare/available/act/terminates must be the environment's current
// one: the look-ahead simulates from the environment's state, not from the observation. Results
// are cached for the last observation (same array, same contents) until an option acts, so
// terminates() and act() at that observation do not simulate again; available/act/terminates at
// an observation that was not prepared throw.
//
// Stochastic environments: the look-ahead is exact only when cloneState captures all randomness
// (e.g. the ALE's sticky-action RNG). When the clone leaves the RNG out, each simulated step
// draws from the live random stream and the actual step after the decision may differ from the
// simulated one (and the environment's random stream advances during look-ahead); the greedy
// choice is then a one-sample estimate. Sticky actions also remember the previous action: the
// ALE's cloneState (like ALE 0.12.1's) leaves that memory out, so on a raw sticky ALE the step
// after a look-ahead may repeat the last *simulated* action. An environment wanting an exact
// look-ahead under sticky actions keeps the previous action in its own clone and restores it.
//
// A simulated step that ends the episode (terminated) is never chosen: its gain counts as
// -Infinity, since the look-ahead cannot see past the episode end.
import type { Env, EnvInfo, Observation } from '../env';
import { observationSize } from '../env';
import type { EigenfunctionModel } from '../models/eigenfunctions';
import type { Option } from './option';
import { OPTION_DEFAULTS, optionSlot } from './options';

export interface LookaheadConfig<O extends Observation = Observation, S = unknown> extends LookaheadSimulatorConfig<O> {
  /** 0-based index of the eigenfunction (0 = e1). */
  eigenIndex: number;
  /** +1 climbs e, -1 descends it. */
  sign: 1 | -1;
  /** The option terminates after this many of its own steps (default 100). */
  maxSteps?: number;
  /** It terminates where no action's gain exceeds this (default 1e-10, as value-iteration options). */
  tolerance?: number;
  /** A simulator shared with other options of the same environment and model (default: its own). */
  simulator?: LookaheadSimulator<O, S>;
  /**
   * An action whose outcome is the baseline (e.g. Atari's NOOP): the option continues only where
   * the best action beats it by more than `tolerance` too, so changes of e the agent does not cause
   * (other objects moving) do not keep it running. Default: none.
   */
  baselineAction?: number;
}

export const LOOKAHEAD_DEFAULTS = { maxSteps: 100, tolerance: OPTION_DEFAULTS.tolerance };

/** An environment that can save and restore its exact state. */
export type CloneableEnv<O extends Observation, S> = Env<O, EnvInfo, S> & { cloneState(): S; restoreState(state: S): void };

/** What the look-ahead found at one observation. */
export interface LookaheadDecision {
  /** Chosen action, or -1 where no action improves the eigenpurpose by more than the tolerance. */
  action: number;
  /** Gain r = sign * (e(x'_a) - e(x)) per tried action (in `actions` order); -Infinity for episode ends. */
  gains: Float64Array;
  /** e_i at the current observation. */
  value: number;
}

/** Copies an observation (environments may reuse their observation buffers). */
function copyObservation(o: Observation): Observation {
  return o instanceof Uint8Array ? Uint8Array.from(o) : Float32Array.from(o);
}

function sameContents(a: Observation, b: Observation): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** All eigenfunctions at the current observation and after each tried action. */
export interface LookaheadValues {
  /** Row-major [(1 + actions) x k]: row 0 the current observation, row 1 + i after actions[i]. */
  e: Float64Array;
  /**
   * After the longer holds (computed lazily by heldValues): row-major [(actions x holds) x k], row
   * i * holds.length + h after holding actions[i] for holds[h] steps; lost[row] = 1 where that hold
   * lost a life or ended the episode; lostLater[row] the lazy settle check (holdLostLater), -1 not yet.
   */
  held?: { e: Float64Array; lost: Uint8Array; lostLater: Int8Array };
  /** Whether the simulated step of actions[i] ended the episode. */
  ended: boolean[];
  /** Per action: 1 when the life-loss horizon check found a lost life, 0 when not, -1 not checked yet. */
  lostLater: Int8Array;
}

export interface LookaheadSimulatorConfig<O extends Observation = Observation> {
  /** Actions tried, in tie-break order (default 0 .. actionCount-1). */
  actions?: readonly number[];
  /**
   * Each action is simulated this many steps in a row before e is evaluated, and an option that
   * chooses it commits to it for as many steps (default 1: the one-step look-ahead). Longer
   * commitments average out e's changes that do not come from the agent's own progress (sprite
   * poses, other objects).
   */
  repeat?: number;
  /**
   * Treat a simulated action whose info reports fewer `lives` than another action's as an episode
   * end (never chosen): a life lost that some action avoids. Default true; environments without
   * `lives` in their info are unaffected.
   */
  avoidLifeLoss?: boolean;
  /**
   * Steps of `settleAction` simulated after a tried action's `repeat` steps, only to see whether it
   * leads to a lost life (games such as Montezuma's Revenge take the life away only after a fall or
   * a death animation): such an action is never chosen. e is still evaluated right after the
   * repeat. The check runs lazily, only for an action an option is about to choose (and is cached
   * with the observation's values), so it costs repeat + horizon steps per candidate, not per
   * action. Default 0 (no check).
   */
  lifeLossHorizon?: number;
  /**
   * Settle steps used instead of `lifeLossHorizon` where the state is on its last life (info.lives
   * <= 1: the ALE counts the life being played, and games without lives report 0). There a death
   * can only show as the episode's end, which some games signal later than they would have dropped
   * the lives counter: Montezuma's Revenge ends the game 12-14 steps (of 4 frames) after the step
   * at which the same death costs a life when lives are left. Default: `lifeLossHorizon`.
   */
  gameOverHorizon?: number;
  /** The action of those extra steps (default 0, the ALE's NOOP in the minimal action sets). */
  settleAction?: number;
  /**
   * Longer holds tried before a running option gives up (default none): where the `repeat`-step
   * look-ahead finds no action that improves the eigenpurpose, every action is also held for each
   * of these step counts (longer than `repeat`, ascending), and the option commits to the best such
   * hold that improves it (against the baseline action held as long, and never one that loses a
   * life within the hold and `lifeLossHorizon` settle steps) instead of terminating. Options still
   * start only where the `repeat`-step look-ahead finds a gain; the holds cost
   * actions x max(holds) simulated steps, only where a running option would otherwise stop.
   */
  holds?: readonly number[];
  /** Maps an environment observation to the model's input (default: the observation itself). */
  modelInput?: (observation: O) => Observation;
}

/**
 * The simulation half of the look-ahead, shared by all eigenoptions of one environment and model:
 * tries every action from a saved state and evaluates the model once on the batch. The result is
 * cached for the last observation (same array, same contents) until invalidate() (called by an
 * option's act(), since the environment is about to move).
 */
export class LookaheadSimulator<O extends Observation = Observation, S = unknown> {
  readonly actions: readonly number[];
  readonly repeat: number;
  readonly holds: readonly number[];
  private readonly avoidLifeLoss: boolean;
  private readonly lifeLossHorizon: number;
  private readonly gameOverHorizon: number;
  private readonly settleAction: number;
  private readonly modelInput: (observation: O) => Observation;
  private readonly inputSize: number;
  private cacheRef: O | null = null;
  private cacheCopy: Observation | null = null;
  private cache: LookaheadValues | null = null;
  /** For the lazy life-loss check: the environment's state at the cached observation, and the most lives any tried action kept. */
  private cacheState: S | null = null;
  private cacheLives = NaN;
  /** Simulated steps taken so far (look-ahead cost, not agent steps). */
  simulatedSteps = 0;
  /** model.evaluate calls so far. */
  evaluations = 0;

  constructor(
    readonly env: CloneableEnv<O, S>,
    readonly model: EigenfunctionModel,
    cfg: LookaheadSimulatorConfig<O> = {},
  ) {
    if (typeof env.cloneState !== 'function' || typeof env.restoreState !== 'function') {
      throw new Error('look-ahead options: the environment must offer cloneState and restoreState');
    }
    this.actions = cfg.actions ?? Array.from({ length: env.actionCount }, (_, a) => a);
    if (this.actions.length === 0) throw new Error('look-ahead options: no actions to try');
    for (const a of this.actions) {
      if (!Number.isInteger(a) || a < 0 || a >= env.actionCount) throw new Error(`look-ahead options: action ${a} out of range 0..${env.actionCount - 1}`);
    }
    this.modelInput = cfg.modelInput ?? ((o: O): Observation => o);
    this.inputSize = observationSize(model.observationShape);
    this.repeat = cfg.repeat ?? 1;
    if (!Number.isInteger(this.repeat) || this.repeat < 1) throw new Error(`look-ahead options: repeat must be a positive integer, got ${cfg.repeat}`);
    this.avoidLifeLoss = cfg.avoidLifeLoss ?? true;
    this.lifeLossHorizon = cfg.lifeLossHorizon ?? 0;
    if (!Number.isInteger(this.lifeLossHorizon) || this.lifeLossHorizon < 0) throw new Error(`look-ahead options: lifeLossHorizon must be a non-negative integer, got ${cfg.lifeLossHorizon}`);
    this.gameOverHorizon = cfg.gameOverHorizon ?? this.lifeLossHorizon;
    if (!Number.isInteger(this.gameOverHorizon) || this.gameOverHorizon < 0) throw new Error(`look-ahead options: gameOverHorizon must be a non-negative integer, got ${cfg.gameOverHorizon}`);
    this.holds = [...(cfg.holds ?? [])];
    this.holds.forEach((h, i) => {
      if (!Number.isInteger(h) || h <= this.repeat || (i > 0 && h <= this.holds[i - 1])) {
        throw new Error(`look-ahead options: holds must be ascending integers longer than repeat (${this.repeat}), got [${this.holds.join(', ')}]`);
      }
    });
    this.settleAction = cfg.settleAction ?? 0;
    if (!Number.isInteger(this.settleAction) || this.settleAction < 0 || this.settleAction >= env.actionCount) throw new Error(`look-ahead options: settleAction ${cfg.settleAction} out of range 0..${env.actionCount - 1}`);
  }

  /** The values at this observation, or null when they are not computed (call values()). */
  cached(observation: O): LookaheadValues | null {
    if (this.cache && this.cacheRef === observation && this.cacheCopy && sameContents(this.cacheCopy, observation)) return this.cache;
    return null;
  }

  /** Forgets the cached values (the environment is about to step). */
  invalidate(): void {
    this.cacheRef = null;
    this.cacheCopy = null;
    this.cache = null;
    this.cacheState = null;
  }

  /** Whether the life-loss check is on (lifeLossHorizon or gameOverHorizon > 0, and avoidLifeLoss). */
  get checksLaterLifeLoss(): boolean {
    return this.avoidLifeLoss && (this.lifeLossHorizon > 0 || this.gameOverHorizon > 0);
  }

  /** Settle steps of the life-loss check from a state whose tried actions kept `lives`. */
  private settleSteps(lives: number): number {
    return Number.isFinite(lives) && lives <= 1 ? this.gameOverHorizon : this.lifeLossHorizon;
  }

  /**
   * Whether tried action i, held `repeat` steps and followed by the settle steps of `settleAction`
   * (`lifeLossHorizon`, on the last life `gameOverHorizon`), ends with fewer lives than the best tried action kept after its `repeat` steps
   * (or ends the episode), from the cached observation's state; computed once per observation and
   * action, the environment (and the caller's observation array) restored after.
   */
  lostLifeLater(v: LookaheadValues, i: number): boolean {
    if (v !== this.cache || this.cacheState === null) throw new Error('look-ahead options: lostLifeLater on values that are no longer current');
    if (v.lostLater[i] < 0) v.lostLater[i] = this.lifeLostAfter(i, this.repeat) ? 1 : 0;
    return v.lostLater[i] === 1;
  }

  /**
   * Whether actions[i] held `steps` steps, then `lifeLossHorizon` (on the last life
   * `gameOverHorizon`) steps of `settleAction`, from the cached observation's state ends the
   * episode or leaves fewer lives than the best tried action kept; the environment (and the
   * caller's observation array) restored after.
   */
  private lifeLostAfter(i: number, steps: number): boolean {
    const env = this.env;
    const saved = this.cacheState;
    if (saved === null) throw new Error('look-ahead options: no cached state to simulate from');
    const observation = this.cacheRef;
    const held = this.cacheCopy;
    let lost = false;
    try {
      let lives = this.cacheLives;
      const total = steps + this.settleSteps(this.cacheLives);
      for (let t = 0; t < total && !lost; t++) {
        const r = env.step(t < steps ? this.actions[i] : this.settleAction);
        this.simulatedSteps++;
        if (typeof r.info.lives === 'number') lives = r.info.lives;
        lost = r.terminated || (Number.isFinite(this.cacheLives) && lives < this.cacheLives);
      }
    } finally {
      env.restoreState(saved);
      if (observation && held) observation.set(held);
    }
    return lost;
  }

  /**
   * Simulates every action from the environment's current state, restoring it after each, then
   * evaluates e on [current, next_0, next_1, ...] in one model.evaluate call.
   */
  async values(observation: O): Promise<LookaheadValues> {
    const hit = this.cached(observation);
    if (hit) return hit;
    const env = this.env;
    const saved = env.cloneState();
    // environments may write every observation into one buffer (AtariEnv does): keep the current
    // one, and put it back into the caller's array after simulating
    const held = copyObservation(observation);
    const nexts: Observation[] = [];
    const ended: boolean[] = [];
    const lives: number[] = [];
    try {
      for (const a of this.actions) {
        let last: Observation = observation;
        let end = false;
        let lv = NaN;
        for (let t = 0; t < this.repeat && !end; t++) {
          const r = env.step(a);
          this.simulatedSteps++;
          last = r.observation;
          end = r.terminated;
          if (typeof r.info.lives === 'number') lv = r.info.lives;
        }
        nexts.push(copyObservation(this.checkedInput(last as O)));
        ended.push(end);
        lives.push(lv);
        env.restoreState(saved);
      }
    } finally {
      env.restoreState(saved);
      observation.set(held);
    }
    // the most lives any tried action keeps: an action ending with fewer lost one some other avoids
    const finite = lives.filter((x) => Number.isFinite(x));
    const most = finite.length > 0 ? Math.max(...finite) : NaN;
    if (this.avoidLifeLoss) {
      lives.forEach((lv, i) => {
        if (Number.isFinite(lv) && lv < most) ended[i] = true;
      });
    }
    const e = await this.evaluateWith(observation, nexts);
    const v: LookaheadValues = { e, ended, lostLater: new Int8Array(this.actions.length).fill(-1) };
    this.cacheRef = observation;
    this.cacheCopy = held;
    this.cache = v;
    this.cacheState = saved;
    this.cacheLives = most;
    return v;
  }

  /**
   * The values after holding every action for each of `holds` steps, from the state of the cached
   * observation (whose values() must be current); cached with those values. One pass of
   * max(holds) steps per action from the saved state, one model.evaluate; the settle steps after a
   * hold are checked lazily (holdLostLater), only for a hold an option is about to take.
   */
  async heldValues(observation: O): Promise<NonNullable<LookaheadValues['held']>> {
    const v = this.cached(observation);
    if (!v || this.cacheState === null) throw new Error('look-ahead options: heldValues at an observation whose values are not current');
    if (v.held) return v.held;
    if (this.holds.length === 0) throw new Error('look-ahead options: no holds configured');
    const env = this.env;
    const saved = this.cacheState;
    const held = copyObservation(observation);
    const longest = this.holds[this.holds.length - 1];
    const nh = this.holds.length;
    const rows: Observation[] = [];
    const lost = new Uint8Array(this.actions.length * nh);
    const lives0 = this.cacheLives;
    const losesLife = (r: { terminated: boolean; info: EnvInfo }): boolean =>
      r.terminated || (this.avoidLifeLoss && Number.isFinite(lives0) && typeof r.info.lives === 'number' && r.info.lives < lives0);
    try {
      this.actions.forEach((a, i) => {
        let dead = false;
        let last: Observation = observation;
        for (let t = 1, h = 0; t <= longest; t++) {
          if (!dead) {
            const r = env.step(a);
            this.simulatedSteps++;
            last = r.observation;
            dead = losesLife(r);
          }
          if (t === this.holds[h]) {
            rows.push(copyObservation(this.checkedInput(last as O)));
            lost[i * nh + h] = dead ? 1 : 0;
            h++;
          }
        }
        env.restoreState(saved);
      });
    } finally {
      env.restoreState(saved);
      observation.set(held);
    }
    const e = await this.evaluateWith(observation, rows);
    v.held = { e: e.subarray(this.model.k), lost, lostLater: new Int8Array(lost.length).fill(-1) };
    return v.held;
  }

  /**
   * Whether holding actions[i] for holds[h] steps, then the settle steps of `settleAction`
   * (`lifeLossHorizon`, on the last life `gameOverHorizon`), loses a life (the lazy check of lostLifeLater, for a hold an option is about to choose).
   */
  holdLostLater(v: LookaheadValues, i: number, h: number): boolean {
    if (!this.checksLaterLifeLoss) return false;
    if (v !== this.cache || this.cacheState === null || !v.held) throw new Error('look-ahead options: holdLostLater on values that are no longer current');
    const row = i * this.holds.length + h;
    if (v.held.lostLater[row] < 0) v.held.lostLater[row] = this.lifeLostAfter(i, this.holds[h]) ? 1 : 0;
    return v.held.lostLater[row] === 1;
  }

  /** e on [the current observation, ...simulated model inputs] in one model.evaluate call. */
  private async evaluateWith(observation: O, simulated: readonly Observation[]): Promise<Float64Array> {
    const current = this.checkedInput(observation);
    const count = simulated.length + 1;
    const batch = current instanceof Uint8Array ? new Uint8Array(count * this.inputSize) : new Float32Array(count * this.inputSize);
    batch.set(current, 0);
    simulated.forEach((x, i) => batch.set(x, (i + 1) * this.inputSize));
    const e = await this.model.evaluate(batch, count);
    this.evaluations++;
    if (e.length !== count * this.model.k) {
      throw new Error(`look-ahead options: model returned ${e.length} values for ${count} observations x ${this.model.k} eigenfunctions`);
    }
    return e;
  }

  private checkedInput(o: O): Observation {
    const x = this.modelInput(o);
    if (x.length !== this.inputSize) {
      throw new Error(`look-ahead options: model reads ${this.model.observation} observations of ${this.inputSize} values but got ${x.length}`);
    }
    return x;
  }
}

/** The greedy one-step look-ahead eigenoption of sign * e_{eigenIndex+1} (see the file header). */
export class LookaheadEigenoption<O extends Observation = Observation, S = unknown> implements Option<O> {
  readonly name: string;
  readonly eigenIndex: number;
  readonly sign: 1 | -1;
  readonly maxSteps: number;
  readonly tolerance: number;
  /** The simulator (shared when given in the config). */
  readonly simulator: LookaheadSimulator<O, S>;
  private readonly baselineIndex: number;
  private steps = 0;
  /** The action committed to (simulator.repeat steps per decision, or a longer hold) and the steps of it left. */
  private committed = -1;
  private commitLeft = 0;
  /** Whether a run is under way (begin() without end() or termination since). */
  private running = false;
  /** The longer hold chosen at the values `holdAt` (where the repeat-step look-ahead found no gain). */
  private hold: { action: number; steps: number } | null = null;
  private holdAt: LookaheadValues | null = null;

  constructor(env: CloneableEnv<O, S>, model: EigenfunctionModel, cfg: LookaheadConfig<O, S>) {
    this.simulator = cfg.simulator ?? new LookaheadSimulator(env, model, cfg);
    if (this.simulator.env !== env || this.simulator.model !== model) throw new Error('LookaheadEigenoption: the shared simulator runs another environment or model');
    if (!Number.isInteger(cfg.eigenIndex) || cfg.eigenIndex < 0 || cfg.eigenIndex >= model.k) {
      throw new Error(`LookaheadEigenoption: eigenIndex ${cfg.eigenIndex} out of range [0, ${model.k})`);
    }
    if (cfg.sign !== 1 && cfg.sign !== -1) throw new Error(`LookaheadEigenoption: sign must be 1 or -1, got ${String(cfg.sign)}`);
    this.eigenIndex = cfg.eigenIndex;
    this.sign = cfg.sign;
    this.maxSteps = cfg.maxSteps ?? LOOKAHEAD_DEFAULTS.maxSteps;
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 1) throw new Error(`LookaheadEigenoption: maxSteps must be a positive integer, got ${this.maxSteps}`);
    this.tolerance = cfg.tolerance ?? LOOKAHEAD_DEFAULTS.tolerance;
    if (!(this.tolerance >= 0)) throw new Error(`LookaheadEigenoption: tolerance must be >= 0, got ${this.tolerance}`);
    this.name = `${this.sign > 0 ? '+' : '-'}e${this.eigenIndex + 1}`;
    this.baselineIndex = cfg.baselineAction === undefined ? -1 : this.simulator.actions.indexOf(cfg.baselineAction);
    if (cfg.baselineAction !== undefined && this.baselineIndex < 0) throw new Error(`LookaheadEigenoption: baseline action ${cfg.baselineAction} is not among the tried actions`);
  }

  /** Steps the option has taken since it began. */
  get stepsTaken(): number {
    return this.steps;
  }

  /** Runs the look-ahead at this observation (cached; shared with the simulator's other options); nothing while committed to an action. */
  async prepare(observation: O): Promise<void> {
    if (this.commitLeft > 0) return;
    const v = await this.simulator.values(observation);
    // a running option that would stop here tries the simulator's longer holds first
    if (this.running && this.simulator.holds.length > 0 && this.steps < this.maxSteps && this.holdAt !== v && this.decisionOf(v).action < 0) {
      this.hold = this.holdOf(v, await this.simulator.heldValues(observation));
      this.holdAt = v;
    }
  }

  /** The look-ahead decision at the environment's current state. */
  async decide(observation: O): Promise<LookaheadDecision> {
    return this.decisionOf(await this.simulator.values(observation));
  }

  /** Starts a run of the option (resets its step count). */
  begin(_observation: O): void {
    this.steps = 0;
    this.commitLeft = 0;
    this.running = true;
  }

  /** The run stopped: drops any commitment. */
  end(): void {
    this.stop();
  }

  private stop(): void {
    this.steps = 0;
    this.commitLeft = 0;
    this.running = false;
    this.hold = null;
    this.holdAt = null;
  }

  /** The hold chosen at these values (prepared), if any. */
  private holdHere(v: LookaheadValues): { action: number; steps: number } | null {
    return this.holdAt === v ? this.hold : null;
  }

  available(observation: O): boolean {
    return this.decisionOf(this.need(observation)).action >= 0;
  }

  terminates(observation: O): boolean {
    if (this.steps >= this.maxSteps || (this.commitLeft === 0 && this.decisionOf(this.need(observation)).action < 0 && this.holdHere(this.need(observation)) === null)) {
      this.stop(); // the run ends here; the next one starts counting afresh
      return true;
    }
    return false;
  }

  act(observation: O): number {
    let action = this.committed;
    if (this.commitLeft > 0) {
      this.commitLeft--;
    } else {
      const v = this.need(observation);
      const d = this.decisionOf(v);
      const hold = d.action < 0 ? this.holdHere(v) : null;
      if (d.action < 0 && hold === null) throw new Error(`option ${this.name}: act() where it terminates (no action improves the eigenpurpose)`);
      action = hold ? hold.action : d.action;
      this.committed = action;
      this.commitLeft = (hold ? hold.steps : this.simulator.repeat) - 1;
    }
    this.steps++;
    this.simulator.invalidate(); // the environment is about to move
    return action;
  }

  private decisionOf(v: LookaheadValues): LookaheadDecision {
    const k = this.simulator.model.k;
    const actions = this.simulator.actions;
    const value = v.e[this.eigenIndex];
    if (!Number.isFinite(value)) throw new Error(`option ${this.name}: e${this.eigenIndex + 1} is not finite at the current observation`);
    const gains = new Float64Array(actions.length);
    for (let i = 0; i < actions.length; i++) {
      const next = v.e[(i + 1) * k + this.eigenIndex];
      if (!Number.isFinite(next)) throw new Error(`option ${this.name}: e${this.eigenIndex + 1} is not finite after action ${actions[i]}`);
      gains[i] = v.ended[i] ? -Infinity : this.sign * (next - value);
    }
    for (;;) {
      let best = 0;
      for (let i = 1; i < actions.length; i++) if (gains[i] > gains[best]) best = i;
      const beatsBaseline = this.baselineIndex < 0 || gains[best] - gains[this.baselineIndex] > this.tolerance;
      if (!(gains[best] > this.tolerance && beatsBaseline)) return { action: -1, gains, value };
      // the candidate: taken unless it costs a life a little later (checked lazily, see lifeLossHorizon)
      if (!this.simulator.checksLaterLifeLoss || !this.simulator.lostLifeLater(v, best)) return { action: actions[best], gains, value };
      gains[best] = -Infinity;
    }
  }

  /** The best longer hold that improves the eigenpurpose (by the tolerance, and over the baseline held as long), or null. */
  private holdOf(v: LookaheadValues, held: NonNullable<LookaheadValues['held']>): { action: number; steps: number } | null {
    const k = this.simulator.model.k;
    const { actions, holds } = this.simulator;
    const nh = holds.length;
    const value = v.e[this.eigenIndex];
    const gain = (row: number): number => (held.lost[row] ? -Infinity : this.sign * (held.e[row * k + this.eigenIndex] - value));
    const gains = Float64Array.from({ length: actions.length * nh }, (_, row) => gain(row));
    for (;;) {
      let best = -1;
      for (let row = 0; row < gains.length; row++) {
        const h = row % nh;
        const beatsBaseline = this.baselineIndex < 0 || gains[row] - gain(this.baselineIndex * nh + h) > this.tolerance;
        if (gains[row] > this.tolerance && beatsBaseline && (best < 0 || gains[row] > gains[best])) best = row;
      }
      if (best < 0) return null;
      const i = Math.floor(best / nh);
      const h = best % nh;
      if (!this.simulator.holdLostLater(v, i, h)) return { action: actions[i], steps: holds[h] };
      gains[best] = -Infinity;
    }
  }

  private need(observation: O): LookaheadValues {
    const v = this.simulator.cached(observation);
    if (!v) throw new Error(`option ${this.name}: await prepare(observation) before available/act/terminates at a new observation`);
    return v;
  }
}

/**
 * The first `count` look-ahead eigenoptions +e1, -e1, +e2, -e2, ... of a model, sharing one
 * simulator (one look-ahead and one model.evaluate per observation for all of them).
 */
export function lookaheadEigenoptions<O extends Observation, S>(
  env: CloneableEnv<O, S>,
  model: EigenfunctionModel,
  count: number,
  cfg: Omit<LookaheadConfig<O, S>, 'eigenIndex' | 'sign' | 'simulator'> = {},
): LookaheadEigenoption<O, S>[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`number of options must be a non-negative integer, got ${count}`);
  if (count > 2 * model.k) throw new Error(`${count} options need ${Math.ceil(count / 2)} eigenfunctions but the model has ${model.k}`);
  const simulator = new LookaheadSimulator(env, model, cfg);
  return Array.from({ length: count }, (_, i) => {
    const { eigenIndex, sign } = optionSlot(i);
    return new LookaheadEigenoption(env, model, { ...cfg, eigenIndex, sign, simulator });
  });
}
