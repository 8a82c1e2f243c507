// Bad input to ALEInterface gives a JavaScript Error naming the problem (never a crash or abort).
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

import { ALEInterface } from '../src/ale';
import { requireShared, romDir } from './helpers/shared';

function throwsMatching(fn: () => unknown, re: RegExp): void {
  expect(fn).to.throw(Error, re);
}

describe('ALE errors', function () {
  this.timeout(60000);
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-ale-err-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('loadROM', () => {
    it('missing file', () => {
      throwsMatching(() => new ALEInterface().loadROM(path.join(tmp, 'nope.bin')), /cannot open ROM file.*nope\.bin/);
    });
    it('empty file', () => {
      const f = path.join(tmp, 'empty.bin');
      fs.writeFileSync(f, Buffer.alloc(0));
      throwsMatching(() => new ALEInterface().loadROM(f), /is empty/);
    });
    it('truncated ROM (a supported game cut to 1500 bytes, same name)', function () {
      if (!requireShared(this, romDir())) return;
      const f = path.join(tmp, 'pong.bin');
      fs.writeFileSync(f, fs.readFileSync(path.join(romDir(), 'pong.bin')).subarray(0, 1500));
      throwsMatching(() => new ALEInterface().loadROM(f), /1500 bytes.*not an Atari 2600 cartridge size/);
    });
    it('garbage file (text)', () => {
      const f = path.join(tmp, 'notes.txt');
      fs.writeFileSync(f, 'this is not a cartridge image\n'.repeat(20));
      throwsMatching(() => new ALEInterface().loadROM(f), /not an Atari 2600 cartridge size/);
    });
    it('unknown ROM (right size, md5 and name unknown)', () => {
      const f = path.join(tmp, 'mystery_cart.bin');
      const data = Buffer.alloc(4096);
      for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 255;
      fs.writeFileSync(f, data);
      throwsMatching(() => new ALEInterface().loadROM(f), /unknown ROM.*mystery_cart/);
    });
    it('corrupt gzip file (truncated stream, bad CRC)', function () {
      if (!requireShared(this, romDir())) return;
      const gz = zlib.gzipSync(fs.readFileSync(path.join(romDir(), 'pong.bin')));
      const f = path.join(tmp, 'pong.bin.gz');
      fs.writeFileSync(f, gz.subarray(0, gz.length >> 1));
      throwsMatching(() => new ALEInterface().loadROM(f), /corrupt gzip data/);
      const badCrc = Buffer.from(gz);
      badCrc[badCrc.length - 6] ^= 0xff;
      fs.writeFileSync(f, badCrc);
      throwsMatching(() => new ALEInterface().loadROM(f), /corrupt gzip data: CRC-32 mismatch/);
    });
    it('a foreign image under a game\'s name fails mode selection quickly instead of hanging', () => {
      const f = path.join(tmp, 'ms_pacman.bin');
      const data = Buffer.alloc(8192);
      let x = 5;
      for (let i = 0; i < data.length; i++) {
        x = (x ^ (x << 13)) >>> 0;
        x = (x ^ (x >>> 17)) >>> 0;
        x = (x ^ (x << 5)) >>> 0;
        data[i] = x & 255;
      }
      fs.writeFileSync(f, data);
      throwsMatching(() => new ALEInterface().loadROM(f), /ms_pacman: mode selection for mode 0 did not finish within 5000 frames/);
    });
    it('a directory instead of a file', () => {
      throwsMatching(() => new ALEInterface().loadROM(tmp), /cannot (open|read) ROM file/);
    });
    it('non-string path', () => {
      const ale = new ALEInterface() as unknown as { loadROM(p: unknown): void };
      throwsMatching(() => ale.loadROM(42), /path must be a string/);
    });
  });

  describe('settings', () => {
    it('unknown keys in every setter and getter', () => {
      const ale = new ALEInterface() as unknown as Record<string, (k: string, v?: unknown) => unknown>;
      throwsMatching(() => ale.setInt('frameskip', 4), /unknown setting 'frameskip'/);
      throwsMatching(() => ale.getInt('frameskip'), /unknown setting 'frameskip'/);
      throwsMatching(() => ale.setFloat('sticky', 0.1), /unknown setting 'sticky'/);
      throwsMatching(() => ale.getBool('nope'), /unknown setting 'nope'/);
      throwsMatching(() => ale.setString('nope', 'x'), /unknown setting 'nope'/);
    });
    it('values that do not parse as the requested type', () => {
      const ale = new ALEInterface();
      throwsMatching(() => ale.getInt('cpu'), /'cpu'.*not an integer/);
      ale.setString('frame_skip', 'four');
      throwsMatching(() => ale.getInt('frame_skip'), /'frame_skip'.*not an integer/);
    });
    it('non-integer int values', () => {
      throwsMatching(() => new ALEInterface().setInt('frame_skip', 1.5), /value must be a 32-bit integer/);
    });
  });

  describe('calls before loadROM', () => {
    const ale = new ALEInterface();
    const calls: [string, () => unknown][] = [
      ['act', () => ale.act(0)],
      ['reset_game', () => ale.reset_game()],
      ['game_over', () => ale.game_over()],
      ['lives', () => ale.lives()],
      ['getScreen', () => ale.getScreen()],
      ['getScreenRGB', () => ale.getScreenRGB()],
      ['getRAM', () => ale.getRAM()],
      ['setRAM', () => ale.setRAM(0, 0)],
      ['getMinimalActionSet', () => ale.getMinimalActionSet()],
      ['getAvailableModes', () => ale.getAvailableModes()],
      ['setMode', () => ale.setMode(0)],
      ['cloneState', () => ale.cloneState()],
      ['restoreState', () => ale.restoreState(new Uint8Array(10))],
      ['getFrameNumber', () => ale.getFrameNumber()],
    ];
    for (const [name, fn] of calls) {
      it(name, () => throwsMatching(fn, /no ROM loaded/));
    }
  });

  describe('with a loaded ROM', () => {
    let ale: ALEInterface;
    before(function () {
      if (!requireShared(this, romDir())) return;
      ale = new ALEInterface();
      ale.setInt('random_seed', 1);
      ale.loadROM(path.join(romDir(), 'space_invaders.bin'));
    });
    it('out-of-range and non-integer action ids', function () {
      if (!ale) this.skip();
      for (const a of [18, 35, -1, 41, 50, 1000]) throwsMatching(() => ale.act(a), new RegExp(`invalid action id ${a}`));
      throwsMatching(() => ale.act(1.5), /action must be a 32-bit integer/);
      throwsMatching(() => ale.act(0, Number.NaN), /paddleStrength must be finite/);
      expect(ale.act(40)).to.equal(0);  // RESET is accepted and acts as NOOP
    });
    it('bad mode and difficulty', function () {
      if (!ale) this.skip();
      throwsMatching(() => ale.setMode(99), /mode 99 is not available for space_invaders \(available: \[/);
      throwsMatching(() => ale.setDifficulty(7), /difficulty 7 is not available/);
    });
    it('setRAM index and value out of range', function () {
      if (!ale) this.skip();
      throwsMatching(() => ale.setRAM(128, 0), /index 128 is out of range 0\.\.127/);
      throwsMatching(() => ale.setRAM(-1, 0), /index -1 is out of range/);
      throwsMatching(() => ale.setRAM(0, 256), /value 256 is out of range 0\.\.255/);
      ale.setRAM(5, 0xab);
      expect(ale.getRAM()[5]).to.equal(0xab);
    });
    it('wrong output buffer sizes', function () {
      if (!ale) this.skip();
      throwsMatching(() => ale.getScreen(new Uint8Array(100)), /getScreen: output buffer has 100 bytes, expected 33600/);
      throwsMatching(() => ale.getScreenRGB(new Uint8Array(33600)), /expected 100800/);
      throwsMatching(() => ale.getRAM(new Uint8Array(64)), /getRAM: output buffer has 64 bytes/);
    });
    it('corrupt, truncated and foreign states', function () {
      if (!ale) this.skip();
      const s = ale.cloneState();
      const bad = Uint8Array.from(s);
      bad[bad.length >> 1] ^= 0x40;
      throwsMatching(() => ale.restoreState(bad), /corrupt state/);
      throwsMatching(() => ale.restoreState(s.subarray(0, s.length - 20)), /corrupt state|bad header/);
      throwsMatching(() => ale.restoreState(new Uint8Array(64)), /not an eigenopt ALE state/);
      const other = new ALEInterface();
      other.loadROM(path.join(romDir(), 'pong.bin'));
      throwsMatching(() => ale.restoreState(other.cloneState()), /another ROM/);
      ale.restoreState(s);  // the genuine state still restores
    });
  });
});
