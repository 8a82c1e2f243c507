// How far look-ahead eigenoptions could carry exploration if the eigenfunctions were learned
// perfectly: the options of the Atari chain (cli/atari_chain.ts: +-e2 .. +-e5, each action held 4
// steps, NOOP as baseline, life-loss check) built on the EXACT slowest eigenvectors of the
// empirical abstract-state chain of a rollout (src/data/abstract_chain.ts: room and avatar x, y in
// bins of 8 from RAM, lives left out) instead of on a network's eigenfunctions of the frames. These
// eigenvectors are the truth the chain's "abstract_state_match" scores learned eigenfunctions
// against, so this arm is an upper reference for better learning at the same option design: a
// learned model matching the chain perfectly would give these options.
//
// The oracle "model" reads the emulator's RAM, not the frame: the look-ahead evaluates it while the
// emulator sits in each simulated state (LookaheadSimulator calls modelInput before restoring),
// and maps the abstract state to the eigenvectors' values there; a state outside the chain (another
// room, a cell the rollout never visited) gets 0, the eigenvectors' mean under the walk's
// stationary distribution.
//
// With --model DIR a third arm, 'model', runs the same options on a learned frame model (the chain's
// atariEigenoptions with its own tolerance), so a model trained by `eigenopt train` on any rollout
// is explored at the same seeds and budget.
//
//   node dist/scripts/montezuma_chain_oracle.js --data mz/rollout [--frames 60000] [--seeds 0,1,2]
//       [--tolerance 1e-6] [--options 8] [--arms random,oracle] [--max-rows N]
//   node dist/scripts/montezuma_chain_oracle.js --arms random,model --model DIR   (no chain built)
//       [--option-weight W] (the exploring agent counts each option as W choices, explore's optionWeight)
//
// With --model DIR --data DIR --match-rows N (and --arms ''), it only scores the model against the
// chain: the abstract_state_match of the Atari chain (visit-weighted |cos| of each learned
// eigenfunction, averaged per abstract state, with the chain's eigenvectors) on N frames spread over
// the rollout's shards, the chain built from the whole rollout (or --max-rows).
import { Command } from 'commander';

import { AtariEnv } from '../envs/atari';
import { initBackend } from '../src/backend';
import { abstractKey, abstractKeys, abstractState, unpackAbstractKey } from '../envs/atari_ram';
import { explore } from '../agents/explore';
import { ATARI_CHAIN_DEFAULTS, atariEigenoptions, avatarProbes, episodesOf } from '../cli/atari_chain';
import { parseHolds, parseIntArg } from '../cli/flags';
import { abstractStateMatch, buildAbstractChain } from '../src/data/abstract_chain';
import type { AbstractChain } from '../src/data/abstract_chain';
import { readRolloutMeta } from '../src/data/rollout';
import { readRolloutFrames } from '../src/data/rollout_source';
import type { Observation } from '../src/env';
import { loadEigenfunctionModel } from '../src/models/eigenfunctions';
import type { EigenfunctionModel } from '../src/models/eigenfunctions';
import { loadSpinEigenfunctions } from '../src/spin/model';

const GAME = 'montezuma_revenge';
const DEFAULTS = { frames: ATARI_CHAIN_DEFAULTS.exploreFrames, seeds: '0,1,2', options: ATARI_CHAIN_DEFAULTS.options, tolerance: 1e-6, k: 8, arms: 'random,oracle' };

/** The chain's eigenvectors as an EigenfunctionModel over one-number inputs: 1 + the chain's state index, 0 off the chain. */
function chainModel(chain: AbstractChain, k: number): EigenfunctionModel {
  const kk = Math.min(k, chain.vectors.length);
  return {
    learner: 'abstract-chain',
    k: kk,
    eigenvalues: chain.values.subarray(0, kk),
    observation: 'abstract-key',
    observationShape: [1],
    info: { states: chain.keys.length },
    evaluate: async (x: Observation, count: number): Promise<Float64Array> => {
      const out = new Float64Array(count * kk);
      for (let t = 0; t < count; t++) {
        const i = x[t] - 1;
        if (i < 0) continue;
        for (let m = 0; m < kk; m++) out[t * kk + m] = chain.vectors[m][i];
      }
      return out;
    },
    save: async (): Promise<void> => {
      throw new Error('the abstract-chain oracle is not saved');
    },
    dispose: (): void => undefined,
  };
}

/**
 * The abstract-state chain of a rollout, read one shard at a time (only the RAM is kept): the few
 * transitions that cross a shard boundary are left out (two per shard of thousands).
 */
function rolloutChain(dir: string, maxRows: number, bin: number): AbstractChain {
  const meta = readRolloutMeta(dir);
  if (meta.game !== GAME) throw new Error(`--data: a rollout of ${meta.game}, this oracle is for ${GAME}`);
  const episodes: Int32Array[] = [];
  let rows = 0;
  for (let sh = 0; sh < meta.shards.length && rows < maxRows; sh++) {
    const rf = readRolloutFrames(dir, [sh], maxRows - rows);
    rows += rf.count;
    episodes.push(...episodesOf(rf, abstractKeys(GAME, rf.ram, { binSize: bin, ignoreLives: true })));
  }
  const chain = buildAbstractChain(episodes, { k: DEFAULTS.k });
  const rooms = new Set(Array.from(chain.keys, (key) => unpackAbstractKey(key).room));
  console.log(JSON.stringify({ rollout_rows: rows, chain_states: chain.keys.length, chain_rooms: [...rooms].sort((a, b) => a - b), dropped_visits: chain.droppedVisits, eigenvalues: Array.from(chain.values.subarray(0, DEFAULTS.k), (v) => +v.toFixed(5)) }));
  return chain;
}

/** The model's abstract_state_match against the chain on `rows` frames spread over the rollout's shards. */
async function printMatch(dir: string, model: EigenfunctionModel, chain: AbstractChain, rows: number, bin: number): Promise<void> {
  const meta = readRolloutMeta(dir);
  const per = Math.ceil(rows / meta.shards.length);
  const values: number[] = [];
  const keys: number[] = [];
  for (let sh = 0; sh < meta.shards.length; sh++) {
    const rf = readRolloutFrames(dir, [sh], per);
    const v = await model.evaluate(rf.obs, rf.count);
    for (const x of v) values.push(x);
    for (const key of abstractKeys(GAME, rf.ram, { binSize: bin, ignoreLives: true })) keys.push(key);
  }
  const m = abstractStateMatch(Float64Array.from(values), model.k, Int32Array.from(keys), chain);
  const r = (x: number): number => +x.toFixed(4);
  console.log(JSON.stringify({ match_frames: keys.length, mean_same_index_cos: r(m.meanSameIndexCos), mean_best_cos: r(m.meanBestCos), mean_explained_variance: r(m.meanExplainedVariance) }));
  for (const e of m.perEigenfunction) console.log(JSON.stringify({ e: e.index + 1, same: r(e.sameIndexCos), best: r(e.bestCos), best_index: e.bestIndex + 1, explained: r(e.explainedVariance) }));
}

/** The oracle's model input: 1 + the chain state of the emulator's current (possibly simulated) state, 0 off the chain. */
function chainInput(env: AtariEnv, chain: AbstractChain, bin: number): (o: Uint8Array) => Observation {
  const ram = new Uint8Array(128);
  const input = new Float32Array(1);
  return () => {
    input[0] = 1 + (chain.index.get(abstractKey(abstractState(GAME, env.getRAM(ram)), { binSize: bin, ignoreLives: true })) ?? -1);
    return input;
  };
}

async function main(argv: string[]): Promise<void> {
  const p = new Command()
    .option('--data <dir>', 'rollout folder the oracle\'s chain is built from (eigenopt rollout / the chain\'s DIR/rollout)')
    .option('--frames <n>', 'emulator frames per exploration run', String(DEFAULTS.frames))
    .option('--seeds <list>', 'comma-separated seeds', DEFAULTS.seeds)
    .option('--options <n>', 'eigenoptions +-e2, +-e3, ...', String(DEFAULTS.options))
    .option('--tolerance <x>', 'least gain over NOOP that keeps an option running', String(DEFAULTS.tolerance))
    .option('--model-tolerance <x>', 'the same for the model arm', String(ATARI_CHAIN_DEFAULTS.optionTolerance))
    .option('--repeat <n>', 'steps each look-ahead action is held', String(ATARI_CHAIN_DEFAULTS.optionRepeat))
    .option('--max-steps <n>', 'steps an option may run', String(ATARI_CHAIN_DEFAULTS.optionMaxSteps))
    .option('--holds <list>', "longer holds a running option tries before it stops ('' for none)", ATARI_CHAIN_DEFAULTS.optionHolds.join(','))
    .option('--option-weight <w>', 'the agent counts each option as w choices of its draw', String(ATARI_CHAIN_DEFAULTS.optionWeight))
    .option('--arms <list>', 'random, oracle and/or model', DEFAULTS.arms)
    .option('--model <dir>', 'a learned frame model (eigenopt train --out) for the model arm')
    .option('--max-rows <n>', 'rollout rows the chain is built from (default: all)')
    .option('--match-rows <n>', 'score --model against the chain of --data on this many frames spread over its shards')
    .parse(argv);
  const o = p.opts<{ data?: string; frames: string; seeds: string; options: string; tolerance: string; arms: string; maxRows?: string; model?: string; matchRows?: string; modelTolerance: string; repeat: string; maxSteps: string; optionWeight: string; holds: string }>();
  const frames = Number(o.frames);
  const count = Number(o.options);
  const tolerance = Number(o.tolerance);
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`--frames must be a positive integer, got '${o.frames}'`);
  if (!Number.isInteger(count) || count < 1 || count > 2 * (DEFAULTS.k - 1)) throw new Error(`--options must be 1..${2 * (DEFAULTS.k - 1)}, got '${o.options}'`);
  if (!(tolerance >= 0)) throw new Error(`--tolerance must be >= 0, got '${o.tolerance}'`);
  const modelTolerance = Number(o.modelTolerance);
  if (!(modelTolerance >= 0)) throw new Error(`--model-tolerance must be >= 0, got '${o.modelTolerance}'`);
  const repeat = Number(o.repeat);
  const maxSteps = Number(o.maxSteps);
  const holds = parseHolds('holds', o.holds);
  const optionWeight = parseIntArg('option-weight', o.optionWeight, 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got '${o.repeat}'`);
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new Error(`--max-steps must be a positive integer, got '${o.maxSteps}'`);
  const seeds = o.seeds.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds must be non-negative integers, got '${o.seeds}'`);
  const arms = o.arms.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const a of arms) if (a !== 'random' && a !== 'oracle' && a !== 'model') throw new Error(`--arms: unknown arm '${a}' (random, oracle, model)`);
  const matchRows = o.matchRows === undefined ? 0 : Number(o.matchRows);
  if (!Number.isInteger(matchRows) || matchRows < 0) throw new Error(`--match-rows must be a positive integer, got '${o.matchRows}'`);
  if (matchRows > 0 && (o.model === undefined || o.data === undefined)) throw new Error('--match-rows needs --model DIR and --data DIR');
  if (arms.includes('model') && o.model === undefined) throw new Error('--arms model needs --model DIR');
  if (o.model !== undefined && !arms.includes('model') && matchRows === 0) throw new Error('--model DIR is for --arms model or --match-rows');
  if (arms.includes('oracle') && o.data === undefined) throw new Error('--arms oracle needs --data DIR (the rollout its chain is built from)');
  if (o.model !== undefined) await initBackend(); // the chain's backend (wasm), as discover and train use
  const learned = o.model === undefined ? null : await loadEigenfunctionModel(o.model, loadSpinEigenfunctions);
  const maxRows = o.maxRows === undefined ? Infinity : Number(o.maxRows);
  if (!(maxRows === Infinity || (Number.isInteger(maxRows) && maxRows > 0))) throw new Error(`--max-rows must be a positive integer, got '${o.maxRows}'`);
  const bin = ATARI_CHAIN_DEFAULTS.binSize;

  // the chain is built only for the oracle arm and the match (reading a big rollout takes a while)
  const chain = (arms.includes('oracle') || matchRows > 0) && o.data !== undefined ? rolloutChain(o.data, maxRows, bin) : null;
  if (matchRows > 0 && chain && learned && o.data !== undefined) await printMatch(o.data, learned, chain, matchRows, bin);
  const oracle = chain ? chainModel(chain, DEFAULTS.k) : null;

  const results: Record<string, number[]> = {};
  for (const arm of arms) {
    results[arm] = [];
    for (const seed of seeds) {
      const env = new AtariEnv({ game: GAME, seed });
      const options =
        arm === 'model' && learned ? atariEigenoptions(env, learned, count, { maxSteps, repeat, tolerance: modelTolerance, lifeLossHorizon: ATARI_CHAIN_DEFAULTS.optionLifeLossHorizon, gameOverHorizon: ATARI_CHAIN_DEFAULTS.optionGameOverHorizon, holds })
        : arm === 'oracle' && chain && oracle ? atariEigenoptions(env, oracle, count, {
          maxSteps, repeat, tolerance, lifeLossHorizon: ATARI_CHAIN_DEFAULTS.optionLifeLossHorizon, gameOverHorizon: ATARI_CHAIN_DEFAULTS.optionGameOverHorizon, holds,
          modelInput: chainInput(env, chain, bin),
        })
        : [];
      const t0 = Date.now();
      const r = await explore(env, options, avatarProbes(GAME, env, bin), { frames, seed, optionWeight });
      results[arm].push(r.summary.abstract_states);
      console.log(JSON.stringify({ arm, seed, ...r.summary, seconds: (Date.now() - t0) / 1000 }));
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const means = Object.fromEntries(Object.entries(results).map(([a, xs]) => [a, mean(xs)]));
  console.log(JSON.stringify({ mean_abstract_states: means, ratio: means.oracle !== undefined && means.random !== undefined ? means.oracle / means.random : null }));
  learned?.dispose();
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    process.stderr.write(`montezuma_chain_oracle: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
