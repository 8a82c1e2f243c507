// Per-game ALE logic on hand-built RAM frames, for the rules the golden traces never exercise
// (games whose recorded episodes contain no reward / no game over, history-dependent counters,
// Klax's cartridge-RAM reads). Every expected value below was worked out by hand from the game's
// entry in ../shared/docs/games.json (quoted next to each scenario), not produced by the code.
import { expect } from 'chai';
import { GameTestAddon, loadTestAddon } from './helpers/test_addon';

// One emulated frame: RAM bytes (CPU address -> value, all others 0), optional cartridge RAM read
// port bytes (CPU address 0xF080..0xF0FF -> value), whether reset() runs first, and the expected
// [reward, terminal, lives] after the game's update.
interface Frame {
  ram?: Record<number, number>;
  cart?: Record<number, number>;
  reset?: boolean;
  want: [number, boolean, number];
}

function check(addon: GameTestAddon, rom: string, frames: Frame[]): void {
  const n = frames.length;
  const ram = new Uint8Array(n * 128);
  const cart = new Uint8Array(n * 128);
  const mask = new Uint8Array(n);
  frames.forEach((f, k) => {
    for (const [a, v] of Object.entries(f.ram ?? {})) ram[k * 128 + (Number(a) - 0x80)] = v;
    for (const [a, v] of Object.entries(f.cart ?? {})) cart[k * 128 + (Number(a) - 0xf080)] = v;
    mask[k] = k === 0 || f.reset ? 1 : 0;
  });
  const res = addon.evalGame(rom, ram, mask, cart);
  const got = frames.map((_, k) => [res.reward[k], res.terminal[k] === 1, res.lives[k]]);
  expect(got, rom).to.deep.equal(frames.map((f) => f.want));
}

// n copies of a frame.
function times(n: number, f: Frame): Frame[] {
  return Array.from({ length: n }, () => f);
}

// A ram patch setting bytes [from, to] to v.
function fill(from: number, to: number, v: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let a = from; a <= to; a++) out[a] = v;
  return out;
}

describe('games: per-game logic on hand-built RAM', function () {
  let addon: GameTestAddon;
  before(function () {
    addon = loadTestAddon();
  });

  it('adventure: r latches to 1 on a win frame (until reset); terminal is not latched', function () {
    // reward: r set to 1 on any frame with ram[0xB9] == 0x12, never set back by the update.
    // terminal: ram[0xE0] == 2 or ram[0xB9] == 0x12. lives: 1.
    check(addon, 'adventure', [
      { want: [0, false, 1] },
      { ram: { 0xb9: 0x12 }, want: [1, true, 1] },
      { want: [1, false, 1] },
      { ram: { 0xe0: 2 }, want: [1, true, 1] },
      { reset: true, want: [0, false, 1] },
    ]);
  });

  it('backgammon: +1 / -1 on a valid finished position, r kept and terminal latched', function () {
    // player_out = -s8(ram[0x80]); computer_out = s8(ram[0x8E]); sums of positive / negative
    // points; valid when both totals are 15.
    check(addon, 'backgammon', [
      { ram: { 0x81: 10, 0x8e: 5, 0x80: 0xf1 }, want: [1, true, 0] }, // player_out 15
      { want: [1, true, 0] }, // nothing detected: r kept, terminal latched
      { reset: true, ram: { 0x8e: 15, 0x80: 0xfb, 0x82: 0xf6 }, want: [-1, true, 0] }, // computer_out 15
      { reset: true, ram: { 0x8e: 15, 0x80: 0xfb, 0x82: 0xf5 }, want: [0, false, 1] }, // player total 16
    ]);
  });

  it('earthworld: score bcd(0xA7), terminal at 10', function () {
    check(addon, 'earthworld', [
      { want: [0, false, 1] },
      { ram: { 0xa7: 0x05 }, want: [5, false, 1] },
      { ram: { 0xa7: 0x10 }, want: [5, true, 0] },
    ]);
  });

  it('elevator_action: dec3 score, lives ram[0x83], terminal needs ram[0x81] != 0', function () {
    check(addon, 'elevator_action', [
      { ram: { 0x83: 3 }, want: [0, false, 3] },
      { ram: { 0x83: 3, 0x87: 0x01, 0x88: 0x02, 0x89: 0x03 }, want: [10203, false, 3] },
      { ram: { 0x83: 0, 0x87: 0x01, 0x88: 0x02, 0x89: 0x03 }, want: [0, false, 0] },
      { ram: { 0x83: 0, 0x81: 1, 0x87: 0x01, 0x88: 0x02, 0x89: 0x03 }, want: [0, true, 0] },
    ]);
  });

  it('enduro: cars-passed score across levels', function () {
    // L = ram[0xAD]; c = dec2(0xAB, 0xAC); cars = (L == 1 ? 200 : 300) - c;
    // score = cars + (L >= 2 ? 200 + 300 (L - 2) : 0).
    check(addon, 'enduro', [
      { want: [0, false, 0] },
      { ram: { 0xad: 1, 0xab: 0x50, 0xac: 0x01 }, want: [50, false, 0] }, // 200 - 150
      { ram: { 0xad: 2, 0xab: 0x00, 0xac: 0x03 }, want: [150, false, 0] }, // 0 + 200
      { ram: { 0xad: 3, 0xab: 0x50, 0xac: 0x02 }, want: [350, false, 0] }, // 50 + 500
      { ram: { 0xad: 3, 0xab: 0x50, 0xac: 0x02, 0xaf: 0xff }, want: [0, true, 0] },
    ]);
  });

  it('et: lives ram[0xE5] + 1 (up to 256), never terminal', function () {
    check(addon, 'et', [
      { want: [0, false, 1] },
      { ram: { 0xe5: 2, 0xdf: 0x01, 0xe1: 0x23 }, want: [10023, false, 3] }, // dec3(0xE1, 0xE0, 0xDF)
      { ram: { 0xe5: 0xff, 0x80: 8, 0xdf: 0x01, 0xe1: 0x23 }, want: [0, false, 256] },
    ]);
  });

  it('freeway: reward clamped to [0, 1]', function () {
    check(addon, 'freeway', [
      { want: [0, false, 0] },
      { ram: { 0xe7: 0x01 }, want: [1, false, 0] },
      { ram: { 0xe7: 0x03 }, want: [1, false, 0] },
      { ram: { 0xe7: 0x02 }, want: [0, false, 0] },
      { ram: { 0x96: 1 }, want: [0, true, 0] },
    ]);
  });

  it('hangman: reward from both scores, timeout when the timer wraps 255 -> 0', function () {
    // t0/t1 start at -1 after the ROM reset; timed_out = (t0 == 0 and t1 == 255).
    check(addon, 'hangman', [
      { want: [0, false, 1] },
      { ram: { 0xeb: 0x01 }, want: [1, true, 0] },
      { reset: true, ram: { 0xeb: 0x01, 0xec: 0x02 }, want: [-1, true, 0] },
      { reset: true, ram: { 0xf1: 0xff }, want: [0, false, 1] },
      { ram: { 0xf1: 0x00 }, want: [0, true, 0] },
      { reset: true, ram: { 0xf1: 0x00 }, want: [0, false, 1] }, // t1 = -1 after reset
    ]);
  });

  it('klax: score and terminal from cartridge RAM (peek), board-full clause from RIOT RAM', function () {
    // score = bcd8(peek(0xF0B4)) + 100 bcd8(peek(0xF0B5)) + 10000 bcd8(peek(0xF0B6));
    // terminal: misses == max misses > 0, or ram[0xA8] == 4 with 25 blocks, or level 0x99.
    const board = fill(0xb3, 0xcb, 1); // 25 cells, none in {0, 2, 6, 10, 14}
    check(addon, 'klax', [
      { want: [0, false, 1] },
      { cart: { 0xf0b4: 0x25, 0xf0b5: 0x01, 0xf0b6: 0x02 }, want: [20125, false, 1] },
      { cart: { 0xf0e9: 3, 0xf0ee: 2 }, want: [-20125, false, 1] },
      { cart: { 0xf0e9: 3, 0xf0ee: 3 }, want: [0, true, 0] },
      { reset: true, cart: { 0xf09d: 0x99 }, want: [0, true, 0] },
      { reset: true, ram: { ...board, 0xa8: 4 }, want: [0, true, 0] },
      { reset: true, ram: { ...board, 0xa8: 4, 0xcb: 14 }, want: [0, false, 1] },
    ]);
  });

  it('miniature_golf: par minus strokes per hole, strokes accumulated across counter resets', function () {
    check(addon, 'miniature_golf', [
      { want: [0, false, 1] },
      { ram: { 0xaf: 0x01, 0x88: 0x03 }, want: [0, false, 1] }, // hole 1, par 3
      { ram: { 0xaf: 0x01, 0x87: 0x02 }, want: [0, false, 1] }, // 2 strokes
      { ram: { 0xaf: 0x01, 0x87: 0x00 }, want: [0, false, 1] }, // counter reset: hits += 2
      { ram: { 0xaf: 0x01, 0x87: 0x03 }, want: [0, false, 1] }, // 3 more
      { ram: { 0xaf: 0x02, 0x87: 0x03 }, want: [-2, false, 1] }, // hole done: 3 - (3 + 2)
      { ram: { 0xaf: 0x02, 0x88: 0x04, 0x87: 0x03 }, want: [0, false, 1] }, // par 4
      { ram: { 0xaf: 0x02, 0x87: 0x04 }, want: [0, false, 1] },
      { ram: { 0xaf: 0x00, 0x87: 0x04 }, want: [3, true, 0] }, // 4 - (4 - 3); hole 0 ends
      { want: [0, true, 0] }, // latched
    ]);
  });

  it('othello: terminal after more than 50 consecutive frames with ram[0xC0] == 0', function () {
    check(addon, 'othello', [
      { ram: { 0xc0: 1 }, want: [0, false, 1] },
      ...times(50, { want: [0, false, 1] }),
      { want: [0, true, 0] },
      { ram: { 0xc0: 1, 0xce: 0x12, 0xd0: 0x02 }, want: [10, false, 1] },
    ]);
  });

  it('private_eye: score_old starts at 1000', function () {
    check(addon, 'private_eye', [
      { ram: { 0xc9: 0x10 }, want: [0, false, 0] },
      { ram: { 0xc9: 0x10, 0xca: 0x50 }, want: [50, false, 0] },
      { ram: { 0xc2: 0x02 }, want: [-1050, true, 0] },
      { ram: { 0xc2: 0x01 }, want: [0, false, 0] },
    ]);
  });

  it('solaris: 10 * dec3 score, lives ram[0xD9] & 0x0F', function () {
    check(addon, 'solaris', [
      { ram: { 0xd9: 3 }, want: [0, false, 3] },
      { ram: { 0xd9: 0x13, 0xde: 0x01, 0xdc: 0x05 }, want: [100050, false, 3] },
      { ram: { 0xd9: 0 }, want: [-100050, true, 0] },
    ]);
  });

  it('superman: terminal reward 5999 minus elapsed seconds', function () {
    const won = { 0x9f: 0x40, 0x80: 0xac, 0x81: 0xf2 };
    check(addon, 'superman', [
      { want: [0, false, 1] },
      { ram: { ...won, 0xe3: 0x02, 0xe2: 0x30 }, want: [5849, true, 0] },
      { ram: { ...won, 0x81: 0xf1 }, want: [0, false, 1] },
    ]);
  });

  it('tetris: only increases rewarded; terminal clears score_old', function () {
    check(addon, 'tetris', [
      { want: [0, false, 0] },
      { ram: { 0xf1: 0x05 }, want: [5, false, 0] },
      { ram: { 0xf1: 0x03 }, want: [0, false, 0] },
      { ram: { 0xf1: 0x10 }, want: [7, false, 0] },
      { ram: { 0xf1: 0x10, 0xf3: 0x80 }, want: [0, true, 0] },
      { ram: { 0xf1: 0x10 }, want: [10, false, 0] },
    ]);
  });

  it('venture: 100 * dec2 score, lives (ram[0xC6] & 7) + 1', function () {
    check(addon, 'venture', [
      { ram: { 0xc6: 3 }, want: [0, false, 4] },
      { ram: { 0xc6: 3, 0xc7: 0x12, 0xc8: 0x34 }, want: [123400, false, 4] }, // 100 * dec2(0xC8, 0xC7)
      { ram: { 0xc6: 0, 0xcd: 0xff, 0xbf: 0x80, 0xc7: 0x12, 0xc8: 0x34 }, want: [0, true, 0] },
    ]);
  });

  it('video_checkers: win/loss by piece counts over the 32 squares, latched', function () {
    // squares 0x80..0x87, 0x89..0x90, 0x92..0x99, 0x9B..0xA2; black 0x10/0x20, white 0x90/0xA0.
    check(addon, 'video_checkers', [
      { ram: { 0x80: 0x10, 0x81: 0x90 }, want: [0, false, 1] },
      { ram: { 0xa2: 0x20, 0x89: 0xa0 }, want: [0, false, 1] },
      { ram: { 0x80: 0x10, 0x88: 0x90, 0x91: 0xa0, 0x9a: 0x90 }, want: [1, true, 0] }, // no white square
      { ram: { 0x80: 0x10, 0x81: 0x90 }, want: [1, true, 0] }, // r kept, latched
      { reset: true, ram: { 0x81: 0x90, 0x88: 0x10 }, want: [-1, true, 0] }, // no black square
    ]);
  });

  it('video_chess: +1 / -1 when the game-over marker shows, latched', function () {
    check(addon, 'video_chess', [
      { want: [0, false, 1] },
      { ram: { 0xe1: 0x82, 0xee: 0x02 }, want: [0, false, 1] },
      { ram: { 0xe1: 0x82, 0xee: 0x00 }, want: [1, true, 0] },
      { want: [0, true, 0] },
      { reset: true, ram: { 0xe1: 0x82, 0xee: 0x01 }, want: [-1, true, 0] },
    ]);
  });

  it('video_cube: reward = change in solved faces; timeout when the timer wraps 255 -> 0', function () {
    const scrambled: Record<number, number> = {};
    for (let f = 0; f < 6; f++) scrambled[0xa0 + 9 * f] = 1; // first sticker differs on every face
    const oneSolved = { ...scrambled, 0xa0: 0 };
    check(addon, 'video_cube', [
      { ram: scrambled, want: [0, false, 1] },
      { ram: oneSolved, want: [1, false, 1] },
      { ram: { ...oneSolved, 0xdb: 0xff }, want: [0, false, 1] },
      { ram: { ...oneSolved, 0xdb: 0x00 }, want: [-1, true, 0] },
      { reset: true, want: [6, true, 0] }, // all faces uniform
    ]);
  });

  it('word_zapper: only updated while bcd(0xCF) > 0', function () {
    check(addon, 'word_zapper', [
      { want: [0, false, 1] },
      { ram: { 0xcf: 0x01, 0xdc: 0x01, 0xde: 0x05 }, want: [1, false, 1] }, // S = 2 - 1
      { ram: { 0xdc: 0xff }, want: [1, false, 1] }, // not updated: r repeats
      { ram: { 0xcf: 0x01, 0xdc: 0xff, 0xde: 0x05 }, want: [2, true, 0] }, // S = 2 - (-1) = 3
    ]);
  });

  it('zaxxon, montezuma_revenge, crossbow, koolaid, flag_capture: score and terminal bytes', function () {
    check(addon, 'zaxxon', [
      { ram: { 0xea: 3 }, want: [0, false, 3] },
      { ram: { 0xea: 3, 0xe8: 0x01, 0xe9: 0x02 }, want: [10200, false, 3] },
      { ram: { 0xea: 8 }, want: [-10200, true, 0] },
    ]);
    check(addon, 'montezuma_revenge', [
      { ram: { 0xba: 5 }, want: [0, false, 6] },
      { ram: { 0xba: 5, 0x93: 0x01, 0x95: 0x40 }, want: [10040, false, 6] },
      { ram: { 0xba: 0, 0xfe: 0x60 }, want: [-10040, true, 0] },
    ]);
    check(addon, 'crossbow', [
      { want: [0, false, 1] },
      { ram: { 0x8b: 0x01, 0x8d: 0x99 }, want: [10099, false, 1] },
      { ram: { 0xe7: 0x82 }, want: [-10099, true, 0] },
    ]);
    check(addon, 'koolaid', [
      { want: [0, false, 0] },
      { ram: { 0x80: 0x01, 0x81: 0x20 }, want: [12000, false, 0] },
      { ram: { 0xd1: 0x80 }, want: [-12000, true, 0] },
    ]);
    check(addon, 'flag_capture', [
      { ram: { 0xeb: 0x01 }, want: [0, false, 1] },
      { ram: { 0xeb: 0x01, 0xea: 0x02 }, want: [2, false, 1] },
      { ram: { 0xea: 0x02 }, want: [0, true, 0] },
    ]);
  });

  it('terminal clauses the recorded episodes never reach', function () {
    // blackjack: bust = ram[0x86] == 0x0B and ram[0x89] == 0xBB; score = bust ? 0 : dec2(0x89, 0x86);
    // terminal = bust or score >= 1000.
    check(addon, 'blackjack', [
      { ram: { 0x89: 0x50, 0x86: 0x05 }, want: [550, false, 1] },
      { ram: { 0x86: 0x0b, 0x89: 0xbb }, want: [-550, true, 0] },
      { reset: true, ram: { 0x86: 0x10 }, want: [1000, true, 0] },
    ]);
    // boxing: 0xC0 shown = 100 points (KO); clock ram[0x90] >> 4 and bcd-like ram[0x91] at 0 ends it.
    check(addon, 'boxing', [
      { ram: { 0x90: 0x10, 0x92: 0x05, 0x93: 0x03 }, want: [2, false, 0] },
      { ram: { 0x90: 0x10, 0x92: 0xc0, 0x93: 0x03 }, want: [95, true, 0] },
      { reset: true, ram: { 0x90: 0x10, 0x93: 0xc0 }, want: [-100, true, 0] },
      { reset: true, ram: { 0x90: 0x00, 0x91: 0x00 }, want: [0, true, 0] },
      { reset: true, ram: { 0x90: 0x00, 0x91: 0x01 }, want: [0, false, 0] },
    ]);
    check(addon, 'fishing_derby', [
      { ram: { 0xbd: 0x98 }, want: [98, false, 0] },
      { ram: { 0xbd: 0x99 }, want: [1, true, 0] },
      { reset: true, ram: { 0xbe: 0x99 }, want: [-99, true, 0] },
    ]);
    // journey_escape: a delta of exactly 50000 (the starting cash) is replaced by 0.
    check(addon, 'journey_escape', [
      { ram: { 0x95: 1, 0x92: 0x05 }, want: [5, false, 0] },
      { ram: { 0x95: 1, 0x92: 0x05, 0x90: 0x05 }, want: [0, false, 0] },
      { ram: { 0x95: 1, 0x92: 0x05, 0x90: 0x06 }, want: [10000, false, 0] },
      { want: [-60005, true, 0] },
    ]);
    check(addon, 'keystone_kapers', [
      { ram: { 0x96: 3, 0x88: 1 }, want: [0, false, 3] },
      { ram: { 0x96: 0, 0x88: 1 }, want: [0, false, 0] },
      { ram: { 0x96: 0, 0x88: 0 }, want: [0, true, 0] },
    ]);
    check(addon, 'lost_luggage', [
      { ram: { 0xca: 3, 0xc8: 0x0a }, want: [0, false, 3] },
      { ram: { 0xca: 0, 0xc8: 0x0a }, want: [0, true, 0] },
      { reset: true, ram: { 0xca: 0, 0xc8: 0x0a, 0xa5: 1 }, want: [0, false, 0] },
    ]);
    check(addon, 'pooyan', [
      { ram: { 0x96: 2, 0x98: 5 }, want: [0, false, 3] },
      { ram: { 0x96: 0, 0x98: 5 }, want: [0, true, 0] },
      { reset: true, ram: { 0x96: 0, 0x98: 4 }, want: [0, false, 1] },
    ]);
    // space_invaders: a negative delta wraps as (10000 - score_old) + score_new.
    check(addon, 'space_invaders', [
      { ram: { 0xc9: 3 }, want: [0, false, 3] },
      { ram: { 0xc9: 3, 0x98: 0x80 }, want: [0, true, 0] },
      { reset: true, ram: { 0xc9: 3, 0xe8: 0x50, 0xe6: 0x99 }, want: [9950, false, 3] },
      { ram: { 0xc9: 3, 0xe8: 0x20 }, want: [70, false, 3] },
      { ram: { 0xc9: 0, 0xe8: 0x20 }, want: [0, true, 0] },
    ]);
    check(addon, 'space_war', [
      { ram: { 0x80: 1, 0xa7: 0x03 }, want: [3, false, 1] },
      { ram: { 0x80: 0, 0xa7: 0x03 }, want: [0, true, 0] },
      { reset: true, ram: { 0x80: 1, 0xa7: 0x10 }, want: [10, true, 0] },
    ]);
    check(addon, 'turmoil', [
      { ram: { 0xb9: 4, 0xd3: 5 }, want: [50, false, 4] },
      { ram: { 0xb9: 4, 0xd3: 5, 0x89: 0x02, 0x8a: 0x01 }, want: [1020, false, 4] },
      { ram: { 0xb9: 0, 0xc5: 1 }, want: [-1070, true, 0] },
      { reset: true, ram: { 0xb9: 0 }, want: [0, false, 0] },
    ]);
    check(addon, 'human_cannonball', [
      { ram: { 0xb6: 0x03 }, want: [3, false, 1] },
      { ram: { 0xb6: 0x03, 0xb7: 0x07 }, want: [0, true, 0] },
      { reset: true, ram: { 0xb6: 0x07 }, want: [7, true, 0] },
    ]);
    check(addon, 'surround', [
      { ram: { 0xf7: 0x02, 0xf6: 0x01 }, want: [1, false, 1] },
      { ram: { 0xf7: 0x10, 0xf6: 0x01 }, want: [8, true, 0] },
    ]);
    check(addon, 'basic_math', [
      { ram: { 0x84: 0x12 }, want: [12, false, 1] },
      { ram: { 0x84: 0x12, 0x86: 0x01 }, want: [0, true, 0] },
    ]);
    // pitfall2: score_old starts at 4000; terminal at exactly 199000.
    check(addon, 'pitfall2', [
      { ram: { 0xc8: 0x40 }, want: [0, false, 1] },
      { ram: { 0xc7: 0x19, 0xc8: 0x90 }, want: [195000, true, 0] },
    ]);
  });

  it('casino: mode-3 and input-disabled branches', function () {
    // gm = ram[0xD4]; gm 3: r = S - score_old, terminal = S > 0 and ram[0x9E] == 0xAA; otherwise r is
    // only recomputed while input is enabled (ram[0xD3] bit 7 clear); score_old = S always.
    check(addon, 'casino', [
      { ram: { 0xd4: 3, 0x95: 0x10, 0x9e: 0xaa }, want: [10, true, 0] },
      { reset: true, ram: { 0xd4: 3, 0x95: 0x10 }, want: [10, false, 1] },
      { reset: true, ram: { 0x95: 0x20, 0xd3: 0x80, 0x9e: 0x01 }, want: [0, true, 0] },
      { reset: true, ram: { 0x95: 0x20 }, want: [20, false, 1] },
      { ram: { 0x95: 0x25, 0xd3: 0x80 }, want: [20, false, 1] },
      { ram: { 0x95: 0x30 }, want: [5, false, 1] },
      { want: [-30, true, 0] },
    ]);
  });

  it('darkchambers: level going down or score going down ends the game (latched)', function () {
    check(addon, 'darkchambers', [
      { ram: { 0xd5: 2, 0xca: 1, 0xcc: 0x05 }, want: [50, false, 1] },
      { ram: { 0xd5: 1, 0xca: 1, 0xcc: 0x05 }, want: [0, true, 0] },
      { reset: true, ram: { 0xca: 1, 0xcc: 0x05 }, want: [50, false, 1] },
      { ram: { 0xca: 1, 0xcc: 0x04 }, want: [0, true, 0] },
      { reset: true, ram: { 0xca: 0x20 }, want: [0, true, 0] }, // (ram[0xCA] & 0x1F) == 0
    ]);
  });

  it('riverraid: digits v/8 only for multiples of 8 up to 72; terminal on lives byte 0x59 -> 0x58', function () {
    check(addon, 'riverraid', [
      { ram: { 0xc0: 0x58, 0xd7: 8 }, want: [1, false, 4] },
      { ram: { 0xc0: 0x59, 0xd7: 9 }, want: [-1, false, 1] },
      { ram: { 0xc0: 0x58, 0xd5: 72 }, want: [90, true, 0] },
      { reset: true, ram: { 0xc0: 0x10, 0xd5: 80 }, want: [0, false, 3] },
    ]);
  });
});
