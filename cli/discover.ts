// `eigenopt discover`: learn eigenfunctions of a gridworld and write them (NPY, JSON) with heatmaps
// of their options' policies.
import * as path from 'path';
import type { Command } from 'commander';
import { GridEnv, GridWorld } from '../envs/gridworld';
import { MdpTransitionSource } from '../src/data/mdp_source';
import { REPLAY_DEFAULTS, ReplayBuffer } from '../src/data/replay';
import { exactSpectrum, scoreEigenvectors } from '../src/learners/scoring';
import { REPLAY_LEARNERS, ReplayLearner, ReplayLearnerName } from '../src/learners/replay';
import { cosine } from '../src/linalg';
import { EigenLearner, LEARNER_NAMES, createLearner, exactOperator, exactReference } from '../src/learners';
import { GRID_OBSERVATIONS, GridObservation } from '../src/learners/spin';
import { IMAGE_TORSOS, ImageTorso } from '../src/learners/spin-replay';
import { FRAME_LEARNERS } from '../src/learners/frames';
import type { FrameLearner } from '../src/learners/frames';
import { stateValues } from '../src/models/eigenfunctions';
import { optionByValueIteration } from '../src/options';
import { heatmap } from '../src/viz/heatmap';
import { saveGridEigenfunctions } from './eigen_io';
import { OptionFlags, addOptionFlags, optionConfigOf, parseChoice, parseHolds, parseIntArg, parseNumArg } from './flags';

export interface LearnerFlags {
  seed: string;
  observation: string;
  steps?: string;
  batchSize?: string;
  lr?: string;
  sampling?: string;
  decay?: string;
  transitions?: string;
  maxSeconds?: string;
  demixing?: string;
  torso?: string;
}

/** Sampling of a learner's minibatches: replay for observations and the replay learners, stratified for one-hot spin. */
export function samplingOf(learner: string, flags: Pick<LearnerFlags, 'sampling' | 'observation'>): 'stratified' | 'uniform' | 'replay' {
  const def = learner === 'spin' && flags.observation === 'onehot' ? 'stratified' : 'replay';
  return parseChoice('sampling', flags.sampling ?? def, ['stratified', 'uniform', 'replay'] as const);
}

/** The learner named on the command line: flags parsed here, construction by createLearner. */
export async function makeLearner(name: string, flags: LearnerFlags, log: (s: string) => void): Promise<EigenLearner> {
  const seed = parseIntArg('seed', flags.seed);
  if (name === 'deep-sr') {
    return createLearner(name, {
      seed,
      observation: parseChoice<GridObservation>('observation', flags.observation, GRID_OBSERVATIONS),
      steps: flags.steps !== undefined ? parseIntArg('steps', flags.steps, 1) : undefined,
      onProgress: (step: number, rec: number) => log(`  step ${step}: reconstruction loss ${rec.toFixed(6)}`),
    });
  }
  if (!(REPLAY_LEARNERS as readonly string[]).includes(name)) return createLearner(name, { seed });
  const sampling = samplingOf(name, flags);
  if (sampling === 'replay') {
    parseChoice<GridObservation>('observation', flags.observation, GRID_OBSERVATIONS);
    return new ReplayLearner(name as ReplayLearnerName, {
      observation: flags.observation,
      seed,
      steps: flags.steps !== undefined ? parseIntArg('steps', flags.steps, 1) : undefined,
      maxSeconds: flags.maxSeconds !== undefined ? parseNumArg('max-seconds', flags.maxSeconds, 0) : undefined,
      batchSize: flags.batchSize !== undefined ? parseIntArg('batch-size', flags.batchSize, 1) : undefined,
      learningRate: flags.lr !== undefined ? parseNumArg('lr', flags.lr) : undefined,
      decay: flags.decay !== undefined ? parseNumArg('decay', flags.decay) : undefined,
      finalDemixing: flags.demixing !== undefined ? parseChoice('demixing', flags.demixing, ['ritz', 'buffer', 'trainer'] as const) : undefined,
      torso: flags.torso !== undefined ? parseChoice<ImageTorso>('torso', flags.torso, IMAGE_TORSOS) : undefined,
    });
  }
  if (name !== 'spin') throw new Error(`--learner ${name} learns from replayed experience: use --sampling replay`);
  return createLearner('spin', {
    observation: parseChoice<GridObservation>('observation', flags.observation, GRID_OBSERVATIONS),
    seed,
    steps: flags.steps !== undefined ? parseIntArg('steps', flags.steps, 1) : undefined,
    batchSize: flags.batchSize !== undefined ? parseIntArg('batch-size', flags.batchSize, 1) : undefined,
    learningRate: flags.lr !== undefined ? parseNumArg('lr', flags.lr) : undefined,
    decay: flags.decay !== undefined ? parseNumArg('decay', flags.decay) : undefined,
    sampling,
    onProgress: (step: number, loss: number, ev: Float32Array) =>
      log(`  step ${step}: loss ${loss.toFixed(5)}, eigenvalues ${Array.from(ev, (x) => x.toFixed(4)).join(' ')}`),
  });
}

interface DiscoverFlags extends LearnerFlags, OptionFlags {
  env: string;
  learner: string;
  neig: string;
  out: string;
  png: boolean;
  rolloutSteps?: string;
  trainSeconds?: string;
  lag?: string;
  exploreFrames?: string;
  seeds?: string;
  eigenoptions?: string;
  optionWeight?: string;
  optionHolds?: string;
  /** commander's --no-option-dqn: false skips the DQN option arm */
  optionDqn?: boolean;
}

/** `--env atari:GAME`: the whole Atari chain (cli/atari_chain.ts). */
async function discoverAtari(o: DiscoverFlags, log: (s: string) => void): Promise<void> {
  const game = o.env.slice('atari:'.length);
  if (game === '') throw new Error('--env atari:GAME needs a game name, e.g. atari:montezuma_revenge');
  const learner = parseChoice<FrameLearner>('learner', o.learner, FRAME_LEARNERS);
  const { runAtariChain } = await import('./atari_chain');
  const opt = (name: string, v: string | undefined, min = 1): number | undefined => (v === undefined ? undefined : parseIntArg(name, v, min));
  const s = await runAtariChain({
    game,
    out: o.out,
    learner,
    neig: opt('neig', o.neig === '8' ? undefined : o.neig),
    seed: parseIntArg('seed', o.seed),
    trainSteps: opt('steps', o.steps),
    trainSeconds: opt('train-seconds', o.trainSeconds),
    lag: opt('lag', o.lag),
    rolloutSteps: opt('rollout-steps', o.rolloutSteps),
    exploreFrames: opt('explore-frames', o.exploreFrames),
    seeds: opt('seeds', o.seeds),
    options: opt('eigenoptions', o.eigenoptions, 0),
    optionWeight: opt('option-weight', o.optionWeight),
    optionHolds: o.optionHolds === undefined ? undefined : parseHolds('option-holds', o.optionHolds),
    optionDqn: o.optionDqn,
    progress: process.stdout.isTTY,
    log,
  });
  const r = s.exploration.random;
  const e = s.exploration.options;
  log(`summary (${game}):`);
  log(`  held-out slowness  spin ${s.heldout_slowness.spin.map((x) => x.toFixed(4)).join(' ')}`);
  log(`                     linear SFA ${s.heldout_slowness.linear_sfa.map((x) => x.toFixed(4)).join(' ')}`);
  if (s.abstract_state_match) log(`  abstract-state match: mean same-index |cos| ${s.abstract_state_match.mean_same_index_cos.toFixed(3)}, best ${s.abstract_state_match.mean_best_cos.toFixed(3)}, explained variance ${s.abstract_state_match.mean_explained_variance.toFixed(3)}`);
  log(`  exploration (${r.frames.toFixed(0)} frames): random ${r.abstract_states.toFixed(1)} abstract states, ${r.rooms.toFixed(1)} rooms, score ${r.score.toFixed(1)}; + eigenoptions (look-ahead) ${e.abstract_states.toFixed(1)}, ${e.rooms.toFixed(1)} rooms, score ${e.score.toFixed(1)}`);
  const d = s.exploration.options_dqn;
  if (d) log(`                     + eigenoptions (DQN) ${d.abstract_states.toFixed(1)} abstract states, ${d.rooms.toFixed(1)} rooms, score ${d.score.toFixed(1)}`);
  log(`  wrote ${path.join(o.out, 'report.html')} and ${path.join(o.out, 'summary.json')}`);
}

export async function discover(o: DiscoverFlags, log: (s: string) => void = console.log): Promise<{ cosines: number[]; projections: number[]; seconds: number }> {
  if (o.env.startsWith('atari:')) {
    await discoverAtari(o, log);
    return { cosines: [], projections: [], seconds: 0 };
  }
  const world = GridWorld.fromName(o.env);
  const k = parseIntArg('neig', o.neig, 1);
  if (k > world.numStates) throw new Error(`--neig ${k} exceeds the ${world.numStates} states of ${world.layout.name}`);
  const cfg = optionConfigOf(o);
  const learner = await makeLearner(o.learner, o, log);
  log(`eigenopt discover: ${world.layout.name} (${world.numStates} states), learner ${learner.name}, ${k} eigenfunctions -> ${o.out}`);
  const t0 = Date.now();
  let source: ReplayBuffer | MdpTransitionSource;
  if (learner instanceof ReplayLearner) {
    // experience of the uniform random policy: episodes of 50 steps from uniformly drawn free cells
    const env = new GridEnv(world, { observation: o.observation as GridObservation, start: 'uniform', maxSteps: REPLAY_DEFAULTS.episodeLength, seed: parseIntArg('seed', o.seed) });
    const transitions = o.transitions !== undefined ? parseIntArg('transitions', o.transitions, 1) : REPLAY_DEFAULTS.transitions;
    const buffer = new ReplayBuffer(env, { transitions, seed: parseIntArg('seed', o.seed) });
    log(`replay buffer: ${buffer.size} transitions, ${buffer.distinct} distinct observations of shape [${buffer.observationShape}]`);
    source = buffer;
  } else {
    // transitions for learners that read observations only: (s, a) uniform, s' from the model
    source = new MdpTransitionSource(world, { observation: o.observation, sampling: 'uniform', seed: parseIntArg('seed', o.seed) });
  }
  const model = await learner.fit(learner instanceof ReplayLearner ? { source, log } : { world, source, log }, k);
  const seconds = (Date.now() - t0) / 1000;
  try {
    // the operator's decomposition, once: the per-index reference and the eigenspace scores
    const op = exactOperator(world, learner.name);
    const spectrum = exactSpectrum(op.matrix, world.numStates);
    const exact = exactReference(world, learner.name, k, spectrum);
    const vectors = await stateValues(model, world);
    const cosines = vectors.map((v, i) => Math.abs(cosine(v, exact.vectors[i])));
    // projection onto the exact eigenspace of each index (repeated eigenvalues), Ritz values of the span
    const sc = scoreEigenvectors(vectors, spectrum, op.matrix, world.numStates);
    const projections = sc.projection;
    await saveGridEigenfunctions(o.out, world, model, {
      seconds,
      cosineToExact: cosines,
      projectionToExact: projections,
      averageCosine: sc.averageCosine,
      averageProjection: sc.averageProjection,
      rayleighQuotients: sc.rayleigh,
      ritzValues: sc.ritz,
      exactEigenvalues: sc.exact,
      exactOperator: exact.info.operator,
    }, vectors);
    if (o.png) {
      for (let i = 0; i < k; i++) {
        const opt = optionByValueIteration(world, vectors[i], 1, cfg, i);
        heatmap(world, vectors[i], { policy: opt.policy }).save(path.join(o.out, `eigenfunction_${String(i + 1).padStart(2, '0')}.png`));
      }
    }
    log(`learned in ${seconds.toFixed(1)} s${model.info.transitions !== undefined ? ` from ${model.info.transitions} transitions` : ''}`);
    log(`  i   eigenvalue   exact(${exact.info.operator})   |cos| to exact   projection on eigenspace   Ritz value`);
    for (let i = 0; i < k; i++) {
      log(`${String(i + 1).padStart(3)}   ${model.eigenvalues[i].toFixed(5).padStart(9)}   ${exact.eigenvalues[i].toFixed(5).padStart(9)}   ${cosines[i].toFixed(4).padStart(14)}   ${projections[i].toFixed(4).padStart(23)}   ${(sc.ritz[i] ?? NaN).toFixed(5).padStart(10)}`);
    }
    log(`average |cos| ${sc.averageCosine.toFixed(4)}, average projection ${sc.averageProjection.toFixed(4)} (${k} eigenfunctions)`);
    log(`wrote ${path.join(o.out, 'eigenfunctions.npy')} (float32 ${world.numStates} x ${k}), eigenvalues.npy, states.json, meta.json${o.png ? `, ${k} PNG heatmaps with +e option arrows` : ''}`);
    return { cosines, projections, seconds };
  } finally {
    model.dispose();
  }
}

export function registerDiscoverCommands(program: Command): void {
  addOptionFlags(
    program
      .command('discover')
      .description('learn eigenfunctions of a gridworld and write them with heatmaps of their options')
      .option('--env <name>', 'gridworld: fourrooms, openroom, imaze, a layout file, or atari:GAME (the whole Atari chain)', 'fourrooms')
      .option('--learner <name>', `eigenfunction learner: ${[...LEARNER_NAMES, 'allo', 'ggdo'].join('|')}`, 'spin')
      .option('--neig <k>', 'number of eigenfunctions', '8')
      .option('--out <dir>', 'output folder', 'eigenopt-out')
      .option('--seed <n>', 'random seed (sr, spin)', '0')
      .option('--observation <kind>', 'spin input: onehot, xy or pixels', 'onehot')
      .option('--steps <n>', 'training steps (default 2500 stratified/uniform spin, 60000 replay learners, ending earlier at --max-seconds, default 540)')
      .option('--sampling <how>', 'minibatches: stratified (every (s,a) transition once), uniform (i.i.d. (s,a)) or replay (i.i.d. from a buffer of random-walk experience); default replay for xy, pixels, allo and ggdo, stratified for one-hot spin')
      .option('--transitions <n>', 'replay buffer size (uniform random policy, episodes of 50 steps)', String(REPLAY_DEFAULTS.transitions))
      .option('--demixing <how>', 'spin replay final demixing: ritz (Rayleigh-Ritz on the learned span, default), buffer (SpIN L^-1 u with the buffer Sigma), trainer (the trainer statistics)')
      .option('--torso <kind>', `spin replay image front end (pixels): ${IMAGE_TORSOS.join(', ')} (default spatial-softmax: a learned conv, then each channel's expected (row, column))`)
      .option('--max-seconds <s>', 'wall-clock budget of replay training (stops early; the learning-rate schedule follows the budget)')
      .option('--batch-size <n>', 'spin transitions per step (default 4 x states stratified, 512 uniform)')
      .option('--lr <x>', 'spin Adam learning rate (default 0.03 one-hot, 1e-3 otherwise)')
      .option('--decay <x>', 'spin moving-average rate (default 0.1)')
      .option('--no-png', 'skip the heatmap PNGs')
      .option('--rollout-steps <n>', 'atari: rows of the random-action rollout (default 40000)')
      .option('--train-seconds <s>', 'atari: wall-clock budget of SpIN training (default 240)')
      .option('--lag <n>', 'atari: training pairs are frames l steps apart, l drawn per pair from 1..n (default 8; 1: consecutive frames)')
      .option('--explore-frames <n>', 'atari: emulator frames of each exploration run (default 60000)')
      .option('--seeds <n>', 'atari: exploration runs per agent, seeds 0, 1, ... (default 3; the summary gives their means)')
      .option('--eigenoptions <n>', 'atari: look-ahead eigenoptions +-e2, +-e3, ... (default 8)')
      .option('--option-weight <w>', 'atari: the exploring agent counts each eigenoption as w choices of its uniform draw over primitives and options (default 2; 1: as likely as a primitive)')
      .option('--option-holds <list>', "atari: where a running eigenoption's 4-step look-ahead finds no gain, it tries each action held this many steps before stopping (default 8,16; '' for none)")
      .option('--no-option-dqn', 'atari: skip the third exploration arm (the same eigenoptions with DQN option policies)'),
  ).action(async (o: DiscoverFlags) => {
    await discover(o);
  });
}
