// Flag values shared by every `eigenopt` command: commander parses the command line, these turn
// flag strings into checked numbers with errors that name the flag.
import type { Command } from 'commander';
import type { OptionConfig } from '../src/options';

export function parseIntArg(name: string, v: string, min = 0): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

export function parseNumArg(name: string, v: string, lo = -Infinity, hi = Infinity): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < lo || n > hi) {
    throw new Error(`--${name} must be a number${Number.isFinite(lo) || Number.isFinite(hi) ? ` in [${lo}, ${hi}]` : ''}, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function parseList(name: string, v: string, min = 0): number[] {
  const parts = v.split(',').filter((x) => x.trim() !== '');
  if (parts.length === 0) throw new Error(`--${name} must be a comma-separated list of integers`);
  return parts.map((p) => parseIntArg(name, p.trim(), min));
}

/** `--option-holds 8,16` (or '' for none): positive step counts; the look-ahead checks them against its repeat. */
export function parseHolds(name: string, v: string): number[] {
  return v.trim() === '' ? [] : parseList(name, v, 1);
}

/** One of `choices`, or an error listing them. */
export function parseChoice<T extends string>(name: string, v: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(v)) throw new Error(`--${name} must be one of ${choices.join(', ')}; got ${JSON.stringify(v)}`);
  return v as T;
}

/** commander argParser for an integer flag. */
export function intFlag(name: string, min = 1): (v: string) => number {
  return (v: string) => parseIntArg(name, v, min);
}

/** commander argParser for a number flag in [lo, hi]. */
export function numFlag(name: string, lo = -Infinity, hi = Infinity): (v: string) => number {
  return (v: string) => parseNumArg(name, v, lo, hi);
}

/** Flags of a command that reads the eigenfunctions `discover` wrote for a gridworld. */
export interface EigenFolderFlags {
  env: string;
  eigen: string;
}

export function addEigenFolderFlags(cmd: Command): Command {
  return cmd
    .option('--env <name>', 'gridworld: fourrooms, openroom, imaze, or a layout file', 'fourrooms')
    .option('--eigen <dir>', 'folder written by discover', 'eigenopt-out');
}

export interface OptionFlags {
  gamma: string;
  tolerance: string;
}

export function addOptionFlags(cmd: Command): Command {
  return cmd
    .option('--gamma <g>', 'discount of the eigenpurpose when computing option policies', '0.99')
    .option('--tolerance <t>', 'an option terminates where max_a q(s,a) <= tolerance', '1e-10');
}

export function optionConfigOf(o: OptionFlags): OptionConfig {
  return { gamma: parseNumArg('gamma', o.gamma), tolerance: parseNumArg('tolerance', o.tolerance) };
}
