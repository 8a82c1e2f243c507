// Switchable instruction/write trace hook writing the 16-byte little-endian record format of
// ../shared/conformance/debug (see its README). When System::trace is null nothing is logged
// and the hot loop pays one predictable branch.
#pragma once
#include <cstdint>
#include <cstdio>

namespace eo::core {

enum TraceKind : uint8_t {
  kTraceInstruction = 0x00,
  kTracePhase = 0x01,
  kTraceFrameBegin = 0x02,
  kTraceFrameEnd = 0x03,
  kTraceCyclesReset = 0x04,
  kTraceSystemReset = 0x05,
  kTraceEnv = 0x06,
  kTraceTiaWrite = 0x10,
  kTraceRiotWrite = 0x11,
  kTraceBankAccess = 0x12,
};

class TraceWriter {
 public:
  // Either file may be null (then that stream is not written). Files are owned by the caller.
  TraceWriter(std::FILE* cpuFile, std::FILE* tiaFile) : cpu_(cpuFile), tia_(tiaFile) {}

  // T = CPU cycles since power-on (never reset).
  void instruction(uint8_t opcode, uint16_t pc, uint8_t a, uint8_t x, uint8_t y, uint8_t sp,
                   uint8_t p, const uint8_t bank[3], uint32_t T) {
    uint8_t r[16] = {kTraceInstruction, opcode, uint8_t(pc), uint8_t(pc >> 8), a, x, y, sp,
                     uint8_t(p | 0x30), bank[0], bank[1], bank[2]};
    put32(r + 12, T);
    if (cpu_) std::fwrite(r, 1, 16, cpu_);
  }

  // kind: kTraceTiaWrite / kTraceRiotWrite / kTraceBankAccess.
  void write(uint8_t kind, uint8_t value, uint16_t addr, uint16_t pc, uint16_t scanline,
             uint8_t clock, uint8_t extra, uint8_t opcode, uint8_t before, uint32_t T) {
    uint8_t r[16] = {kind, value, uint8_t(addr), uint8_t(addr >> 8), uint8_t(pc), uint8_t(pc >> 8),
                     uint8_t(scanline), uint8_t(scanline >> 8), clock, extra, opcode, before};
    put32(r + 12, T);
    if (tia_) std::fwrite(r, 1, 16, tia_);
  }

  // Marker records go to both files.
  void marker(uint8_t kind, uint8_t sub, uint16_t a, uint32_t b, uint32_t c, uint32_t T) {
    uint8_t r[16] = {kind, sub, uint8_t(a), uint8_t(a >> 8)};
    put32(r + 4, b);
    put32(r + 8, c);
    put32(r + 12, T);
    if (cpu_) std::fwrite(r, 1, 16, cpu_);
    if (tia_) std::fwrite(r, 1, 16, tia_);
  }

 private:
  static void put32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v); p[1] = uint8_t(v >> 8); p[2] = uint8_t(v >> 16); p[3] = uint8_t(v >> 24);
  }
  std::FILE* cpu_;
  std::FILE* tia_;
};

}  // namespace eo::core
