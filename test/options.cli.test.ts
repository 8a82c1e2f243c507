import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { runCli } from './helpers/cli';
import { GridWorld } from '../envs/gridworld';
import { readNpy } from '../src/data';
import { RandomWalkLearner } from '../src/learners';
import { diffusionTime } from '../src/options';
import { heatmap } from '../src/viz/heatmap';


describe('eigenopt CLI: discover, evaluate, agent', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eigenopt-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('discover --learner rw writes float32 eigenfunctions, eigenvalues, states and PNGs', async () => {
    const out = path.join(dir, 'rw');
    const lines = await runCli(['discover', '--env', 'fourrooms', '--learner', 'rw', '--neig', '4', '--out', out]);
    const e = readNpy(path.join(out, 'eigenfunctions.npy'));
    expect(e.dtype).to.equal('float32');
    expect(e.shape).to.deep.equal([104, 4]);
    const ev = readNpy(path.join(out, 'eigenvalues.npy'));
    expect(ev.shape).to.deep.equal([4]);
    const exact = await new RandomWalkLearner().fit({ world: GridWorld.fromName('fourrooms') }, 4);
    for (let j = 0; j < 4; j++) {
      expect(ev.data[j]).to.be.closeTo(exact.eigenvalues[j], 1e-6);
      for (let s = 0; s < 104; s++) expect(e.data[s * 4 + j]).to.be.closeTo(exact.vectors[j][s], 1e-6);
    }
    const states = JSON.parse(fs.readFileSync(path.join(out, 'states.json'), 'utf8')) as number[][];
    expect(states[0]).to.deep.equal([1, 1]);
    expect(states.length).to.equal(104);
    for (let i = 1; i <= 4; i++) {
      const png = PNG.sync.read(fs.readFileSync(path.join(out, `eigenfunction_0${i}.png`)));
      expect([png.width, png.height]).to.deep.equal([13 * 24, 13 * 24]);
    }
    expect(lines.some((l) => /\|cos\| to exact/.test(l))).to.equal(true);
    // |cos| and the eigenspace projection of each vector, then its Ritz value
    expect(lines.filter((l) => / 1\.0000 +1\.0000 +-?[0-9.]+$/.test(l)).length).to.equal(4);
  });

  it('evaluate --json prints the diffusion times last and plots them', async () => {
    const out = path.join(dir, 'rw8');
    await runCli(['discover', '--learner', 'rw', '--neig', '8', '--out', out, '--no-png']);
    const lines = await runCli(['evaluate', '--eigen', out, '--options', '0,2,4,16', '--json']);
    const last = JSON.parse(lines[lines.length - 1]) as { diffusion_time: Record<string, number> };
    expect(Object.keys(last.diffusion_time)).to.deep.equal(['0', '2', '4', '16']);
    expect(last.diffusion_time['0']).to.be.closeTo(620.769, 1e-3);
    // +e1/-e1 of the constant eigenvector are never available: same as primitives only
    expect(last.diffusion_time['2']).to.be.closeTo(last.diffusion_time['0'], 1e-9);
    expect(last.diffusion_time['4']).to.be.greaterThan(last.diffusion_time['0']);
    expect(fs.existsSync(path.join(out, 'diffusion_time.png'))).to.equal(true);
    const svg = fs.readFileSync(path.join(out, 'diffusion_time.svg'), 'utf8');
    for (const t of ['Diffusion time on fourrooms', 'number of options', 'diffusion time (steps, log scale)', 'rw eigenoptions', 'primitives only']) {
      expect(svg, t).to.include(`>${t}</text>`);
    }
    expect(JSON.parse(fs.readFileSync(path.join(out, 'diffusion_time.vl.json'), 'utf8'))).to.have.property('title');
    expect(last.diffusion_time['0']).to.be.closeTo(diffusionTime(GridWorld.fromName('fourrooms')).mean, 1e-9);
  });

  it('agent runs the Q-learning experiment and writes return curves', async () => {
    const out = path.join(dir, 'rw8');
    const lines = await runCli(['agent', '--eigen', out, '--options', '0,16', '--runs', '5', '--episodes', '50', '--json']);
    const last = JSON.parse(lines[lines.length - 1]) as { q_learning: { options: number; final: number }[] };
    expect(last.q_learning.map((s) => s.options)).to.deep.equal([0, 16]);
    const r = readNpy(path.join(out, 'returns_16_options.npy'));
    expect(r.shape).to.deep.equal([50]);
    expect(fs.existsSync(path.join(out, 'returns.png'))).to.equal(true);
    const svg = fs.readFileSync(path.join(out, 'returns.svg'), 'utf8');
    for (const t of ['Q-learning on fourrooms: primitives + eigenoptions', 'episode', 'discounted return', 'actions', 'primitives only', '16 eigenoptions']) {
      expect(svg, t).to.include(`>${t}</text>`);
    }
  });

  it('bad flags give clear errors', async () => {
    let err: Error | null = null;
    const expectError = async (args: string[], re: RegExp): Promise<void> => {
      err = null;
      try {
        await runCli(args);
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message, args.join(' ')).to.match(re);
    };
    await expectError(['discover', '--learner', 'nope', '--out', path.join(dir, 'x')], /unknown learner/);
    await expectError(['discover', '--learner', 'rw', '--neig', '0', '--out', path.join(dir, 'x')], /--neig/);
    await expectError(['discover', '--env', 'mars', '--learner', 'rw', '--out', path.join(dir, 'x')], /unknown gridworld/);
    await expectError(['evaluate', '--eigen', path.join(dir, 'missing')], /no eigenfunctions.npy/);
    await expectError(['evaluate', '--eigen', path.join(dir, 'rw8'), '--options', '0,40'], /need 20 eigenfunctions/);
    await expectError(['evaluate', '--env', 'openroom', '--eigen', path.join(dir, 'rw8')], /rows but openroom has 100 states/);
    await expectError(['evaluate', '--eigen', path.join(dir, 'rw8'), '--options', '2,x'], /--options/);
  });

  it('heatmap colours cells by value, walls grey, with arrows; line plots render', () => {
    const env = GridWorld.fromName('fourrooms');
    const v = new Float64Array(104);
    v[0] = 1;
    v[103] = -1;
    const cv = heatmap(env, v, { cell: 10 });
    expect(cv.getPixel(5, 5)).to.deep.equal([60, 60, 60]); // wall
    const [r0, g0, b0] = cv.getPixel(15, 15); // state 0: red
    expect(r0).to.be.greaterThan(b0 + 100);
    expect(g0).to.be.lessThan(100);
    const [r1, , b1] = cv.getPixel(11 * 10 + 5, 11 * 10 + 5); // state 103: blue
    expect(b1).to.be.greaterThan(r1 + 100);
    const policy = new Int8Array(104).fill(-1);
    policy[0] = 3;
    const withArrow = heatmap(env, v, { cell: 10, policy });
    let ink = 0;
    for (let x = 10; x < 20; x++) for (let y = 10; y < 20; y++) if (withArrow.getPixel(x, y).every((c) => c === 0)) ink++;
    expect(ink).to.be.greaterThan(5);
    expect(() => heatmap(env, [1, 2])).to.throw(/2 values for 104 states/);
  });
});
