// cloneState/restoreState and the game-object fields upstream leaves out of cloned states
// (games.json state_not_in_clone, ale-semantics.md §10).
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { ALEInterface } from '../src/ale';
import { requireShared, romDir } from './helpers/shared';

function make(rom: string): ALEInterface {
  const ale = new ALEInterface();
  ale.setInt('random_seed', 0);
  ale.setFloat('repeat_action_probability', 0);
  ale.setInt('frame_skip', 4);
  ale.loadROM(path.join(romDir(), `${rom}.bin`));
  return ale;
}

function playUntilLifeLost(ale: ALEInterface, maxSteps: number): number {
  const acts = ale.getMinimalActionSet();
  const start = ale.lives();
  let i = 0;
  for (; i < maxSteps && ale.lives() === start && !ale.game_over(); i++) ale.act(acts[i % acts.length]);
  return i;
}

describe('ALE cloneState / restoreState: fields not in the clone', function () {
  it('atlantis2 keeps its stored lives counter across restoreState (state_not_in_clone: lives_var)', function () {
    requireShared(this, romDir());
    const ale = make('atlantis2');
    const saved = ale.cloneState();
    const ramBefore = ale.getRAM().slice();
    const livesBefore = ale.lives();
    playUntilLifeLost(ale, 5000);
    const livesAfter = ale.lives();
    expect(livesAfter).to.be.lessThan(livesBefore);
    ale.restoreState(saved);
    expect(Array.from(ale.getRAM())).to.deep.equal(Array.from(ramBefore)); // machine state restored
    expect(ale.lives()).to.equal(livesAfter); // the game object's lives_var was not
  });

  it('a game without such fields (space_invaders) restores its lives with the machine', function () {
    requireShared(this, romDir());
    const ale = make('space_invaders');
    const saved = ale.cloneState();
    const livesBefore = ale.lives();
    playUntilLifeLost(ale, 5000);
    expect(ale.lives()).to.be.lessThan(livesBefore);
    ale.restoreState(saved);
    expect(ale.lives()).to.equal(livesBefore);
  });
});

describe('ALE cloneState / restoreState: every game restores its own states', function () {
  this.timeout(120000);
  it('states cloned along a random game of each of the 104 games restore (game variables within their ranges)', function () {
    if (!requireShared(this, romDir())) return;
    const md5s = JSON.parse(fs.readFileSync(path.join(romDir(), 'md5.json'), 'utf8')) as Record<string, string>;
    const games = Object.keys(md5s).map((f) => f.replace(/\.bin$/, ''));
    expect(games.length).to.equal(104);
    for (const rom of games) {
      const ale = make(rom);
      const acts = ale.getMinimalActionSet();
      let x = 0x2545f491;
      for (let step = 1; step <= 150; step++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        ale.act(acts[(x >>> 0) % acts.length]);
        if (ale.game_over()) ale.reset_game();
        if (step % 50 === 0) {
          const s = ale.cloneState(true);
          expect(() => ale.restoreState(s), `${rom} step ${step}`).to.not.throw();
        }
      }
    }
  });
});
