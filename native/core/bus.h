// Inline bus dispatch (hardware-notes §1): include this (not just system.h) wherever
// System::peek/poke are called.
//   A12 = 1            -> cartridge (full 16-bit address; fast per-page ROM table first)
//   A12 = 0, A7 = 1    -> RIOT (A9 = 0 RAM, A9 = 1 I/O + timer)
//   A12 = 0, A7 = 0    -> TIA
// Every access leaves its byte in System::dataBus; lastAccessWasRead describes the access
// before the one in progress (a poke calls the device first, then clears it).
#pragma once
#include "core/cart.h"
#include "core/riot.h"
#include "core/system.h"
#include "core/tia.h"

#if defined(__GNUC__) || defined(__clang__)
#define EO_BUS_INLINE inline __attribute__((always_inline))
#else
#define EO_BUS_INLINE inline
#endif

namespace eo::core {

EO_BUS_INLINE uint8_t System::peek(uint16_t addr) {
  uint8_t v;
  if (addr & 0x1000) {
    const uint8_t* page = cart->readPage[(addr >> 6) & 0x3F];
    v = page ? page[addr & 0x3F] : cart->peek(addr);
  } else if (addr & 0x80) {
    v = riot->peek(addr);
  } else {
    if (cartLowHook) cart->lowAccess(addr, 0, false);
    v = tia->peek(addr);
  }
  dataBus = v;
  lastAccessWasRead = true;
  return v;
}

EO_BUS_INLINE void System::poke(uint16_t addr, uint8_t value) {
  if (addr & 0x1000) {
    cart->poke(addr, value);
  } else if (addr & 0x80) {
    riot->poke(addr, value);
  } else {
    if (cartLowHook) cart->lowAccess(addr, value, true);
    tia->poke(addr, value);
  }
  dataBus = value;
  lastAccessWasRead = false;
}

}  // namespace eo::core
