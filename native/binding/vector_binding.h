#pragma once
#include <napi.h>

// Adds NativeAtariEnv (one preprocessed Atari environment) and NativeVectorEnv (N of them stepped
// by a thread pool, asynchronously) from native/vector.
Napi::Object InitVector(Napi::Env env, Napi::Object exports);
