// Runs binding code so that a C++ exception reaches JavaScript as an Error with its message
// (Napi::Error passes through unchanged); shared by the binding's translation units.
#pragma once

#include <napi.h>

#include <exception>
#include <utility>

namespace eo::binding {

template <class F>
auto guard(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

}  // namespace eo::binding
