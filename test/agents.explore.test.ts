import { expect } from 'chai';
import * as path from 'path';
import { GridEnv, GridWorld } from '../envs/gridworld';
import type { GridInfo } from '../envs/gridworld';
import { compareExploration, explore, stepFrames } from '../agents/explore';
import { coverage } from '../agents/random_walk';
import { gridTask } from '../agents/tabular_task';
import type { Env, ResetResult, StepResult } from '../src/env';
import { randomWalkEigenfunctions } from '../src/learners';
import { buildOptions, lookaheadEigenoptions } from '../src/options';
import type { Option } from '../src/options';
import { ALEInterface } from '../src/ale';
import { AleRamEnv, RamBytesModel } from './helpers/ale_env';
import type { AleInfo } from './helpers/ale_env';
import { requireShared, romDir } from './helpers/shared';

/** A GridEnv whose info also reports frames, as an emulator env would (frameskip or a frame counter). */
class FramedGridEnv implements Env<Float32Array, GridInfo> {
  readonly actionCount = 4;
  readonly observationShape: readonly number[];
  private frame = 0;
  constructor(readonly inner: GridEnv, readonly mode: { frameskip: number } | { resetFrames: number; perStep: number }) {
    this.observationShape = inner.observationShape;
  }
  reset(o: { seed?: number } = {}): ResetResult<Float32Array, GridInfo> {
    const r = this.inner.reset(o);
    if ('frameskip' in this.mode) return { observation: r.observation, info: { ...r.info, frameskip: this.mode.frameskip } };
    this.frame = this.mode.resetFrames;
    return { observation: r.observation, info: { ...r.info, episodeFrameNumber: this.frame } };
  }
  step(a: number): StepResult<Float32Array, GridInfo> {
    const r = this.inner.step(a);
    if ('frameskip' in this.mode) return { ...r, info: { ...r.info, frameskip: this.mode.frameskip } };
    this.frame += this.mode.perStep;
    return { ...r, info: { ...r.info, episodeFrameNumber: this.frame } };
  }
}

describe('explore: random agent over primitives and eigenoptions at equal frame budgets', function () {
  this.timeout(120000);
  const world = GridWorld.fromName('fourrooms');
  const start = world.stateAt(11, 1);
  const model = randomWalkEigenfunctions(world, 32);
  const quadrant = (s: number): number => {
    const [r, c] = world.cells[s];
    return (r < 6 ? 0 : 2) + (c < 6 ? 0 : 1);
  };
  const probes = { abstractKey: (i: GridInfo) => i.state, room: (i: GridInfo) => quadrant(i.state) };

  it('eigenoptions visit at least as many distinct states as primitives alone, over several seeds', async () => {
    const opts = buildOptions(world, model.vectors, 64);
    let prim = 0;
    let withOpts = 0;
    let primRooms = 0;
    let optRooms = 0;
    for (let seed = 0; seed < 10; seed++) {
      const a = await explore(new GridEnv(world, { start }), [], probes, { frames: 200, seed });
      const b = await explore(new GridEnv(world, { start }), opts, probes, { frames: 200, seed });
      expect(a.summary.frames).to.equal(200);
      expect(b.summary.frames).to.equal(200);
      expect(a.summary.steps).to.equal(200); // no frame info: one frame per step
      expect(b.summary.option_runs).to.be.greaterThan(0);
      // the visit counts add up to the steps plus the start
      expect([...b.visits.values()].reduce((x, y) => x + y, 0)).to.equal(201);
      expect(b.summary.abstract_states).to.equal(b.visits.size);
      expect(b.summary.rooms).to.be.at.most(4);
      prim += a.summary.abstract_states;
      withOpts += b.summary.abstract_states;
      primRooms += a.summary.rooms;
      optRooms += b.summary.rooms;
    }
    expect(withOpts).to.be.greaterThan(prim);
    expect(optRooms).to.be.at.least(primRooms);
  });

  it('walking on through episode ends, it is exactly the random walk of agents/random_walk.ts', async () => {
    const opts = buildOptions(world, model.vectors, 16);
    for (const seed of [0, 1, 2]) {
      const walk = coverage(gridTask(world, { start }), opts, 300, seed);
      const ex = await explore(gridTask(world, { start }).env, opts, { abstractKey: (_i, o) => o[0] }, { frames: 300, seed, resetOnEnd: false, checkAllOptions: true });
      const visits = new Float64Array(world.numStates);
      for (const [s, n] of ex.visits) visits[Number(s)] = n;
      expect(Array.from(visits)).to.deep.equal(Array.from(walk.visits));
    }
  });

  it('look-ahead eigenoptions (planning through cloneState) also widen exploration', async () => {
    const res = await compareExploration(
      () => new GridEnv(world, { start }),
      (env) => lookaheadEigenoptions(env as GridEnv, model, 64),
      probes,
      { frames: 200, runs: 8, curveEvery: 50 },
    );
    expect(res.frames).to.deep.equal([0, 50, 100, 150, 200]);
    const sum = (xs: { abstract_states: number }[]): number => xs.reduce((a, s) => a + s.abstract_states, 0);
    expect(sum(res.withOptions)).to.be.greaterThan(sum(res.primitives));
    // curves rise with frames and start at the single start state
    expect(res.primitivesCurve[0]).to.equal(1);
    for (let i = 1; i < res.frames.length; i++) expect(res.withOptionsCurve[i]).to.be.at.least(res.withOptionsCurve[i - 1]);
    expect(res.withOptionsCurve[4]).to.equal(sum(res.withOptions) / 8);
  });

  it('counts frames from the env info, and sums the extrinsic score over restarted episodes', async () => {
    expect(stepFrames({}, {})).to.equal(1);
    expect(stepFrames({}, { frameskip: 4 })).to.equal(4);
    expect(stepFrames({ episodeFrameNumber: 8 }, { episodeFrameNumber: 12, frameskip: 3 })).to.equal(4);
    // frameskip 4: a 1000-frame budget is 250 steps
    const skip = await explore(new FramedGridEnv(new GridEnv(world, { start }), { frameskip: 4 }), [], probes, { frames: 1000 });
    expect([skip.summary.frames, skip.summary.steps]).to.deep.equal([1000, 250]);
    // a frame counter: 7 frames at reset, 5 per step -> 7 + 5 * steps (one episode, no goal)
    const counted = await explore(new FramedGridEnv(new GridEnv(world, { start }), { resetFrames: 7, perStep: 5 }), [], probes, { frames: 500 });
    expect(counted.summary.frames).to.equal(7 + 5 * counted.summary.steps);
    expect(counted.summary.steps).to.equal(Math.ceil((500 - 7) / 5));
    // a goal next to the start: every visit scores 1 and restarts the episode
    const goal = world.stateAt(10, 1);
    const scored = await explore(new GridEnv(world, { start, goal }), [], probes, { frames: 400, seed: 3 });
    expect(scored.summary.score).to.be.greaterThan(0);
    expect(scored.summary.score).to.equal(scored.summary.episodes - 1);
    expect(() => stepFrames({}, {})).to.not.throw();
    await explore(new GridEnv(world, { start }), [], probes, { frames: 0 }).then(
      () => expect.fail('no error'),
      (e: Error) => expect(e.message).to.match(/frames must be a positive integer/),
    );
  });
});

describe('explore on the emulator', function () {
  this.timeout(120000);

  it("Montezuma's Revenge: look-ahead eigenoptions over RAM bytes run inside the frame budget; look-ahead frames are not counted", async function () {
    const dir = romDir();
    if (!requireShared(this, dir)) return;
    const ale = new ALEInterface();
    ale.setInt('random_seed', 3);
    ale.setFloat('repeat_action_probability', 0);
    ale.setInt('frame_skip', 4);
    ale.loadROM(path.join(dir, 'montezuma_revenge.bin'));
    const env = new AleRamEnv(ale, ale.getMinimalActionSet());
    const model = new RamBytesModel([42, 43]); // the avatar's x and y
    const options = lookaheadEigenoptions(env, model, 4, { maxSteps: 20 });
    // (room, x / 8, y / 8) cells, as Montezuma's exploration literature counts them
    const cell = (_i: AleInfo, ram: Uint8Array): string => `${ram[3]},${ram[42] >> 3},${ram[43] >> 3}`;
    const res = await explore(env, options, { abstractKey: cell, room: (_i, ram) => ram[3] }, { frames: 800, seed: 1 });
    const s = res.summary;
    expect(s.option_runs).to.be.greaterThan(0);
    expect(s.option_steps).to.be.greaterThan(0);
    expect(s.abstract_states).to.be.greaterThan(1);
    expect(s.rooms).to.be.at.least(1);
    // one episode (no game over in 200 steps): the env's frame counter agrees with the agent's
    // count, so the look-ahead's simulated frames were restored away
    expect(s.episodes).to.equal(1);
    expect(s.frames).to.equal(ale.getEpisodeFrameNumber());
    expect(s.frames).to.equal(4 * s.steps);
    expect(s.frames).to.be.at.least(800);
    expect(s.frames).to.be.lessThan(800 + 4);
    expect(options[0].simulator.simulatedSteps).to.be.greaterThan(s.steps);
  });
  // 2 primitives; 3 one-step options, the middle one never available
  const drawCounts = async (partial: { optionWeight?: number; checkAllOptions?: boolean }): Promise<{ primitive: number[]; begun: number[]; asked: number[]; steps: number; runs: number }> => {
    const obs = new Float32Array([0]);
    const primitive = [0, 0];
    let inOption = -1;
    const env: Env<Float32Array, Record<string, never>> = {
      actionCount: 2,
      observationShape: [1],
      reset: () => ({ observation: obs, info: {} }),
      step: (a: number) => {
        if (inOption < 0) primitive[a]++;
        return { observation: obs, reward: 0, terminated: false, truncated: false, info: {} };
      },
    };
    const asked = [0, 0, 0];
    const begun = [0, 0, 0];
    const option = (i: number, available: boolean): Option<Float32Array> => {
      let acted = false;
      return {
        name: `o${i}`,
        prepare: async () => { asked[i]++; },
        available: () => available,
        begin: () => { acted = false; inOption = i; begun[i]++; },
        terminates: () => acted,
        act: () => { acted = true; return 0; },
        end: () => { inOption = -1; },
      };
    };
    const r = await explore(env, [option(0, true), option(1, false), option(2, true)], {}, { frames: 40000, seed: 3, ...partial });
    return { primitive, begun, asked, steps: r.summary.steps, runs: r.summary.option_runs };
  };
  it('draws uniformly among primitives and available options, asking an option only when drawn', async () => {
    // 4 equally likely choices
    const n = 40000;
    const { primitive, begun, asked, steps, runs } = await drawCounts({});
    expect(steps).to.equal(n); // every decision is one step: a primitive or a one-step option
    expect(begun[1]).to.equal(0);
    expect(runs).to.equal(begun[0] + begun[2]);
    for (const count of [primitive[0], primitive[1], begun[0], begun[2]]) expect(count / n).to.be.closeTo(1 / 4, 0.01);
    // the unavailable option is asked only when the first draw of a decision lands on it (1 in 5
    // draws), not at every decision as checking every option first would
    expect(asked[1] / n).to.be.closeTo(1 / 5, 0.01);
  });
  it('optionWeight w makes each available option w times as likely as a primitive, lazily or checking all', async () => {
    const n = 40000;
    for (const checkAllOptions of [false, true]) {
      const { primitive, begun, asked } = await drawCounts({ optionWeight: 2, checkAllOptions });
      // weights 1, 1 (primitives) and 2, 2 (the available options): 1/6, 1/6, 1/3, 1/3
      for (const count of [primitive[0], primitive[1]]) expect(count / n, `primitive, checkAllOptions ${checkAllOptions}`).to.be.closeTo(1 / 6, 0.01);
      for (const count of [begun[0], begun[2]]) expect(count / n, `option, checkAllOptions ${checkAllOptions}`).to.be.closeTo(1 / 3, 0.01);
      expect(begun[1]).to.equal(0);
      // lazily, the unavailable option holds 2 of the first draw's 8 slots; checking all asks it every time
      expect(asked[1] / n).to.be.closeTo(checkAllOptions ? 1 : 1 / 4, 0.01);
    }
    const env: Env<Float32Array, Record<string, never>> = { actionCount: 1, observationShape: [1], reset: () => ({ observation: new Float32Array(1), info: {} }), step: () => ({ observation: new Float32Array(1), reward: 0, terminated: false, truncated: false, info: {} }) };
    for (const bad of [0, 1.5, -1]) {
      const err = await explore(env, [], {}, { frames: 10, optionWeight: bad }).then(() => null, (e: unknown) => e as Error);
      expect(err?.message).to.match(/optionWeight must be a positive integer/);
    }
  });
});
