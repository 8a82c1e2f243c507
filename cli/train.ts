// `eigenopt train --data DIR --neig K --out MODEL`: the command over trainOnRollout
// (src/learners/frames.ts): SpIN or deep SR on the frame pairs of a rollout dataset, held-out
// slowness against linear SFA.
import type { Command } from 'commander';
import { FRAME_LEARNERS, TRAIN_DEFAULTS, trainOnRollout } from '../src/learners/frames';
import type { FrameLearner, TrainPreset } from '../src/learners/frames';
import { intFlag, numFlag, parseChoice } from './flags';

interface TrainFlags {
  data: string;
  neig: number;
  out: string;
  learner: string;
  preset: string;
  lag: number;
  steps: number;
  maxSeconds: number;
  batchSize: number;
  lr?: number;
  clipFactor: number;
  seed: number;
  checkpointEvery?: number;
  resume: boolean;
  json: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('learn eigenfunctions (SpIN slowness, or deep SR) from the frame pairs of an eigenopt rollout dataset')
    .requiredOption('--data <dir>', 'rollout folder written by eigenopt rollout')
    .option('--neig <k>', 'number of eigenfunctions', intFlag('neig'), TRAIN_DEFAULTS.neig)
    .option('--out <dir>', 'model folder', 'eigenopt-model')
    .option('--learner <name>', 'spin, allo or deep-sr', TRAIN_DEFAULTS.learner)
    .option('--preset <name>', 'network and optimiser: cpu or spin-paper', TRAIN_DEFAULTS.preset)
    .option('--steps <n>', 'training steps', intFlag('steps'), TRAIN_DEFAULTS.steps)
    .option('--max-seconds <s>', 'wall-clock budget of training', numFlag('max-seconds', 0), TRAIN_DEFAULTS.maxSeconds)
    .option('--batch-size <n>', 'pairs per step', intFlag('batch-size'), TRAIN_DEFAULTS.batchSize)
    .option('--lr <x>', 'learning rate (default: the preset\'s)', numFlag('lr', 0))
    .option('--lag <n>', 'training pairs are frames l steps apart, l drawn per pair from 1..n (eigenvalues of I - mean(P, ..., P^n))', intFlag('lag'), TRAIN_DEFAULTS.lag)
    .option('--clip-factor <x>', 'spin: cap each gradient at x times the running gradient norm (0: off)', numFlag('clip-factor', 0), TRAIN_DEFAULTS.clipFactor)
    .option('--seed <n>', 'seed of the weights and the minibatch order', intFlag('seed', 0), TRAIN_DEFAULTS.seed)
    .option('--checkpoint-every <n>', 'write a checkpoint every n steps (to OUT/checkpoint)', intFlag('checkpoint-every'))
    .option('--resume', 'continue from OUT/checkpoint', false)
    .option('--json', 'print a JSON summary line last', false)
    .action(async (f: TrainFlags) => {
      const learner = parseChoice<FrameLearner>('learner', f.learner, FRAME_LEARNERS);
      const preset = parseChoice<TrainPreset>('preset', f.preset, ['cpu', 'spin-paper']);
      const r = await trainOnRollout({
        data: f.data, neig: f.neig, out: f.out, learner, preset, steps: f.steps, maxSeconds: f.maxSeconds, batchSize: f.batchSize,
        lag: f.lag, learningRate: f.lr, clipFactor: f.clipFactor, seed: f.seed, checkpointEvery: f.checkpointEvery, resume: f.resume, log: (s) => process.stderr.write(s + '\n'),
      });
      const fmt = (a: number[]): string => a.map((x) => x.toFixed(4)).join(' ');
      console.log(`held-out slowness (I - P scale, ${r.heldOut.frames} frames, ${r.heldOut.pairs} pairs):`);
      console.log(`  ${learner}: ${fmt(r.heldOut.slowness)}`);
      console.log(`  ${learner} span: ${fmt(r.heldOut.spanSlowness)}`);
      console.log(`  linear SFA (PCA ${r.heldOut.linearSfa.components}): ${fmt(r.heldOut.linearSfa.slowness)}`);
      console.log(`model written to ${f.out}`);
      if (f.json) console.log(JSON.stringify({ learner, steps: r.steps, seconds: r.seconds, heldOut: r.heldOut }));
      r.model.dispose();
    });
}
