// Bit-exactness against upstream ALE 0.12.1: replays the golden traces (ale-v5: frame_skip 4,
// seed 0; ale-frameskip1: frame_skip 1, seed 1; both 0 sticky-action probability) for 12 games and
// fails on the first divergence in init lines, any step (reward, done, lives, frame counters,
// RAM, screen hash), reset lines, the end line or the frame_skip 1 screen dumps.
import { expect } from 'chai';
import * as path from 'path';

import { describeResult, replayTrace, TRACE_SETS } from '../src/ale/conformance';
import { conformanceDir, requireShared, romDir } from './helpers/shared';

const GAMES = [
  'bank_heist', 'beam_rider', 'breakout', 'freeway', 'montezuma_revenge', 'ms_pacman',
  'pong', 'private_eye', 'qbert', 'seaquest', 'space_invaders', 'venture',
];

describe('ALE conformance with upstream golden traces', function () {
  this.timeout(120000);
  for (const game of GAMES) {
    for (const set of TRACE_SETS) {
      it(`${game} replays ${set} exactly`, function () {
        if (!requireShared(this, path.join(conformanceDir(), set))) return;
        const r = replayTrace(game, set, { conformanceDir: conformanceDir(), romDir: romDir() });
        expect(r.error, r.error).to.equal(undefined);
        expect(r.exact, `${game} ${set}: ${describeResult(r)}`).to.equal(true);
        expect(r.stepsMatched).to.equal(r.steps);
      });
    }
  }
});
