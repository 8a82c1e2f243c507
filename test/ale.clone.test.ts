// cloneState/restoreState and the game-object fields upstream leaves out of cloned states
// (games.json state_not_in_clone, ale-semantics.md §10).
import { expect } from 'chai';
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
