// System cycle-counter rebasing (see system.h and conformance/debug/README.md).
#include "core/system.h"

#include "core/bus.h"

namespace eo::core {

void System::resetCycles(uint8_t cause) {
  const uint32_t old = cycles;
  if (trace) trace->marker(kTraceCyclesReset, cause, 0xFFFF, old, 0, totalCycles());
  if (riot) riot->onCyclesReset(old);
  if (tia) tia->onCyclesReset(old);
  if (cart) cart->onCyclesReset(old);
  if (cause == 2) {
    // New frame: origin = minus the colour clocks already spent on the current scanline.
    int64_t rel = int64_t(old) * 3 - frameClockOrigin;
    if (rel < 0) rel = 0;
    frameClockOrigin = -int32_t(rel % 228);
  } else {
    frameClockOrigin = 0;  // TIA install / System::reset restart the frame at cycle 0
  }
  cyclesBase += old;
  cycles = 0;
}

}  // namespace eo::core
