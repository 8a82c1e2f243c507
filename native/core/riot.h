// 6532 RIOT: 128 bytes of RAM, the two I/O ports (SWCHA joysticks, SWCHB console switches) and
// the interval timer in ALE's model (../shared/docs/hardware-notes.md §1, §7, §8).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/system.h"

namespace eo::core {

// Plain-data RIOT state (copied verbatim by save/load).
struct RiotState {
  uint8_t ram[128];
  uint8_t ddra;
  uint8_t ddrb;
  uint8_t timer;             // T: last value written (or reset draw)
  uint8_t shift;             // s: 0, 3, 6, 10
  uint8_t interruptFlag;     // F
  uint8_t pad[3];
  int32_t timerSetCycle;     // W, relative to System::cycles
  int32_t interruptCycle;    // I, relative to System::cycles
};

class Riot {
 public:
  explicit Riot(System& sys);

  void powerOn();  // RAM := 128 system-RNG bytes
  void reset();    // console reset line: timer := 25 + rng % 75 (prescaler 64), DDRs 0; RAM kept

  // addr: full CPU address with A12 = 0, A7 = 1.
  uint8_t peek(uint16_t addr) {
    if (!(addr & 0x200)) return st.ram[addr & 0x7F];
    return peekIo(addr);
  }
  void poke(uint16_t addr, uint8_t value) {
    if (!(addr & 0x200)) {
      st.ram[addr & 0x7F] = value;
      return;
    }
    pokeIo(addr, value);
  }
  void onCyclesReset(uint32_t oldCycles);

  uint8_t timerStart() const { return st.timer; }

  RiotState st{};

 private:
  uint8_t peekIo(uint16_t addr);
  void pokeIo(uint16_t addr, uint8_t value);
  System& sys_;
};

}  // namespace eo::core
