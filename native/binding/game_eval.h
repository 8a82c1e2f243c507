// Offline evaluation of the per-game ALE logic (native/ale/games) on recorded RAM, without the
// emulator: used by test/games.logic.test.ts against the frame_skip 1 golden traces.
#pragma once
#include <napi.h>

// Adds to `exports`:
//   _evalGame(romId: string, ram: Uint8Array /* n*128, RAM 0x80..0xFF per frame */,
//             resetMask: Uint8Array /* n: 1 = call the game's reset() before this frame */,
//             cart?: Uint8Array /* n*128: cartridge RAM read port 0xF080..0xF0FF (peek), else 0 */)
//     -> { reward: Float64Array, terminal: Uint8Array, lives: Int32Array }   (one entry per frame)
//   _gameSpecs() -> array of the static facts of allGames() (rom, md5, action sets, modes, ...)
//   _findGame(md5: string, stem: string) -> rom id | null
Napi::Object InitGameEval(Napi::Env env, Napi::Object exports);
