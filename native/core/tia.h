// Television Interface Adaptor: frame timing, playfield, players, missiles, ball, collisions,
// HMOVE, input ports INPT0..5. Models Stella 2.x as ALE 0.12.1 embeds it
// (../shared/docs/hardware-notes.md §3-§7). Objects live in tia_*.h, one per file.
#pragma once
#include <cstdint>
#include <vector>

#include "core/system.h"

namespace eo::core {

struct TiaConfig {
  uint32_t ystart = 34;        // first rendered scanline (Stella "Display.YStart")
  uint32_t height = 210;       // rendered lines ("Display.Height"; 250 for PAL-detected)
  bool hmoveBlanks = true;     // ROM property: HMOVE comb
  uint32_t maxScanlines = 290; // frame ends on any TIA write past this (342 for PAL)
  bool palColorLoss = false;   // PAL colour loss (hardware-notes §4)
};

class Tia {
 public:
  explicit Tia(System& sys);

  void configure(const TiaConfig& config);  // may be called between frames (format detection)
  const TiaConfig& config() const;

  // Console reset line: registers, positions, collision latches cleared, both frame buffers
  // zeroed, frame timing restarted at the current cycle.
  void reset();

  // One Stella TIA::update(): unless the previous call ended with a partial frame, start a new
  // frame (swap buffers, System::resetCycles(2), set the frame origin); run the CPU for at most
  // 25,000 instructions (sys.cpu->execute(25000)); then finish the frame, or dim the undrawn
  // rest of the window when it stayed partial. Writes FRAME_BEGIN / FRAME_END trace markers.
  void update();

  uint8_t peek(uint16_t addr);
  void poke(uint16_t addr, uint8_t value);

  // The system cycle counter goes from `oldCycles` back to 0: rebase internal clocks.
  void onCyclesReset(uint32_t oldCycles);

  bool partialFrame() const;
  uint32_t scanlines() const;  // scanlines of the last completed frame
  // 160 x config().height palette indices, row 0 = scanline ystart.
  const uint8_t* currentFrameBuffer() const;
  const uint8_t* previousFrameBuffer() const;

  // Plain-data machine state for cloneState/restoreState.
  std::vector<uint8_t> saveState() const;
  bool loadState(const uint8_t* data, size_t size);  // false when the blob is malformed

 private:
  struct Impl;  // implementation-defined members live in tia.cpp / tia_*.h
  System& sys_;
  // (members added by the implementation)
};

}  // namespace eo::core
