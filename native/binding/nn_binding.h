#pragma once
#include <napi.h>

// Adds the nn kernels (native/nn, see nn_binding.cpp): nnMatMul, nnConv2d, nnConv2dBackpropInput,
// nnConv2dBackpropFilter, nnReduceSum, nnInfo, nnSetThreads, nnSetIsa.
Napi::Object InitNn(Napi::Env env, Napi::Object exports);
