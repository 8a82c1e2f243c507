// N-API binding of native/vector: NativeAtariEnv (synchronous, writes into caller-owned buffers)
// and NativeVectorEnv (step/reset return Promises; the batch lives in ArrayBuffers created here
// and shared with JavaScript, written by the pool threads while JavaScript must not touch them).
#include "binding/vector_binding.h"
#include "binding/guard.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "vector/vector_env.h"

namespace {

using eo::vec::AtariConfig;
using eo::vec::ObsKind;
using eo::vec::StepInfo;

[[noreturn]] void typeError(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

using eo::binding::guard;

int intField(Napi::Object o, const char* key, int def, const char* where) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return def;
  if (!v.IsNumber()) typeError(o.Env(), std::string(where) + ": config." + key + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || d < -2147483648.0 || d > 2147483647.0)
    typeError(o.Env(), std::string(where) + ": config." + key + " must be a 32-bit integer");
  return int(d);
}

bool boolField(Napi::Object o, const char* key, bool def, const char* where) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return def;
  if (!v.IsBoolean()) typeError(o.Env(), std::string(where) + ": config." + key + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

AtariConfig parseConfig(const Napi::Value& v, const char* where) {
  Napi::Env env = v.Env();
  if (!v.IsObject()) typeError(env, std::string(where) + ": config must be an object");
  Napi::Object o = v.As<Napi::Object>();
  AtariConfig c;
  Napi::Value rom = o.Get("romPath");
  if (!rom.IsString()) typeError(env, std::string(where) + ": config.romPath must be a string");
  c.romPath = rom.As<Napi::String>().Utf8Value();
  c.mode = intField(o, "mode", c.mode, where);
  c.difficulty = intField(o, "difficulty", c.difficulty, where);
  c.frameSkip = intField(o, "frameSkip", c.frameSkip, where);
  c.frameSkipHigh = intField(o, "frameSkipHigh", c.frameSkipHigh, where);
  Napi::Value rap = o.Get("repeatActionProbability");
  if (!rap.IsUndefined()) {
    if (!rap.IsNumber()) typeError(env, std::string(where) + ": config.repeatActionProbability must be a number");
    c.repeatActionProbability = float(rap.As<Napi::Number>().DoubleValue());
  }
  c.fullActionSpace = boolField(o, "fullActionSpace", c.fullActionSpace, where);
  c.maxNumFramesPerEpisode = intField(o, "maxNumFramesPerEpisode", c.maxNumFramesPerEpisode, where);
  c.noopMax = intField(o, "noopMax", c.noopMax, where);
  c.terminalOnLifeLoss = boolField(o, "terminalOnLifeLoss", c.terminalOnLifeLoss, where);
  Napi::Value kind = o.Get("obsKind");
  if (!kind.IsUndefined()) {
    std::string k = kind.IsString() ? kind.As<Napi::String>().Utf8Value() : "";
    if (k == "grayscale") c.obsKind = ObsKind::kGrayscale;
    else if (k == "rgb") c.obsKind = ObsKind::kRgb;
    else if (k == "ram") c.obsKind = ObsKind::kRam;
    else typeError(env, std::string(where) + ": config.obsKind must be 'grayscale', 'rgb' or 'ram'");
  }
  c.maxPool = boolField(o, "maxPool", c.maxPool, where);
  c.screenHeight = intField(o, "screenHeight", c.screenHeight, where);
  c.screenWidth = intField(o, "screenWidth", c.screenWidth, where);
  c.frameStack = intField(o, "frameStack", c.frameStack, where);
  return c;
}

bool optSeed(const Napi::CallbackInfo& info, size_t i, const char* where, uint32_t& seed) {
  if (info.Length() <= i || info[i].IsUndefined() || info[i].IsNull()) return false;
  if (!info[i].IsNumber()) typeError(info.Env(), std::string(where) + ": seed must be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || d < 0 || d > 4294967295.0)
    throw Napi::RangeError::New(info.Env(), std::string(where) + ": seed must be an integer in 0..2^32-1");
  seed = uint32_t(d);
  return true;
}

template <class T, napi_typedarray_type kType>
T* typedArg(const Napi::CallbackInfo& info, size_t i, const char* where, const char* what, const char* typeName,
            size_t length) {
  if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != kType)
    typeError(info.Env(), std::string(where) + ": " + what + " must be a " + typeName);
  Napi::TypedArray a = info[i].As<Napi::TypedArray>();
  if (a.ElementLength() != length)
    throw Napi::RangeError::New(info.Env(), std::string(where) + ": " + what + " has " + std::to_string(a.ElementLength()) +
                                                " elements, expected " + std::to_string(length));
  return reinterpret_cast<T*>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
}

Napi::Array intArray(Napi::Env env, const std::vector<int>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); ++i) a.Set(uint32_t(i), Napi::Number::New(env, v[i]));
  return a;
}

// Scalars of one step in a Float64Array(8).
constexpr size_t kScalars = 8;
void writeScalars(double* s, const StepInfo& info) {
  s[0] = double(info.reward);
  s[1] = info.terminated;
  s[2] = info.truncated;
  s[3] = info.lives;
  s[4] = double(info.frameNumber);
  s[5] = double(info.episodeFrameNumber);
  s[6] = info.executedAction;
  s[7] = info.frames;
}

class NativeAtariEnv : public Napi::ObjectWrap<NativeAtariEnv> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "NativeAtariEnv",
                       {
                           InstanceMethod("reset", &NativeAtariEnv::Reset),
                           InstanceMethod("step", &NativeAtariEnv::Step),
                           InstanceMethod("getRAM", &NativeAtariEnv::GetRAM),
                           InstanceMethod("setRAM", &NativeAtariEnv::SetRAM),
                           InstanceMethod("actionSet", &NativeAtariEnv::ActionSet),
                           InstanceMethod("observationShape", &NativeAtariEnv::ObsShape),
                           InstanceMethod("cloneState", &NativeAtariEnv::CloneState),
                           InstanceMethod("restoreState", &NativeAtariEnv::RestoreState),
                           InstanceMethod("romMd5", &NativeAtariEnv::RomMd5),
                       });
  }

  explicit NativeAtariEnv(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeAtariEnv>(info) {
    AtariConfig c = parseConfig(info.Length() > 0 ? info[0] : info.Env().Undefined(), "AtariEnv");
    uint32_t seed = 0;
    bool seeded = optSeed(info, 1, "AtariEnv", seed);
    env_ = guard(info.Env(), [&] { return std::make_unique<eo::vec::AtariEnv>(c, seeded ? &seed : nullptr); });
  }

 private:
  std::unique_ptr<eo::vec::AtariEnv> env_;

  Napi::Value Reset(const Napi::CallbackInfo& info) {
    uint32_t seed = 0;
    bool seeded = optSeed(info, 0, "AtariEnv.reset", seed);
    uint8_t* obs = typedArg<uint8_t, napi_uint8_array>(info, 1, "AtariEnv.reset", "observation buffer", "Uint8Array", env_->obsSize());
    double* s = typedArg<double, napi_float64_array>(info, 2, "AtariEnv.reset", "scalars", "Float64Array", kScalars);
    StepInfo si;
    guard(info.Env(), [&] { env_->reset(seeded ? &seed : nullptr, obs, si); });
    writeScalars(s, si);
    return info.Env().Undefined();
  }
  Napi::Value Step(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsNumber()) typeError(info.Env(), "AtariEnv.step: action must be a number");
    double a = info[0].As<Napi::Number>().DoubleValue();
    const size_t n = env_->actionSet().size();
    if (!(std::floor(a) == a && a >= 0 && a < double(n)))
      throw Napi::RangeError::New(info.Env(), "AtariEnv.step: action " + info[0].ToString().Utf8Value() +
                                                  " is out of range 0.." + std::to_string(int(n) - 1));
    uint8_t* obs = typedArg<uint8_t, napi_uint8_array>(info, 1, "AtariEnv.step", "observation buffer", "Uint8Array", env_->obsSize());
    double* s = typedArg<double, napi_float64_array>(info, 2, "AtariEnv.step", "scalars", "Float64Array", kScalars);
    StepInfo si;
    guard(info.Env(), [&] { env_->step(int(a), obs, si); });
    writeScalars(s, si);
    return info.Env().Undefined();
  }
  Napi::Value GetRAM(const Napi::CallbackInfo& info) {
    uint8_t* out = typedArg<uint8_t, napi_uint8_array>(info, 0, "AtariEnv.getRAM", "output buffer", "Uint8Array", eo::ale::kRamSize);
    env_->getRam(out);
    return info[0];
  }
  Napi::Value SetRAM(const Napi::CallbackInfo& info) {
    const auto inRange = [&](size_t i, const char* name, double hi) {
      if (info.Length() <= i || !info[i].IsNumber()) typeError(info.Env(), std::string("AtariEnv.setRAM: ") + name + " must be a number");
      double v = info[i].As<Napi::Number>().DoubleValue();
      if (!(std::floor(v) == v && v >= 0 && v <= hi))
        throw Napi::RangeError::New(info.Env(), std::string("AtariEnv.setRAM: ") + name + " " + info[i].ToString().Utf8Value() +
                                                    " is out of range 0.." + std::to_string(int(hi)));
      return int(v);
    };
    int index = inRange(0, "index", double(eo::ale::kRamSize - 1));
    int value = inRange(1, "value", 255);
    guard(info.Env(), [&] { env_->setRam(index, uint8_t(value)); });
    return info.Env().Undefined();
  }
  Napi::Value ActionSet(const Napi::CallbackInfo& info) { return intArray(info.Env(), env_->actionSet()); }
  Napi::Value ObsShape(const Napi::CallbackInfo& info) { return intArray(info.Env(), env_->obsShape()); }
  Napi::Value RomMd5(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), env_->ale().romMd5()); }
  Napi::Value CloneState(const Napi::CallbackInfo& info) {
    std::vector<uint8_t> s = guard(info.Env(), [&] { return env_->cloneState(); });
    Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), s.size());
    if (!s.empty()) std::memcpy(out.Data(), s.data(), s.size());
    return out;
  }
  Napi::Value RestoreState(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      typeError(info.Env(), "AtariEnv.restoreState: state must be a Uint8Array returned by cloneState");
    Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
    std::vector<uint8_t> copy(a.Data(), a.Data() + a.ElementLength());
    guard(info.Env(), [&] { env_->restoreState(copy.data(), copy.size()); });
    return info.Env().Undefined();
  }
};

class NativeVectorEnv : public Napi::ObjectWrap<NativeVectorEnv> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "NativeVectorEnv",
                       {
                           InstanceMethod("reset", &NativeVectorEnv::Reset),
                           InstanceMethod("step", &NativeVectorEnv::Step),
                           InstanceMethod("buffers", &NativeVectorEnv::Buffers),
                           InstanceMethod("actionSet", &NativeVectorEnv::ActionSet),
                           InstanceMethod("observationShape", &NativeVectorEnv::ObsShape),
                           InstanceMethod("romMd5", &NativeVectorEnv::RomMd5),
                           InstanceMethod("threads", &NativeVectorEnv::Threads),
                           InstanceMethod("cloneState", &NativeVectorEnv::CloneState),
                           InstanceMethod("restoreState", &NativeVectorEnv::RestoreState),
                       });
  }

  explicit NativeVectorEnv(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeVectorEnv>(info) {
    Napi::Env env = info.Env();
    AtariConfig c = parseConfig(info.Length() > 0 ? info[0] : env.Undefined(), "VectorEnv");
    auto count = [&](size_t i, const char* name) {
      if (info.Length() <= i || !info[i].IsNumber()) typeError(env, std::string("VectorEnv: ") + name + " must be a number");
      double d = info[i].As<Napi::Number>().DoubleValue();
      if (!(std::floor(d) == d && d >= 1 && d <= 4096))
        throw Napi::RangeError::New(env, std::string("VectorEnv: ") + name + " must be an integer in 1..4096");
      return int(d);
    };
    int n = count(1, "numEnvs");
    int threads = count(2, "threads");
    vec_ = guard(env, [&] { return std::make_unique<eo::vec::VectorEnv>(c, n, threads); });
    const size_t N = size_t(n);
    Napi::Object b = Napi::Object::New(env);
    auto bytes = [&](const char* name, size_t size) {
      Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, size);
      std::memset(ab.Data(), 0, size);
      b.Set(name, Napi::Uint8Array::New(env, size, ab, 0));
      return static_cast<uint8_t*>(ab.Data());
    };
    auto i32 = [&](const char* name) {
      Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, 4 * N);
      std::memset(ab.Data(), 0, 4 * N);
      b.Set(name, Napi::Int32Array::New(env, N, ab, 0));
      return static_cast<int32_t*>(ab.Data());
    };
    auto f64 = [&](const char* name) {
      Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, 8 * N);
      std::memset(ab.Data(), 0, 8 * N);
      b.Set(name, Napi::Float64Array::New(env, N, ab, 0));
      return static_cast<double*>(ab.Data());
    };
    out_.obs = bytes("obs", N * vec_->obsSize());
    out_.ram = bytes("ram", N * eo::ale::kRamSize);
    out_.reward = f64("reward");
    out_.terminated = bytes("terminated", N);
    out_.truncated = bytes("truncated", N);
    out_.first = bytes("first", N);
    out_.lives = i32("lives");
    out_.executedAction = i32("executedAction");
    out_.episodeStep = i32("episodeStep");
    out_.frameNumber = f64("frameNumber");
    out_.episodeFrameNumber = f64("episodeFrameNumber");
    buffers_ = Napi::Persistent(b);  // keeps every ArrayBuffer (and so every pointer above) alive
    // The pool's last worker of a batch wakes the main thread through this (unreferenced while idle,
    // so an idle env never keeps the event loop alive).
    // At shutdown Node may finalize the thread-safe function before this object: its finalizer
    // clears completionAlive_ so that the destructor does not release it twice.
    completion_ = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}), "eigenopt.VectorEnv", 0, 1,
                                                [alive = completionAlive_](Napi::Env) { *alive = false; });
    completion_.Unref(env);
  }

  ~NativeVectorEnv() override {
    vec_.reset();  // joins the pool threads (no batch can be in flight: a pending one holds a reference to this object)
    if (*completionAlive_) completion_.Release();
  }

 private:
  std::unique_ptr<eo::vec::VectorEnv> vec_;
  eo::vec::BatchBuffers out_;
  Napi::ObjectReference buffers_;
  Napi::ThreadSafeFunction completion_;
  std::shared_ptr<bool> completionAlive_ = std::make_shared<bool>(true);
  // The batch in flight: its promise, its inputs (copied, so JavaScript may reuse its arrays) and
  // its outcome (written by the finishing worker before it wakes the main thread).
  bool busy_ = false;
  std::unique_ptr<Napi::Promise::Deferred> pending_;
  std::vector<uint32_t> seeds_;
  std::vector<int32_t> actions_;
  std::string error_;

  // Starts a batch: `launch` hands it to the pool with the completion callback.
  template <class Launch>
  Napi::Value start(Napi::Env env, Launch launch) {
    pending_ = std::make_unique<Napi::Promise::Deferred>(Napi::Promise::Deferred::New(env));
    Napi::Promise promise = pending_->Promise();
    busy_ = true;
    Ref();  // the object (pool, buffers) outlives the batch even when JavaScript drops it
    completion_.Ref(env);
    auto done = [this](std::string error) {
      error_ = std::move(error);
      completion_.NonBlockingCall([this](Napi::Env e, Napi::Function) { finish(e); });
    };
    try {
      guard(env, [&] { launch(done); });  // a C++ exception becomes a JS error
    } catch (...) {
      busy_ = false;
      pending_.reset();
      completion_.Unref(env);
      Unref();
      throw;
    }
    return promise;
  }
  // On the main thread once the pool is done: settles the promise.
  void finish(Napi::Env env) {
    std::unique_ptr<Napi::Promise::Deferred> deferred = std::move(pending_);
    std::string error = std::move(error_);
    busy_ = false;
    completion_.Unref(env);
    Unref();
    if (!deferred) return;
    if (error.empty()) deferred->Resolve(env.Undefined());
    else deferred->Reject(Napi::Error::New(env, error).Value());
  }

  void requireIdle(Napi::Env env, const char* fn) {
    if (busy_) throw Napi::Error::New(env, std::string("VectorEnv.") + fn + ": a reset or step is still running (await it first)");
  }
  Napi::Value Reset(const Napi::CallbackInfo& info) {
    requireIdle(info.Env(), "reset");
    seeds_.clear();
    if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()) {
      const uint32_t* s = typedArg<uint32_t, napi_uint32_array>(info, 0, "VectorEnv.reset", "seeds", "Uint32Array", size_t(vec_->numEnvs()));
      seeds_.assign(s, s + vec_->numEnvs());
    }
    return start(info.Env(), [&](auto done) { vec_->resetAsync(seeds_.empty() ? nullptr : seeds_.data(), out_, done); });
  }
  Napi::Value Step(const Napi::CallbackInfo& info) {
    requireIdle(info.Env(), "step");
    const int32_t* a = typedArg<int32_t, napi_int32_array>(info, 0, "VectorEnv.step", "actions", "Int32Array", size_t(vec_->numEnvs()));
    const int na = int(vec_->env(0).actionSet().size());
    for (int i = 0; i < vec_->numEnvs(); ++i)
      if (a[i] < 0 || a[i] >= na)
        throw Napi::RangeError::New(info.Env(), "VectorEnv.step: action " + std::to_string(a[i]) + " of env " + std::to_string(i) +
                                                    " is out of range 0.." + std::to_string(na - 1));
    actions_.assign(a, a + vec_->numEnvs());
    return start(info.Env(), [&](auto done) { vec_->stepAsync(actions_.data(), out_, done); });
  }
  Napi::Value Buffers(const Napi::CallbackInfo& info) { return buffers_.Value(); }
  Napi::Value ActionSet(const Napi::CallbackInfo& info) { return intArray(info.Env(), vec_->env(0).actionSet()); }
  Napi::Value ObsShape(const Napi::CallbackInfo& info) { return intArray(info.Env(), vec_->env(0).obsShape()); }
  Napi::Value RomMd5(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), vec_->env(0).ale().romMd5()); }
  Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), vec_->threads()); }
  Napi::Value CloneState(const Napi::CallbackInfo& info) {
    requireIdle(info.Env(), "cloneState");
    std::vector<uint8_t> s = guard(info.Env(), [&] { return vec_->cloneState(); });
    Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), s.size());
    if (!s.empty()) std::memcpy(out.Data(), s.data(), s.size());
    return out;
  }
  Napi::Value RestoreState(const Napi::CallbackInfo& info) {
    requireIdle(info.Env(), "restoreState");
    if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      typeError(info.Env(), "VectorEnv.restoreState: state must be a Uint8Array returned by cloneState");
    Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
    std::vector<uint8_t> copy(a.Data(), a.Data() + a.ElementLength());
    guard(info.Env(), [&] { vec_->restoreState(copy.data(), copy.size()); });
    return info.Env().Undefined();
  }
};

// resizeArea(src, srcH, srcW, dstH, dstW): the area resize of preprocess.h on one image (for tests).
Napi::Value ResizeArea(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dims[4];
  const char* names[4] = {"srcH", "srcW", "dstH", "dstW"};
  for (int i = 0; i < 4; ++i) {
    if (info.Length() <= size_t(i + 1) || !info[size_t(i + 1)].IsNumber()) typeError(env, std::string("resizeArea: ") + names[i] + " must be a number");
    double d = info[size_t(i + 1)].As<Napi::Number>().DoubleValue();
    if (!(std::floor(d) == d && d >= 1 && d <= 4096)) throw Napi::RangeError::New(env, std::string("resizeArea: ") + names[i] + " must be an integer in 1..4096");
    dims[i] = int(d);
  }
  const uint8_t* src = typedArg<uint8_t, napi_uint8_array>(info, 0, "resizeArea", "src", "Uint8Array", size_t(dims[0]) * size_t(dims[1]));
  eo::vec::AreaResizer r = guard(env, [&] { return eo::vec::AreaResizer(dims[0], dims[1], dims[2], dims[3]); });
  Napi::Uint8Array out = Napi::Uint8Array::New(env, size_t(dims[2]) * size_t(dims[3]));
  r.resize(src, out.Data());
  return out;
}

}  // namespace

Napi::Object InitVector(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeAtariEnv", NativeAtariEnv::Init(env));
  exports.Set("NativeVectorEnv", NativeVectorEnv::Init(env));
  exports.Set("resizeArea", Napi::Function::New(env, ResizeArea));
  return exports;
}
