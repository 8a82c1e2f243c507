// ROM discovery (src/ale/roms.ts): game name -> ROM file through EIGENOPT_ROM_DIR, ale-py's ROM folder
// (asked from python3) and ../shared/roms, identifying files by md5. The md5s expected here come from
// ../shared/roms/md5.json and node:crypto, not from the code under test.
import { expect } from 'chai';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { ALEInterface, findRom, romIdOf, romSearchDirs, supportedRomMd5s } from '../src/ale';
import { AtariEnv, resolveRomPath } from '../envs/atari';
import { requireShared, romDir } from './helpers/shared';

const ENV_KEYS = ['EIGENOPT_ROM_DIR', 'EIGENOPT_SHARED_DIR', 'PATH'] as const;

function md5Of(file: string): string {
  return crypto.createHash('md5').update(fs.readFileSync(file)).digest('hex');
}

// A python3 on PATH that prints `folder` when asked where ale_py lives (and fails otherwise).
function fakePython(binDir: string, body: string): string {
  fs.mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, 'python3');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`);
  fs.chmodSync(file, 0o755);
  return `${binDir}${path.delimiter}${process.env.PATH ?? ''}`;
}

describe('ROM discovery', function () {
  this.timeout(60000);
  let tmp = '';
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  let knownMd5: Record<string, string> = {};
  // the real ROM folder, read before the tests point EIGENOPT_SHARED_DIR elsewhere
  const roms = romDir();

  before(function () {
    if (!requireShared(this, roms)) return;
    knownMd5 = JSON.parse(fs.readFileSync(path.join(roms, 'md5.json'), 'utf8')) as Record<string, string>;
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-roms-'));
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    // nothing outside this test's folders: an empty shared folder, no ROM dir, no python3 answer
    process.env.EIGENOPT_SHARED_DIR = path.join(tmp, 'shared');
    delete process.env.EIGENOPT_ROM_DIR;
    process.env.PATH = fakePython(path.join(tmp, 'nopy'), 'exit 1');
  });
  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the supported-md5 table agrees with ../shared/roms/md5.json for every game', function () {
    if (!requireShared(this, roms)) return;
    const { byGame } = supportedRomMd5s();
    expect(byGame.size).to.equal(104);
    for (const [file, md5] of Object.entries(knownMd5)) expect(byGame.get(file.replace(/\.bin$/, '')), file).to.equal(md5);
  });

  it('a renamed ROM in EIGENOPT_ROM_DIR is found by its md5 and loads', function () {
    if (!requireShared(this, roms)) return;
    const dir = path.join(tmp, 'my roms');
    fs.mkdirSync(dir);
    const renamed = path.join(dir, 'Pong (1977) [copy].dat');
    fs.copyFileSync(path.join(roms, 'pong.bin'), renamed);
    fs.copyFileSync(path.join(roms, 'breakout.bin'), path.join(dir, 'pong.bin'));  // wrong ROM under the name
    process.env.EIGENOPT_ROM_DIR = dir;
    for (const name of ['pong', 'Pong', 'PONG']) {
      expect(findRom(name)).to.deep.equal({ path: renamed, md5: knownMd5['pong.bin'], game: 'pong' });
    }
    expect(md5Of(renamed)).to.equal(knownMd5['pong.bin']);
    expect(findRom('breakout').path).to.equal(path.join(dir, 'pong.bin'));  // md5 wins over names
    expect(resolveRomPath('pong')).to.equal(renamed);
    const env = new AtariEnv({ game: 'pong', obsType: 'ram', seed: 1 });
    expect(env.romMd5).to.equal(knownMd5['pong.bin']);
    const ale = new ALEInterface();
    ale.loadROM(findRom('pong').path);
    expect(ale.romInfo().rom).to.equal('pong');
  });

  it('game names in other spellings map to rom ids', () => {
    expect(['MsPacman', 'ms-pacman', 'SpaceInvaders', 'montezuma_revenge', 'Pitfall2'].map(romIdOf))
      .to.deep.equal(['ms_pacman', 'ms_pacman', 'space_invaders', 'montezuma_revenge', 'pitfall2']);
  });

  it('a miss lists every folder searched and says how to supply ROMs', function () {
    if (!requireShared(this, roms)) return;
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    fs.mkdirSync(a);
    fs.copyFileSync(path.join(roms, 'breakout.bin'), path.join(a, 'game.bin'));
    process.env.EIGENOPT_ROM_DIR = [a, b].join(path.delimiter);
    let msg = '';
    try {
      findRom('seaquest');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).to.include(`findRom: no ROM found for game 'seaquest' (md5 ${knownMd5['seaquest.bin']})`);
    expect(msg).to.include(`${a} (EIGENOPT_ROM_DIR): 1 ROM file(s), none with that md5 or named seaquest.bin`);
    expect(msg).to.include(`${b} (EIGENOPT_ROM_DIR): no such folder`);
    expect(msg).to.include(`${path.join(tmp, 'shared', 'roms')} (../shared/roms): no such folder`);
    expect(msg).to.include('ale-py: not searched (python3 exited with status 1)');
    expect(msg).to.match(/set EIGENOPT_ROM_DIR/);
    expect(msg).to.match(/pip install ale-py/);
    expect(msg).to.match(/pass the path of the ROM file/);
    expect(() => new AtariEnv({ game: 'seaquest' })).to.throw(Error, /no ROM found for game 'seaquest'/);
    expect(() => findRom('pongg')).to.throw(Error, /unknown game "pongg": not one of the 104 supported ALE games \(did you mean pong/);
  });

  it('a fake python3 on PATH reporting ale-py\'s folder is honoured (and asked the right question)', function () {
    if (!requireShared(this, roms)) return;
    const aleRoms = path.join(tmp, 'site-packages', 'ale_py', 'roms');
    fs.mkdirSync(aleRoms, { recursive: true });
    fs.copyFileSync(path.join(roms, 'freeway.bin'), path.join(aleRoms, 'freeway.bin'));
    // answers only `python3 -c '<code importing ale_py and printing the roms folder>'`
    process.env.PATH = fakePython(path.join(tmp, 'bin'), [
      'case "$2" in',
      `  *"import ale_py"*'"roms"'*) [ "$1" = "-c" ] && echo '${aleRoms}' && exit 0 ;;`,
      'esac',
      'exit 3',
    ].join('\n'));
    expect(romSearchDirs()).to.deep.equal([
      { dir: aleRoms, source: 'ale-py' },
      { dir: path.join(tmp, 'shared', 'roms'), source: 'shared' },
    ]);
    expect(findRom('freeway')).to.deep.equal({ path: path.join(aleRoms, 'freeway.bin'), md5: knownMd5['freeway.bin'], game: 'freeway' });
    // EIGENOPT_ROM_DIR comes first
    const first = path.join(tmp, 'first');
    fs.mkdirSync(first);
    fs.copyFileSync(path.join(roms, 'freeway.bin'), path.join(first, 'fw'));
    process.env.EIGENOPT_ROM_DIR = first;
    expect(findRom('freeway').path).to.equal(path.join(first, 'fw'));
  });

  it('a changed file is re-hashed (the per-folder md5 cache is not stale)', function () {
    if (!requireShared(this, roms)) return;
    const dir = path.join(tmp, 'r');
    fs.mkdirSync(dir);
    const f = path.join(dir, 'cart');
    fs.copyFileSync(path.join(roms, 'boxing.bin'), f);
    process.env.EIGENOPT_ROM_DIR = dir;
    expect(findRom('boxing').path).to.equal(f);
    fs.copyFileSync(path.join(roms, 'freeway.bin'), f);  // same size (2 KiB), new content
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(f, later, later);
    expect(findRom('freeway').path).to.equal(f);
    expect(() => findRom('boxing')).to.throw(Error, /no ROM found for game 'boxing'/);
  });

  it('a path is returned as given and identified by md5; romDir searches only that folder', function () {
    if (!requireShared(this, roms)) return;
    const p = path.join(roms, 'pong.bin');
    expect(findRom(p)).to.deep.equal({ path: p, md5: knownMd5['pong.bin'], game: 'pong' });
    expect(() => findRom(path.join(tmp, 'none.bin'))).to.throw(Error, /does not exist/);
    expect(resolveRomPath('tennis', roms)).to.equal(path.join(roms, 'tennis.bin'));
    expect(() => resolveRomPath('tennis', tmp)).to.throw(Error, new RegExp(`${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(romDir\\)`));
  });
});
