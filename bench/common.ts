// Shared by the SpIN and kernel benchmarks: command-line flags and the two networks the issue
// measures (the MLP 2-128-128-128-k and the Atari / Nature DQN conv net on [84, 84, 4]).
import * as tf from '@tensorflow/tfjs';

/** Value of `--name <value>`, or undefined. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Whether the flag `--name` was given. */
export const has = (name: string): boolean => process.argv.includes(`--${name}`);

export function mlp(k: number): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.dense({ units: 128, inputShape: [2], activation: 'relu' }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: k }),
  ] });
}

export function atari(k: number): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [84, 84, 4], filters: 32, kernelSize: 8, strides: 4, activation: 'relu' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, activation: 'relu' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 1, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 512, activation: 'relu' }),
    tf.layers.dense({ units: k }),
  ] });
}
