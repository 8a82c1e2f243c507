// ALE environment: the native emulator behind upstream's ALEInterface API.
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
export { describeResult, readTrace, replayTrace, SCREEN_DUMP_STEPS, TRACE_SETS } from './conformance';
export type { Divergence, ReplayOptions, ReplayResult, TraceSet } from './conformance';
export { loadNative, nativeAddonPath, packageRoot } from './native';
export type { NativeALEInstance, NativeModule } from './native';
