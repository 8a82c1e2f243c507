// Element-wise activations the TF.js wasm backend runs as scalar loops (softplus: log and exp per
// element) or as several kernels (the relu gradient: step, cast, multiply): vectorised here (AVX2+FMA when the CPU has it, chosen at run time; a portable loop
// otherwise), accurate to a few float32 ulps.
#pragma once
#include <cstdint>

namespace eo::nn {
/** y[i] = softplus(x[i]) = log(1 + exp(x[i])); NaN stays NaN, +inf -> +inf, -inf -> 0. */
void softplus(int64_t n, const float* x, float* y);
/** out[i] = dy[i] * step(x[i]) with step = 1 for x > 0, NaN for NaN, else 0 (TF's relu gradient). */
void reluGrad(int64_t n, const float* dy, const float* x, float* out);
/** The portable (scalar, double-precision) softplus of one value. */
float softplusScalar(float x);
}  // namespace eo::nn
