// Replays the upstream golden traces (../shared/conformance, see its README) against ALEInterface
// and reports the first divergence. Used by scripts/conformance.ts and test/ale.conformance.test.ts.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

import { ALEInterface } from './ale_interface';
import { fnv1a64Hex, XorShift32 } from './hash';

export type TraceSet = 'ale-v5' | 'ale-frameskip1';
export const TRACE_SETS: readonly TraceSet[] = ['ale-v5', 'ale-frameskip1'];
/** Steps after which ale-frameskip1 has a screens/<rom>-<step>.bin dump. */
export const SCREEN_DUMP_STEPS: readonly number[] = [0, 100, 500, 1000];

export interface Divergence {
  /** 1-based line number in the .jsonl trace ("screens/<file>" for a screen dump). */
  line: number | string;
  /** "init:console_created", "init:after_loadROM", "init:after_first_reset", "step", "reset", "end", "screen_dump". */
  kind: string;
  /** Step index (step lines), after_step (reset lines). */
  step?: number;
  /** Each differing field with expected and actual values. */
  fields: { field: string; expected: string; actual: string }[];
}

export interface ReplayResult {
  rom: string;
  set: TraceSet;
  /** Step lines in the trace. */
  steps: number;
  /** Step lines replayed without divergence before the first divergence. */
  stepsMatched: number;
  exact: boolean;
  divergence?: Divergence;
  /** Setup problem (missing file, loadROM error ...): not a divergence. */
  error?: string;
  seconds: number;
}

export interface ReplayOptions {
  /** Folder with <set>/<rom>.jsonl.gz and screens/ (default ../shared/conformance). */
  conformanceDir: string;
  /** Folder with the ROM images. */
  romDir: string;
  /**
   * When set, write <rom>.cpu.bin / <rom>.tia.bin debug traces here covering the same window as
   * ../shared/conformance/debug (power-on .. step traceSteps-1, with the recorder's PHASE markers),
   * for conformance/debug/read_debug.py diff.
   */
  traceDir?: string;
  /** Steps in the trace window (default 20, as upstream's debug traces). */
  traceSteps?: number;
}

interface HeaderLine {
  type: 'header';
  rom: string;
  rom_file: string;
  steps: number;
  settings: Record<string, number | boolean>;
  minimal_action_set: number[];
  action_prng: { seed: number };
  screen: { height: number; width: number };
}

type TraceLine =
  | HeaderLine
  | { type: 'init'; when: string; ram: string; frame?: number; episode_frame?: number; lives?: number; game_over?: boolean; screen?: string }
  | { type: 'step'; i: number; ai: number; a: number; r: number; done: boolean; lives: number; frame: number; ep_frame: number; ram: string; screen: string }
  | { type: 'reset'; after_step: number; episode: number; lives: number; frame: number; ep_frame: number; ram: string; screen: string }
  | { type: 'end'; steps: number; resets: number; total_reward: number; frame: number };

/** Reads and parses a gzip JSON-lines trace. */
export function readTrace(file: string): TraceLine[] {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as TraceLine);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

function ramDiff(expected: string, actual: string): string {
  const out: string[] = [];
  for (let i = 0; i < 128 && out.length < 8; i++) {
    const e = expected.slice(2 * i, 2 * i + 2);
    const a = actual.slice(2 * i, 2 * i + 2);
    if (e !== a) out.push(`[0x${(0x80 + i).toString(16)}] ${e}->${a}`);
  }
  return out.join(' ');
}

/** Replays one trace; stops at the first divergence. */
export function replayTrace(rom: string, set: TraceSet, opts: ReplayOptions): ReplayResult {
  const t0 = Date.now();
  const result: ReplayResult = { rom, set, steps: 0, stepsMatched: 0, exact: false, seconds: 0 };
  let closeTrace: () => void = () => undefined;
  const finish = (): ReplayResult => {
    closeTrace();
    result.seconds = (Date.now() - t0) / 1000;
    return result;
  };
  const traceFile = path.join(opts.conformanceDir, set, `${rom}.jsonl.gz`);
  if (!fs.existsSync(traceFile)) {
    result.error = `trace not found: ${traceFile}`;
    return finish();
  }
  const lines = readTrace(traceFile);
  const header = lines[0] as HeaderLine;
  if (header.type !== 'header') {
    result.error = `${traceFile}: first line is not a header`;
    return finish();
  }
  result.steps = header.steps;
  const ale = new ALEInterface();
  const s = header.settings;
  try {
    ale.setInt('random_seed', Number(s.random_seed));
    ale.setFloat('repeat_action_probability', Number(s.repeat_action_probability));
    ale.setInt('frame_skip', Number(s.frame_skip));
    ale.setInt('max_num_frames_per_episode', Number(s.max_num_frames_per_episode));
    ale.setInt('system_random_seed', Number(s.system_random_seed));
    ale.setBool('color_averaging', Boolean(s.color_averaging));
    ale.setBool('truncate_on_loss_of_life', Boolean(s.truncate_on_loss_of_life));
    if (opts.traceDir) {
      fs.mkdirSync(opts.traceDir, { recursive: true });
      ale.setTrace(path.join(opts.traceDir, `${rom}.cpu.bin`), path.join(opts.traceDir, `${rom}.tia.bin`));
    }
    ale.loadROM(path.join(opts.romDir, header.rom_file));
  } catch (e) {
    result.error = `loadROM failed: ${(e as Error).message}`;
    return finish();
  }

  const screen = new Uint8Array(ale.getScreenDims()[0] * 160);
  const ram = new Uint8Array(128);
  const diverge = (line: number | string, kind: string, fields: Divergence['fields'], step?: number): ReplayResult => {
    result.divergence = { line, kind, step, fields };
    return finish();
  };
  // The native hash is fast; it is cross-checked against the TypeScript FNV-1a once per replay.
  let hashChecked = false;
  const observe = () => {
    ale.getRAM(ram);
    const h = ale.screenHash();
    if (!hashChecked) {
      ale.getScreen(screen);
      const ts = fnv1a64Hex(screen);
      if (ts !== h) throw new Error(`native screen hash ${h} != TypeScript FNV-1a ${ts}`);
      hashChecked = true;
    }
    return { ram: hex(ram), screen: h };
  };
  type Check = [string, unknown, unknown];
  const compare = (checks: Check[], ramExp?: string, ramAct?: string): Divergence['fields'] => {
    const out: Divergence['fields'] = [];
    for (const [field, exp, act] of checks) {
      if (exp === undefined) continue;
      if (exp !== act) {
        const detail = field === 'ram' && ramExp && ramAct ? ramDiff(ramExp, ramAct) : `${String(act)}`;
        out.push({ field, expected: field === 'ram' ? '(trace)' : String(exp), actual: detail });
      }
    }
    return out;
  };

  // Observe the emulator and compare the fields every step/reset line records.
  const checkState = (
    L: { lives: number; frame: number; ep_frame: number; ram: string; screen: string },
    extra: Check[] = [],
  ): Divergence['fields'] => {
    const o = observe();
    return compare(
      [
        ...extra,
        ['lives', L.lives, ale.lives()],
        ['frame', L.frame, ale.getFrameNumber()],
        ['ep_frame', L.ep_frame, ale.getEpisodeFrameNumber()],
        ['ram', L.ram, o.ram],
        ['screen', L.screen, o.screen],
      ],
      L.ram,
      o.ram,
    );
  };

  const dims = ale.getScreenDims();
  if (dims[0] !== header.screen.height || dims[1] !== header.screen.width) {
    return diverge(1, 'header', [
      { field: 'screen_dims', expected: `${header.screen.height}x${header.screen.width}`, actual: `${dims[0]}x${dims[1]}` },
    ]);
  }
  const minimal = ale.getMinimalActionSet();
  if (minimal.join(',') !== header.minimal_action_set.join(',')) {
    return diverge(1, 'header', [
      { field: 'minimal_action_set', expected: header.minimal_action_set.join(','), actual: minimal.join(',') },
    ]);
  }

  const traceSteps = opts.traceSteps ?? 20;
  let tracing = Boolean(opts.traceDir);
  const stopTrace = () => {
    if (tracing) ale.setTrace(null, null);
    tracing = false;
  };
  closeTrace = stopTrace;
  const prng = new XorShift32(header.action_prng.seed);
  let totalReward = 0;
  for (let li = 1; li < lines.length; li++) {
    const L = lines[li];
    const lineNo = li + 1;
    if (L.type === 'init') {
      if (L.when === 'console_created') {
        const created = hex(ale.getConsoleCreatedRAM());
        const f = compare([['ram', L.ram, created]], L.ram, created);
        if (f.length) return diverge(lineNo, 'init:console_created', f);
        continue;
      }
      if (L.when === 'after_first_reset') {
        ale.reset_game();
        if (tracing) ale.tracePhase(3);
      }
      const o = observe();
      const f = compare(
        [
          ['frame', L.frame, ale.getFrameNumber()],
          ['episode_frame', L.episode_frame, ale.getEpisodeFrameNumber()],
          ['lives', L.lives, ale.lives()],
          ['game_over', L.game_over, ale.game_over()],
          ['ram', L.ram, o.ram],
          ['screen', L.screen, o.screen],
        ],
        L.ram,
        o.ram,
      );
      if (f.length) return diverge(lineNo, `init:${L.when}`, f);
    } else if (L.type === 'step') {
      const x = prng.next();
      const ai = x % minimal.length;
      if (ai !== L.ai || minimal[ai] !== L.a) {
        result.error = `line ${lineNo}: action PRNG mismatch (expected ai=${L.ai} a=${L.a}, regenerated ai=${ai} a=${minimal[ai]})`;
        return finish();
      }
      const r = ale.act(L.a);
      totalReward += r;
      if (tracing) {
        ale.tracePhase(4, L.i);
        if (L.i + 1 >= traceSteps) {
          ale.tracePhase(6, L.i);
          stopTrace();
        }
      }
      const f = checkState(L, [
        ['r', L.r, r],
        ['done', L.done, ale.game_over()],
      ]);
      if (f.length) return diverge(lineNo, 'step', f, L.i);
      if (set === 'ale-frameskip1' && SCREEN_DUMP_STEPS.includes(L.i)) {
        ale.getScreen(screen);
        const dumpName = `${rom}-${L.i}.bin`;
        const dumpFile = path.join(opts.conformanceDir, 'screens', dumpName);
        if (fs.existsSync(dumpFile)) {
          const dump = fs.readFileSync(dumpFile);
          let first = -1;
          let count = 0;
          for (let p = 0; p < dump.length; p++) {
            if (dump[p] !== screen[p]) {
              if (first < 0) first = p;
              count++;
            }
          }
          if (dump.length !== screen.length || first >= 0) {
            return diverge(`screens/${dumpName}`, 'screen_dump', [
              {
                field: 'pixels',
                expected: dump.length !== screen.length ? `${dump.length} bytes` : `row ${Math.floor(first / 160)} col ${first % 160} = ${dump[first]}`,
                actual: dump.length !== screen.length ? `${screen.length} bytes` : `${screen[first]} (${count} pixels differ)`,
              },
            ], L.i);
          }
        }
      }
      result.stepsMatched = L.i + 1;
    } else if (L.type === 'reset') {
      ale.reset_game();
      if (tracing) ale.tracePhase(5, L.after_step);
      const f = checkState(L);
      if (f.length) return diverge(lineNo, 'reset', f, L.after_step);
    } else if (L.type === 'end') {
      const f = compare([
        ['total_reward', L.total_reward, totalReward],
        ['frame', L.frame, ale.getFrameNumber()],
      ]);
      if (f.length) return diverge(lineNo, 'end', f);
    }
  }
  result.exact = true;
  return finish();
}

/** One-line human summary of a replay result. */
export function describeResult(r: ReplayResult): string {
  if (r.error) return `ERROR ${r.error}`;
  if (r.exact) return `exact (${r.steps} steps)`;
  const d = r.divergence!;
  const where = typeof d.line === 'number' ? `line ${d.line}` : d.line;
  const step = d.step !== undefined ? ` step ${d.step}` : '';
  const fields = d.fields.map((f) => (f.field === 'ram' ? `ram ${f.actual}` : `${f.field} ${f.expected}->${f.actual}`));
  return `${where} ${d.kind}${step}: ${fields.join('; ')}`;
}
