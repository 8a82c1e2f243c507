// 6532 RIOT, written from ../shared/docs/hardware-notes.md §7-§8.
#include "core/riot.h"

namespace eo::core {

namespace {
constexpr uint8_t kShifts[4] = {0, 3, 6, 10};
// Floor division by 2^s for signed values.
inline int64_t floorShift(int64_t d, uint8_t s) { return d >> s; }
}  // namespace

Riot::Riot(System& sys) : sys_(sys) {
  st.shift = 6;
  sys_.riot = this;
}

void Riot::powerOn() {
  for (int i = 0; i < 128; ++i) st.ram[i] = uint8_t(sys_.rng.next());
}

void Riot::reset() {
  st.timer = uint8_t(25 + sys_.rng.next() % 75);
  st.shift = 6;
  st.timerSetCycle = 0;
  st.interruptCycle = 0;
  st.interruptFlag = 0;
  st.ddra = 0;
  st.ddrb = 0;
}

void Riot::onCyclesReset(uint32_t oldCycles) {
  st.timerSetCycle -= int32_t(oldCycles);
  st.interruptCycle -= int32_t(oldCycles);
}

uint8_t Riot::peekIo(uint16_t addr) {
  if (!(addr & 0x04)) {
    switch (addr & 0x03) {
      case 0: return sys_.inputs.swcha;
      case 1: return st.ddra;
      case 2: return sys_.inputs.swchb;
      default: return st.ddrb;
    }
  }
  const int64_t C = int64_t(sys_.cycles);
  const int64_t W = st.timerSetCycle;
  const int64_t d = (C - 1) - W;
  const int64_t T = st.timer;
  const int64_t t = T - floorShift(d, st.shift) - 1;
  if (addr & 0x01) {  // TIMINT
    return (t < 0 && !st.interruptFlag) ? 0x80 : 0x00;
  }
  // INTIM
  if (t >= 0) return uint8_t(t);
  const int64_t e = (T << st.shift) - d - 1;
  if (e <= -2 && !st.interruptFlag) {
    st.interruptFlag = 1;
    st.interruptCycle = int32_t(C);
  }
  if (st.interruptFlag) {
    const int64_t I = st.interruptCycle;
    return uint8_t(T - floorShift(d, st.shift) - (I - (W + (T << st.shift))));
  }
  return uint8_t(e);
}

void Riot::pokeIo(uint16_t addr, uint8_t value) {
  if (sys_.trace) {
    uint16_t line;
    uint8_t clock;
    sys_.tracePosition(line, clock);
    sys_.trace->write(kTraceRiotWrite, value, addr, sys_.tracePc, line, clock, 0, sys_.traceOpcode,
                      0, sys_.totalCycles());
  }
  if (!(addr & 0x04)) {
    // SWCHA writes go to the controllers (no effect); SWCHB / SWBCNT writes are ignored.
    if ((addr & 0x03) == 1) st.ddra = value;
    return;
  }
  if (addr & 0x10) {
    st.timer = value;
    st.shift = kShifts[addr & 0x03];
    st.timerSetCycle = int32_t(sys_.cycles);
    st.interruptFlag = 0;
  }
  // A4 = 0, A2 = 1: edge-detect control, not emulated.
}

}  // namespace eo::core
