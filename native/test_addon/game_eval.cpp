// Test-only Node addon (build/Release/eigenopt_test_native.node, not part of the package's API):
// offline evaluation of the per-game ALE logic (native/ale/games) on recorded or hand-built RAM,
// without the emulator. Used by test/games.logic.test.ts (against the frame_skip 1 golden traces)
// and test/games.synthetic.test.ts. Exports:
//   evalGame(romId: string, ram: Uint8Array /* n*128, RAM 0x80..0xFF per frame */,
//            resetMask: Uint8Array /* n: 1 = call the game's reset() before this frame */,
//            cart?: Uint8Array /* n*128: cartridge RAM read port 0xF080..0xF0FF (peek), else 0 */)
//     -> { reward: Float64Array, terminal: Uint8Array, lives: Int32Array }   (one entry per frame)
//   gameSpecs() -> array of the static facts of allGames() (rom, md5, action sets, modes, ...)
//   findGame(md5: string, stem: string) -> rom id | null
#include <napi.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "ale/game.h"

namespace {

using eo::ale::GameSpec;
using eo::ale::GameState;

// A GameHost backed by one recorded 128-byte RAM frame and, optionally, 128 bytes of cartridge
// RAM as seen through the Superchip read port (CPU 0x1080..0x10FF, mirrored at 0xF080..). The
// traces record only RIOT RAM, so without `cart` peek() of anything outside RIOT RAM reads 0. The
// mode-selection building blocks need an emulator and are refused.
class RecordedRamHost final : public eo::ale::GameHost {
 public:
  const uint8_t* frame = nullptr;
  const uint8_t* cart = nullptr;

  uint8_t ram(uint16_t addr) override { return frame[addr & 0x7F]; }
  uint8_t peek(uint16_t addr) override {
    const uint16_t a = addr & 0x1FFF;                    // 13-bit CPU bus
    if ((a & 0x1280) == 0x0080) return frame[a & 0x7F];  // RIOT RAM (A12 = 0, A9 = 0, A7 = 1)
    if (cart != nullptr && (a & 0x1F80) == 0x1080) return cart[a & 0x7F];
    return 0;
  }
  void pressSelect(int) override { refuse("pressSelect"); }
  void softReset() override { refuse("softReset"); }
  void act(int) override { refuse("act"); }
  uint32_t envRandU32() override {
    refuse("envRandU32");
    return 0;
  }

 private:
  [[noreturn]] static void refuse(const char* what) {
    throw std::logic_error(std::string("evalGame: ") + what + " needs the emulator");
  }
};

const char* controllerName(eo::ale::Controller c) {
  switch (c) {
    case eo::ale::Controller::Joystick: return "JOYSTICK";
    case eo::ale::Controller::Paddles: return "PADDLES";
    default: return "NONE";
  }
}

Napi::Array intArray(Napi::Env env, const std::vector<int>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); ++i) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, v[i]));
  return a;
}

Napi::Value EvalGame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || info.Length() > 4 || !info[0].IsString() || !info[1].IsTypedArray() ||
      !info[2].IsTypedArray() || (info.Length() == 4 && !info[3].IsTypedArray())) {
    throw Napi::TypeError::New(
        env, "evalGame(romId: string, ram: Uint8Array, resetMask: Uint8Array, cart?: Uint8Array)");
  }
  const std::string rom = info[0].As<Napi::String>().Utf8Value();
  const GameSpec* spec = nullptr;
  for (const GameSpec& g : eo::ale::allGames()) {
    if (rom == g.rom) spec = &g;
  }
  if (spec == nullptr) throw Napi::Error::New(env, "evalGame: unknown rom id '" + rom + "'");
  Napi::TypedArray ramTa = info[1].As<Napi::TypedArray>();
  Napi::TypedArray maskTa = info[2].As<Napi::TypedArray>();
  if (ramTa.TypedArrayType() != napi_uint8_array || maskTa.TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, "evalGame: ram and resetMask must be Uint8Array");
  }
  Napi::Uint8Array ram = ramTa.As<Napi::Uint8Array>();
  Napi::Uint8Array mask = maskTa.As<Napi::Uint8Array>();
  const size_t n = mask.ElementLength();
  if (ram.ElementLength() != n * 128) {
    throw Napi::RangeError::New(env, "evalGame: ram length must be 128 * resetMask length (got " +
                                         std::to_string(ram.ElementLength()) + " and " +
                                         std::to_string(n) + ")");
  }
  const uint8_t* cart = nullptr;
  if (info.Length() == 4) {
    Napi::TypedArray cartTa = info[3].As<Napi::TypedArray>();
    if (cartTa.TypedArrayType() != napi_uint8_array || cartTa.ElementLength() != n * 128) {
      throw Napi::RangeError::New(env, "evalGame: cart must be a Uint8Array of 128 * resetMask length");
    }
    cart = cartTa.As<Napi::Uint8Array>().Data();
  }
  Napi::Float64Array reward = Napi::Float64Array::New(env, n);
  Napi::Uint8Array terminal = Napi::Uint8Array::New(env, n);
  Napi::Int32Array lives = Napi::Int32Array::New(env, n);

  GameState state;
  RecordedRamHost host;
  try {
    for (size_t i = 0; i < n; ++i) {
      host.frame = ram.Data() + 128 * i;
      host.cart = cart == nullptr ? nullptr : cart + 128 * i;
      if (mask[i] != 0) spec->reset(state);
      spec->update(state, host);
      reward[i] = static_cast<double>(state.reward);
      terminal[i] = state.terminal ? 1 : 0;
      lives[i] = spec->lives(state, host);
    }
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("reward", reward);
  out.Set("terminal", terminal);
  out.Set("lives", lives);
  return out;
}

Napi::Value GameSpecs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto& games = eo::ale::allGames();
  Napi::Array arr = Napi::Array::New(env, games.size());
  for (size_t i = 0; i < games.size(); ++i) {
    const GameSpec& g = games[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("rom", g.rom);
    o.Set("md5", g.md5);
    o.Set("legalActions", intArray(env, g.legalActions));
    o.Set("minimalActions", intArray(env, g.minimalActions));
    o.Set("startingActions", intArray(env, g.startingActions));
    o.Set("modes", intArray(env, g.modes));
    o.Set("difficulties", intArray(env, g.difficulties));
    o.Set("left", controllerName(g.left));
    o.Set("right", controllerName(g.right));
    o.Set("swapPorts", g.swapPorts);
    o.Set("swapPaddles", g.swapPaddles);
    o.Set("difficultyA", intArray(env, {g.difficultyA[0] ? 1 : 0, g.difficultyA[1] ? 1 : 0}));
    o.Set("ystart", g.ystart);
    o.Set("height", g.height);
    o.Set("hmoveBlanks", g.hmoveBlanks);
    o.Set("paddleMaxOverride", g.paddleMaxOverride);
    o.Set("hasSelectMode", g.selectMode != nullptr);
    // lives() of a freshly created game object (fresh state, then its reset), as used for
    // lives_at_load; no lives() expression reads RAM on a fresh object, a zero frame stands in.
    static const uint8_t kZeroFrame[128] = {};
    RecordedRamHost host;
    host.frame = kZeroFrame;
    GameState fresh;
    g.reset(fresh);
    o.Set("livesAtLoad", g.lives(fresh, host));
    arr.Set(static_cast<uint32_t>(i), o);
  }
  return arr;
}

Napi::Value FindGame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsString()) {
    throw Napi::TypeError::New(env, "findGame(md5: string, stem: string)");
  }
  const GameSpec* g = eo::ale::findGame(info[0].As<Napi::String>().Utf8Value(),
                                        info[1].As<Napi::String>().Utf8Value());
  if (g == nullptr) return env.Null();
  return Napi::String::New(env, g->rom);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("evalGame", Napi::Function::New(env, EvalGame, "evalGame"));
  exports.Set("gameSpecs", Napi::Function::New(env, GameSpecs, "gameSpecs"));
  exports.Set("findGame", Napi::Function::New(env, FindGame, "findGame"));
  return exports;
}

}  // namespace

NODE_API_MODULE(eigenopt_test_native, Init)
