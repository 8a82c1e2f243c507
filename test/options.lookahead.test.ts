import { expect } from 'chai';
import * as path from 'path';
import { ATARI_CHAIN_DEFAULTS } from '../cli/atari_chain';
import { AtariEnv } from '../envs/atari';
import { GridEnv, GridWorld } from '../envs/gridworld';
import { ALEInterface } from '../src/ale';
import { randomWalkEigenfunctions } from '../src/learners';
import { LookaheadEigenoption, lookaheadEigenoptions, optionByValueIteration } from '../src/options';
import { Rng } from '../src/rng';
import { AleRamEnv, RamBytesModel } from './helpers/ale_env';
import { requireShared, romDir } from './helpers/shared';

/** Immediate eigenpurpose gains of the four moves from s, from the world's next-state table. */
function gainsAt(world: GridWorld, e: Float64Array, sign: 1 | -1, s: number): number[] {
  return [0, 1, 2, 3].map((a) => sign * (e[world.nextTable[s * 4 + a]] - e[s]));
}

/** A one-eigenfunction model e(x) = f(observation row i) for the toy environments below. */
function scalarModel(observation: string, observationShape: number[], f: (o: Float32Array | Uint8Array, i: number) => number) {
  return {
    learner: 'test', k: 1, eigenvalues: Float64Array.of(0), observation, observationShape, info: {},
    evaluate: async (o: Float32Array | Uint8Array, n: number) => Float64Array.from({ length: n }, (_, i) => f(o, i)),
    save: async () => undefined,
    dispose: () => undefined,
  };
}

describe('look-ahead eigenoptions', function () {
  this.timeout(60000);
  const world = GridWorld.fromName('fourrooms');
  const model = randomWalkEigenfunctions(world, 4);

  it('repeat: decides on each action held for `repeat` steps and commits to it for as many steps', async () => {
    const repeat = 3;
    const e = model.vectors[1];
    const held = (s: number, a: number): number => {
      let x = s;
      for (let t = 0; t < repeat; t++) x = world.nextTable[x * 4 + a];
      return x;
    };
    const env = new GridEnv(world, { observation: 'index' });
    const opt = new LookaheadEigenoption(env, model, { eigenIndex: 1, sign: 1, maxSteps: 1000, repeat });
    let checked = 0;
    for (let s0 = 0; s0 < world.numStates; s0 += 5) {
      env.restoreState(s0);
      let obs = world.observe(s0, 'index');
      await opt.prepare(obs);
      const g = [0, 1, 2, 3].map((a) => e[held(s0, a)] - e[s0]);
      const best = Math.max(...g);
      expect(opt.available(obs)).to.equal(best > opt.tolerance);
      if (!opt.available(obs)) continue;
      opt.begin(obs);
      const a = g.indexOf(best);
      for (let t = 0; t < repeat; t++) {
        await opt.prepare(obs);
        expect(opt.terminates(obs)).to.equal(false);
        expect(opt.act(obs), `step ${t} from ${s0}`).to.equal(a);
        obs = env.step(a).observation;
      }
      expect(env.state).to.equal(held(s0, a));
      opt.end();
      checked++;
    }
    expect(checked).to.be.greaterThan(5);
    // the simulator ran `repeat` steps per action and one evaluation per decision
    expect(opt.simulator.simulatedSteps % repeat).to.equal(0);
  });

  it('greedy path on the four-room: e rises at every step by the best immediate gain and stops at a local maximum', async () => {
    for (const eigenIndex of [1, 2, 3]) {
      for (const sign of [1, -1] as const) {
        const e = model.vectors[eigenIndex];
        const env = new GridEnv(world, { observation: 'index' });
        const opt = new LookaheadEigenoption(env, model, { eigenIndex, sign, maxSteps: 1000 });
        let prepared = 0;
        for (let s0 = 0; s0 < world.numStates; s0 += 7) {
          env.restoreState(s0);
          let obs = world.observe(s0, 'index');
          await opt.prepare(obs);
          prepared++;
          const startGains = gainsAt(world, e, sign, s0);
          expect(opt.available(obs), `${opt.name} at ${s0}`).to.equal(Math.max(...startGains) > opt.tolerance);
          if (!opt.available(obs)) continue;
          opt.begin(obs);
          const seen = new Set<number>([s0]);
          for (;;) {
            if (seen.size > 1) {
              await opt.prepare(obs);
              prepared++;
            }
            const s = env.state;
            const g = gainsAt(world, e, sign, s);
            const best = Math.max(...g);
            if (opt.terminates(obs)) {
              // a local maximum of sign * e: no neighbour improves it
              expect(best, `${opt.name} stops at ${s}`).to.be.at.most(opt.tolerance);
              break;
            }
            const a = opt.act(obs);
            expect(a, `${opt.name} at ${s}`).to.equal(g.indexOf(best)); // best gain, ties to the lowest action id
            obs = env.step(a).observation;
            expect(sign * (e[env.state] - e[s])).to.equal(best);
            expect(best).to.be.greaterThan(opt.tolerance);
            expect(seen.has(env.state)).to.equal(false); // strictly rising e never revisits
            seen.add(env.state);
          }
        }
        // terminates()/act() at a prepared observation reuse its look-ahead
        expect(opt.simulator.evaluations).to.equal(prepared);
        expect(opt.simulator.simulatedSteps).to.equal(4 * prepared);
      }
    }
  });

  it('agrees with the value-iteration option as gamma -> 0 (the policy maximising the immediate eigenpurpose)', async () => {
    let compared = 0;
    let total = 0;
    for (const eigenIndex of [1, 2, 3]) {
      const e = model.vectors[eigenIndex];
      for (const sign of [1, -1] as const) {
        const vi = optionByValueIteration(world, e, sign, { gamma: 1e-9 }, eigenIndex);
        const env = new GridEnv(world, { observation: 'index' });
        const [la] = lookaheadEigenoptions(env, model, 2 * eigenIndex + 2).slice(sign > 0 ? -2 : -1);
        expect(la.name).to.equal(vi.name);
        for (let s = 0; s < world.numStates; s++) {
          total++;
          const g = gainsAt(world, e, sign, s);
          const sorted = [...g].sort((x, y) => y - x);
          // skip near-ties, where gamma * V(s') (< 1e-9) or rounding can decide
          if (Math.abs(sorted[0]) < 1e-8 || (sorted[0] > 0 && sorted[0] - sorted[1] < 1e-8)) continue;
          compared++;
          env.restoreState(s);
          const obs = world.observe(s, 'index');
          await la.prepare(obs);
          expect(la.available(obs), `${la.name} at ${s}`).to.equal(vi.availableAt[s] === 1);
          if (la.available(obs)) expect(la.act(obs), `${la.name} at ${s}`).to.equal(vi.policy[s]);
        }
      }
    }
    expect(compared).to.be.greaterThan(0.8 * total);
  });

  it('restores the environment, honours the step cap, never steps into an episode end, and rejects misuse', async () => {
    const s0 = world.stateAt(3, 3);
    const e = model.vectors[1];
    const g = gainsAt(world, e, 1, s0);
    const bestA = g.indexOf(Math.max(...g));
    const goal = world.nextTable[s0 * 4 + bestA];
    // the goal cell is the best neighbour: stepping there ends the episode, so the option picks the next best
    const env = new GridEnv(world, { observation: 'index', start: s0, goal });
    const opt = new LookaheadEigenoption(env, model, { eigenIndex: 1, sign: 1, maxSteps: 1 });
    let obs = env.reset().observation;
    expect(() => opt.available(obs)).to.throw(/await prepare/);
    await opt.prepare(obs);
    expect(env.state).to.equal(s0);
    const d = await opt.decide(obs);
    expect(d.gains[bestA]).to.equal(-Infinity);
    const rest = g.map((x, a) => (a === bestA ? -Infinity : x));
    const second = Math.max(...rest);
    expect(second).to.be.greaterThan(opt.tolerance); // (3, 3) has two rising neighbours
    expect(d.action).to.equal(rest.indexOf(second));
    {
      opt.begin(obs);
      expect(opt.terminates(obs)).to.equal(false);
      obs = env.step(opt.act(obs)).observation;
      await opt.prepare(obs);
      expect(opt.terminates(obs)).to.equal(true); // the cap of one step
      expect(opt.stepsTaken).to.equal(0);
    }
    expect(() => new LookaheadEigenoption(env, model, { eigenIndex: 4, sign: 1 })).to.throw(/eigenIndex 4 out of range/);
    expect(() => new LookaheadEigenoption(env, model, { eigenIndex: 0, sign: 1, maxSteps: 0 })).to.throw(/maxSteps/);
    expect(() => lookaheadEigenoptions(env, model, 9)).to.throw(/need 5 eigenfunctions/);
    const noClone = { actionCount: 4, observationShape: [1], reset: env.reset.bind(env), step: env.step.bind(env) };
    expect(() => new LookaheadEigenoption(noClone as unknown as GridEnv, model, { eigenIndex: 0, sign: 1 })).to.throw(/cloneState and restoreState/);
  });
});

describe('look-ahead eigenoptions on the emulator', function () {
  this.timeout(120000);

  it("Montezuma's Revenge: the look-ahead leaves the emulator exactly as it was, and the chosen step is the simulated one", async function () {
    const dir = romDir();
    if (!requireShared(this, dir)) return;
    const ale = new ALEInterface();
    ale.setInt('random_seed', 7);
    ale.setFloat('repeat_action_probability', 0);
    ale.setInt('frame_skip', 4);
    ale.loadROM(path.join(dir, 'montezuma_revenge.bin'));
    const env = new AleRamEnv(ale, ale.getMinimalActionSet());
    const model = new RamBytesModel([42, 43]); // the avatar's x and y bytes
    const options = lookaheadEigenoptions(env, model, 4);
    let obs = env.reset().observation;
    for (let i = 0; i < 40; i++) obs = env.step(0).observation; // past the start-up frames
    let moved = 0;
    for (let t = 0; t < 12; t++) {
      const ram = ale.getRAM().slice();
      const frame = ale.getFrameNumber();
      for (const o of options) await o.prepare(obs);
      expect(model.calls).to.equal(t + 1); // one batched evaluation serves all four options
      expect(Buffer.from(ale.getRAM()).equals(Buffer.from(ram))).to.equal(true);
      // (the ALE's screen buffer is not part of its state: it shows the last simulated frame)
      expect(ale.getFrameNumber()).to.equal(frame);
      // the gains against a direct replay of every action from a clone
      const opt = options[t % 4];
      const saved = ale.cloneState(true);
      const after: Uint8Array[] = [];
      for (const a of env.actionSet) {
        ale.act(a);
        after.push(ale.getRAM().slice());
        ale.restoreState(saved);
      }
      const byte = model.bytes[opt.eigenIndex];
      const d = await opt.decide(obs);
      expect(Array.from(d.gains)).to.deep.equal(after.map((r) => opt.sign * (r[byte] - ram[byte])));
      if (opt.available(obs)) {
        opt.begin(obs);
        expect(opt.terminates(obs)).to.equal(false);
        const a = opt.act(obs);
        obs = env.step(a).observation;
        expect(Buffer.from(obs).equals(Buffer.from(after[a]))).to.equal(true);
        moved++;
      } else {
        obs = env.step(0).observation;
      }
    }
    expect(moved).to.be.greaterThan(0);
  });

  it("Montezuma's Revenge ends the game later than it drops the lives counter, and the chain's gameOverHorizon covers the difference", function () {
    const dir = romDir();
    if (!requireShared(this, dir)) return;
    // the same random play (seeded agent and sticky actions) from the same start, once with lives
    // left and once on the last life (the lives byte 0xBA written after the reset): the step of the
    // first death's signal in each
    const delays: number[] = [];
    for (let seed = 0; seed < 4; seed++) {
      const signal = (lastLife: boolean): number => {
        const env = new AtariEnv({ game: path.join(dir, 'montezuma_revenge.bin'), seed, obsType: 'ram' });
        const first = env.reset({ seed });
        if (lastLife) env.setRAM(0x3a, first.observation[0x3a] & ~7);
        const lives = first.info.lives;
        const rng = new Rng(seed);
        for (let t = 0; t < 5000; t++) {
          const r = env.step(rng.int(env.actionCount));
          if (lastLife ? r.terminated : r.info.lives < lives) return t;
          expect(r.terminated, 'no game over with lives left').to.equal(false);
        }
        throw new Error(`seed ${seed}: no death in 5000 steps`);
      };
      delays.push(signal(true) - signal(false));
    }
    expect(Math.min(...delays), `delays ${delays}`).to.be.greaterThan(ATARI_CHAIN_DEFAULTS.optionLifeLossHorizon / 2);
    expect(ATARI_CHAIN_DEFAULTS.optionLifeLossHorizon + Math.max(...delays), `delays ${delays}`).to.be.at.most(ATARI_CHAIN_DEFAULTS.optionGameOverHorizon);
  });
});

describe('look-ahead eigenoptions: a baseline action', () => {
  // a line world whose observation is [position, time]; e = drift * time + slope * position
  class Line {
    readonly actionCount = 2;
    readonly observationShape = [2];
    pos = 0;
    t = 0;
    reset(): { observation: Float32Array; info: Record<string, number> } {
      this.pos = 0;
      this.t = 0;
      return { observation: Float32Array.of(0, 0), info: {} };
    }
    step(a: number): { observation: Float32Array; reward: number; terminated: boolean; truncated: boolean; info: Record<string, number> } {
      this.pos += a;
      this.t++;
      return { observation: Float32Array.of(this.pos, this.t), reward: 0, terminated: false, truncated: false, info: {} };
    }
    cloneState(): number[] {
      return [this.pos, this.t];
    }
    restoreState(s: number[]): void {
      [this.pos, this.t] = s;
    }
  }
  const modelOf = (drift: number, slope: number) => scalarModel('line', [2], (o, i) => drift * o[2 * i + 1] + slope * o[2 * i]);

  it('changes of e the agent does not cause do not make the option available; its own do', async () => {
    const env = new Line();
    const obs = env.reset().observation;
    const drifting = new LookaheadEigenoption(env, modelOf(0.5, 0), { eigenIndex: 0, sign: 1, baselineAction: 0, tolerance: 0.01 });
    await drifting.prepare(obs);
    expect(drifting.available(obs)).to.equal(false);
    const without = new LookaheadEigenoption(env, modelOf(0.5, 0), { eigenIndex: 0, sign: 1, tolerance: 0.01 });
    await without.prepare(obs);
    expect(without.available(obs)).to.equal(true); // the drift alone looks like progress
    const steering = new LookaheadEigenoption(env, modelOf(0.5, 1), { eigenIndex: 0, sign: 1, baselineAction: 0, tolerance: 0.01 });
    await steering.prepare(obs);
    expect(steering.available(obs)).to.equal(true);
    steering.begin(obs);
    expect(steering.act(obs)).to.equal(1);
    expect(() => new LookaheadEigenoption(env, modelOf(0, 1), { eigenIndex: 0, sign: 1, baselineAction: 5 })).to.throw(/baseline action 5/);
  });
});

describe('look-ahead eigenoptions: a life lost later (lifeLossHorizon)', () => {
  // a line with a cliff: stepping right (action 1) past position `edge` starts a fall, and the life
  // is taken `delay` steps later, whatever the agent does meanwhile; on the last life (lives 1) the
  // same fall ends the episode `gameOverDelay` steps later instead (as Montezuma's Revenge signals
  // its game over later than a lost life); e = position
  class Cliff {
    readonly actionCount = 2;
    readonly observationShape = [1];
    pos = 0;
    lives = 3;
    falling = -1;
    over = false;
    constructor(
      readonly edge: number,
      readonly delay: number,
      readonly gameOverDelay = delay,
      readonly startLives = 3,
    ) {}
    reset(): { observation: Float32Array; info: Record<string, number> } {
      this.pos = 0;
      this.lives = this.startLives;
      this.falling = -1;
      this.over = false;
      return { observation: Float32Array.of(0), info: { lives: this.lives } };
    }
    step(a: number): { observation: Float32Array; reward: number; terminated: boolean; truncated: boolean; info: Record<string, number> } {
      if (this.falling < 0) {
        this.pos += a;
        if (this.pos > this.edge) this.falling = this.lives > 1 ? this.delay : this.gameOverDelay;
      } else if (--this.falling === 0) {
        if (this.lives > 1) this.lives--;
        else this.over = true;
        this.falling = -1;
        this.pos = 0;
      }
      return { observation: Float32Array.of(this.pos), reward: 0, terminated: this.over, truncated: false, info: { lives: this.lives } };
    }
    cloneState(): number[] {
      return [this.pos, this.lives, this.falling, this.over ? 1 : 0];
    }
    restoreState(s: number[]): void {
      [this.pos, this.lives, this.falling] = s;
      this.over = s[3] === 1;
    }
  }
  const position = scalarModel('cliff', [1], (o, i) => o[i]);

  it('sees a life lost up to the horizon after the tried action, and only then refuses the action', async () => {
    for (const [horizon, expected] of [[0, true], [4, true], [5, false], [9, false]] as const) {
      const env = new Cliff(0, 5); // one step right starts a fall that costs a life 5 steps later
      const obs = env.reset().observation;
      const opt = new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, lifeLossHorizon: horizon });
      await opt.prepare(obs);
      expect(opt.available(obs), `horizon ${horizon}`).to.equal(expected);
      expect(env.cloneState(), 'restored').to.deep.equal([0, 3, -1, 0]);
    }
    const env = new Cliff(0, 5);
    expect(() => new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, lifeLossHorizon: -1 })).to.throw(/lifeLossHorizon/);
    expect(() => new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, settleAction: 2 })).to.throw(/settleAction 2/);
    expect(() => new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, gameOverHorizon: 1.5 })).to.throw(/gameOverHorizon/);
  });

  it('on the last life the check runs gameOverHorizon steps, where the episode end comes later than a lost life would', async () => {
    // the fall costs a life 5 steps later with lives left, and ends the game 9 steps later on the last life
    const cases: [startLives: number, cfg: { lifeLossHorizon: number; gameOverHorizon?: number }, available: boolean][] = [
      [3, { lifeLossHorizon: 5 }, false], // lives left: the lost life is within the horizon
      [1, { lifeLossHorizon: 5 }, true], // last life: the game over comes after it, unseen
      [1, { lifeLossHorizon: 5, gameOverHorizon: 8 }, true], // still one step short
      [1, { lifeLossHorizon: 5, gameOverHorizon: 9 }, false],
      [3, { lifeLossHorizon: 4, gameOverHorizon: 9 }, true], // lives left: gameOverHorizon is not used
      [1, { lifeLossHorizon: 0, gameOverHorizon: 9 }, false], // the last life alone is checked
    ];
    for (const [startLives, cfg, expected] of cases) {
      const env = new Cliff(0, 5, 9, startLives);
      const obs = env.reset().observation;
      const opt = new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, ...cfg });
      await opt.prepare(obs);
      expect(opt.available(obs), `lives ${startLives}, ${JSON.stringify(cfg)}`).to.equal(expected);
      expect(env.cloneState(), 'restored').to.deep.equal([0, startLives, -1, 0]);
    }
  });
});

describe('look-ahead eigenoptions on an env that reuses its observation buffer', () => {
  // AtariEnv writes every observation into one buffer it owns, so simulated steps overwrite the
  // array the agent holds: the look-ahead must leave it as it was and evaluate e on it as it was
  class Counter {
    readonly actionCount = 3;
    readonly observationShape = [1];
    readonly buffer = new Float32Array(1);
    pos = 0;
    reset(): { observation: Float32Array; info: Record<string, number> } {
      this.pos = 0;
      this.buffer[0] = 0;
      return { observation: this.buffer, info: {} };
    }
    step(a: number): { observation: Float32Array; reward: number; terminated: boolean; truncated: boolean; info: Record<string, number> } {
      this.pos += a;
      this.buffer[0] = this.pos;
      return { observation: this.buffer, reward: 0, terminated: false, truncated: false, info: {} };
    }
    cloneState(): number {
      return this.pos;
    }
    restoreState(s: number): void {
      this.pos = s; // like the emulator's restore: the observation buffer is not rewritten
    }
  }
  const identity = scalarModel('counter', [1], (o, i) => o[i]);

  it('keeps the observation the agent holds and measures gains from it', async () => {
    const env = new Counter();
    let obs = env.reset().observation;
    obs = env.step(1).observation; // at 1
    for (const lifeLossHorizon of [0, 3]) {
      const opt = new LookaheadEigenoption(env, identity, { eigenIndex: 0, sign: 1, tolerance: 1.5, lifeLossHorizon });
      const d = await opt.decide(obs);
      expect(obs[0], 'the held observation').to.equal(1);
      expect(d.value, 'e at the current observation').to.equal(1);
      expect(Array.from(d.gains)).to.deep.equal([0, 1, 2]);
      expect(d.action).to.equal(2); // gain 2 > tolerance 1.5
      expect(opt.available(obs)).to.equal(true);
      expect(obs[0]).to.equal(1);
    }
  });
});

describe('look-ahead eigenoptions: longer holds before stopping (holds)', () => {
  // a ratchet: action 1 charges, and every third charge moves one step right (the first press
  // moves at once); action 0 drops the charge. Moving right past `cliff` costs a life `delay`
  // steps later. e = position, so only a held action 1 makes progress after the first step.
  interface RatchetState { pos: number; charge: number; lives: number; falling: number }
  const START: RatchetState = { pos: 0, charge: 2, lives: 3, falling: -1 };
  class Ratchet {
    readonly actionCount = 2;
    readonly observationShape = [1];
    s: RatchetState = { ...START };
    constructor(readonly cliff = Infinity, readonly delay = 0) {}
    get pos(): number { return this.s.pos; }
    get lives(): number { return this.s.lives; }
    reset(): { observation: Float32Array; info: Record<string, number> } {
      this.s = { ...START };
      return { observation: Float32Array.of(START.pos), info: { lives: START.lives } };
    }
    step(a: number): { observation: Float32Array; reward: number; terminated: boolean; truncated: boolean; info: Record<string, number> } {
      const s = this.s;
      if (s.falling > 0 && --s.falling === 0) Object.assign(s, { lives: s.lives - 1, falling: -1, pos: 0 });
      else if (s.falling < 0) {
        s.charge = a === 1 ? s.charge + 1 : 0;
        if (s.charge >= 3) Object.assign(s, { pos: s.pos + 1, charge: 0, falling: s.pos + 1 > this.cliff ? this.delay : -1 });
      }
      return { observation: Float32Array.of(s.pos), reward: 0, terminated: false, truncated: false, info: { lives: s.lives } };
    }
    cloneState(): RatchetState {
      return { ...this.s };
    }
    restoreState(state: RatchetState): void {
      this.s = { ...state };
    }
  }
  const position = scalarModel('ratchet', [1], (o, i) => o[i]);

  /** One run of +e from reset: the actions taken, and where it ended. */
  async function run(env: Ratchet, cfg: { holds?: number[]; lifeLossHorizon?: number; maxSteps: number }): Promise<{ actions: number[]; pos: number; lives: number }> {
    let obs = env.reset().observation;
    const opt = new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, baselineAction: 0, tolerance: 0.01, ...cfg });
    await opt.prepare(obs);
    expect(opt.available(obs)).to.equal(true); // the first press moves
    opt.begin(obs);
    const actions: number[] = [];
    for (;;) {
      await opt.prepare(obs);
      if (opt.terminates(obs)) break;
      const a = opt.act(obs);
      actions.push(a);
      obs = env.step(a).observation;
    }
    opt.end();
    return { actions, pos: env.pos, lives: env.lives };
  }

  it('without holds the option stops after the first step; with holds it keeps ratcheting, holding for the chosen length', async () => {
    expect(await run(new Ratchet(), { maxSteps: 10 })).to.deep.equal({ actions: [1], pos: 1, lives: 3 });
    // holds of 2 are too short to move; 3 moves one step: commits 3 steps at a time until maxSteps
    const held = await run(new Ratchet(), { holds: [2, 3], maxSteps: 10 });
    expect(held.actions).to.deep.equal(new Array(10).fill(1));
    expect(held.pos).to.equal(4); // 1 + three holds of 3 steps
    // the largest gain wins: of holds 3 and 6, the 6-step hold (two steps of progress)
    const longer = await run(new Ratchet(), { holds: [3, 6], maxSteps: 7 });
    expect(longer.pos).to.equal(3);
  });

  it('never takes a hold that loses a life within the hold or the settle steps after it', async () => {
    // past position 2 the ratchet falls and loses a life 4 steps later
    const cliff = new Ratchet(2, 4);
    const blind = await run(cliff, { holds: [3], maxSteps: 30 });
    expect(blind.pos).to.equal(3); // without the settle check the hold past the cliff is taken ...
    for (let t = 0; t < 4; t++) cliff.step(0);
    expect(cliff.lives).to.equal(2); // ... and costs the life
    const careful = await run(new Ratchet(2, 4), { holds: [3], lifeLossHorizon: 6, maxSteps: 30 });
    expect(careful).to.deep.include({ pos: 2, lives: 3 });
    expect(careful.actions.length).to.equal(4); // the first step and one hold of 3, then it stops
  });

  it('refuses holds that are not ascending integers longer than repeat', () => {
    const env = new Ratchet();
    for (const holds of [[1], [3, 3], [4, 2], [2.5]]) {
      expect(() => new LookaheadEigenoption(env, position, { eigenIndex: 0, sign: 1, holds }), `[${holds}]`).to.throw(/holds must be ascending integers longer than repeat/);
    }
  });
});
