// Bad input to ALEInterface gives a JavaScript Error naming the problem (never a crash or abort).
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

import { ALEInterface, fnv1a64Hex, paletteTable } from '../src/ale';
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
      throwsMatching(() => ale.getInt('cpu'), /^getInt: setting 'cpu' has value 'low', which is not an integer/);
      throwsMatching(() => ale.setString('frame_skip', 'four'), /^setString: setting 'frame_skip' takes a 32-bit decimal integer, got 'four'/);
      expect(ale.getInt('frame_skip')).to.equal(1);  // the rejected value was not stored
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

describe('ALE settings are checked when set', () => {
  // Each rejected value names the setter, quotes the key and the text, and leaves the old value.
  const rejected: [string, (ale: ALEInterface) => void, RegExp][] = [
    ["int with a leading space ' 4'", (a) => a.setString('frame_skip', ' 4'), /^setString: setting 'frame_skip' takes a 32-bit decimal integer, got ' 4'/],
    ["int with a plus sign '+4'", (a) => a.setString('frame_skip', '+4'), /takes a 32-bit decimal integer/],
    ["int '4.0'", (a) => a.setString('random_seed', '4.0'), /'random_seed' takes a 32-bit decimal integer/],
    ['int beyond 32 bits', (a) => a.setString('random_seed', '2147483648'), /takes a 32-bit decimal integer, got '2147483648'/],
    ["hex float '0x1p-2'", (a) => a.setString('repeat_action_probability', '0x1p-2'), /^setString: setting 'repeat_action_probability' takes a finite decimal number, got '0x1p-2'/],
    ["float 'nan'", (a) => a.setString('repeat_action_probability', 'nan'), /takes a finite decimal number/],
    ["float 'inf'", (a) => a.setString('repeat_action_probability', 'inf'), /takes a finite decimal number/],
    ["float '0.5 '", (a) => a.setString('repeat_action_probability', '0.5 '), /takes a finite decimal number/],
    ['probability 1.5 (setFloat)', (a) => a.setFloat('repeat_action_probability', 1.5), /^setFloat: setting 'repeat_action_probability' must be in \[0, 1\], got '1.5'/],
    ['probability -0.1 (setString)', (a) => a.setString('repeat_action_probability', '-0.1'), /must be in \[0, 1\]/],
    ["cpu='bogus'", (a) => a.setString('cpu', 'bogus'), /^setString: setting 'cpu' must be 'low'.*got 'bogus'/],
    ["bool 'yes'", (a) => a.setString('color_averaging', 'yes'), /^setString: setting 'color_averaging' takes true, false, 1 or 0, got 'yes'/],
    ['bool set through setInt(2)', (a) => a.setInt('color_averaging', 2), /^setInt: setting 'color_averaging' takes true, false, 1 or 0, got '2'/],
    ['int set through setBool', (a) => a.setBool('frame_skip', true), /^setBool: setting 'frame_skip' takes a 32-bit decimal integer, got 'true'/],
    ['int set through setFloat(4.5)', (a) => a.setFloat('frame_skip', 4.5), /^setFloat: setting 'frame_skip' takes a 32-bit decimal integer, got '4.5'/],
    ['paddle_max 2^31-1 (the centre would overflow)', (a) => a.setInt('paddle_max', 2147483647), /^setInt: setting 'paddle_max' must be -1 \(default\) or a resistance in 0\.\.1000000000/],
    ['paddle_min -5', (a) => a.setInt('paddle_min', -5), /'paddle_min' must be -1 \(default\) or a resistance/],
    ['a string setting with a NUL byte', (a) => a.setString('rom_file', 'a\0b'), /^setString: setting 'rom_file' must not contain a NUL byte, got 'a\\x00b'/],
  ];
  for (const [name, set, re] of rejected) {
    it(`rejects ${name}`, () => {
      const ale = new ALEInterface();
      const before = ['frame_skip', 'random_seed', 'repeat_action_probability', 'cpu', 'color_averaging', 'paddle_min', 'paddle_max', 'rom_file']
        .map((k) => ale.getString(k as 'cpu'));
      throwsMatching(() => set(ale), re);
      const after = ['frame_skip', 'random_seed', 'repeat_action_probability', 'cpu', 'color_averaging', 'paddle_min', 'paddle_max', 'rom_file']
        .map((k) => ale.getString(k as 'cpu'));
      expect(after).to.deep.equal(before);
    });
  }

  it('valid text keeps upstream semantics: stored verbatim, floats from setFloat at 6 significant digits', () => {
    const ale = new ALEInterface();
    ale.setString('frame_skip', '4');
    expect(ale.getInt('frame_skip')).to.equal(4);
    ale.setString('frame_skip', '-3');  // < 1 acts as 1 at loadROM (ale-semantics §3 step 8)
    expect(ale.getInt('frame_skip')).to.equal(-3);
    ale.setString('repeat_action_probability', '0.123456789');
    expect(ale.getString('repeat_action_probability')).to.equal('0.123456789');
    ale.setFloat('repeat_action_probability', 0.123456789);
    expect(ale.getString('repeat_action_probability')).to.equal('0.123457');
    ale.setString('repeat_action_probability', '1e-1');
    expect(ale.getFloat('repeat_action_probability')).to.be.closeTo(0.1, 1e-7);
    ale.setInt('repeat_action_probability', 1);
    expect(ale.getString('repeat_action_probability')).to.equal('1');
    ale.setFloat('frame_skip', 5);
    expect(ale.getString('frame_skip')).to.equal('5');
    ale.setString('color_averaging', '1');
    expect(ale.getBool('color_averaging')).to.equal(true);
    ale.setInt('truncate_on_loss_of_life', 0);
    expect(ale.getBool('truncate_on_loss_of_life')).to.equal(false);
    ale.setInt('paddle_max', 1000000000);
    ale.setInt('paddle_min', -1);
    expect([ale.getInt('paddle_min'), ale.getInt('paddle_max')]).to.deep.equal([-1, 1000000000]);
    ale.setString('cpu', 'low');
    ale.setString('record_screen_dir', '/tmp/some dir');
    expect(ale.getString('record_screen_dir')).to.equal('/tmp/some dir');
  });

  it('an empty paddle range is refused at loadROM, which then leaves the interface unloaded', function () {
    if (!requireShared(this, romDir())) return;
    const ale = new ALEInterface();
    ale.setInt('paddle_min', 500000);
    ale.setInt('paddle_max', 400000);
    throwsMatching(() => ale.loadROM(path.join(romDir(), 'pong.bin')), /^loadROM: paddle range 500000\.\.400000 is empty/);
    throwsMatching(() => ale.getFrameNumber(), /^getFrameNumber: no ROM loaded/);
  });
});

describe('ALE errors name the method called and quote its input safely', () => {
  it('calls before loadROM blame themselves, not a helper', () => {
    const ale = new ALEInterface();
    const calls: [string, () => unknown][] = [
      ['getRAM', () => ale.getRAM()],
      ['getScreen', () => ale.getScreen()],
      ['getScreenRGB', () => ale.getScreenRGB()],
      ['getScreenGrayscale', () => ale.getScreenGrayscale()],
      ['setMode', () => ale.setMode(0)],
      ['setDifficulty', () => ale.setDifficulty(0)],
      ['getConsoleCreatedRAM', () => ale.getConsoleCreatedRAM()],
      ['getScreenDims', () => ale.getScreenDims()],
      ['reset_game', () => ale.reset_game()],
      ['restoreState', () => ale.restoreState(new Uint8Array(10))],
    ];
    for (const [name, fn] of calls) throwsMatching(fn, new RegExp(`^${name}: no ROM loaded \\(call loadROM first\\)$`));
    // the same through the native object (no wrapper-side check in between)
    const native = (ale as unknown as { ale: { getRAM(o: Uint8Array): void; getScreen(o: Uint8Array): void } }).ale;
    throwsMatching(() => native.getRAM(new Uint8Array(128)), /^getRAM: no ROM loaded/);
    throwsMatching(() => native.getScreen(new Uint8Array(33600)), /^getScreen: no ROM loaded/);
  });

  it('a NUL byte in a ROM path throws instead of loading the prefix', function () {
    if (!requireShared(this, romDir())) return;
    const ale = new ALEInterface();
    const p = path.join(romDir(), 'pong.bin');
    throwsMatching(() => ale.loadROM(`${p}\0.txt`), /^loadROM: ROM path '.*pong\.bin\\x00\.txt' contains a NUL byte$/);
    throwsMatching(() => ale.getFrameNumber(), /no ROM loaded/);  // nothing was loaded
    throwsMatching(() => ale.setTrace(`${p}\0x`, null), /^setTrace: trace path '.*\\x00x' contains a NUL byte$/);
  });

  it('control characters, NUL and quotes in user input are escaped, never printed raw or cut', () => {
    const ale = new ALEInterface() as unknown as Record<string, (k: string, v?: unknown) => unknown>;
    let msg = '';
    try {
      ale.setInt('frame_skip\0tail', 4);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).to.equal("setInt: unknown setting 'frame_skip\\x00tail'");
    try {
      ale.getBool("\u001b[31mred\nit's");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).to.equal("getBool: unknown setting '\\x1b[31mred\\nit\\'s'");
    try {
      ale.loadROM('/no/such/dir/r\u00e9sum\u00e9\u0085.bin');
    } catch (e) {
      msg = (e as Error).message;
    }
    // UTF-8 text is kept, the C1 control U+0085 (bytes c2 85) is escaped
    expect(msg).to.match(/^loadROM: cannot open ROM file '\/no\/such\/dir\/r\u00e9sum\u00e9\\xc2\\x85\.bin': /);
    try {
      ale.setString('x'.repeat(1000), '');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).to.equal(`setString: unknown setting '${'x'.repeat(256)}'...`);
    throwsMatching(() => paletteTable('SECAM\n' as 'PAL'), /^paletteTable: format must be 'NTSC' or 'PAL', got "SECAM\\n"$/);
  });
});

describe('ALE loadROM failure leaves the previous ROM untouched', function () {
  this.timeout(60000);
  it('a ROM cut at a 1K boundary whose mode selection never finishes: throws loadROM: ..., previous game plays on identically', function () {
    if (!requireShared(this, romDir())) return;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-ale-atomic-'));
    try {
      const broken = path.join(tmp, 'centipede.bin');
      fs.writeFileSync(broken, fs.readFileSync(path.join(romDir(), 'centipede.bin')).subarray(0, 2048));
      // adventure is PAL (250 rows): the wrapper's screen height must stay 250, not become 210
      const make = (): ALEInterface => {
        const a = new ALEInterface();
        a.setInt('random_seed', 7);
        a.loadROM(path.join(romDir(), 'adventure.bin'));
        for (let i = 0; i < 40; i++) a.act([0, 2, 3, 1][i % 4]);
        return a;
      };
      const ale = make();
      const reference = make();
      const snapshot = (a: ALEInterface): string => JSON.stringify([
        Buffer.from(a.getRAM()).toString('hex'), a.screenHash(), a.getScreenDims(), a.getFrameNumber(),
        a.getEpisodeFrameNumber(), a.getMode(), a.getDifficulty(), a.lives(), a.romInfo(), a.getMinimalActionSet(),
        Buffer.from(a.cloneState(true)).toString('hex'), Buffer.from(a.getConsoleCreatedRAM()).toString('hex'),
      ]);
      const before = snapshot(ale);
      expect(snapshot(reference)).to.equal(before);
      throwsMatching(() => ale.loadROM(broken),
        /^loadROM: ROM file '.*centipede\.bin': centipede: mode selection for mode 22 did not finish within 5000 frames/);
      expect(snapshot(ale)).to.equal(before);
      expect(ale.getScreen().length).to.equal(250 * 160);
      // sticky-action randomness and the input events continue as if nothing had happened
      for (let i = 0; i < 60; i++) expect(ale.act([3, 4, 1, 0][i % 4])).to.equal(reference.act([3, 4, 1, 0][i % 4]));
      expect(snapshot(ale)).to.equal(snapshot(reference));
      expect(Buffer.from(ale.getScreenRGB()).equals(Buffer.from(reference.getScreenRGB()))).to.equal(true);
      ale.reset_game();
      reference.reset_game();
      expect(snapshot(ale)).to.equal(snapshot(reference));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a game setting override (backgammon paddle_max) is written only by a load that succeeds', function () {
    if (!requireShared(this, romDir())) return;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-ale-atomic-'));
    try {
      const broken = path.join(tmp, 'backgammon.bin');
      fs.writeFileSync(broken, fs.readFileSync(path.join(romDir(), 'backgammon.bin')).subarray(0, 2048));
      const ale = new ALEInterface();
      throwsMatching(() => ale.loadROM(broken), /^loadROM: .*backgammon: mode selection/);
      expect(ale.getInt('paddle_max')).to.equal(-1);
      ale.loadROM(path.join(romDir(), 'backgammon.bin'));
      expect(ale.getInt('paddle_max')).to.equal(1000000);  // games.json settings_override
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('ALE restoreState validates every field of a re-checksummed blob', function () {
  this.timeout(60000);
  // Blob layout (native/ale/ale_interface.cpp cloneState): magic 8, version u32, md5 32, RNG flag u8,
  // machine size u32 + machine bytes, then score_old u64, reward u64, terminal u8, lives_var u32,
  // 8 x u64 game variables, paddle A/B i32, paddle min/max i32, frame u64, episode frame u64,
  // mode u32, difficulty u32, [MT19937 624 x u32 + index u32], FNV-1a-64 of everything before it.
  function fields(blob: Uint8Array): Record<string, number> {
    const machine = new DataView(blob.buffer, blob.byteOffset).getUint32(45, true);
    const o = 49 + machine;
    return {
      rngFlag: 44, terminal: o + 16, extra: o + 21, paddleA: o + 21 + 64, paddleB: o + 25 + 64, paddleMin: o + 29 + 64,
      paddleMax: o + 33 + 64, frame: o + 37 + 64, episodeFrame: o + 45 + 64, mode: o + 53 + 64,
      difficulty: o + 57 + 64, end: o + 61 + 64,
    };
  }
  function edited(blob: Uint8Array, edit: (v: DataView, f: Record<string, number>) => void): Uint8Array {
    const out = Uint8Array.from(blob);
    const v = new DataView(out.buffer);
    edit(v, fields(out));
    const sum = fnv1a64Hex(out.subarray(0, out.length - 8));
    for (let i = 0; i < 8; i++) out[out.length - 8 + i] = parseInt(sum.slice(14 - 2 * i, 16 - 2 * i), 16);
    return out;
  }

  let ale: ALEInterface;
  let blob: Uint8Array;
  before(function () {
    if (!requireShared(this, romDir())) return;
    ale = new ALEInterface();
    ale.setInt('random_seed', 3);
    ale.loadROM(path.join(romDir(), 'space_invaders.bin'));  // modes 0..15, difficulties 0, 1
    for (let i = 0; i < 20; i++) ale.act(1);
    blob = ale.cloneState(true);
  });

  it('the layout above is the real one: a re-checksummed blob with valid edits restores them', function () {
    if (!ale) this.skip();
    expect(fields(blob).end).to.equal(blob.length - 8 - 625 * 4);
    const ok = edited(blob, (v, f) => {
      v.setUint32(f.mode, 3, true);
      v.setUint32(f.difficulty, 1, true);
      v.setBigUint64(f.frame, 1000n, true);
      v.setBigUint64(f.episodeFrame, 900n, true);
    });
    ale.restoreState(ok);
    expect([ale.getMode(), ale.getDifficulty(), ale.getFrameNumber(), ale.getEpisodeFrameNumber()]).to.deep.equal([3, 1, 1000, 900]);
    ale.restoreState(blob);
    expect([ale.getMode(), ale.getDifficulty(), ale.getFrameNumber()]).to.deep.equal([0, 0, 20]);
  });

  const bad: [string, (v: DataView, f: Record<string, number>) => void, RegExp][] = [
    ['a mode the game does not have', (v, f) => v.setUint32(f.mode, 16, true), /mode 16 is not available for space_invaders/],
    ['a difficulty the game does not have', (v, f) => v.setUint32(f.difficulty, 2, true), /difficulty 2 is not available/],
    ['a negative frame counter', (v, f) => v.setBigInt64(f.frame, -5n, true), /frame counters -5/],
    ['a negative episode frame counter', (v, f) => v.setBigInt64(f.episodeFrame, -1n, true), /frame counters/],
    ['an episode longer than the run', (v, f) => v.setBigInt64(f.episodeFrame, 21n, true), /frame counters 20 \/ 21/],
    ['a terminal flag of 2', (v, f) => v.setUint8(f.terminal, 2), /terminal flag 2/],
    ['an RNG flag of 7', (v, f) => v.setUint8(f.rngFlag, 7), /RNG flag 7/],
    ['a paddle outside its range', (v, f) => v.setInt32(f.paddleA, 5, true), /paddle position 5 outside/],
    ['an inverted paddle range', (v, f) => v.setInt32(f.paddleMin, 900000, true), /paddle range 900000\.\./],
    ['a paddle range beyond the settings limit', (v, f) => v.setInt32(f.paddleMax, 2147483647, true), /paddle range/],
    ['a value in a game variable slot the game does not use', (v, f) => v.setBigInt64(f.extra + 8 * 3, 1n, true), /game variable slot 3 = 1, unused by space_invaders/],
  ];
  it('rejects a game variable outside its range (breakout started = 7), accepts one inside', function () {
    if (!ale) this.skip();
    const b = new ALEInterface();
    b.loadROM(path.join(romDir(), 'breakout.bin'));
    const s = b.cloneState();
    for (const value of [0n, 1n]) {
      b.restoreState(edited(s, (v, f) => v.setBigInt64(f.extra, value, true)));
    }
    throwsMatching(() => b.restoreState(edited(s, (v, f) => v.setBigInt64(f.extra, 7n, true))),
      /^restoreState: corrupt state \(breakout variable 'started' = 7 outside 0\.\.1\)$/);
  });

  for (const [name, edit, re] of bad) {
    it(`rejects ${name} and changes nothing`, function () {
      if (!ale) this.skip();
      ale.restoreState(blob);
      const before = Buffer.from(ale.cloneState(true)).toString('hex');
      throwsMatching(() => ale.restoreState(edited(blob, edit)), new RegExp(`^restoreState: corrupt state \\(.*${re.source}`));
      expect(Buffer.from(ale.cloneState(true)).toString('hex')).to.equal(before);
    });
  }
});
