// SpIN, ALLO and GGDO on replayed observations of small grids, scored against the exact
// eigenvectors of I - P; `discover` and `benchmark laplacian` end to end. Short runs (seconds):
// the long sweeps are `eigenopt benchmark laplacian`.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './helpers/cli';
import { requireShared, sharedDir } from './helpers/shared';
import { runLaplacianBenchmark, runLaplacianOnce } from '../cli/benchmark';
import type { LaplacianBenchmarkOptions } from '../cli/benchmark';
import { spawnSync } from 'child_process';
import { GridEnv, GridWorld } from '../envs/gridworld';
import { ReplayBuffer } from '../src/data/replay';
import { ReplayLearner } from '../src/learners/replay';
import type { SpinEigenfunctions } from '../src/spin/model';

const ALLO = path.join(sharedDir(), 'layouts', 'allo');


describe('Laplacian learners from replayed observations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eigenopt-lap-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('spin from (x, y) on GridMaze-9 reaches avg |cos| >= 0.99 over 5 eigenfunctions in 600 steps', async function () {
    if (!requireShared(this, ALLO)) return;
    const r = await runLaplacianOnce(path.join(ALLO, 'GridMaze-9.mdp'), 'xy', 'spin', 0, 5, 20_000, { steps: 600 });
    expect(r.averageCosine).to.be.at.least(0.99);
    // the reported eigenvalues (halved slowness) are those of I - P
    r.eigenvalues.forEach((v, i) => expect(v).to.be.closeTo(r.exact[i], 0.02 + 0.1 * r.exact[i]));
  });

  it('allo and ggdo learn the ordered eigenvectors of GridMaze-9 from (x, y)', async function () {
    if (!requireShared(this, ALLO)) return;
    const a = await runLaplacianOnce(path.join(ALLO, 'GridMaze-9.mdp'), 'xy', 'allo', 0, 3, 20_000, { steps: 800 });
    const g = await runLaplacianOnce(path.join(ALLO, 'GridMaze-9.mdp'), 'xy', 'ggdo', 0, 3, 20_000, { steps: 800 });
    expect(a.averageCosine).to.be.at.least(0.95);
    expect(g.averageCosine).to.be.at.least(0.9);
  });

  it('allo and ggdo read images through the same network as spin (mean-image offset, spatial soft-argmax, MLP)', async function () {
    if (!requireShared(this, ALLO)) return;
    const world = GridWorld.fromName(path.join(ALLO, 'GridMaze-7.mdp'));
    const buffer = new ReplayBuffer(new GridEnv(world, { observation: 'pixels', start: 'uniform', maxSteps: 50, seed: 0 }), { transitions: 2000, seed: 0 });
    const classes = async (name: 'spin' | 'allo' | 'ggdo'): Promise<string[]> => {
      const m = (await new ReplayLearner(name, { steps: 2, batchSize: 32 }).fit({ source: buffer }, 3)) as SpinEigenfunctions;
      const c = m.model.layers.map((l) => l.getClassName());
      m.dispose();
      return c;
    };
    const spin = await classes('spin');
    expect(spin).to.include.members(['FixedOffset', 'SpatialSoftArgmax']);
    expect(await classes('allo')).to.deep.equal(spin);
    expect(await classes('ggdo')).to.deep.equal(spin);
  });

  it('discover --sampling replay prints per-vector |cos| and projections and writes them to meta.json', async function () {
    if (!requireShared(this, ALLO)) return;
    const out = path.join(dir, 'px');
    const lines = await runCli(['discover', '--env', path.join(ALLO, 'GridMaze-7.mdp'), '--observation', 'pixels', '--neig', '3', '--steps', '300', '--transitions', '5000', '--out', out, '--no-png']);
    expect(lines.some((l) => /replay buffer: 5000 transitions, 11 distinct observations of shape \[7,9\]/.test(l))).to.equal(true);
    expect(lines.some((l) => /^average \|cos\| [01]\.\d{4}, average projection [01]\.\d{4}/.test(l))).to.equal(true);
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect((meta.cosineToExact as number[]).length).to.equal(3);
    expect((meta.projectionToExact as number[]).length).to.equal(3);
    expect(meta.averageProjection as number).to.be.at.least(meta.averageCosine as number);
    expect((meta.info as Record<string, unknown>).sampling).to.equal('replay');
    await runCli(['discover', '--env', 'fourrooms', '--learner', 'allo', '--sampling', 'stratified', '--out', out]).then(
      () => expect.fail('allo with stratified sampling must be rejected'),
      (e: Error) => expect(e.message).to.match(/use --sampling replay/),
    );
  });

  it('benchmark laplacian writes the table, the JSON and a titled bar chart with one bar per grid, observation and learner', async function () {
    if (!requireShared(this, ALLO)) return;
    const out = path.join(dir, 'bench');
    await runCli(['benchmark', 'laplacian', '--layouts', ALLO, '--grids', 'GridMaze-7', '--observations', 'xy', '--learners', 'spin,ggdo', '--seeds', '0,1', '--neig', '3', '--transitions', '3000', '--steps', '30', '--out', out]);
    const runs = (JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { runs: { learner: string; seed: number }[] }).runs;
    expect(runs.map((r) => `${r.learner}${r.seed}`).sort()).to.deep.equal(['ggdo0', 'ggdo1', 'spin0', 'spin1']);
    const table = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(table).to.match(/GridMaze-7/);
    // per learner: mean +- std over its seeds, and how many seeds each learner has
    expect(table).to.match(/seeds \(spin \/ ggdo\)/);
    expect(table.trim().split('\n')[2]).to.match(/\d\.\d{4} ± \d\.\d{4} .*\| 2 \/ 2 \|$/);
    const png = fs.readFileSync(path.join(out, 'chart.png'));
    expect(png.subarray(1, 4).toString('latin1')).to.equal('PNG');
    const spec = JSON.parse(fs.readFileSync(path.join(out, 'chart.vl.json'), 'utf8')) as { title: { text: string }; data: { values: { label: string; group: string; hasError: boolean }[] } };
    expect(spec.title.text).to.match(/Laplacian eigenfunctions/);
    expect(spec.data.values.map((v) => v.label)).to.deep.equal(['GridMaze-7 xy spin', 'GridMaze-7 xy ggdo']);
    expect(spec.data.values.every((v) => v.hasError)).to.equal(true); // two seeds: std whiskers
    expect(fs.readFileSync(path.join(out, 'chart.svg'), 'utf8')).to.match(/average \|cos\|/);
    // resuming: the same settings add only the missing runs; other settings are refused, the
    // results already written untouched
    const before = fs.readFileSync(path.join(out, 'results.json'), 'utf8');
    const args = ['benchmark', 'laplacian', '--layouts', ALLO, '--grids', 'GridMaze-7', '--observations', 'xy', '--learners', 'spin,ggdo', '--seeds', '0,1,2', '--neig', '3', '--transitions', '3000', '--out', out];
    const refused = await runCli([...args, '--steps', '31']).then(
      () => 'accepted',
      (e: Error) => e.message,
    );
    expect(refused).to.match(/results\.json was written with other settings .*"steps":30.*"steps":31.*choose another --out/);
    expect(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).to.equal(before);
    await runCli([...args, '--steps', '30']);
    const resumed = (JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { runs: { learner: string; seed: number; averageCosine: number }[] }).runs;
    expect(resumed.map((r) => `${r.learner}${r.seed}`).sort()).to.deep.equal(['ggdo0', 'ggdo1', 'ggdo2', 'spin0', 'spin1', 'spin2']);
    expect(resumed.slice(0, 4)).to.deep.equal(JSON.parse(before).runs);
  });
  it('benchmark laplacian: sweeps sharing a folder split the runs (claims), merge their results, and take over a dead process\'s claim', async function () {
    if (!requireShared(this, ALLO)) return;
    const opts: LaplacianBenchmarkOptions = { layouts: ALLO, grids: ['GridMaze-7'], observations: ['xy'], learners: ['spin'], seeds: [0, 1, 2, 3], k: 3, transitions: 3000, train: { steps: 30 } };
    // the same sweep alone, into its own folder
    const alone = await runLaplacianBenchmark(opts, path.join(dir, 'alone'), () => {});
    // two sweeps at once on one folder
    const shared = path.join(dir, 'shared');
    const logs: string[][] = [[], []];
    await Promise.all([0, 1].map((i) => runLaplacianBenchmark(opts, shared, (l) => logs[i].push(l))));
    const ran = logs.map((ls) => ls.filter((l) => / avg \|cos\| /.test(l)).length);
    expect(ran[0] + ran[1]).to.equal(4); // each run once, by one of them
    expect(ran[0]).to.be.at.least(1);
    expect(ran[1]).to.be.at.least(1);
    const stored = (JSON.parse(fs.readFileSync(path.join(shared, 'results.json'), 'utf8')) as { runs: { seed: number; averageCosine: number }[] }).runs;
    const bySeed = (rs: { seed: number; averageCosine: number }[]) => [...rs].sort((a, b) => a.seed - b.seed).map((r) => [r.seed, r.averageCosine]);
    expect(bySeed(stored)).to.deep.equal(bySeed(alone)); // same runs, same results
    expect(fs.readdirSync(path.join(shared, 'claims'))).to.deep.equal([]);
    expect(fs.existsSync(path.join(shared, 'results.lock'))).to.equal(false);
    // a claim held by a live process skips that run; one left by a process that is gone is taken over
    const claims = path.join(dir, 'claimed', 'claims');
    fs.mkdirSync(claims, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(claims, 'GridMaze-7_xy_spin_0.claim'), JSON.stringify({ pid: Number(dead.stdout.trim()), host: os.hostname() }));
    fs.writeFileSync(path.join(claims, 'GridMaze-7_xy_spin_1.claim'), JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    fs.writeFileSync(path.join(claims, 'GridMaze-7_xy_spin_2.claim'), ''); // a writer killed before it wrote its pid
    const lines: string[] = [];
    const two = await runLaplacianBenchmark({ ...opts, seeds: [0, 1, 2] }, path.join(dir, 'claimed'), (l) => lines.push(l));
    expect(two.map((r) => r.seed)).to.deep.equal([0, 2]);
    expect(lines.some((l) => /seed 1: being run by another process, skipped/.test(l))).to.equal(true);
    expect(fs.existsSync(path.join(claims, 'GridMaze-7_xy_spin_1.claim'))).to.equal(true); // not ours to remove
    // a damaged results.json is named, not parsed into a crash, and left as it is
    const corrupt = path.join(dir, 'corrupt');
    fs.mkdirSync(corrupt);
    fs.writeFileSync(path.join(corrupt, 'results.json'), '{"settings": {}, "runs": [');
    await runLaplacianBenchmark(opts, corrupt, () => {}).then(
      () => expect.fail('a damaged results.json was accepted'),
      (e: Error) => expect(e.message).to.match(/corrupt[\/\\]results\.json is not valid JSON .*repair it or choose another --out/),
    );
    expect(fs.readFileSync(path.join(corrupt, 'results.json'), 'utf8')).to.equal('{"settings": {}, "runs": [');
  });
});
