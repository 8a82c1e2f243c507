// `eigenopt discover --env atari:GAME`: the whole Atari chain with a CPU-sized default, one phase
// after another, all of it written under --out:
//   1. rollout   random actions through the vector env (v5 settings, Gymnasium preprocessing)
//   2. train     SpIN (slowness) on pairs of frames 1..8 steps apart; held-out slowness (consecutive
//                frames) against linear SFA
//   3. evaluate  the empirical chain over the RAM abstract state (room, lives, avatar x/y bins)
//                and its slowest eigenvectors; how well each learned eigenfunction matches them
//   4. options   look-ahead eigenoptions +-e2, +-e3, ... (Machado et al. 2017): one-step greedy on
//                r = +-(e(s') - e(s)) through cloneState/restoreState, ending where no action
//                improves it or after a step cap; option-dqn: the same eigenpurposes with learned
//                option policies (agents/option_dqn.ts, offline DQN on the rollout's transitions)
//   5. explore   a random agent over primitives against primitives + look-ahead eigenoptions and
//                primitives + DQN eigenoptions, equal frames
//   6. report    DIR/report.html (figures and tables), DIR/summary.json
// Every phase's settings are named below with their defaults.
import * as fs from 'fs';
import * as path from 'path';
import { AVATAR_RAM_GAMES, abstractKey, abstractKeys, abstractState, avatarHeatmaps } from '../envs/atari_ram';
import type { AbstractState, AvatarRamGame } from '../envs/atari_ram';
import { AtariEnv } from '../envs/atari';
import { explore } from '../agents/explore';
import type { ExploreResult } from '../agents/explore';
import { OPTION_DQN_DEFAULTS, dqnEigenoptionsFromRollout } from '../agents/option_dqn';
import type { FeatureModel, RolloutOptionDqn } from '../agents/option_dqn';
import { abstractStateMatch, buildAbstractChain } from '../src/data/abstract_chain';
import type { AbstractStateMatch } from '../src/data/abstract_chain';
import { readRolloutMeta } from '../src/data/rollout';
import { readRolloutFrames } from '../src/data/rollout_source';
import type { RolloutFrames } from '../src/data/rollout_source';
import type { Observation } from '../src/env';
import type { EigenfunctionModel } from '../src/models/eigenfunctions';
import { LookaheadEigenoption, LookaheadSimulator } from '../src/options/lookahead';
import { writeHtmlReport } from '../src/report/html';
import type { ReportBlock, ReportSection } from '../src/report/html';
import { activationSummary } from '../src/viz/activations';
import { barChart, heatmap, imageGrid, lineChart } from '../src/viz/charts';
import type { ChartImage } from '../src/viz/charts';
import { rollout } from './rollout';
import { trainOnRollout } from '../src/learners/frames';
import type { FrameLearner, HeldOutReport } from '../src/learners/frames';

export const ATARI_CHAIN_DEFAULTS = {
  /** rollout rows (agent steps of 4 frames) */
  rolloutSteps: 40_000,
  /** the training rollout ends an episode at every lost life (the next reset restarts the game), so
   *  no frame pair crosses a death and every frame shows full lives: otherwise the lives counter,
   *  which only ever falls, is the slowest feature of random play and takes the first eigenfunctions */
  rolloutTerminalOnLifeLoss: true,
  envs: 2,
  neig: 8,
  /** training: steps and wall-clock budget */
  trainSteps: 3000,
  trainSeconds: 240,
  /** training pairs are frames l steps apart, l drawn from 1..trainLag per pair (TrainOnRolloutOptions.lag):
   *  the slowness of P's lags 1..8 together, so that objects moving steadily on their own (Montezuma's
   *  skull) stop taking the first eigenfunctions from the avatar's position */
  trainLag: 8,
  /** eigenoptions +-e2 .. (1 + options/2): e1 is the constant function */
  options: 8,
  /** steps an option may run before it is cut off */
  optionMaxSteps: 50,
  /** look-ahead: each action held for this many steps (the option commits to it as long) */
  optionRepeat: 4,
  /** an option continues only while some action raises its eigenpurpose by more than this
   *  (the learned eigenfunctions have unit variance on the training frames) */
  optionTolerance: 0.02,
  /** an action is never chosen when it loses a life within this many NOOP steps after it (falls in
   *  Montezuma's Revenge cost the life only on landing, after the death animation) */
  optionLifeLossHorizon: 12,
  /** the same check on the last life, where a death shows only as the game's end, which
   *  Montezuma's Revenge signals 12-14 steps later than it drops the lives counter for the same death
   *  (LookaheadSimulatorConfig.gameOverHorizon) */
  optionGameOverHorizon: 28,
  /** where a running option's look-ahead finds no gain, it tries each action held this many steps
   *  before stopping (LookaheadSimulatorConfig.holds): ladders, jumps and ropes need longer holds */
  optionHolds: [8, 16] as readonly number[],
  /** a third exploration arm: the same eigenoptions with learned (DQN) option policies, trained
   *  offline on the rollout over the eigenfunction network's frozen torso (agents/option_dqn.ts) */
  optionDqn: true,
  /** gradient steps of the DQN option policies (OPTION_DQN_DEFAULTS.steps) */
  optionDqnSteps: OPTION_DQN_DEFAULTS.steps,
  /** the exploring agent counts each option as this many choices of its uniform draw (explore's
   *  optionWeight; 1: options as likely as primitives, as in Machado et al.; 2: each option twice
   *  as likely as a primitive, so options run ~75% of the agent's steps) */
  optionWeight: 2,
  /** emulator frames of each exploration run, and runs (seeds seed, seed + 1, ...) per arm: one
   *  Montezuma's Revenge run varies by +-35 cells with its seed, so the summary is a mean of three */
  exploreFrames: 60_000,
  seeds: 3,
  /** avatar-position bin of the abstract state (room, x / binSize, y / binSize); lives are left out,
   *  so losing a life is not counted as reaching a new state */
  binSize: 8,
  /** frames used for the abstract-state chain and the figures */
  evalFrames: 20_000,
  seed: 0,
};

export interface AtariChainOptions {
  game: string;
  out: string;
  /** Eigenfunction learner on the frames (default spin). */
  learner?: FrameLearner;
  rolloutSteps?: number;
  neig?: number;
  trainSteps?: number;
  trainSeconds?: number;
  /** ATARI_CHAIN_DEFAULTS.trainLag */
  lag?: number;
  options?: number;
  optionMaxSteps?: number;
  /** ATARI_CHAIN_DEFAULTS.optionWeight */
  optionWeight?: number;
  /** ATARI_CHAIN_DEFAULTS.optionHolds ([] turns them off) */
  optionHolds?: readonly number[];
  exploreFrames?: number;
  /** Also explore with DQN option policies (default true). */
  optionDqn?: boolean;
  optionDqnSteps?: number;
  seeds?: number;
  seed?: number;
  binSize?: number;
  log?: (line: string) => void;
  progress?: boolean;
}

export interface ArmSummary {
  frames: number;
  abstract_states: number;
  rooms: number;
  score: number;
}

export interface AtariChainSummary {
  game: string;
  eigenvalues: number[];
  heldout_slowness: { spin: number[]; spin_span: number[]; linear_sfa: number[] };
  abstract_state_match: { mean_same_index_cos: number; mean_best_cos: number; mean_explained_variance: number; per_eigenfunction: AbstractStateMatch['perEigenfunction'] } | null;
  /** options: look-ahead eigenoptions; options_dqn (when run): the same eigenpurposes with DQN option policies */
  exploration: { random: ArmSummary; options: ArmSummary; options_dqn?: ArmSummary; runs: { random: ArmSummary[]; options: ArmSummary[]; options_dqn?: ArmSummary[] } };
  seconds: Record<string, number>;
  files: Record<string, string>;
}

function hasHiddenFeatures(m: EigenfunctionModel): m is EigenfunctionModel & FeatureModel {
  return typeof (m as Partial<FeatureModel>).featuresAndValues === 'function';
}

function isAvatarGame(g: string): g is AvatarRamGame {
  return (AVATAR_RAM_GAMES as readonly string[]).includes(g);
}

/** What exploration counts on an avatar game: the (room, x, y) cell and the room, from one RAM read per step. */
export function avatarProbes(game: AvatarRamGame, env: AtariEnv, binSize: number): { abstractKey: (info: unknown) => number; room: (info: unknown) => number } {
  const ram = new Uint8Array(128);
  let seenInfo: unknown = null; // AtariEnv's info is a new object each step
  let state: AbstractState | null = null;
  const stateAt = (info: unknown): AbstractState => {
    if (info !== seenInfo || state === null) {
      seenInfo = info;
      state = abstractState(game, env.getRAM(ram));
    }
    return state;
  };
  return {
    abstractKey: (info) => abstractKey(stateAt(info), { binSize, ignoreLives: true }),
    room: (info) => stateAt(info).room ?? 0,
  };
}

/** Key sequences of the frames' episodes, following the successor links. */
export function episodesOf(frames: RolloutFrames, keys: Int32Array): Int32Array[] {
  const hasPred = new Uint8Array(frames.count);
  for (let t = 0; t < frames.count; t++) if (frames.next[t] >= 0) hasPred[frames.next[t]] = 1;
  const out: Int32Array[] = [];
  for (let t = 0; t < frames.count; t++) {
    if (hasPred[t]) continue;
    const seq: number[] = [];
    for (let u = t; u >= 0; u = frames.next[u]) seq.push(keys[u]);
    out.push(Int32Array.from(seq));
  }
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function armMean(runs: readonly ArmSummary[]): ArmSummary {
  return {
    frames: mean(runs.map((r) => r.frames)),
    abstract_states: mean(runs.map((r) => r.abstract_states)),
    rooms: mean(runs.map((r) => r.rooms)),
    score: mean(runs.map((r) => r.score)),
  };
}

/**
 * The look-ahead eigenoptions +-e2, +-e3, ... of a model on an AtariEnv. The model reads the last
 * stacked frame unless `cfg.modelInput` says otherwise (it is called while the emulator sits in the
 * state of the observation it is given, so it may read the emulator, e.g. its RAM).
 */
export function atariEigenoptions(
  env: AtariEnv,
  model: EigenfunctionModel,
  count: number,
  cfg: { maxSteps: number; repeat: number; tolerance: number; baselineNoop?: boolean; lifeLossHorizon?: number; gameOverHorizon?: number; holds?: readonly number[]; modelInput?: (o: Uint8Array) => Observation } = { maxSteps: ATARI_CHAIN_DEFAULTS.optionMaxSteps, repeat: ATARI_CHAIN_DEFAULTS.optionRepeat, tolerance: ATARI_CHAIN_DEFAULTS.optionTolerance, baselineNoop: true, lifeLossHorizon: ATARI_CHAIN_DEFAULTS.optionLifeLossHorizon, gameOverHorizon: ATARI_CHAIN_DEFAULTS.optionGameOverHorizon, holds: ATARI_CHAIN_DEFAULTS.optionHolds },
): LookaheadEigenoption<Uint8Array, Uint8Array>[] {
  const frame = model.observationShape.reduce((a, b) => a * b, 1);
  const modelInput = cfg.modelInput ?? ((o: Uint8Array): Observation => o.subarray(o.length - frame));
  // NOOP (ALE action 0) is the baseline of every look-ahead: an option runs only where it beats doing nothing
  const noop = env.actionSet.indexOf(0);
  const simulator = new LookaheadSimulator<Uint8Array, Uint8Array>(env, model, { modelInput, repeat: cfg.repeat, lifeLossHorizon: cfg.lifeLossHorizon ?? 0, gameOverHorizon: cfg.gameOverHorizon, settleAction: Math.max(0, noop), holds: cfg.holds });
  if (count > 2 * (model.k - 1)) throw new Error(`${count} options need ${Math.ceil(count / 2) + 1} eigenfunctions (e1 is skipped) but the model has ${model.k}`);
  return Array.from({ length: count }, (_, i) => new LookaheadEigenoption<Uint8Array, Uint8Array>(env, model, {
    eigenIndex: 1 + Math.floor(i / 2), sign: i % 2 === 0 ? 1 : -1, maxSteps: cfg.maxSteps, tolerance: cfg.tolerance, simulator, modelInput, baselineAction: cfg.baselineNoop === false ? undefined : noop,
  }));
}

export async function runAtariChain(o: AtariChainOptions): Promise<AtariChainSummary> {
  const c = { ...ATARI_CHAIN_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as typeof ATARI_CHAIN_DEFAULTS & AtariChainOptions;
  const log = o.log ?? ((s: string): void => console.log(s));
  const game = o.game;
  fs.mkdirSync(o.out, { recursive: true });
  const seconds: Record<string, number> = {};
  const files: Record<string, string> = {};
  const timed = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    log(`== ${phase}`);
    const r = await f();
    seconds[phase] = (Date.now() - t0) / 1000;
    log(`   ${phase}: ${seconds[phase].toFixed(0)} s`);
    return r;
  };

  // 1. rollout
  const data = path.join(o.out, 'rollout');
  const ro = await timed('rollout', () => rollout({ game, frames: c.rolloutSteps, envs: c.envs, seed: c.seed, terminalOnLifeLoss: c.rolloutTerminalOnLifeLoss, out: data, resume: fs.existsSync(path.join(data, 'meta.json')), progress: o.progress, log }));
  log(`   ${ro.meta.rows} rows, ${ro.meta.episodesStarted} episodes`);

  // 2. train
  const modelDir = path.join(o.out, 'model');
  // deep SR learns from consecutive transitions (trainOnRollout refuses it a lag)
  const trainedLag = o.lag ?? (o.learner === 'deep-sr' ? 1 : c.trainLag);
  const trained = await timed('train', () =>
    trainOnRollout({ data, neig: c.neig, out: modelDir, learner: o.learner ?? 'spin', steps: c.trainSteps, maxSeconds: c.trainSeconds, lag: trainedLag, seed: c.seed, log: (s) => log(`   ${s}`) }));
  const model = trained.model;
  const held: HeldOutReport = trained.heldOut;
  const k = model.k;
  let dqnHeld: RolloutOptionDqn | null = null;
  try {
    // 3. evaluate against the abstract-state chain
    const sections: ReportSection[] = [];
    let match: AbstractStateMatch | null = null;
    const evalOut = await timed('evaluate', async () => {
      const meta = readRolloutMeta(data);
      const frames = readRolloutFrames(data, meta.shards.map((_, i) => i), c.evalFrames);
      const values = await model.evaluate(frames.obs, frames.count);
      if (isAvatarGame(game)) {
        const keys = abstractKeys(game, frames.ram, { binSize: c.binSize, ignoreLives: true });
        const chain = buildAbstractChain(episodesOf(frames, keys), { k: Math.min(k, 16) });
        match = abstractStateMatch(values, k, keys, chain);
      }
      return { frames, values };
    });

    // 4. learned option policies (DQN) on the rollout, over the eigenfunction network's torso
    const featureModel = hasHiddenFeatures(model) ? model : null;
    dqnHeld = c.optionDqn && featureModel
      ? await timed('option-dqn', () => dqnEigenoptionsFromRollout(featureModel, data, c.options, { seed: c.seed, steps: c.optionDqnSteps }, (s) => log(`   ${s}`)))
      : null;
    const dqn = dqnHeld;
    if (dqn) log(`   ${dqn.transitions} transitions, final loss ${dqn.training.finalLoss.toExponential(3)}`);

    // 5. exploration at equal frames
    type Arm = 'random' | 'options' | 'options_dqn';
    const arms: Arm[] = dqn ? ['random', 'options', 'options_dqn'] : ['random', 'options'];
    const runs: Record<Arm, ExploreResult[]> = { random: [], options: [], options_dqn: [] };
    await timed('explore', async () => {
      for (let r = 0; r < c.seeds; r++) {
        for (const arm of arms) {
          const env = new AtariEnv({ game, seed: c.seed + r });
          const probes = isAvatarGame(game) ? avatarProbes(game, env, c.binSize) : {};
          const options =
            arm === 'options' ? atariEigenoptions(env, model, c.options, { maxSteps: c.optionMaxSteps, repeat: c.optionRepeat, tolerance: c.optionTolerance, lifeLossHorizon: c.optionLifeLossHorizon, gameOverHorizon: c.optionGameOverHorizon, holds: c.optionHolds })
            : arm === 'options_dqn' && dqn ? dqn.options<Uint8Array>()
            : [];
          const res = await explore(env, options, probes, { frames: c.exploreFrames, seed: c.seed + r, optionWeight: c.optionWeight });
          runs[arm].push(res);
          log(`   ${arm} seed ${c.seed + r}: ${res.summary.abstract_states} abstract states, ${res.summary.rooms} rooms, score ${res.summary.score} in ${res.summary.frames} frames`);
        }
      }
    });
    const arm = (a: Arm): ArmSummary[] => runs[a].map((x) => ({ frames: x.summary.frames, abstract_states: x.summary.abstract_states, rooms: x.summary.rooms, score: x.summary.score }));

    // 6. report
    await timed('report', async () => {
      const ev = Array.from(model.eigenvalues);
      sections.push({
        title: 'Eigenfunctions and held-out slowness',
        blocks: [
          { kind: 'text', text: `${model.learner === 'spin' ? 'SpIN (slowness operator)' : model.learner} on ${ro.meta.rows} preprocessed frames of ${game}, training pairs 1..${trainedLag} steps apart (eigenvalues of I - the mean of P^1..P^${trainedLag}); held-out slowness of consecutive frames on ${held.frames} frames (${held.pairs} pairs) never trained on, I - P scale.` },
          {
            kind: 'chart',
            id: 'slowness',
            spec: barChart(
              [...held.slowness.map((v, i) => ({ label: `e${i + 1} ${model.learner}`, value: v, group: model.learner })), ...held.linearSfa.slowness.map((v, i) => ({ label: `f${i + 1} SFA`, value: v, group: 'linear SFA' }))],
              { title: 'Held-out slowness per eigenfunction', subtitle: 'lower is slower', xTitle: 'eigenfunction', yTitle: 'E[(e(x) - e(x\'))^2] / (2 Var e)', legendTitle: 'learner' },
            ),
          },
          { kind: 'table', caption: 'Eigenvalues (training estimate) and held-out slowness', columns: ['i', 'eigenvalue', `held-out (${model.learner})`, `held-out span (${model.learner})`, 'held-out (linear SFA)'], rows: ev.map((v, i) => [i + 1, v, held.slowness[i], held.spanSlowness[i], held.linearSfa.slowness[i] ?? null]) },
        ],
      });
      // most / least activating frames of e2 and e3, and heatmaps over the avatar position
      const { frames, values } = evalOut;
      const [h, w] = [84, 84];
      const frameSize = h * w;
      for (let j = 1; j < Math.min(k, 3); j++) {
        const col = Float64Array.from({ length: frames.count }, (_, t) => values[t * k + j]);
        const s = activationSummary(frames.obs, frameSize, col, 8);
        const imgs: ChartImage[] = [
          ...s.top.map((t, i) => ({ caption: `top ${i + 1}`, width: w, height: h, pixels: frames.obs.subarray(t * frameSize, (t + 1) * frameSize) })),
          ...s.bottom.map((t, i) => ({ caption: `bottom ${i + 1}`, width: w, height: h, pixels: frames.obs.subarray(t * frameSize, (t + 1) * frameSize) })),
          { caption: 'mean of top 1%', width: w, height: h, pixels: s.topMean },
          { caption: 'mean of bottom 1%', width: w, height: h, pixels: s.bottomMean },
        ];
        sections.push({ title: `e${j + 1}: most and least activating frames`, blocks: [{ kind: 'chart', id: `frames-e${j + 1}`, spec: imageGrid(imgs, { title: `Frames that most and least activate e${j + 1}`, subtitle: game, columns: 8, scale: 1 }) }] });
      }
      if (isAvatarGame(game)) {
        const maps = avatarHeatmaps(game, frames.ram, values, k, { binSize: 4 }).slice(0, 3);
        const blocks: ReportBlock[] = [];
        for (const m of maps) for (let j = 1; j < Math.min(k, 4); j++) {
          blocks.push({ kind: 'chart', id: `map-r${m.room}-e${j + 1}`, spec: heatmap(m.mean[j], m.height, m.width, { title: `e${j + 1} over the avatar's position`, subtitle: `room ${m.room} (bins of 4 RAM units)`, xTitle: 'x bin', yTitle: 'y bin (screen order)', valueTitle: `mean e${j + 1}`, scale: 'diverging' }) });
        }
        if (blocks.length > 0) sections.push({ title: 'Eigenfunctions over the avatar position', blocks });
      }
      if (match) {
        const mm: AbstractStateMatch = match;
        sections.push({
          title: 'Match with the abstract-state chain',
          blocks: [
            { kind: 'text', text: `Empirical transition chain over the avatar's (room, x/${c.binSize}, y/${c.binSize}) read from RAM (${mm.scoredFrames} frames scored). Visit-weighted |cos| between each learned eigenfunction (averaged per abstract state) and the chain's eigenvector of the same index, the best-matching one, and the variance the abstract state explains.` },
            { kind: 'table', columns: ['i', 'same-index |cos|', 'best |cos|', 'best index', 'explained variance'], rows: mm.perEigenfunction.map((e) => [e.index + 1, e.sameIndexCos, e.bestCos, e.bestIndex + 1, e.explainedVariance]) },
          ],
        });
      }
      const curve = (rs: ExploreResult[]): { x: number[]; y: number[] } => ({ x: rs[0].curve.map((p) => p.frames), y: rs[0].curve.map((p) => p.abstract_states) });
      sections.push({
        title: 'Exploration at equal frames',
        blocks: [
          { kind: 'chart', id: 'explore', spec: lineChart([{ name: 'random (primitives)', ...curve(runs.random) }, { name: `random + ${c.options} eigenoptions (look-ahead)`, ...curve(runs.options) }, ...(dqn ? [{ name: `random + ${c.options} eigenoptions (DQN)`, ...curve(runs.options_dqn) }] : [])], { title: 'Distinct abstract states visited', subtitle: `${game}, seed ${c.seed}`, xTitle: 'frames', yTitle: 'distinct abstract states', legendTitle: 'agent' }) },
          { kind: 'table', columns: ['agent', 'frames', 'abstract states', 'rooms', 'score'], rows: [['random', ...Object.values(armMean(arm('random')))], ['random + eigenoptions (look-ahead)', ...Object.values(armMean(arm('options')))], ...(dqn ? [['random + eigenoptions (DQN)', ...Object.values(armMean(arm('options_dqn')))]] : [])] },
        ],
      });
      files.report = await writeHtmlReport(o.out, { title: `eigenopt: eigenoptions of ${game}`, subtitle: 'rollout -> SpIN -> eigenoptions -> exploration', sections });
    });

    const summary: AtariChainSummary = {
      game,
      eigenvalues: Array.from(model.eigenvalues),
      heldout_slowness: { spin: held.slowness, spin_span: held.spanSlowness, linear_sfa: held.linearSfa.slowness },
      abstract_state_match: match
        ? { mean_same_index_cos: (match as AbstractStateMatch).meanSameIndexCos, mean_best_cos: (match as AbstractStateMatch).meanBestCos, mean_explained_variance: (match as AbstractStateMatch).meanExplainedVariance, per_eigenfunction: (match as AbstractStateMatch).perEigenfunction }
        : null,
      exploration: dqn
        ? { random: armMean(arm('random')), options: armMean(arm('options')), options_dqn: armMean(arm('options_dqn')), runs: { random: arm('random'), options: arm('options'), options_dqn: arm('options_dqn') } }
        : { random: armMean(arm('random')), options: armMean(arm('options')), runs: { random: arm('random'), options: arm('options') } },
      seconds,
      files: { ...files, model: modelDir, rollout: data },
    };
    fs.writeFileSync(path.join(o.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    return summary;
  } finally {
    model.dispose();
    dqnHeld?.optionQ.dispose();
  }
}
