// Shared by the SpIN and kernel benchmarks: flag parsing (commander) and the two networks the issue
// measures (the MLP 2-128-128-128-k and the Atari / Nature DQN conv net on [84, 84, 4]), built by
// src/models/networks.ts.
import * as tf from '@tensorflow/tfjs';
import { Command, InvalidArgumentError } from 'commander';
import { buildMlp, buildNatureDqn } from '../src/models/networks';

/** A flag value parser for integers >= min. */
export function intFlag(min = 1): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be an integer >= ${min}`);
    return n;
  };
}

/** Parses the command line of a benchmark script with `program` (exits with a message on bad flags). */
export function parseFlags<T extends object>(program: Command): T {
  program.option('--backend <name>', 'TF.js backend: auto, wasm, cpu, node, node-gpu (default: EIGENOPT_BACKEND or auto)').option('--json', 'print one JSON line at the end');
  program.parse(process.argv);
  return program.opts<T>();
}

/** The MLP 2-128-128-128-k (ReLU). */
export function mlp(k: number): tf.Sequential {
  return buildMlp({ kind: 'mlp', inputDim: 2, hidden: [128, 128, 128], outputs: k, activation: 'relu' });
}

/** The Nature-DQN network on [84, 84, 4] with k outputs. */
export function atari(k: number): tf.Sequential {
  return buildNatureDqn({ kind: 'nature-dqn', inputShape: [84, 84, 4], outputs: k });
}
