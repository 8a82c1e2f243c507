// ALEInterface behaviour against independent truth: the C++ standard's mt19937 values, RFC 1321 /
// Node's md5, the traces' documented FNV-1a and xorshift check values, the palette tables and
// grayscale rule of ale-semantics.md, the power-on RAM rule (README "Power-on RAM is not zero"),
// game facts from the trace headers, and determinism properties of cloneState/restoreState.
import { expect } from 'chai';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

import {
  ALEInterface, fnv1a64Hex, loadNative, md5Hex, mt19937Outputs, paletteTable, XorShift32,
} from '../src/ale';
import { replayTrace } from '../src/ale/conformance';
import { AtariEnv } from '../envs/atari';
import { conformanceDir, requireShared, romDir, sharedDir } from './helpers/shared';

interface StepLine { type: string; i: number; a: number; r: number; done: boolean; ram: string; frame: number }

function traceLines(set: string, rom: string): StepLine[] {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(conformanceDir(), set, `${rom}.jsonl.gz`))).toString('utf8');
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as StepLine);
}

function traceHeader(set: string, rom: string): { minimal_action_set: number[]; legal_action_set_size: number; screen: { height: number } } {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(conformanceDir(), set, `${rom}.jsonl.gz`))).toString('utf8');
  return JSON.parse(text.slice(0, text.indexOf('\n')));
}

/** Parses the "RRGGBB/YY" palette tables at the end of ale-semantics.md. */
function docPalette(title: string): { rgb: number; gray: number }[] {
  const doc = fs.readFileSync(path.join(sharedDir(), 'docs', 'ale-semantics.md'), 'utf8');
  const lines = doc.slice(doc.indexOf(title)).split('\n');
  const out: { rgb: number; gray: number }[] = [];
  for (const line of lines) {
    const m = /^\| 0x([0-9A-F])0 \|(.*)\|\s*$/.exec(line);
    if (!m) continue;
    for (const cell of m[2].split('|')) {
      const [rgb, y] = cell.trim().split('/');
      out.push({ rgb: parseInt(rgb, 16), gray: parseInt(y, 16) });
    }
    if (out.length === 128) break;
  }
  return out;
}

describe('ALE API: random numbers and hashes', () => {
  it('mt19937 matches std::mt19937 (first outputs of seed 5489 and the standard 10000th value)', () => {
    expect(Array.from(mt19937Outputs(5489, 3))).to.deep.equal([3499211612, 581869302, 3890346734]);
    // C++ [rand.predef]: the 10000th invocation of a default-constructed mt19937 yields 4123659995.
    expect(mt19937Outputs(5489, 10000)[9999]).to.equal(4123659995);
  });

  it('md5 agrees with RFC 1321 test vectors and node:crypto on every ROM', function () {
    expect(md5Hex(new Uint8Array(0))).to.equal('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex(Buffer.from('message digest'))).to.equal('f96b697d7cb7938d525a2f31aaf161d0');
    if (!requireShared(this, romDir())) return;
    for (const f of fs.readdirSync(romDir()).filter((n) => n.endsWith('.bin'))) {
      const data = fs.readFileSync(path.join(romDir(), f));
      expect(md5Hex(data), f).to.equal(crypto.createHash('md5').update(data).digest('hex'));
    }
  });

  it('FNV-1a-64 and xorshift32 reproduce the README check values', function () {
    expect(fnv1a64Hex(Buffer.from('a'))).to.equal('af63dc4c8601ec8c');
    expect(fnv1a64Hex(new Uint8Array(33600))).to.equal('5966b6d8204fc425');
    const x0 = new XorShift32(0);
    expect([x0.next(), x0.next(), x0.next()]).to.deep.equal([0x510c4619, 0xe02e553e, 0x7bb98f3a]);
    const x1 = new XorShift32(1);
    expect([x1.next(), x1.next(), x1.next()]).to.deep.equal([0x51086638, 0xe426533f, 0xe67527ff]);
    if (!requireShared(this, conformanceDir())) return;
    const dump = fs.readFileSync(path.join(conformanceDir(), 'screens', 'pong-100.bin'));
    const text = zlib.gunzipSync(fs.readFileSync(path.join(conformanceDir(), 'ale-frameskip1', 'pong.jsonl.gz'))).toString();
    const step = text.split('\n').map((l) => (l ? JSON.parse(l) : null)).find((l) => l && l.type === 'step' && l.i === 100);
    expect(fnv1a64Hex(dump)).to.equal(step.screen);
  });
});

describe('ALE API: palettes', () => {
  for (const [fmt, title] of [['NTSC', '#### NTSC palette'], ['PAL', '#### PAL palette']] as const) {
    it(`${fmt} palette equals the documented table and its gray bytes follow the luma rule`, function () {
      if (!requireShared(this, path.join(sharedDir(), 'docs'))) return;
      const doc = docPalette(title);
      expect(doc.length).to.equal(128);
      const pal = paletteTable(fmt);
      for (let k = 0; k < 128; k++) {
        const { rgb, gray } = doc[k];
        expect(pal[2 * k], `${fmt} colour 0x${(2 * k).toString(16)}`).to.equal(rgb);
        expect(pal[2 * k + 1], `${fmt} gray 0x${(2 * k).toString(16)}`).to.equal(gray * 0x010101);
        const r = rgb >> 16, g = (rgb >> 8) & 255, b = rgb & 255;
        expect(Math.round(0.2989 * r + 0.587 * g + 0.114 * b), `${fmt} luma 0x${(2 * k).toString(16)}`).to.equal(gray);
      }
    });
  }
});

describe('ALE API with a ROM', function () {
  this.timeout(60000);
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-ale-api-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('power-on RAM is the low bytes of MT19937(4753849) and survives reset_game (do-nothing cartridge)', function () {
    if (!requireShared(this, romDir())) return;
    // 4K image: JMP $F000 forever; reset vector -> $F000. Loaded by name as "montezuma_revenge" (a one-mode game).
    const rom = new Uint8Array(4096);
    rom.set([0x4c, 0x00, 0xf0], 0);
    rom[0xffc] = 0x00;
    rom[0xffd] = 0xf0;
    const file = path.join(tmp, 'montezuma_revenge.bin');
    fs.writeFileSync(file, rom);
    const ale = new ALEInterface();
    ale.loadROM(file);
    const expected = Array.from(mt19937Outputs(4753849, 128), (v) => v & 0xff);
    expect(Array.from(ale.getConsoleCreatedRAM())).to.deep.equal(expected);
    expect(Array.from(ale.getRAM())).to.deep.equal(expected);
    ale.setInt('system_random_seed', 7);
    ale.loadROM(file);
    expect(Array.from(ale.getRAM())).to.deep.equal(Array.from(mt19937Outputs(7, 128), (v) => v & 0xff));
  });

  it('reports the action sets and screen size of the trace headers', function () {
    if (!requireShared(this, conformanceDir())) return;
    for (const rom of ['pong', 'breakout', 'skiing', 'pooyan', 'adventure']) {
      const h = traceHeader('ale-v5', rom);
      const ale = new ALEInterface();
      ale.loadROM(path.join(romDir(), `${rom}.bin`));
      expect(ale.getMinimalActionSet(), rom).to.deep.equal(h.minimal_action_set);
      expect(ale.getLegalActionSet().length, rom).to.equal(h.legal_action_set_size);
      expect(ale.getScreenDims(), rom).to.deep.equal([h.screen.height, 160]);
    }
  });

  it('gzip-compressed ROMs load as the image they contain (levels 1 and 9, stored blocks)', function () {
    if (!requireShared(this, romDir())) return;
    const raw = fs.readFileSync(path.join(romDir(), 'pitfall2.bin'));
    const plain = new ALEInterface();
    plain.loadROM(path.join(romDir(), 'pitfall2.bin'));
    for (const level of [0, 1, 9]) {
      const f = path.join(tmp, `pitfall2-${level}.bin.gz`);
      fs.writeFileSync(f, zlib.gzipSync(raw, { level }));
      const ale = new ALEInterface();
      ale.loadROM(f);
      expect(ale.romInfo().md5).to.equal(crypto.createHash('md5').update(raw).digest('hex'));
      expect(ale.romInfo().rom).to.equal('pitfall2');
      expect(Buffer.from(ale.getRAM()).equals(Buffer.from(plain.getRAM()))).to.equal(true);
    }
  });

  it('setTrace + tracePhase: the debug TIA/RIOT trace of the frameskip-1 window is byte-identical to upstream (pong)', function () {
    if (!requireShared(this, path.join(conformanceDir(), 'debug'))) return;
    const dir = path.join(tmp, 'trace');
    const r = replayTrace('pong', 'ale-frameskip1', { conformanceDir: conformanceDir(), romDir: romDir(), traceDir: dir });
    expect(r.exact).to.equal(true);
    const ours = fs.readFileSync(path.join(dir, 'pong.tia.bin'));
    const ref = zlib.gunzipSync(fs.readFileSync(path.join(conformanceDir(), 'debug', 'pong.tia.bin.gz')));
    expect(ours.length).to.equal(ref.length);
    let i = 0;
    while (i < ours.length && ours[i] === ref[i]) i++;
    const rec = Math.floor(i / 16);
    expect(i, `first differing record ${rec}: ours ${ours.subarray(16 * rec, 16 * rec + 16).toString('hex')} ` +
      `upstream ${ref.subarray(16 * rec, 16 * rec + 16).toString('hex')}`).to.equal(ours.length);
    expect(fs.statSync(path.join(dir, 'pong.cpu.bin')).size).to.equal(16 * 1468256);  // records in debug/index
  });

  it('settings are stored as text with 6 significant digits and read at loadROM', () => {
    const ale = new ALEInterface();
    expect(ale.getInt('system_random_seed')).to.equal(4753849);
    expect(ale.getFloat('repeat_action_probability')).to.be.closeTo(0.25, 1e-9);
    expect(ale.getInt('frame_skip')).to.equal(1);
    expect(ale.getBool('color_averaging')).to.equal(false);
    expect(ale.getString('cpu')).to.equal('low');
    ale.setFloat('repeat_action_probability', 0.123456789);
    expect(ale.getString('repeat_action_probability')).to.equal('0.123457');
  });

  it('screens: RGB and grayscale are the palette of the index screen; counters advance per frame', function () {
    if (!requireShared(this, romDir())) return;
    const ale = new ALEInterface();
    ale.setInt('random_seed', 3);
    ale.setInt('frame_skip', 3);
    ale.loadROM(path.join(romDir(), 'space_invaders.bin'));
    const f0 = ale.getFrameNumber();
    for (let i = 0; i < 40; i++) ale.act(ale.getMinimalActionSet()[i % 6]);
    expect(ale.getFrameNumber() - f0).to.equal(120);
    const idx = ale.getScreen();
    const rgb = ale.getScreenRGB();
    const gray = ale.getScreenGrayscale(new Uint8Array(idx.length));
    const pal = paletteTable('NTSC');
    let nonZero = 0;
    for (let p = 0; p < idx.length; p++) {
      const c = pal[idx[p]];
      expect([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]]).to.deep.equal([c >> 16, (c >> 8) & 255, c & 255]);
      expect(gray[p]).to.equal(pal[idx[p] + 1] & 255);
      if (idx[p]) nonZero++;
    }
    expect(nonZero).to.be.greaterThan(1000);
  });

  it('PAL-detected ROMs use the PAL palette and 250 rows (adventure)', function () {
    if (!requireShared(this, romDir())) return;
    const ale = new ALEInterface();
    ale.setInt('random_seed', 2);
    ale.loadROM(path.join(romDir(), 'adventure.bin'));
    for (let i = 0; i < 30; i++) ale.act(2);
    expect(ale.getScreenDims()).to.deep.equal([250, 160]);
    expect(ale.romInfo().pal).to.equal(true);
    const idx = ale.getScreen();
    const rgb = ale.getScreenRGB();
    const pal = paletteTable('PAL');
    const seen = new Set<number>();
    for (let p = 0; p < idx.length; p++) {
      const c = pal[idx[p]];
      seen.add(idx[p]);
      if (rgb[3 * p] !== c >> 16 || rgb[3 * p + 1] !== ((c >> 8) & 255) || rgb[3 * p + 2] !== (c & 255)) {
        expect.fail(`pixel ${p}: index ${idx[p]} gave RGB ${rgb.subarray(3 * p, 3 * p + 3).join(',')}`);
      }
    }
    expect(seen.size).to.be.greaterThan(1);
  });

  it('color_averaging blends the last two frames per ale-semantics §8.3', function () {
    if (!requireShared(this, romDir())) return;
    const make = (avg: boolean): ALEInterface => {
      const ale = new ALEInterface();
      ale.setInt('random_seed', 4);
      ale.setFloat('repeat_action_probability', 0);
      ale.setBool('color_averaging', avg);
      ale.loadROM(path.join(romDir(), 'space_invaders.bin'));
      return ale;
    };
    const plain = make(false);
    const avg = make(true);
    const pal = paletteTable('NTSC');
    const ch = (c: number, k: number) => (c >> (16 - 8 * k)) & 255;
    const nearest = new Map<number, number>();
    const blendIndex = (a: number, b: number): number => {
      const q = [0, 1, 2].map((k) => {
        const hi = Math.max(ch(pal[a], k), ch(pal[b], k));
        const lo = Math.min(ch(pal[a], k), ch(pal[b], k));
        return (lo + Math.floor(((hi - lo) * 77) / 100)) >> 2;
      });
      const key = (q[0] << 12) | (q[1] << 6) | q[2];
      let best = nearest.get(key);
      if (best === undefined) {
        let bestDist = Infinity;
        for (let i = 0; i < 256; i += 2) {
          const d = Math.abs(ch(pal[i], 0) - 4 * q[0]) + Math.abs(ch(pal[i], 1) - 4 * q[1]) + Math.abs(ch(pal[i], 2) - 4 * q[2]);
          if (d < bestDist) { bestDist = d; best = i; }
        }
        nearest.set(key, best!);
      }
      return best!;
    };
    let prev = plain.getScreen();
    let blended = 0;
    for (let step = 0; step < 120; step++) {
      const a = [0, 1, 3, 4][step % 4];
      plain.act(a);
      avg.act(a);
      const cur = plain.getScreen();
      if (step >= 100) {
        const got = avg.getScreen();
        for (let p = 0; p < cur.length; p++) {
          const want = blendIndex(cur[p], prev[p]);
          if (got[p] !== want) expect.fail(`step ${step} pixel ${p}: cur ${cur[p]} prev ${prev[p]} -> ${got[p]}, want ${want}`);
          if (cur[p] !== prev[p]) blended++;
        }
      }
      prev = cur;
    }
    expect(blended).to.be.greaterThan(0);
  });

  it('sticky actions: with repeat_action_probability 1 every action stays NOOP', function () {
    if (!requireShared(this, romDir())) return;
    const run = (prob: number, fire: boolean): string => {
      const ale = new ALEInterface();
      ale.setInt('random_seed', 11);
      ale.setFloat('repeat_action_probability', prob);
      ale.loadROM(path.join(romDir(), 'space_invaders.bin'));
      for (let i = 0; i < 200; i++) ale.act(fire ? 11 : 0);
      return Buffer.from(ale.getRAM()).toString('hex');
    };
    expect(run(1, true)).to.equal(run(0, false));
    expect(run(0, true)).to.not.equal(run(0, false));
  });

  it('cloneState/restoreState: restoring replays identically; includeRng restores sticky-action randomness', function () {
    if (!requireShared(this, romDir())) return;
    const ale = new ALEInterface();
    ale.setInt('random_seed', 5);
    ale.loadROM(path.join(romDir(), 'ms_pacman.bin'));
    for (let i = 0; i < 30; i++) ale.act(3);
    const s = ale.cloneState(true);
    const play = (): string => {
      let rew = 0;
      for (let i = 0; i < 60; i++) rew += ale.act([2, 3, 4, 5][i % 4]);
      return `${rew}:${ale.getFrameNumber()}:${Buffer.from(ale.getRAM()).toString('hex')}`;
    };
    const a = play();
    ale.restoreState(s);
    expect(ale.getFrameNumber()).to.equal(30);
    expect(play()).to.equal(a);
  });

  it('sticky actions follow two environment-RNG doubles per frame (A then B, u >= p takes the new action)', function () {
    if (!requireShared(this, romDir())) return;
    const seed = 42;
    const p = 0.25;
    const frames = 400;
    const rom = path.join(romDir(), 'space_invaders.bin');
    const sticky = new ALEInterface();
    sticky.setInt('random_seed', seed);
    sticky.setFloat('repeat_action_probability', p);
    sticky.loadROM(rom);
    const plain = new ALEInterface();
    plain.setInt('random_seed', seed);
    plain.setFloat('repeat_action_probability', 0);
    plain.loadROM(rom);
    const u = mt19937Outputs(seed, 2 * frames);
    const set = sticky.getMinimalActionSet();
    const pick = new XorShift32(9);
    let remembered = 0;  // NOOP after reset
    let repeats = 0;
    for (let k = 0; k < frames; k++) {
      const requested = set[pick.next() % set.length];
      if (u[2 * k] / 4294967296 >= p) remembered = requested;
      else repeats++;
      const r1 = sticky.act(requested);
      const r2 = plain.act(remembered);
      expect(r1, `reward at frame ${k}`).to.equal(r2);
      expect(Buffer.from(sticky.getRAM()).toString('hex'), `RAM at frame ${k}`).to.equal(Buffer.from(plain.getRAM()).toString('hex'));
    }
    expect(repeats).to.be.within(60, 140);  // about p * frames draws kept the old action
  });

  it('truncation by max_num_frames_per_episode; frame_skip < 1 acts as 1', function () {
    if (!requireShared(this, romDir())) return;
    const ale = new ALEInterface();
    ale.setInt('random_seed', 1);
    ale.setInt('frame_skip', 0);
    ale.setInt('max_num_frames_per_episode', 50);
    ale.loadROM(path.join(romDir(), 'seaquest.bin'));
    expect(ale.getEpisodeFrameNumber()).to.equal(0);
    for (let i = 0; i < 49; i++) ale.act(0);
    expect(ale.game_truncated()).to.equal(false);
    ale.act(0);
    expect(ale.getEpisodeFrameNumber()).to.equal(50);
    expect(ale.game_truncated()).to.equal(true);
    expect(ale.game_over()).to.equal(true);
    expect(ale.game_over(false)).to.equal(false);
    const frame = ale.getFrameNumber();
    expect(ale.act(1)).to.equal(0);
    expect(ale.getFrameNumber()).to.equal(frame);  // nothing emulated after truncation
    ale.reset_game();
    expect(ale.game_truncated()).to.equal(false);
    expect(ale.getFrameNumber()).to.equal(frame);
  });

  it('reward_min/reward_max clamp each act() sum (pong trace rewards of -1 become 0)', function () {
    if (!requireShared(this, conformanceDir())) return;
    const lines = traceLines('ale-v5', 'pong');
    const ale = new ALEInterface();
    ale.setInt('random_seed', 0);
    ale.setFloat('repeat_action_probability', 0);
    ale.setInt('frame_skip', 4);
    ale.setInt('reward_min', 0);
    ale.loadROM(path.join(romDir(), 'pong.bin'));
    ale.reset_game();
    let negatives = 0;
    for (const l of lines) {
      if (l.type === 'reset') ale.reset_game();
      if (l.type !== 'step' || l.i >= 600) continue;
      const r = ale.act(l.a);
      if (l.r < 0) negatives++;
      expect(r, `step ${l.i}`).to.equal(Math.max(0, l.r));
      expect(Buffer.from(ale.getRAM()).toString('hex'), `step ${l.i}`).to.equal(l.ram);
    }
    expect(negatives).to.be.greaterThan(0);
  });

  it('AtariEnv (frame skip 4, RAM observations) reproduces the ale-v5 pong trace', function () {
    if (!requireShared(this, conformanceDir())) return;
    const lines = traceLines('ale-v5', 'pong');
    const env = new AtariEnv({ game: path.join(romDir(), 'pong.bin'), frameskip: 4, repeatActionProbability: 0, seed: 0, obsType: 'ram' });
    expect(env.numActions).to.equal(6);
    env.reset();
    for (const l of lines) {
      if (l.type === 'reset') env.reset();
      if (l.type !== 'step' || l.i >= 800) continue;
      const out = env.step(env.actionSet.indexOf(l.a));
      expect(out.reward, `step ${l.i}`).to.equal(l.r);
      expect(out.terminated, `step ${l.i}`).to.equal(l.done);
      expect(out.info.frameNumber, `step ${l.i}`).to.equal(l.frame);
      expect(Buffer.from(out.observation).toString('hex'), `step ${l.i}`).to.equal(l.ram);
    }
  });
});


describe('ALE public API', () => {
  it('test-only helpers are not exported: no conformance harness in src/ale, no game evaluator on the addon', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ale = require('../src/ale') as Record<string, unknown>;
    for (const name of ['replayTrace', 'describeResult', 'readTrace', 'TRACE_SETS', 'SCREEN_DUMP_STEPS']) {
      expect(ale, name).to.not.have.property(name);
    }
    const addon = loadNative() as unknown as Record<string, unknown>;
    for (const name of ['_evalGame', '_gameSpecs', '_findGame', 'evalGame']) expect(addon, name).to.not.have.property(name);
    expect(typeof ale.findRom).to.equal('function');
  });
});
