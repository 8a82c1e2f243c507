// HMOVE: the horizontal-motion registers HMP0/HMP1/HMM0/HMM1/HMBL (high nibble 0..15) are
// applied at once by an HMOVE strobe; the change of position depends on the CPU cycle within
// the scanline at which the HMOVE write completed (hardware-notes §5.5, ALE model). An HMOVE
// early in the line (cycles 0-20 or 75) also arms the "HMOVE comb" (x 0..7 of the next drawn
// line segment forced to 0) when the ROM property allows it.
#pragma once
#include <cstdint>

namespace eo::core::hmove {

// Position change for an HMxx nibble when HMOVE completes at `cycleInLine` (0..75).
int motion(uint32_t cycleInLine, uint8_t nibble);

// True when an HMOVE at this CPU cycle within the line arms the comb.
inline bool armsComb(uint32_t cycleInLine) { return cycleInLine <= 20 || cycleInLine == 75; }

}  // namespace eo::core::hmove
