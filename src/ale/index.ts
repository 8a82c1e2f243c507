// ALE environment: the native emulator behind upstream's ALEInterface API. The conformance harness
// (replayTrace and friends, ./conformance) is internal: scripts/conformance.ts and the tests import it
// from its module.
export {
  Action,
  ACTION_NAMES,
  ALEInterface,
  md5Hex,
  mt19937Outputs,
  paletteTable,
} from './ale_interface';
export type { ALEState, BoolSetting, FloatSetting, IntSetting, RomInfo, SettingKey, StringSetting } from './ale_interface';
export { fnv1a64Hex, XorShift32 } from './hash';
export { alePyRomDir, findRom, romIdOf, romSearchDirs, supportedRomMd5s } from './roms';
export type { FindRomOptions, RomLocation, RomSearchDir, RomSearchOptions } from './roms';
export { loadNative, nativeAddonPath, packageRoot } from './native';
export type { NativeALEInstance, NativeModule } from './native';
