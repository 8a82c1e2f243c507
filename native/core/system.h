// The 6507 bus: a cycle counter, the data-bus latch and the three devices it decodes
// (TIA, RIOT, cartridge). See ../shared/docs/hardware-notes.md §1.
//
// Contract shared by every core component:
//  * `cycles` is Stella-style: reset to 0 at every system reset and at every frame start
//    (System::resetCycles); devices keep their own clocks relative to it and rebase in
//    onCyclesReset(). `cyclesBase + cycles` = T, CPU cycles since power-on (trace records).
//  * `lastAccessWasRead` describes the access *before* the one in progress (WSYNC needs it):
//    System::poke calls the device first and then clears it; System::peek sets it after.
//  * A device asks the CPU to stop after the current instruction with `stopRequested = true`
//    (the TIA does so when a frame ends).
#pragma once
#include <cstdint>

#include "core/inputs.h"
#include "core/mt19937.h"
#include "core/trace.h"

namespace eo::core {

class Tia;
class Riot;
class Cartridge;
class Cpu6507;

class System {
 public:
  uint32_t cycles = 0;
  uint32_t cyclesBase = 0;
  uint8_t dataBus = 0;
  bool lastAccessWasRead = true;
  bool stopRequested = false;

  Tia* tia = nullptr;
  Riot* riot = nullptr;
  Cartridge* cart = nullptr;
  Cpu6507* cpu = nullptr;

  Inputs inputs;
  Mt19937 rng{4753849u};  // the console ("system") RNG; reseeded by Console

  // Debug trace hook (null = off). The CPU keeps tracePc/traceOpcode current while tracing so
  // device write records can name the instruction that made the access.
  TraceWriter* trace = nullptr;
  uint16_t tracePc = 0;
  uint8_t traceOpcode = 0;

  uint32_t totalCycles() const { return cyclesBase + cycles; }

  // Stella's TIA "clockWhenFrameStarted" (colour clocks, relative to `cycles`), kept by
  // resetCycles(): 0 after a TIA install / System::reset, minus the clocks already spent on the
  // current scanline at a frame start. Used for the scanline/clock fields of RIOT and bank trace
  // records (rel = 3*cycles - frameClockOrigin, line = rel / 228, clock = rel % 228).
  int32_t frameClockOrigin = 0;
  void tracePosition(uint16_t& scanline, uint8_t& clock) const {
    int64_t rel = int64_t(cycles) * 3 - frameClockOrigin;
    if (rel < 0) rel = 0;
    scanline = uint16_t(rel / 228);
    clock = uint8_t(rel % 228);
  }

  // Carts that watch accesses outside 0x1000-0x1FFF (3F: TIA writes to 0x00-0x3F; UA: 0x220/0x240).
  // 0 = none (the usual case: one predictable branch on the TIA path).
  uint8_t cartLowHook = 0;

  // Full 16-bit address as the CPU produced it; devices decode (addr & 0x1FFF) themselves,
  // the cartridge gets the full address (FE needs bit 13). Defined in core/bus.h.
  inline uint8_t peek(uint16_t addr);
  inline void poke(uint16_t addr, uint8_t value);

  // Reset `cycles` to 0: devices rebase (onCyclesReset(old)), cyclesBase += old, and a
  // CYCLES_RESET trace marker (cause 0 TIA install, 1 System::reset, 2 frame start).
  void resetCycles(uint8_t cause);
};

}  // namespace eo::core
