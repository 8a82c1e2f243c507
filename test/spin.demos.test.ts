// Bouncing-balls generator physics, linear SFA, and the demo commands end to end (short runs).
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { initBackend } from '../src/backend';
import { BouncingBalls, ballsDemoData, generateBallsVideo } from '../envs/balls';
import { heldOutSlowness, linearSFA, runBallsDemo } from '../src/spin/demos/balls';
import { hydrogenExact, runHydrogenDemo } from '../src/spin/demos/hydrogen';
import { runDemoCli } from './helpers/cli';

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  let err: Error | null = null;
  try { await p; } catch (e) { err = e as Error; }
  expect(err?.message).to.match(re);
}

describe('spin: bouncing balls and demos', function () {
  this.timeout(120000);
  before(async () => { await initBackend(); });

  it('balls stay inside the box, keep their speed, and reflect off the walls', () => {
    const sim = new BouncingBalls({ size: 20, balls: 3, radius: 2, speed: 0.9, seed: 4 });
    let prev = sim.positions();
    let reflections = 0;
    let lastDelta: number[] | null = null;
    for (let t = 0; t < 500; t++) {
      sim.advance();
      const p = sim.positions();
      const delta: number[] = [];
      for (let i = 0; i < 3; i++) {
        expect(p[2 * i]).to.be.within(2, 18);
        expect(p[2 * i + 1]).to.be.within(2, 18);
        const dx = p[2 * i] - prev[2 * i], dy = p[2 * i + 1] - prev[2 * i + 1];
        delta.push(dx, dy);
        // away from walls a step moves exactly `speed`; with a reflection the path is folded (shorter)
        expect(Math.hypot(dx, dy)).to.be.at.most(0.9 + 1e-9);
      }
      if (lastDelta) for (let c = 0; c < 6; c++) if (Math.sign(delta[c]) !== Math.sign(lastDelta[c])) reflections++;
      lastDelta = delta;
      prev = p;
    }
    expect(reflections).to.be.greaterThan(10);
  });

  it('renders anti-aliased disks with area ~ pi r^2 each; deterministic by seed; rejects bad options', () => {
    const v = generateBallsVideo(50, { size: 32, balls: 1, radius: 3, seed: 9 });
    for (let t = 0; t < 50; t++) {
      let mass = 0;
      for (let i = 0; i < 32 * 32; i++) mass += v.pixels[t * 1024 + i];
      expect(mass).to.be.closeTo(Math.PI * 9, 1.0);
    }
    const w = generateBallsVideo(50, { size: 32, balls: 1, radius: 3, seed: 9 });
    expect(Buffer.from(w.pixels.buffer).equals(Buffer.from(v.pixels.buffer))).to.equal(true);
    expect(() => new BouncingBalls({ radius: 50 })).to.throw(/radius/);
    expect(() => generateBallsVideo(0)).to.throw(/frames/);
  });

  it('held-out slowness matches a direct computation; linear SFA finds the ball position as a slow feature', () => {
    const T = 5, f = new Float64Array([1, 2, 3, 4, 5]);
    // one feature: Sigma = mean(f^2) = 11, Pi = mean of squared differences = 1
    expect(heldOutSlowness(f, T, 1)[0]).to.be.closeTo(1 / 11, 1e-12);
    const train = generateBallsVideo(3000, { size: 16, balls: 1, radius: 2, speed: 0.5, seed: 3 });
    const test = generateBallsVideo(600, { size: 16, balls: 1, radius: 2, speed: 0.5, seed: 5 });
    const proj = linearSFA(train, 16, 3);
    const F = proj(test.pixels, test.frames);
    const sl = heldOutSlowness(F, test.frames, 3);
    expect(sl[0]).to.be.lessThan(1e-9); // the constant function
    for (let i = 1; i < 3; i++) expect(sl[i]).to.be.greaterThan(sl[i - 1] - 1e-12);
    // the two slow non-constant features span (nearly) the ball's x and y position
    const corr = (a: number[], b: number[]) => {
      const ma = a.reduce((s, v) => s + v, 0) / a.length, mb = b.reduce((s, v) => s + v, 0) / b.length;
      let sab = 0, saa = 0, sbb = 0;
      a.forEach((v, i) => { sab += (v - ma) * (b[i] - mb); saa += (v - ma) ** 2; sbb += (b[i] - mb) ** 2; });
      return sab / Math.sqrt(saa * sbb);
    };
    const x = Array.from({ length: test.frames }, (_, t) => test.positions[2 * t]);
    const f1 = Array.from({ length: test.frames }, (_, t) => F[t * 3 + 1]);
    const f2 = Array.from({ length: test.frames }, (_, t) => F[t * 3 + 2]);
    const r2 = corr(x, f1) ** 2 + corr(x, f2) ** 2; // x explained by span(f1, f2), features uncorrelated
    expect(r2).to.be.greaterThan(0.8);
  });

  it('balls demo runs end to end (short) and writes the most/least-activating frames PNG', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spin-balls-'));
    const r = await runBallsDemo(ballsDemoData({ size: 16, testFrames: 120 }), { k: 3, iterations: 8, batch: 16, linearPairs: 300, pcaDims: 8, pngDir: dir });
    expect(r.iterations).to.equal(8);
    expect(r.deepSlowness).to.have.length(3);
    expect(r.linearSlowness[0]).to.be.lessThan(1e-9);
    r.deepSlowness.forEach((v) => expect(Number.isFinite(v)).to.equal(true));
    const png = PNG.sync.read(fs.readFileSync(r.png[0]));
    expect(png.height).to.equal((3 * 17 + 1) * 3);
    expect(png.width).to.equal((13 * 17 + 1) * 3);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hydrogen: exact spectrum -2, -2/9 x3, -2/25 x5; a short run reports sorted eigenvalues and errors', async () => {
    const e = hydrogenExact(9);
    expect(e).to.deep.equal([-2, -2 / 9, -2 / 9, -2 / 9, -2 / 25, -2 / 25, -2 / 25, -2 / 25, -2 / 25]);
    for (const [sampling, kinetic, architecture] of [['importance', 'laplacian', 'separate'], ['uniform', 'dirichlet', 'shared']] as const) {
      const r = await runHydrogenDemo({ iterations: 5, batch: 32, hidden: 16, sampling, kinetic, architecture, evaluation: 'monte-carlo', evalPoints: 1024 });
      expect(r.iterations).to.equal(5);
      expect([r.sampling, r.kinetic, r.evalPoints]).to.deep.equal([sampling, kinetic, 1024]);
      for (let i = 1; i < 9; i++) expect(r.eigenvalues[i]).to.be.at.least(r.eigenvalues[i - 1]);
      for (let i = 1; i < 9; i++) expect(r.trainerEigenvalues[i]).to.be.at.least(r.trainerEigenvalues[i - 1]);
      r.relativeErrors.forEach((v, i) => expect(v).to.be.closeTo(Math.abs(r.eigenvalues[i] - e[i]) / Math.abs(e[i]), 1e-12));
      expect(r.meanRelativeError).to.be.closeTo(r.relativeErrors.reduce((s, v) => s + v, 0) / 9, 1e-12);
      // variational bound: the sum of diag(Lambda) of any 9 functions is >= the sum of the 9 lowest eigenvalues
      // (up to the Monte-Carlo error of 1024 points)
      expect(r.eigenvalues.reduce((s, v) => s + v, 0)).to.be.greaterThan(e.reduce((s, v) => s + v, 0) * 1.05);
    }
    await rejects(runHydrogenDemo({ iterations: 1, sampling: 'bogus' as 'uniform' }), /sampling/);
    await rejects(runHydrogenDemo({ iterations: 1, kinetic: 'bogus' as 'dirichlet' }), /kinetic/);
  });

  it('`eigenopt demo matrix --json` ends with one JSON line with exact-accuracy results', async () => {
    const { lines, errors } = await runDemoCli([['matrix', '--json', '--iterations', '3000'], ['matrix', '--k', 'zero']]);
    expect(errors[0]).to.equal(null);
    expect(lines).to.have.length(1);
    const r = JSON.parse(lines[0]) as { demo: string; maxEigenvalueError: number; minAbsCos: number; eigenvalues: number[] };
    expect(r.demo).to.equal('matrix');
    expect(r.maxEigenvalueError).to.be.lessThan(1e-3);
    expect(r.minAbsCos).to.be.at.least(0.999);
    expect(errors[1]?.message).to.match(/--k must be an integer/);
  });

  it('`eigenopt demo hydrogen --json` ends with one JSON line with the issue\'s fields; bad flags are clear errors', async () => {
    const { lines, errors } = await runDemoCli([
      ['hydrogen', '--json', '--iterations', '3', '--batch', '16', '--hidden', '8', '--eval-points', '512', '--sampling', 'uniform', '--kinetic', 'dirichlet', '--no-average'],
      ['hydrogen', '--sampling', 'nearby'],
    ]);
    expect(errors[0]).to.equal(null);
    const err = errors[1];
    expect(lines).to.have.length(1);
    const r = JSON.parse(lines[0]) as { demo: string; eigenvalues: number[]; iterations: number; seconds: number; meanRelativeError: number; sampling: string; kinetic: string; estimator: string; decay: number };
    expect(r.demo).to.equal('hydrogen');
    expect(r.iterations).to.equal(3);
    expect(r.seconds).to.be.a('number');
    expect(r.eigenvalues).to.have.length(9);
    for (let i = 1; i < 9; i++) expect(r.eigenvalues[i]).to.be.at.least(r.eigenvalues[i - 1]);
    expect([r.sampling, r.kinetic, r.estimator, r.decay]).to.deep.equal(['uniform', 'dirichlet', 'jacobian-average', 1]);
    expect(r.meanRelativeError).to.be.a('number');
    expect(err?.message).to.match(/--sampling must be importance or uniform/);
  });

  it('`eigenopt demo hydrogen --checkpoint DIR`: 3 steps, then --resume to 6, equals 6 steps in one go', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spin-hydrogen-ck-'));
    const base = ['hydrogen', '--json', '--max-seconds', '0', '--batch', '16', '--hidden', '4', '--eval', 'monte-carlo', '--eval-points', '256', '--schedule', 'constant', '--decay', '0.5'];
    const { lines, errors } = await runDemoCli([
      [...base, '--iterations', '6'],
      [...base, '--iterations', '3', '--checkpoint', dir],
      [...base, '--iterations', '6', '--checkpoint', dir, '--resume'],
      ['hydrogen', '--resume'],
    ]);
    expect(errors.slice(0, 3)).to.deep.equal([null, null, null]);
    const [whole, half, resumed] = lines.map((l) => JSON.parse(l) as { iterations: number; eigenvalues: number[]; trainerEigenvalues: number[] });
    expect([whole.iterations, half.iterations, resumed.iterations]).to.deep.equal([6, 3, 6]);
    expect(resumed.trainerEigenvalues).to.deep.equal(whole.trainerEigenvalues);
    expect(resumed.eigenvalues).to.deep.equal(whole.eigenvalues);
    expect(half.trainerEigenvalues).to.not.deep.equal(whole.trainerEigenvalues);
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { step: number }).step).to.equal(6);
    expect(errors[3]?.message).to.match(/--resume and --checkpoint-every need --checkpoint/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
