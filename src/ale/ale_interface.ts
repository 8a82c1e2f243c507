// ALEInterface: the Arcade Learning Environment 0.12.1 API (upstream method names) over the
// native emulator. Semantics: ../shared/docs/ale-semantics.md.
import { loadNative, NativeALEInstance } from './native';

/** ALE action ids (ale-semantics.md §1.1). act() accepts 0..17 and RESET (acts as NOOP). */
export enum Action {
  NOOP = 0,
  FIRE = 1,
  UP = 2,
  RIGHT = 3,
  LEFT = 4,
  DOWN = 5,
  UPRIGHT = 6,
  UPLEFT = 7,
  DOWNRIGHT = 8,
  DOWNLEFT = 9,
  UPFIRE = 10,
  RIGHTFIRE = 11,
  LEFTFIRE = 12,
  DOWNFIRE = 13,
  UPRIGHTFIRE = 14,
  UPLEFTFIRE = 15,
  DOWNRIGHTFIRE = 16,
  DOWNLEFTFIRE = 17,
  RESET = 40,
}

/** Names of actions 0..17, index = id. */
export const ACTION_NAMES: readonly string[] = [
  'NOOP', 'FIRE', 'UP', 'RIGHT', 'LEFT', 'DOWN', 'UPRIGHT', 'UPLEFT', 'DOWNRIGHT', 'DOWNLEFT',
  'UPFIRE', 'RIGHTFIRE', 'LEFTFIRE', 'DOWNFIRE', 'UPRIGHTFIRE', 'UPLEFTFIRE', 'DOWNRIGHTFIRE', 'DOWNLEFTFIRE',
];

/** Setting keys of ale-semantics.md §12, by value type. */
export type IntSetting =
  | 'random_seed' | 'system_random_seed' | 'frame_skip' | 'max_num_frames_per_episode' | 'max_num_frames'
  | 'reward_min' | 'reward_max' | 'paddle_min' | 'paddle_max' | 'fragsize';
export type FloatSetting = 'repeat_action_probability';
export type BoolSetting =
  | 'color_averaging' | 'truncate_on_loss_of_life' | 'display_screen' | 'sound_obs' | 'restricted_action_set'
  | 'send_rgb' | 'run_length_encoding';
export type StringSetting = 'cpu' | 'record_screen_dir' | 'record_sound_filename' | 'rom_file';
export type SettingKey = IntSetting | FloatSetting | BoolSetting | StringSetting;

/** A snapshot from cloneState(): an opaque, versioned, checksummed byte blob. */
export type ALEState = Uint8Array;

/** Static facts about the loaded ROM (debugging aid, not upstream API). */
export interface RomInfo {
  md5: string;
  rom: string;
  pal: boolean;
}

function checkOut(out: Uint8Array | undefined, size: number, fn: string): Uint8Array {
  if (out === undefined) return new Uint8Array(size);
  if (!(out instanceof Uint8Array)) throw new TypeError(`${fn}: output buffer must be a Uint8Array`);
  if (out.length !== size) {
    throw new RangeError(`${fn}: output buffer has ${out.length} bytes, expected ${size}`);
  }
  return out;
}

export class ALEInterface {
  private readonly ale: NativeALEInstance;
  private height = 0;

  constructor() {
    const Native = loadNative().NativeALE;
    this.ale = new Native();
  }

  // ---- settings (§12): stored as text; type and range are checked when set (a bad value throws and
  // leaves the old one); the environment reads them at the next loadROM ----
  setInt(key: SettingKey, value: number): void { this.ale.setInt(key, value); }
  getInt(key: SettingKey): number { return this.ale.getInt(key); }
  setFloat(key: SettingKey, value: number): void { this.ale.setFloat(key, value); }
  getFloat(key: SettingKey): number { return this.ale.getFloat(key); }
  setBool(key: SettingKey, value: boolean): void { this.ale.setBool(key, value); }
  getBool(key: SettingKey): boolean { return this.ale.getBool(key); }
  setString(key: SettingKey, value: string): void { this.ale.setString(key, value); }
  getString(key: SettingKey): string { return this.ale.getString(key); }

  /**
   * Hard reset: builds a new console for the ROM at `path`, the environment, then reset_game().
   * On any error the previous ROM and its state stay loaded, unchanged.
   */
  loadROM(path: string): void {
    this.ale.loadROM(path);
    this.height = this.ale.getScreenDims()[0];
  }

  /** One agent step (frame_skip frames, sticky actions); returns the clamped reward sum. */
  act(action: number, paddleStrength = 1.0): number {
    return this.ale.act(action, paddleStrength);
  }

  game_over(withTruncation = true): boolean { return this.ale.gameOver(withTruncation); }
  game_truncated(): boolean { return this.ale.gameTruncated(); }
  reset_game(): void { this.ale.resetGame(); }
  lives(): number { return this.ale.lives(); }

  getMinimalActionSet(): number[] { return this.ale.getMinimalActionSet(); }
  getLegalActionSet(): number[] { return this.ale.getLegalActionSet(); }

  /** [height, width]; width is always 160. */
  getScreenDims(): [number, number] { return this.ale.getScreenDims(); }

  /** Palette indices, height*160 bytes, row-major. Pass `out` to avoid an allocation per call. */
  getScreen(out?: Uint8Array): Uint8Array {
    return this.ale.getScreen(checkOut(out, this.screenBytes('getScreen'), 'getScreen'));
  }

  /** Interleaved RGB, height*160*3 bytes. */
  getScreenRGB(out?: Uint8Array): Uint8Array {
    return this.ale.getScreenRGB(checkOut(out, this.screenBytes('getScreenRGB') * 3, 'getScreenRGB'));
  }

  /** Grayscale, height*160 bytes. */
  getScreenGrayscale(out?: Uint8Array): Uint8Array {
    return this.ale.getScreenGrayscale(checkOut(out, this.screenBytes('getScreenGrayscale'), 'getScreenGrayscale'));
  }

  /** 128 bytes of RAM (CPU addresses 0x80..0xFF). */
  getRAM(out?: Uint8Array): Uint8Array {
    return this.ale.getRAM(checkOut(out, 128, 'getRAM'));
  }

  /** Writes RAM byte 0x80+index (0 <= index < 128, 0 <= value < 256). */
  setRAM(index: number, value: number): void { this.ale.setRAM(index, value); }

  getFrameNumber(): number { return this.ale.getFrameNumber(); }
  getEpisodeFrameNumber(): number { return this.ale.getEpisodeFrameNumber(); }

  getAvailableModes(): number[] { return this.ale.getAvailableModes(); }
  /** Takes effect at the next reset_game(). */
  setMode(mode: number): void { this.ale.setMode(mode); }
  getMode(): number { return this.ale.getMode(); }
  getAvailableDifficulties(): number[] { return this.ale.getAvailableDifficulties(); }
  setDifficulty(difficulty: number): void { this.ale.setDifficulty(difficulty); }
  getDifficulty(): number { return this.ale.getDifficulty(); }

  /** Snapshot of the machine and environment (environment RNG only when includeRng). */
  cloneState(includeRng = false): ALEState { return this.ale.cloneState(includeRng); }
  /** Same as cloneState(true). */
  cloneSystemState(): ALEState { return this.ale.cloneState(true); }
  /** Restores a snapshot of the same ROM; throws on a corrupt blob or another ROM's state. */
  restoreState(state: ALEState): void { this.ale.restoreState(state); }

  // ---- debugging extras (not in upstream ALE) ----

  /** Instruction / TIA-write traces (debug/README.md format) from the next loadROM's power-on; null = off. */
  setTrace(cpuPath: string | null, tiaPath: string | null): void { this.ale.setTrace(cpuPath, tiaPath); }
  /**
   * Writes a PHASE marker into the debug trace (conformance/debug/README.md: 3 after_first_reset,
   * 4 after_step, 5 after_episode_reset, 6 end of window; `a` = step index or 0xFFFF). No-op when off.
   */
  tracePhase(sub: number, a = 0xffff): void { this.ale.tracePhase(sub, a); }
  /** RIOT RAM right after the console was built (before the environment's first reset). */
  getConsoleCreatedRAM(out?: Uint8Array): Uint8Array {
    return this.ale.getConsoleCreatedRAM(checkOut(out, 128, 'getConsoleCreatedRAM'));
  }
  romInfo(): RomInfo { return this.ale.romInfo(); }
  /** 64-bit FNV-1a of getScreen() as 16 hex digits (the golden traces' screen hash), computed natively. */
  screenHash(): string { return this.ale.screenHash(); }

  /** Bytes of one index screen; `method` names the caller in the error when no ROM is loaded. */
  private screenBytes(method: string): number {
    if (this.height === 0) throw new Error(`${method}: no ROM loaded (call loadROM first)`);
    return this.height * 160;
  }
}

/** MD5 (RFC 1321) of `data` as 32 hex digits, computed natively. */
export function md5Hex(data: Uint8Array): string { return loadNative().md5Hex(data); }

/** First `count` outputs of MT19937 seeded with `seed` (the generator both ALE RNGs use). */
export function mt19937Outputs(seed: number, count: number): Uint32Array {
  return loadNative().mt19937Outputs(seed, count);
}

/** The 256-entry palette (entry 2k = 0xRRGGBB of value 2k, 2k+1 = gray g as 0xgggggg). */
export function paletteTable(format: 'NTSC' | 'PAL'): Uint32Array {
  if (format !== 'NTSC' && format !== 'PAL') {
    throw new RangeError(`paletteTable: format must be 'NTSC' or 'PAL', got ${JSON.stringify(format)}`);
  }
  return loadNative().palette(format);
}
