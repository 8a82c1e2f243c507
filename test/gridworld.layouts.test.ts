import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { GridEnv, GridWorld, loadLayout, parseLayout, defaultStartGoal } from '../envs/gridworld';
import { requireShared, sharedDir } from './helpers/shared';

describe('gridworld layouts', () => {
  it('four-room matches the shared 4rooms.mdp cell for cell (13x13, 104 free cells)', function () {
    const file = path.join(sharedDir(), 'layouts', '4rooms.mdp');
    if (!requireShared(this, file)) return;
    const theirs = parseLayout(fs.readFileSync(file, 'utf8'), '4rooms');
    const ours = loadLayout('fourrooms');
    expect([ours.rows, ours.cols]).to.deep.equal([13, 13]);
    expect(ours.walls).to.deep.equal(theirs.walls);
    expect(new GridWorld(ours).numStates).to.equal(104);
  });

  it('reads every shared layout, with S and G markers', function () {
    const dir = path.join(sharedDir(), 'layouts');
    if (!requireShared(this, dir)) return;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.mdp'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const env = new GridWorld(parseLayout(text, f));
      const free = (text.split('\n').slice(1).join('').match(/[.SG]/g) ?? []).length;
      expect(env.numStates, f).to.equal(free);
    }
    const fig1 = GridWorld.fromName(path.join(dir, 'fig1.mdp'));
    expect(fig1.layout.start).to.deep.equal([8, 1]);
    expect(fig1.layout.goal).to.deep.equal([1, 8]);
  });

  it('ships open room, I-maze and four-room', () => {
    expect(GridWorld.fromName('openroom').numStates).to.equal(100);
    const imaze = GridWorld.fromName('imaze');
    expect(imaze.numStates).to.equal(2 * 2 * 11 + 7 * 3);
  });

  it('numbers states row-major with (row, col) counted with the outer walls', () => {
    const env = GridWorld.fromName('fourrooms');
    expect(env.cells[0]).to.deep.equal([1, 1]);
    expect(env.cells[4]).to.deep.equal([1, 5]);
    expect(env.cells[5]).to.deep.equal([1, 7]); // (1, 6) is the wall between the rooms
    expect(env.cells[env.numStates - 1]).to.deep.equal([11, 11]);
    for (let s = 1; s < env.numStates; s++) {
      const [r0, c0] = env.cells[s - 1];
      const [r1, c1] = env.cells[s];
      expect(r1 * 13 + c1).to.be.greaterThan(r0 * 13 + c0);
    }
  });

  it('moves up/down/left/right; walls leave the state unchanged', () => {
    const env = GridWorld.fromName('fourrooms');
    const s = env.stateAt(1, 1); // top-left corner of the top-left room
    expect(env.next(s, 0)).to.equal(s);
    expect(env.next(s, 2)).to.equal(s);
    expect(env.cells[env.next(s, 1)]).to.deep.equal([2, 1]);
    expect(env.cells[env.next(s, 3)]).to.deep.equal([1, 2]);
    const door = env.stateAt(3, 6); // doorway between the two top rooms
    expect(env.next(door, 0)).to.equal(door);
    expect(env.cells[env.next(door, 3)]).to.deep.equal([3, 7]);
    const ge = new GridEnv(env, { start: s });
    expect(Array.from(ge.reset().observation)).to.deep.equal([s]);
    const r = ge.step(3);
    expect(env.cells[r.observation[0]]).to.deep.equal([1, 2]);
    expect(ge.state).to.equal(env.stateAt(1, 2));
    expect([r.reward, r.terminated, r.truncated]).to.deep.equal([0, false, false]);
    expect(() => ge.step(4)).to.throw(/action 4 is out of range/);
  });

  it('random-walk matrix is stochastic and symmetric; adjacency has no self loops', () => {
    const env = GridWorld.fromName('fourrooms');
    const n = env.numStates;
    const P = env.randomWalkMatrix();
    const W = env.adjacencyMatrix();
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) {
        row += P[i * n + j];
        expect(P[i * n + j]).to.equal(P[j * n + i]);
        expect(W[i * n + j]).to.equal(W[j * n + i]);
      }
      expect(row).to.be.closeTo(1, 1e-12);
      expect(W[i * n + i]).to.equal(0);
    }
  });

  it('observations: index, one-hot, (x, y), pixels', () => {
    const env = GridWorld.fromName('fourrooms');
    const s = env.stateAt(3, 6);
    expect(Array.from(env.observe(s, 'index'))).to.deep.equal([s]);
    const oh = env.observe(s, 'onehot');
    expect(oh.length).to.equal(104);
    expect(oh.reduce((a, b) => a + b, 0)).to.equal(1);
    expect(oh[s]).to.equal(1);
    expect(Array.from(env.observe(s, 'xy'))).to.deep.equal([(2 * 3) / 12 - 1, (2 * 6) / 12 - 1].map(Math.fround));
    const px = env.observe(s, 'pixels', undefined, { scale: 2 });
    expect(env.observationShape('pixels', { scale: 2 })).to.deep.equal([26, 26]);
    expect(px[(3 * 2) * 26 + 6 * 2]).to.equal(1); // agent
    expect(px[0]).to.equal(0.5); // wall
    expect(px[(1 * 2) * 26 + 1 * 2]).to.equal(0); // free
    expect(Array.from(px).filter((v) => v === 1).length).to.equal(4);
    // every pixel against the layout, and a reused buffer keeps no trace of the previous agent
    const out = new Float32Array(26 * 26);
    for (const t of [s, env.stateAt(9, 2)]) {
      env.observe(t, 'pixels', out, { scale: 2 });
      const [tr, tc] = env.cells[t];
      for (let y = 0; y < 26; y++) {
        for (let x = 0; x < 26; x++) {
          const [cr, cc] = [Math.floor(y / 2), Math.floor(x / 2)];
          const want = cr === tr && cc === tc ? 1 : env.stateAt(cr, cc) < 0 ? 0.5 : 0;
          expect(out[y * 26 + x], `state ${t} pixel (${y}, ${x})`).to.equal(want);
        }
      }
    }
    const batch = env.observeBatch([0, s], 'onehot');
    expect(batch.length).to.equal(208);
    expect(batch[0]).to.equal(1);
    expect(batch[104 + s]).to.equal(1);
  });

  it('Machado start bottom-left and goal top-right', () => {
    const env = GridWorld.fromName('fourrooms');
    const { start, goal } = defaultStartGoal(env);
    expect(env.cells[start]).to.deep.equal([11, 1]);
    expect(env.cells[goal]).to.deep.equal([1, 11]);
  });

  it('rejects bad layouts and bad input with clear errors', () => {
    expect(() => parseLayout('')).to.throw(/empty/);
    expect(() => parseLayout('2;2\n..\n..')).to.throw(/rows,cols/);
    expect(() => parseLayout('2,2\n..')).to.throw(/2 rows/);
    expect(() => parseLayout('2,2\n..\n...')).to.throw(/3 characters/);
    expect(() => parseLayout('1,2\n.Q')).to.throw(/unexpected character/);
    expect(() => parseLayout('1,2\nXX')).to.throw(/no free cells/);
    expect(() => loadLayout('nosuchroom')).to.throw(/unknown gridworld/);
    const env = GridWorld.fromName('openroom');
    expect(() => env.next(100, 0)).to.throw(/out of range/);
    expect(() => env.next(0, 4)).to.throw(/action/);
    // @ts-expect-error runtime check of a bad kind
    expect(() => env.observe(0, 'rgb')).to.throw(/unknown observation kind/);
  });
});
