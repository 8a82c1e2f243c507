// TIA: frame timing, lazy rendering, register decoding, input ports and machine state.
// Behaviour follows ../shared/docs/hardware-notes.md §3-§7 and the Stella-2.x timing facts in
// ../shared/conformance/debug/README.md; the objects live in tia_playfield/player/missile/ball.
#include "core/tia.h"

#include <algorithm>
#include <cstring>

#include "core/tia_collisions.h"
#include "core/tia_hmove.h"

#if __has_include("core/cpu6507.h")
#include "core/cpu6507.h"
#else
namespace eo::core {
class Cpu6507 {
 public:
  bool execute(uint32_t maxInstructions);
};
}  // namespace eo::core
#endif

namespace eo::core {
namespace {

constexpr int32_t kClocksPerLine = 228;
constexpr int32_t kHBlank = 68;
constexpr int32_t kNever = 0x7FFFFFFF;
constexpr uint32_t kInstructionsPerUpdate = 25000;

// Register numbers (write address & 0x3F).
enum : uint8_t {
  VSYNC = 0x00, VBLANK, WSYNC, RSYNC, NUSIZ0, NUSIZ1, COLUP0, COLUP1, COLUPF, COLUBK, CTRLPF,
  REFP0, REFP1, PF0, PF1, PF2, RESP0, RESP1, RESM0, RESM1, RESBL, AUDC0, AUDC1, AUDF0, AUDF1,
  AUDV0, AUDV1, GRP0, GRP1, ENAM0, ENAM1, ENABL, HMP0, HMP1, HMM0, HMM1, HMBL, VDELP0, VDELP1,
  VDELBL, RESMP0, RESMP1, HMOVE, HMCLR, CXCLR,
};

// Colour clocks by which a write's effect trails the access (hardware-notes §3);
// -1 = playfield registers, whose delay depends on the beam position.
constexpr int8_t kWriteDelay[64] = {
    0, 1, 0, 0, 8, 8, 0, 0, 0, 0, 0, 1, 1, -1, -1, -1,  // 0x00-0x0F
    0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,     // 0x10-0x1F
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     // 0x20-0x2F
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     // 0x30-0x3F
};
constexpr int32_t kPlayfieldDelay[4] = {4, 5, 2, 3};

// Write addresses whose effect does not touch the picture, the latches or the drawing state:
// WSYNC (stalls the CPU only), RSYNC, the six audio registers and 0x2D-0x3F.
constexpr std::array<bool, 64> makeNoDrawingEffect() {
  std::array<bool, 64> t{};
  t[WSYNC] = t[RSYNC] = true;
  for (int r = AUDC0; r <= AUDV1; ++r) t[r] = true;
  for (int r = CXCLR + 1; r < 64; ++r) t[r] = true;
  return t;
}
constexpr std::array<bool, 64> kNoDrawingEffect = makeNoDrawingEffect();

constexpr uint8_t kStateMagic[4] = {'T', 'I', 'A', '1'};

// Pixels x0..x1-1 of a playfield row: `on` where the playfield bit of the pixel is set in `bits`,
// else `off`; out[0] is pixel x0. A playfield bit covers four pixels starting at a multiple of
// 4 (mask[x] is the same for x = 4c..4c+3), so whole cells are written four bytes at a time.
inline void fillPlayfield(uint8_t* out, const uint32_t* mask, uint32_t bits, int32_t x0, int32_t x1,
                          uint8_t on, uint8_t off) {
  int32_t x = x0;
  while (x < x1 && (x & 3)) *out++ = (bits & mask[x++]) ? on : off;
  const uint32_t on4 = on * 0x01010101u, off4 = off * 0x01010101u;
  for (; x + 4 <= x1; x += 4, out += 4) {
    const uint32_t v = (bits & mask[x]) ? on4 : off4;
    std::memcpy(out, &v, 4);
  }
  while (x < x1) *out++ = (bits & mask[x++]) ? on : off;
}

// Wrapping int32 arithmetic (the clocks are Stella's 32-bit values).
inline int32_t sub32(int32_t a, int32_t b) { return int32_t(uint32_t(a) - uint32_t(b)); }
inline int32_t add32(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }

}  // namespace

Tia::Tia(System& sys) : sys_(sys) {
  configure(config_);
  reset();
}

void Tia::configure(const TiaConfig& config) {
  config_ = config;
  // Drawing after a console reset starts at scanline 0 of the buffer (see reset()), so a buffer
  // holds ystart + height rows; a little slack covers the HMOVE-comb clear past a row.
  const size_t size = size_t(config_.ystart + config_.height + 1) * 160 + kClocksPerLine;
  for (auto& b : buffers_) b.resize(size, 0);
  startDisplayOffset_ = int32_t(kClocksPerLine * config_.ystart);
  stopDisplayOffset_ = startDisplayOffset_ + int32_t(kClocksPerLine * config_.height);
}

const TiaConfig& Tia::config() const { return config_; }

void Tia::reset() {
  const bool partial = st_.partialFrame;  // a console reset does not end a partial frame
  const bool greyed = st_.frameGreyed;
  st_ = State{};
  st_.partialFrame = partial;
  st_.frameGreyed = greyed;
  playfield_.reset();
  player0_.reset();
  player1_.reset();
  missile0_.reset();
  missile1_.reset();
  ball_.reset();
  for (auto& b : buffers_) std::fill(b.begin(), b.end(), 0);
  framePointer_ = 0;
  pendingClock_ = kNoPendingClock;
  resetDisplayWindow();
}

// Frame timing restarts at the current cycle; drawing resumes at the frame origin (scanline 0),
// not at ystart, until the next frame start.
void Tia::resetDisplayWindow() {
  st_.clockWhenFrameStarted = clockNow();
  st_.clockStartDisplay = add32(st_.clockWhenFrameStarted, startDisplayOffset_);
  st_.clockStopDisplay = add32(st_.clockWhenFrameStarted, stopDisplayOffset_);
  st_.clockAtLastUpdate = st_.clockWhenFrameStarted;
  st_.clocksToEndOfLine = kClocksPerLine;
  st_.vsyncFinishClock = kNever;
  st_.scanlinesLastFrame = 0;
}

uint32_t Tia::scanlines() const { return uint32_t(st_.scanlinesLastFrame); }
bool Tia::partialFrame() const { return st_.partialFrame != 0; }
const uint8_t* Tia::currentFrameBuffer() const { return buffers_[current_].data(); }
const uint8_t* Tia::previousFrameBuffer() const { return buffers_[current_ ^ 1].data(); }

void Tia::onCyclesReset(uint32_t oldCycles) {
  const int32_t clocks = int32_t(oldCycles * 3u);
  st_.clockWhenFrameStarted = sub32(st_.clockWhenFrameStarted, clocks);
  st_.clockStartDisplay = sub32(st_.clockStartDisplay, clocks);
  st_.clockStopDisplay = sub32(st_.clockStopDisplay, clocks);
  st_.clockAtLastUpdate = sub32(st_.clockAtLastUpdate, clocks);
  st_.vsyncFinishClock = sub32(st_.vsyncFinishClock, clocks);
  st_.lastHmoveClock = sub32(st_.lastHmoveClock, clocks);
  st_.dumpDisabledCycle = sub32(st_.dumpDisabledCycle, int32_t(oldCycles));
  if (pendingClock_ != kNoPendingClock) pendingClock_ = sub32(pendingClock_, clocks);
}

// ---------------------------------------------------------------------------------------------
// Frames

void Tia::startFrame() {
  current_ ^= 1;  // buffers are swapped, not cleared
  const uint32_t clocks =
      (sys_.cycles * 3u - uint32_t(st_.clockWhenFrameStarted)) % uint32_t(kClocksPerLine);
  sys_.resetCycles(2);
  st_.clockWhenFrameStarted = -int32_t(clocks);
  st_.clockStartDisplay = st_.clockWhenFrameStarted + startDisplayOffset_;
  st_.clockStopDisplay = st_.clockWhenFrameStarted + stopDisplayOffset_;
  st_.clockAtLastUpdate = st_.clockStartDisplay;
  st_.clocksToEndOfLine = kClocksPerLine;
  framePointer_ = 0;
  pendingClock_ = kNoPendingClock;
  applyColorLoss();
  st_.frameGreyed = 0;
}

void Tia::update() {
  const bool newFrame = !st_.partialFrame;
  if (newFrame) startFrame();
  st_.partialFrame = 1;  // cleared by the write that ends the frame
  if (sys_.trace)
    sys_.trace->marker(kTraceFrameBegin, newFrame ? 1 : 0, 0xFFFF, frameSequence_,
                       uint32_t(st_.clockWhenFrameStarted), sys_.totalCycles());

  sys_.stopRequested = false;
  running_ = true;
  if (sys_.cpu) sys_.cpu->execute(kInstructionsPerUpdate);
  running_ = false;
  flushDeferredDrawing();

  const uint32_t linesSoFar =
      uint32_t(sub32(clockNow(), st_.clockWhenFrameStarted)) / uint32_t(kClocksPerLine);
  if (st_.partialFrame) {
    if (!st_.frameGreyed) greyOutFrame();
    st_.frameGreyed = 1;
  } else {
    st_.scanlinesLastFrame = int32_t(linesSoFar);
  }
  if (sys_.trace)
    sys_.trace->marker(kTraceFrameEnd, st_.partialFrame ? 0 : 1, uint16_t(linesSoFar),
                       frameSequence_, sys_.cycles, sys_.totalCycles());
  ++frameSequence_;
}

// A frame cut off by the instruction limit: rows of the window from the current scanline on
// keep their old content, dimmed.
void Tia::greyOutFrame() {
  const uint32_t ystart = uint32_t(startDisplayOffset_ / kClocksPerLine);
  const uint32_t end = uint32_t(stopDisplayOffset_ / kClocksPerLine);
  uint32_t line =
      uint32_t(sub32(clockNow(), st_.clockWhenFrameStarted)) / uint32_t(kClocksPerLine);
  if (line < ystart) line = ystart;
  if (line > end) return;
  uint8_t* buf = buffers_[current_].data();
  const size_t limit = buffers_[current_].size();
  for (size_t i = size_t(line - ystart) * 160; i < size_t(end - ystart) * 160 && i < limit; ++i)
    buf[i] = uint8_t((buf[i] & 0x0F) >> 1);
}

void Tia::applyColorLoss() {
  if (!config_.palColorLoss) return;
  const bool odd = (st_.scanlinesLastFrame & 1) != 0;
  for (uint8_t* c : {&st_.colubk, &st_.colupf, &st_.colup0, &st_.colup1})
    *c = odd ? uint8_t(*c | 0x01) : uint8_t(*c & 0xFE);
}

// A write that leaves its register as it is: COLUxx (after colour loss) or PFx (the playfield
// bits it sets). Such writes have no other effect.
bool Tia::rewritesSameValue(uint8_t reg, uint8_t value) const {
  const uint32_t bits = playfield_.regs.bits;
  switch (reg) {
    case COLUP0: return colorWithLoss(value) == st_.colup0;
    case COLUP1: return colorWithLoss(value) == st_.colup1;
    case COLUPF: return colorWithLoss(value) == st_.colupf;
    case COLUBK: return colorWithLoss(value) == st_.colubk;
    case PF0: return uint32_t((value >> 4) & 0x0F) == (bits & 0x0Fu);
    case PF1: return uint32_t(value) == ((bits >> 4) & 0xFFu);
    case PF2: return uint32_t(value) == ((bits >> 12) & 0xFFu);
    default: return false;
  }
}

uint8_t Tia::colorWithLoss(uint8_t v) const {
  uint8_t c = v & 0xFE;
  if (config_.palColorLoss && (st_.scanlinesLastFrame & 1)) c |= 0x01;
  return c;
}

// ---------------------------------------------------------------------------------------------
// Lazy rendering

void Tia::updateFrame(int32_t clock) {
  if (clock < st_.clockStartDisplay || st_.clockAtLastUpdate >= st_.clockStopDisplay ||
      st_.clockAtLastUpdate >= clock)
    return;
  if (clock > st_.clockStopDisplay) clock = st_.clockStopDisplay;

  do {
    int32_t fromLineStart = kClocksPerLine - st_.clocksToEndOfLine;
    int32_t count;
    if (clock > st_.clockAtLastUpdate + st_.clocksToEndOfLine) {
      count = st_.clocksToEndOfLine;  // finish this line
      st_.clocksToEndOfLine = kClocksPerLine;
      st_.clockAtLastUpdate += count;
    } else {
      count = clock - st_.clockAtLastUpdate;
      st_.clocksToEndOfLine -= count;
      st_.clockAtLastUpdate = clock;
    }

    // Horizontal blank draws nothing.
    if (fromLineStart < kHBlank) {
      const int32_t skip = std::min(kHBlank - fromLineStart, count);
      fromLineStart += skip;
      count -= skip;
    }

    const uint32_t segmentStart = framePointer_;
    if (count != 0) drawSegment(count, fromLineStart - kHBlank);

    // HMOVE comb: clear from the segment start up to x = 8.
    if (st_.hmoveBlankEnabled && fromLineStart < kHBlank + 8) {
      const size_t blanks = size_t(kHBlank + 8 - fromLineStart);
      std::vector<uint8_t>& buf = buffers_[current_];
      if (segmentStart < buf.size())
        std::memset(buf.data() + segmentStart, 0, std::min(blanks, buf.size() - segmentStart));
      if (count + fromLineStart >= kHBlank + 8) st_.hmoveBlankEnabled = 0;
    }

    if (st_.clocksToEndOfLine == kClocksPerLine) lineEnded();
  } while (st_.clockAtLastUpdate < clock);
}

// End of a rendered line: reflection latched, player masks rebuilt with all copies,
// Cosmic Ark missile stepping.
void Tia::lineEnded() {
  playfield_.endOfLine();
  player0_.endOfLine();
  player1_.endOfLine();
  if (missile0_.regs.cosmicArk) missile0_.cosmicArkLineEnd(player0_.regs.nusiz);
}

void Tia::drawSegment(int32_t count, int32_t hpos) {
  std::vector<uint8_t>& buffer = buffers_[current_];
  if (framePointer_ >= buffer.size()) return;
  if (size_t(framePointer_) + size_t(count) > buffer.size())
    count = int32_t(buffer.size() - framePointer_);
  uint8_t* p = buffer.data() + framePointer_;
  framePointer_ += uint32_t(count);

  if (st_.vblank & 0x02) {
    std::memset(p, 0, size_t(count));
    return;
  }

  using namespace tiaobj;
  const uint8_t objects = uint8_t((playfield_.enabled() ? kPF : 0) | (ball_.enabled() ? kBL : 0) |
                                  (player0_.enabled() ? kP0 : 0) | (player1_.enabled() ? kP1 : 0) |
                                  (missile0_.enabled() ? kM0 : 0) | (missile1_.enabled() ? kM1 : 0));
  const uint8_t modeBits = uint8_t((playfield_.regs.ctrlpf & 0x06) << 5);  // score/priority
  const uint8_t colors[4] = {st_.colubk, st_.colupf, st_.colup0, st_.colup1};
  const int32_t end = hpos + count;

  if (objects == 0) {
    std::memset(p, st_.colubk, size_t(count));
    return;
  }
  const int32_t split = std::min(std::max(hpos, int32_t(80)), end);  // first pixel of the right half
  if (objects == kPF) {
    // Playfield alone. In score mode the two halves take COLUP0/COLUP1, unless the priority
    // bit is set: priority overrides score mode (hardware-notes §5.1), as in the mixed path.
    const bool score = playfield_.scoreMode() && !(playfield_.regs.ctrlpf & 0x04);
    const uint32_t bits = playfield_.regs.bits;
    const uint32_t* mask = playfield_.maskRow();
    const uint8_t bk = st_.colubk;
    const uint8_t left = score ? st_.colup0 : st_.colupf;
    const uint8_t right = score ? st_.colup1 : st_.colupf;
    fillPlayfield(p, mask, bits, hpos, split, left, bk);
    fillPlayfield(p + (split - hpos), mask, bits, split, end, right, bk);
    return;
  }

  // Object bits of every pixel of the segment, one object at a time (branch-free, vectorisable
  // loops), then the priority encoder and the collision latches over the result.
  // e holds whole 8-byte words (SWAR: eight pixels per uint64); bytes past n are don't-care.
  uint8_t e[160 + 8];  // count <= 160: a segment never leaves the visible part of one line
  const int32_t n = count;
  const int32_t words = (n + 7) >> 3;
  if (objects & kPF) {
    const uint32_t bits = playfield_.regs.bits;
    fillPlayfield(e, playfield_.maskRow(), bits, hpos, end, kPF, 0);
    std::memset(e + n, 0, 8);
  } else {
    std::memset(e, 0, size_t(words) * 8);
  }
  // Ball and missile rows hold 0/1 bytes: shift each byte into its object bit.
  auto orFlags = [&](const uint8_t* mask, int shift) {
    for (int32_t w = 0; w < words; ++w) {
      uint64_t a, m;
      std::memcpy(&a, e + 8 * w, 8);
      std::memcpy(&m, mask + 8 * w, 8);
      a |= m << shift;
      std::memcpy(e + 8 * w, &a, 8);
    }
  };
  // Player rows hold one graphics bit per byte: (g & mask) != 0 per byte, then into the bit.
  auto orPlayer = [&](const uint8_t* mask, uint8_t g, int shift) {
    const uint64_t g8 = uint64_t(g) * 0x0101010101010101ull;
    constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
    for (int32_t w = 0; w < words; ++w) {
      uint64_t a, m;
      std::memcpy(&a, e + 8 * w, 8);
      std::memcpy(&m, mask + 8 * w, 8);
      const uint64_t t = g8 & m;
      const uint64_t nonzero = (((t & kLow7) + kLow7) | t) & ~kLow7;  // 0x80 in non-zero bytes
      a |= (nonzero >> 7) << shift;
      std::memcpy(e + 8 * w, &a, 8);
    }
  };
  if (objects & kBL) orFlags(ball_.maskRow() + hpos, 4);                      // kBL = 0x10
  if (objects & kP1) orPlayer(player1_.maskRow() + hpos, player1_.regs.current, 2);  // kP1
  if (objects & kM1) orFlags(missile1_.maskRow() + hpos, 3);                  // kM1 = 0x08
  if (objects & kP0) orPlayer(player0_.maskRow() + hpos, player0_.regs.current, 0);  // kP0
  if (objects & kM0) orFlags(missile0_.maskRow() + hpos, 1);                  // kM0 = 0x02
  static_assert(kBL == 0x10 && kP1 == 0x04 && kM1 == 0x08 && kP0 == 0x01 && kM0 == 0x02,
                "object bit layout");

  // Every pixel's object bits are a subset of `objects`: colours of those subsets for each half
  // (priority encoder and colour registers in one table), and the latches they could set.
  const uint8_t* prioLeft = kPriorityTable[0].data() + modeBits;
  const uint8_t* prioRight = kPriorityTable[1].data() + modeBits;
  uint8_t colorLeft[64], colorRight[64];
  for (uint8_t sub = objects;; sub = uint8_t((sub - 1) & objects)) {
    colorLeft[sub] = colors[prioLeft[sub]];
    colorRight[sub] = colors[prioRight[sub]];
    if (sub == 0) break;
  }
  const int32_t nLeft = split - hpos;
  const uint16_t possible = kCollisionTable[objects];
  if ((st_.collisions & possible) == possible) {
    // Every latch these objects can set is set already: colours only.
    for (int32_t i = 0; i < nLeft; ++i) p[i] = colorLeft[e[i]];
    for (int32_t i = nLeft; i < n; ++i) p[i] = colorRight[e[i]];
    return;
  }
  uint8_t seen[64];  // seen[v] = 1: some pixel had object bits v (only subsets of objects)
  for (uint8_t sub = objects;; sub = uint8_t((sub - 1) & objects)) {
    seen[sub] = 0;
    if (sub == 0) break;
  }
  for (int32_t i = 0; i < nLeft; ++i) {
    const uint8_t v = e[i];
    seen[v] = 1;
    p[i] = colorLeft[v];
  }
  for (int32_t i = nLeft; i < n; ++i) {
    const uint8_t v = e[i];
    seen[v] = 1;
    p[i] = colorRight[v];
  }
  uint16_t latches = st_.collisions;
  for (uint8_t sub = objects; sub != 0; sub = uint8_t((sub - 1) & objects))
    if (seen[sub]) latches |= kCollisionTable[sub];
  st_.collisions = latches;
}

// ---------------------------------------------------------------------------------------------
// Bus access

uint8_t Tia::paddleBit(int index) const {
  const int32_t r = sys_.inputs.paddleResistance[index];
  if (r == 0) return 0x80;
  if (r == Inputs::kNoPaddle || st_.dumpEnabled) return 0x00;
  const double t = 1.6 * r * 0.01E-6;
  const uint32_t needed = uint32_t(t * 1.19E6);
  return sys_.cycles > uint32_t(st_.dumpDisabledCycle) + needed ? 0x80 : 0x00;
}

uint8_t Tia::peek(uint16_t addr) {
  const uint8_t noise = sys_.dataBus & 0x3F;  // undriven bits keep the last bus byte
  const uint8_t reg = addr & 0x0F;
  if (reg < 8) {
    updateFrame(clockNow());  // the latches need the picture drawn up to now
    return uint8_t(tiaobj::collisionBits(st_.collisions, reg) | noise);
  }
  drawUpTo(clockNow());
  switch (reg) {
    case 0x8: case 0x9: case 0xA: case 0xB:  // INPT0..INPT3
      return uint8_t(paddleBit(reg - 8) | noise);
    case 0xC:  // INPT4
      return uint8_t((sys_.inputs.inpt4High ? 0x80 : 0x00) | noise);
    case 0xD:  // INPT5
      return uint8_t((sys_.inputs.inpt5High ? 0x80 : 0x00) | noise);
    default:
      return noise;
  }
}

void Tia::poke(uint16_t addr, uint8_t value) {
  const uint8_t reg = addr & 0x3F;
  const int32_t clock = clockNow();
  const int32_t rel = sub32(clock, st_.clockWhenFrameStarted);
  int32_t delay = kWriteDelay[reg];
  if (delay < 0) delay = kPlayfieldDelay[((rel % kClocksPerLine) / 3) & 3];

  if (sys_.trace)
    sys_.trace->write(kTraceTiaWrite, value, addr, sys_.tracePc, uint16_t(rel / kClocksPerLine),
                      uint8_t(rel % kClocksPerLine), uint8_t(delay), sys_.traceOpcode, 0,
                      sys_.totalCycles());

  // Frame-length limit: any write past maxScanlines ends the frame.
  const bool endsFrame = rel / kClocksPerLine > int32_t(config_.maxScanlines);

  // Draw up to the moment the write takes effect with the old register values (deferred for
  // writes that change nothing the picture depends on, see drawUpTo: the registers without a
  // drawing effect, and colour or playfield writes of the value already there).
  if ((kNoDrawingEffect[reg] || rewritesSameValue(reg, value)) && !endsFrame)
    drawUpTo(add32(clock, delay));
  else
    updateFrame(add32(clock, delay));

  if (endsFrame) {
    sys_.stopRequested = true;
    st_.partialFrame = 0;
  }

  const int32_t hpos = rel % kClocksPerLine;
  switch (reg) {
    case VSYNC: vsync(value, clock); break;
    case VBLANK: vblank(value); break;
    case WSYNC: wsync(); break;
    case RSYNC: break;  // no effect in this model

    case NUSIZ0: player0_.nusiz(value); missile0_.nusiz(value); break;
    case NUSIZ1: player1_.nusiz(value); missile1_.nusiz(value); break;

    case COLUP0: st_.colup0 = colorWithLoss(value); break;
    case COLUP1: st_.colup1 = colorWithLoss(value); break;
    case COLUPF: st_.colupf = colorWithLoss(value); break;
    case COLUBK: st_.colubk = colorWithLoss(value); break;

    case CTRLPF: playfield_.ctrlpf(value, hpos); ball_.ctrlpf(value); break;
    case REFP0: player0_.refp(value); break;
    case REFP1: player1_.refp(value); break;
    case PF0: playfield_.pf0(value); break;
    case PF1: playfield_.pf1(value); break;
    case PF2: playfield_.pf2(value); break;

    case RESP0: resp(player0_, clock, hpos); break;
    case RESP1: resp(player1_, clock, hpos); break;
    case RESM0: resm0(clock, hpos); break;
    case RESM1: resm1(clock, hpos); break;
    case RESBL: resbl(clock, hpos); break;

    case AUDC0: case AUDC1: case AUDF0: case AUDF1: case AUDV0: case AUDV1:
      break;  // audio is not emulated (hardware-notes §11)

    case GRP0: player0_.grp(value); player1_.latchDelayed(); break;
    case GRP1: player1_.grp(value); player0_.latchDelayed(); ball_.latchDelayed(); break;
    case ENAM0: missile0_.enam(value); break;
    case ENAM1: missile1_.enam(value); break;
    case ENABL: ball_.enabl(value); break;

    case HMP0: player0_.hmp(value); break;
    case HMP1: player1_.hmp(value); break;
    case HMM0: hmm0(value, clock); break;
    case HMM1: missile1_.hmm(value); break;
    case HMBL: ball_.hmbl(value); break;

    case VDELP0: player0_.vdelp(value); break;
    case VDELP1: player1_.vdelp(value); break;
    case VDELBL: ball_.vdelbl(value); break;
    case RESMP0: missile0_.resmp(value, player0_.regs.pos, player0_.regs.nusiz); break;
    case RESMP1: missile1_.resmp(value, player1_.regs.pos, player1_.regs.nusiz); break;

    case HMOVE: hmove(clock, hpos); break;
    case HMCLR: hmclr(); break;
    case CXCLR: st_.collisions = 0; break;
    default: break;  // 0x2D-0x3F: no register
  }
}

// VSYNC: bit 1 set arms the frame end one scanline later; clearing it from then on ends the frame.
void Tia::vsync(uint8_t value, int32_t clock) {
  st_.vsync = value;
  if (value & 0x02) {
    st_.vsyncFinishClock = add32(clock, kClocksPerLine);
  } else if (clock >= st_.vsyncFinishClock) {
    st_.vsyncFinishClock = kNever;
    sys_.stopRequested = true;
    st_.partialFrame = 0;
  }
}

// VBLANK: bit 1 blanks the picture (drawSegment); bit 7 grounds (0->1) or releases (1->0) the
// paddle capacitors.
void Tia::vblank(uint8_t value) {
  if (!(st_.vblank & 0x80) && (value & 0x80)) st_.dumpEnabled = 1;
  if ((st_.vblank & 0x80) && !(value & 0x80)) {
    st_.dumpEnabled = 0;
    st_.dumpDisabledCycle = int32_t(sys_.cycles);
  }
  st_.vblank = value;
}

// WSYNC: the 6507 halts only on a read cycle, so a write right after another write does not
// stall; otherwise skip to the next multiple of 76 cycles from the frame origin.
void Tia::wsync() {
  if (!sys_.lastAccessWasRead) return;
  const uint32_t intoLine = (sys_.cycles - uint32_t(st_.clockWhenFrameStarted / 3)) % 76u;
  const uint32_t toEnd = 76u - intoLine;
  if (toEnd < 76u) sys_.cycles += toEnd;
}

// RESP0/RESP1 (hardware-notes §5.3 cases A/B/C).
void Tia::resp(Player& p, int32_t clock, int32_t hpos) {
  const int newPos = hpos < kHBlank ? 3 : ((hpos - kHBlank) + 5) % 160;
  switch (p.resetCase(newPos)) {
    case Player::ResetCase::kDisplay:
      // Reset while a copy is being shown: that copy finishes at the old position.
      updateFrame(add32(clock, 11));
      p.resp(newPos, true);
      break;
    case Player::ResetCase::kElsewhere:
      p.resp(newPos, true);
      break;
    case Player::ResetCase::kDelay:
      p.resp(newPos, false);
      break;
  }
}

// Missile and ball resets: position 2 in HBLANK, else 4 pixels after the beam; plus the
// hard-coded compatibility cases keyed on the clocks since the last HMOVE.
void Tia::resm0(int32_t clock, int32_t hpos) {
  int pos = hpos < kHBlank ? 2 : ((hpos - kHBlank) + 4) % 160;
  if (sub32(clock, st_.lastHmoveClock) == 20 * 3 && hpos == 69) pos = 8;  // "Dolphin"
  missile0_.resm(pos, player0_.regs.nusiz);
}

void Tia::resm1(int32_t clock, int32_t hpos) {
  int pos = hpos < kHBlank ? 2 : ((hpos - kHBlank) + 4) % 160;
  if (sub32(clock, st_.lastHmoveClock) == 3 * 3 && hpos == 18) pos = 3;  // "Pitfall II"
  missile1_.resm(pos, player1_.regs.nusiz);
}

void Tia::resbl(int32_t clock, int32_t hpos) {
  int pos = hpos < kHBlank ? 2 : ((hpos - kHBlank) + 4) % 160;
  const int32_t sinceHmove = sub32(clock, st_.lastHmoveClock);
  if (sinceHmove == 18 * 3 && (hpos == 60 || hpos == 69)) pos = 10;
  else if (sinceHmove == 3 * 3 && hpos == 18) pos = 3;
  else if (sinceHmove == 7 * 3 && hpos == 30) pos = 6;  // "Robot Tank"
  else if (sinceHmove == 6 * 3 && hpos == 27) pos = 5;
  ball_.resbl(pos, playfield_.regs.ctrlpf);
}

// HMM0, with the "Cosmic Ark" case: HMM0 going from 7 to 6 exactly 21 cycles after an HMOVE.
void Tia::hmm0(uint8_t value, int32_t clock) {
  const uint8_t nibble = value >> 4;
  if (sub32(clock, st_.lastHmoveClock) == 21 * 3 && missile0_.regs.hm == 7 && nibble == 6) {
    missile0_.regs.cosmicArk = 1;
    missile0_.regs.cosmicArkCounter = 0;
  }
  missile0_.hmm(value);
}

// HMOVE: all five objects move at once by the table entry for this CPU cycle in the line.
void Tia::hmove(int32_t clock, int32_t hpos) {
  const uint32_t cycle = uint32_t(hpos / 3);
  if (config_.hmoveBlanks && hmove::armsComb(cycle)) st_.hmoveBlankEnabled = 1;
  player0_.hmove(hmove::motion(cycle, player0_.regs.hm));
  player1_.hmove(hmove::motion(cycle, player1_.regs.hm));
  missile0_.hmove(hmove::motion(cycle, missile0_.regs.hm), player0_.regs.nusiz);
  missile1_.hmove(hmove::motion(cycle, missile1_.regs.hm), player1_.regs.nusiz);
  ball_.hmove(hmove::motion(cycle, ball_.regs.hm), playfield_.regs.ctrlpf);
  st_.lastHmoveClock = clock;
}

void Tia::hmclr() {
  player0_.hmclr();
  player1_.hmclr();
  missile0_.hmclr();
  missile1_.hmclr();
  ball_.hmclr();
}

// ---------------------------------------------------------------------------------------------
// Machine state (registers, positions, latches, frame clocks; not the frame buffers nor the
// derived drawing masks, which upstream does not save either).

namespace {
template <typename T>
void put(std::vector<uint8_t>& out, const T& v) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}
template <typename T>
void get(const uint8_t*& p, T& v) {
  std::memcpy(&v, p, sizeof(T));
  p += sizeof(T);
}
}  // namespace

std::vector<uint8_t> Tia::saveState() const {
  std::vector<uint8_t> out;
  out.reserve(128);
  out.insert(out.end(), kStateMagic, kStateMagic + 4);
  put(out, st_);
  put(out, playfield_.regs);
  put(out, player0_.regs);
  put(out, player1_.regs);
  put(out, missile0_.regs);
  put(out, missile1_.regs);
  put(out, ball_.regs);
  return out;
}

bool Tia::loadState(const uint8_t* data, size_t size) {
  const size_t expected = 4 + sizeof(State) + sizeof(Playfield::Regs) + 2 * sizeof(Player::Regs) +
                          2 * sizeof(Missile::Regs) + sizeof(Ball::Regs);
  if (!data || size != expected || std::memcmp(data, kStateMagic, 4) != 0) return false;
  State st;
  Playfield::Regs pf;
  Player::Regs p0, p1;
  Missile::Regs m0, m1;
  Ball::Regs bl;
  const uint8_t* p = data + 4;
  get(p, st);
  get(p, pf);
  get(p, p0);
  get(p, p1);
  get(p, m0);
  get(p, m1);
  get(p, bl);
  auto posOk = [](int16_t pos) { return pos >= 0 && pos < 160; };
  if (!posOk(p0.pos) || !posOk(p1.pos) || !posOk(m0.pos) || !posOk(m1.pos) || !posOk(bl.pos) ||
      // 0 is valid: a line drawn exactly to its end is closed by the next update.
      st.clocksToEndOfLine < 0 || st.clocksToEndOfLine > kClocksPerLine)
    return false;
  st_ = st;
  playfield_.regs = pf;
  player0_.regs = p0;
  player1_.regs = p1;
  missile0_.regs = m0;
  missile1_.regs = m1;
  ball_.regs = bl;
  pendingClock_ = kNoPendingClock;
  return true;
}

}  // namespace eo::core
