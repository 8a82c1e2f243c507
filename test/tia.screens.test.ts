// TIA picture against upstream ALE 0.12.1, pixel by pixel, for ROMs chosen for the TIA features
// they exercise beyond the 12 games of ale.conformance.test.ts: PAL detection (250 rows, PAL
// colour loss), the HMOVE-blank property switched off, non-default ystart/height, the RESBL /
// RESM compatibility cases, the Cosmic Ark HMM0 mode, paddles (INPT0-3 charge timing), DPC and
// FE carts.
// Truth: ../shared/conformance/screens/<rom>-<step>.bin (getScreen() dumps of the upstream
// ale-frameskip1 run) and the per-step screen hashes of ale-frameskip1/<rom>.jsonl.gz.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

import { ALEInterface } from '../src/ale/ale_interface';
import { fnv1a64Hex, XorShift32 } from '../src/ale/hash';
import { conformanceDir, requireShared, romDir } from './helpers/shared';

const CASES: { rom: string; why: string }[] = [
  { rom: 'adventure', why: 'PAL: 250 rows, colour loss' },
  { rom: 'space_war', why: 'PAL, 2K' },
  { rom: 'asteroids', why: 'HMOVE blanks off, flicker' },
  { rom: 'battle_zone', why: 'HMOVE blanks off' },
  { rom: 'carnival', why: 'ystart 26, height 214' },
  { rom: 'journey_escape', why: 'height 230, Cosmic Ark HMM0 mode' },
  { rom: 'robotank', why: 'RESBL 7 cycles after HMOVE case, FE cart' },
  { rom: 'pitfall2', why: 'RESM1 3 cycles after HMOVE case, DPC' },
  { rom: 'kaboom', why: 'paddle ports INPT0-3' },
  { rom: 'up_n_down', why: 'ystart 30' },
];
const STEPS = 101;  // screen dumps exist after steps 0 and 100 (and 500, 1000)
const DUMPS = [0, 100];

interface StepLine { type: 'step'; i: number; screen: string }
interface ResetLine { type: 'reset'; after_step: number; screen: string }
interface HeaderLine { type: 'header'; screen: { height: number; width: number } }

function readLines(file: string): Array<StepLine | ResetLine | HeaderLine | { type: string }> {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const out: Array<StepLine | ResetLine | HeaderLine | { type: string }> = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { type: string; i?: number; after_step?: number };
    if (o.type === 'step' && (o.i ?? 0) >= STEPS) break;
    out.push(o as StepLine | ResetLine | HeaderLine);
  }
  return out;
}

/** Where two screens differ: count, first row/x, and the row's differing x range. */
function describeDiff(expected: Uint8Array, actual: Uint8Array, width: number): string {
  let count = 0;
  let first = -1;
  for (let i = 0; i < expected.length; ++i) {
    if (expected[i] !== actual[i]) {
      ++count;
      if (first < 0) first = i;
    }
  }
  if (count === 0) return 'identical';
  const row = Math.floor(first / width);
  let lo = width;
  let hi = -1;
  for (let x = 0; x < width; ++x) {
    if (expected[row * width + x] !== actual[row * width + x]) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return `${count} pixels differ; first at row ${row} x ${first % width} ` +
    `(expected ${expected[first]}, got ${actual[first]}); row ${row} differs in x ${lo}..${hi}`;
}

describe('TIA picture matches upstream pixel by pixel', function () {
  this.timeout(120000);
  for (const { rom, why } of CASES) {
    it(`${rom} (${why}): screen hashes of ${STEPS} steps and dumps after steps ${DUMPS.join(', ')}`, function () {
      const dir = conformanceDir();
      if (!requireShared(this, path.join(dir, 'screens'))) return;
      const lines = readLines(path.join(dir, 'ale-frameskip1', `${rom}.jsonl.gz`));
      const header = lines.find((l): l is HeaderLine => l.type === 'header');
      expect(header, 'trace header').to.not.equal(undefined);
      const width = header!.screen.width;

      const ale = new ALEInterface();
      ale.setInt('random_seed', 1);
      ale.setFloat('repeat_action_probability', 0);
      ale.setInt('frame_skip', 1);
      ale.loadROM(path.join(romDir(), `${rom}.bin`));
      ale.reset_game();
      expect(ale.getScreenDims()).to.deep.equal([header!.screen.height, width]);
      const actions = ale.getMinimalActionSet();
      const rng = new XorShift32(1);

      for (const line of lines) {
        if (line.type === 'step') {
          const s = line as StepLine;
          ale.act(actions[rng.next() % actions.length]);
          const screen = ale.getScreen();
          if (DUMPS.includes(s.i)) {
            const expected = new Uint8Array(fs.readFileSync(path.join(dir, 'screens', `${rom}-${s.i}.bin`)));
            expect(describeDiff(expected, screen, width), `${rom} screen after step ${s.i}`).to.equal('identical');
          }
          expect(fnv1a64Hex(screen), `${rom} screen hash after step ${s.i}`).to.equal(s.screen);
          if (ale.game_over()) ale.reset_game();
        } else if (line.type === 'reset') {
          const r = line as ResetLine;
          expect(fnv1a64Hex(ale.getScreen()), `${rom} screen after the reset at step ${r.after_step}`)
            .to.equal(r.screen);
        }
      }
    });
  }
});
