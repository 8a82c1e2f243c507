// Television Interface Adaptor: frame timing, playfield, players, missiles, ball, collisions,
// HMOVE, input ports INPT0..5. Models Stella 2.x as ALE 0.12.1 embeds it
// (../shared/docs/hardware-notes.md §3-§7). Objects live in tia_*.h, one per file.
#pragma once
#include <climits>
#include <cstdint>
#include <vector>

#include "core/system.h"
#include "core/tia_ball.h"
#include "core/tia_missile.h"
#include "core/tia_player.h"
#include "core/tia_playfield.h"

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

  // Frame timing and the registers that belong to no single object. All clocks are colour
  // clocks relative to 3 * System::cycles (rebased by onCyclesReset). Saved with the state.
  struct State {
    int32_t clockWhenFrameStarted;  // frame origin
    int32_t clockStartDisplay;      // origin + 228 * ystart
    int32_t clockStopDisplay;       // origin + 228 * (ystart + height)
    int32_t clockAtLastUpdate;      // picture drawn up to here
    int32_t clocksToEndOfLine;      // of the line being drawn (228 = at a line start)
    int32_t scanlinesLastFrame;     // scanlines of the last completed frame
    int32_t vsyncFinishClock;       // VSYNC off ends the frame from this clock on
    int32_t lastHmoveClock;
    int32_t dumpDisabledCycle;      // cycle at which VBLANK bit 7 went 1 -> 0
    uint16_t collisions;            // the 15 latches (tia_collisions.h)
    uint8_t vsync, vblank;
    uint8_t colubk, colupf, colup0, colup1;
    uint8_t hmoveBlankEnabled;
    uint8_t dumpEnabled;
    uint8_t partialFrame;
    uint8_t frameGreyed;
  };

  int32_t clockNow() const { return int32_t(sys_.cycles * 3u); }
  void startFrame();
  void updateFrame(int32_t clock);  // draw the picture up to `clock` with the current registers
  void drawSegment(int32_t count, int32_t hpos);
  void lineEnded();
  void greyOutFrame();
  void applyColorLoss();
  uint8_t colorWithLoss(uint8_t v) const;
  bool rewritesSameValue(uint8_t reg, uint8_t value) const;
  uint8_t paddleBit(int index) const;
  void resetDisplayWindow();
  // Registers with more than a one-line effect (write address names, hardware-notes §3-§5).
  void vsync(uint8_t value, int32_t clock);
  void vblank(uint8_t value);
  void wsync();
  void resp(Player& player, int32_t clock, int32_t hpos);  // RESP0 / RESP1
  void resm0(int32_t clock, int32_t hpos);
  void resm1(int32_t clock, int32_t hpos);
  void resbl(int32_t clock, int32_t hpos);
  void hmm0(uint8_t value, int32_t clock);
  void hmove(int32_t clock, int32_t hpos);
  void hmclr();

  TiaConfig config_;
  State st_{};
  Playfield playfield_;
  Player player0_, player1_;
  Missile missile0_, missile1_;
  Ball ball_;

  // Not part of the saved state (as upstream): frame buffers, drawing position, display offsets.
  std::vector<uint8_t> buffers_[2];
  uint32_t current_ = 0;           // index of the buffer being drawn
  uint32_t framePointer_ = 0;      // next pixel to draw in the current buffer
  int32_t startDisplayOffset_ = 0;
  int32_t stopDisplayOffset_ = 0;
  uint32_t frameSequence_ = 0;     // update() calls since construction (trace markers)
  // Deferred drawing, drawUpTo (speed only, never observable): accesses that change nothing the picture
  // depends on (WSYNC, RSYNC, audio, unused addresses; input-port reads) do not draw up to their
  // clock; they only record it here. Any other access draws first anyway, and update() draws up
  // to this clock before it returns, so the picture, the latches and the state between update()
  // calls are exactly as if every access had drawn. kNoPendingClock = nothing deferred.
  // Only while update() runs the CPU (accesses from outside, e.g. Console::poke, draw at once).
  static constexpr int32_t kNoPendingClock = INT32_MIN;
  int32_t pendingClock_ = kNoPendingClock;
  bool running_ = false;  // inside update()'s CPU run
  void drawUpTo(int32_t clock) {
    if (!running_) {
      updateFrame(clock);
    } else if (pendingClock_ == kNoPendingClock || clock > pendingClock_) {
      pendingClock_ = clock;
    }
  }
  void flushDeferredDrawing() {
    if (pendingClock_ != kNoPendingClock) updateFrame(pendingClock_);
    pendingClock_ = kNoPendingClock;
  }
};

}  // namespace eo::core
