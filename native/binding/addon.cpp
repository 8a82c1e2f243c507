// Thin N-API binding for eo::ale::AleInterface: argument checking, typed arrays, errors.
// No emulation logic lives here. C++ exceptions become JavaScript Errors.
#include <napi.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "ale/ale_interface.h"
#include "ale/md5.h"
#include "ale/palette.h"
#include "ale/quote.h"
#include "binding/guard.h"
#include "binding/nn_binding.h"
#include "binding/vector_binding.h"

namespace {

using eo::ale::AleInterface;

[[noreturn]] void typeError(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

int argInt(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (info.Length() <= i || !info[i].IsNumber())
    typeError(info.Env(), std::string(fn) + ": " + name + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v) || std::floor(v) != v || v < -2147483648.0 || v > 2147483647.0)
    typeError(info.Env(), std::string(fn) + ": " + name + " must be a 32-bit integer, got " +
                              info[i].ToString().Utf8Value());
  return int(v);
}

double argNumber(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (info.Length() <= i || !info[i].IsNumber())
    typeError(info.Env(), std::string(fn) + ": " + name + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v)) typeError(info.Env(), std::string(fn) + ": " + name + " must be finite");
  return v;
}

bool argBool(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (info.Length() <= i || !info[i].IsBoolean())
    typeError(info.Env(), std::string(fn) + ": " + name + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

std::string argString(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (info.Length() <= i || !info[i].IsString())
    typeError(info.Env(), std::string(fn) + ": " + name + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

// A Uint8Array of exactly `size` bytes.
uint8_t* argBytes(const Napi::CallbackInfo& info, size_t i, const char* fn, size_t size) {
  if (info.Length() <= i || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    typeError(info.Env(), std::string(fn) + ": output buffer must be a Uint8Array");
  Napi::Uint8Array a = info[i].As<Napi::Uint8Array>();
  if (a.ElementLength() != size)
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": output buffer has " +
                                                std::to_string(a.ElementLength()) + " bytes, expected " +
                                                std::to_string(size));
  return a.Data();
}

Napi::Array intArray(Napi::Env env, const std::vector<int>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); ++i) a.Set(uint32_t(i), Napi::Number::New(env, v[i]));
  return a;
}

using eo::binding::guard;

class NativeALE : public Napi::ObjectWrap<NativeALE> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(
        env, "NativeALE",
        {
            InstanceMethod("setInt", &NativeALE::SetInt),
            InstanceMethod("getInt", &NativeALE::GetInt),
            InstanceMethod("setFloat", &NativeALE::SetFloat),
            InstanceMethod("getFloat", &NativeALE::GetFloat),
            InstanceMethod("setBool", &NativeALE::SetBool),
            InstanceMethod("getBool", &NativeALE::GetBool),
            InstanceMethod("setString", &NativeALE::SetString),
            InstanceMethod("getString", &NativeALE::GetString),
            InstanceMethod("loadROM", &NativeALE::LoadROM),
            InstanceMethod("act", &NativeALE::Act),
            InstanceMethod("gameOver", &NativeALE::GameOver),
            InstanceMethod("gameTruncated", &NativeALE::GameTruncated),
            InstanceMethod("resetGame", &NativeALE::ResetGame),
            InstanceMethod("lives", &NativeALE::Lives),
            InstanceMethod("getMinimalActionSet", &NativeALE::GetMinimalActionSet),
            InstanceMethod("getLegalActionSet", &NativeALE::GetLegalActionSet),
            InstanceMethod("getScreenDims", &NativeALE::GetScreenDims),
            InstanceMethod("getScreen", &NativeALE::GetScreen),
            InstanceMethod("getScreenRGB", &NativeALE::GetScreenRGB),
            InstanceMethod("getScreenGrayscale", &NativeALE::GetScreenGrayscale),
            InstanceMethod("getRAM", &NativeALE::GetRAM),
            InstanceMethod("setRAM", &NativeALE::SetRAM),
            InstanceMethod("getFrameNumber", &NativeALE::GetFrameNumber),
            InstanceMethod("getEpisodeFrameNumber", &NativeALE::GetEpisodeFrameNumber),
            InstanceMethod("getAvailableModes", &NativeALE::GetAvailableModes),
            InstanceMethod("setMode", &NativeALE::SetMode),
            InstanceMethod("getMode", &NativeALE::GetMode),
            InstanceMethod("getAvailableDifficulties", &NativeALE::GetAvailableDifficulties),
            InstanceMethod("setDifficulty", &NativeALE::SetDifficulty),
            InstanceMethod("getDifficulty", &NativeALE::GetDifficulty),
            InstanceMethod("cloneState", &NativeALE::CloneState),
            InstanceMethod("restoreState", &NativeALE::RestoreState),
            InstanceMethod("setTrace", &NativeALE::SetTrace),
            InstanceMethod("getConsoleCreatedRAM", &NativeALE::GetConsoleCreatedRAM),
            InstanceMethod("romInfo", &NativeALE::RomInfo),
            InstanceMethod("screenHash", &NativeALE::ScreenHash),
            InstanceMethod("tracePhase", &NativeALE::TracePhase),
        });
  }

  explicit NativeALE(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeALE>(info) {}

 private:
  AleInterface ale_;

  Napi::Value SetInt(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "setInt", "key");
    int v = argInt(info, 1, "setInt", "value");
    guard(info.Env(), [&] { ale_.setInt(k, v); });
    return info.Env().Undefined();
  }
  Napi::Value GetInt(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "getInt", "key");
    return Napi::Number::New(info.Env(), guard(info.Env(), [&] { return ale_.getInt(k); }));
  }
  Napi::Value SetFloat(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "setFloat", "key");
    double v = argNumber(info, 1, "setFloat", "value");
    guard(info.Env(), [&] { ale_.setFloat(k, float(v)); });
    return info.Env().Undefined();
  }
  Napi::Value GetFloat(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "getFloat", "key");
    return Napi::Number::New(info.Env(), guard(info.Env(), [&] { return double(ale_.getFloat(k)); }));
  }
  Napi::Value SetBool(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "setBool", "key");
    bool v = argBool(info, 1, "setBool", "value");
    guard(info.Env(), [&] { ale_.setBool(k, v); });
    return info.Env().Undefined();
  }
  Napi::Value GetBool(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "getBool", "key");
    return Napi::Boolean::New(info.Env(), guard(info.Env(), [&] { return ale_.getBool(k); }));
  }
  Napi::Value SetString(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "setString", "key");
    std::string v = argString(info, 1, "setString", "value");
    guard(info.Env(), [&] { ale_.setString(k, v); });
    return info.Env().Undefined();
  }
  Napi::Value GetString(const Napi::CallbackInfo& info) {
    std::string k = argString(info, 0, "getString", "key");
    return Napi::String::New(info.Env(), guard(info.Env(), [&] { return ale_.getString(k); }));
  }
  Napi::Value LoadROM(const Napi::CallbackInfo& info) {
    std::string p = argString(info, 0, "loadROM", "path");
    guard(info.Env(), [&] { ale_.loadROM(p); });
    return info.Env().Undefined();
  }
  Napi::Value Act(const Napi::CallbackInfo& info) {
    int a = argInt(info, 0, "act", "action");
    double s = info.Length() > 1 && !info[1].IsUndefined() ? argNumber(info, 1, "act", "paddleStrength") : 1.0;
    return Napi::Number::New(info.Env(), double(guard(info.Env(), [&] { return ale_.act(a, float(s)); })));
  }
  Napi::Value GameOver(const Napi::CallbackInfo& info) {
    bool t = info.Length() > 0 && !info[0].IsUndefined() ? argBool(info, 0, "game_over", "withTruncation") : true;
    return Napi::Boolean::New(info.Env(), guard(info.Env(), [&] { return ale_.game_over(t); }));
  }
  Napi::Value GameTruncated(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), guard(info.Env(), [&] { return ale_.game_truncated(); }));
  }
  Napi::Value ResetGame(const Napi::CallbackInfo& info) {
    guard(info.Env(), [&] { ale_.reset_game(); });
    return info.Env().Undefined();
  }
  Napi::Value Lives(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), guard(info.Env(), [&] { return ale_.lives(); }));
  }
  Napi::Value GetMinimalActionSet(const Napi::CallbackInfo& info) {
    return intArray(info.Env(), guard(info.Env(), [&] { return ale_.getMinimalActionSet(); }));
  }
  Napi::Value GetLegalActionSet(const Napi::CallbackInfo& info) {
    return intArray(info.Env(), guard(info.Env(), [&] { return ale_.getLegalActionSet(); }));
  }
  Napi::Value GetScreenDims(const Napi::CallbackInfo& info) {
    uint32_t h = guard(info.Env(), [&] { return ale_.screenHeight(); });
    return intArray(info.Env(), {int(h), int(ale_.screenWidth())});
  }
  Napi::Value GetScreen(const Napi::CallbackInfo& info) {
    size_t n = guard(info.Env(), [&] {
      ale_.requireLoaded("getScreen");
      return ale_.screenSize();
    });
    uint8_t* out = argBytes(info, 0, "getScreen", n);
    guard(info.Env(), [&] { ale_.getScreen(out); });
    return info[0];
  }
  Napi::Value GetScreenRGB(const Napi::CallbackInfo& info) {
    size_t n = guard(info.Env(), [&] {
      ale_.requireLoaded("getScreenRGB");
      return ale_.screenSize();
    });
    uint8_t* out = argBytes(info, 0, "getScreenRGB", 3 * n);
    guard(info.Env(), [&] { ale_.getScreenRGB(out); });
    return info[0];
  }
  Napi::Value GetScreenGrayscale(const Napi::CallbackInfo& info) {
    size_t n = guard(info.Env(), [&] {
      ale_.requireLoaded("getScreenGrayscale");
      return ale_.screenSize();
    });
    uint8_t* out = argBytes(info, 0, "getScreenGrayscale", n);
    guard(info.Env(), [&] { ale_.getScreenGrayscale(out); });
    return info[0];
  }
  Napi::Value GetRAM(const Napi::CallbackInfo& info) {
    guard(info.Env(), [&] { ale_.requireLoaded("getRAM"); });
    uint8_t* out = argBytes(info, 0, "getRAM", eo::ale::kRamSize);
    guard(info.Env(), [&] { ale_.getRAM(out); });
    return info[0];
  }
  Napi::Value SetRAM(const Napi::CallbackInfo& info) {
    int i = argInt(info, 0, "setRAM", "index");
    int v = argInt(info, 1, "setRAM", "value");
    if (v < 0 || v > 255)
      throw Napi::RangeError::New(info.Env(), "setRAM: value " + std::to_string(v) + " is out of range 0..255");
    guard(info.Env(), [&] { ale_.setRAM(i, uint8_t(v)); });
    return info.Env().Undefined();
  }
  Napi::Value GetFrameNumber(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), double(guard(info.Env(), [&] { return ale_.getFrameNumber(); })));
  }
  Napi::Value GetEpisodeFrameNumber(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), double(guard(info.Env(), [&] { return ale_.getEpisodeFrameNumber(); })));
  }
  Napi::Value GetAvailableModes(const Napi::CallbackInfo& info) {
    return intArray(info.Env(), guard(info.Env(), [&] { return ale_.getAvailableModes(); }));
  }
  Napi::Value SetMode(const Napi::CallbackInfo& info) {
    int m = argInt(info, 0, "setMode", "mode");
    guard(info.Env(), [&] { ale_.setMode(m); });
    return info.Env().Undefined();
  }
  Napi::Value GetMode(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), guard(info.Env(), [&] { return ale_.getMode(); }));
  }
  Napi::Value GetAvailableDifficulties(const Napi::CallbackInfo& info) {
    return intArray(info.Env(), guard(info.Env(), [&] { return ale_.getAvailableDifficulties(); }));
  }
  Napi::Value SetDifficulty(const Napi::CallbackInfo& info) {
    int d = argInt(info, 0, "setDifficulty", "difficulty");
    guard(info.Env(), [&] { ale_.setDifficulty(d); });
    return info.Env().Undefined();
  }
  Napi::Value GetDifficulty(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), guard(info.Env(), [&] { return ale_.getDifficulty(); }));
  }
  Napi::Value CloneState(const Napi::CallbackInfo& info) {
    bool rng = info.Length() > 0 && !info[0].IsUndefined() ? argBool(info, 0, "cloneState", "includeRng") : false;
    std::vector<uint8_t> s = guard(info.Env(), [&] { return ale_.cloneState(rng); });
    Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), s.size());
    if (!s.empty()) std::memcpy(out.Data(), s.data(), s.size());
    return out;
  }
  Napi::Value RestoreState(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      typeError(info.Env(), "restoreState: state must be a Uint8Array returned by cloneState");
    Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
    std::vector<uint8_t> copy(a.Data(), a.Data() + a.ElementLength());
    guard(info.Env(), [&] { ale_.restoreState(copy.data(), copy.size()); });
    return info.Env().Undefined();
  }
  Napi::Value SetTrace(const Napi::CallbackInfo& info) {
    auto pathArg = [&](size_t i) -> std::string {
      if (info.Length() <= i || info[i].IsNull() || info[i].IsUndefined()) return "";
      return argString(info, i, "setTrace", i == 0 ? "cpuPath" : "tiaPath");
    };
    std::string cpu = pathArg(0), tia = pathArg(1);
    guard(info.Env(), [&] { ale_.setTrace(cpu, tia); });
    return info.Env().Undefined();
  }
  Napi::Value GetConsoleCreatedRAM(const Napi::CallbackInfo& info) {
    guard(info.Env(), [&] { ale_.requireLoaded("getConsoleCreatedRAM"); });
    uint8_t* out = argBytes(info, 0, "getConsoleCreatedRAM", eo::ale::kRamSize);
    std::memcpy(out, ale_.consoleCreatedRam(), eo::ale::kRamSize);
    return info[0];
  }
  Napi::Value TracePhase(const Napi::CallbackInfo& info) {
    int sub = argInt(info, 0, "tracePhase", "sub");
    int a = argInt(info, 1, "tracePhase", "a");
    guard(info.Env(), [&] { ale_.tracePhase(sub, a); });
    return info.Env().Undefined();
  }
  Napi::Value ScreenHash(const Napi::CallbackInfo& info) {
    uint64_t h = guard(info.Env(), [&] { return ale_.screenHash(); });
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return Napi::String::New(info.Env(), buf);
  }
  Napi::Value RomInfo(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guard(env, [&] {
      Napi::Object o = Napi::Object::New(env);
      o.Set("md5", ale_.romMd5());
      o.Set("rom", ale_.romId());
      o.Set("pal", ale_.isPal());
      return o;
    });
  }
};

Napi::Value Md5Hex(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    typeError(info.Env(), "md5Hex: data must be a Uint8Array");
  Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
  return Napi::String::New(info.Env(), eo::ale::md5Hex(a.Data(), a.ElementLength()));
}

Napi::Value Mt19937Outputs(const Napi::CallbackInfo& info) {
  double seed = argNumber(info, 0, "mt19937Outputs", "seed");
  int n = argInt(info, 1, "mt19937Outputs", "count");
  if (seed < 0 || seed > 4294967295.0 || std::floor(seed) != seed)
    throw Napi::RangeError::New(info.Env(), "mt19937Outputs: seed must be an integer in 0..2^32-1");
  if (n < 0 || n > (1 << 24)) throw Napi::RangeError::New(info.Env(), "mt19937Outputs: count must be in 0..2^24");
  Napi::Uint32Array out = Napi::Uint32Array::New(info.Env(), size_t(n));
  eo::ale::mt19937Outputs(uint32_t(seed), out.Data(), size_t(n));
  return out;
}

Napi::Value PaletteTable(const Napi::CallbackInfo& info) {
  std::string fmt = argString(info, 0, "palette", "format");
  const uint32_t* pal = nullptr;
  if (fmt == "NTSC") pal = eo::ale::kNtscPalette;
  else if (fmt == "PAL") pal = eo::ale::kPalPalette;
  else throw Napi::RangeError::New(info.Env(), "palette: format must be 'NTSC' or 'PAL', got " + eo::ale::quoted(fmt));
  Napi::Uint32Array out = Napi::Uint32Array::New(info.Env(), 256);
  std::memcpy(out.Data(), pal, 256 * sizeof(uint32_t));
  return out;
}

// [{rom, md5}] of the supported games, ordered by rom id: the table loadROM identifies ROMs by.
Napi::Value SupportedRoms(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::vector<eo::ale::GameSpec>& games = eo::ale::allGames();
  Napi::Array out = Napi::Array::New(env, games.size());
  for (size_t i = 0; i < games.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("rom", games[i].rom);
    o.Set("md5", games[i].md5);
    out.Set(uint32_t(i), o);
  }
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeALE", NativeALE::Init(env));
  exports.Set("md5Hex", Napi::Function::New(env, Md5Hex));
  exports.Set("mt19937Outputs", Napi::Function::New(env, Mt19937Outputs));
  exports.Set("palette", Napi::Function::New(env, PaletteTable));
  exports.Set("supportedRoms", Napi::Function::New(env, SupportedRoms));
  InitNn(env, exports);
  InitVector(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(eigenopt_native, Init)
