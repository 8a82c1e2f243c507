// 6507 CPU in Stella's "low compatibility" model as ALE 0.12.1 uses it
// (../shared/docs/hardware-notes.md §2): full base cycles added right after the opcode fetch,
// page-cross cycle before the indexed read, branch penalties, ALE decimal mode, all
// undocumented opcodes, JAM halts until the next reset.
#pragma once
#include <cstdint>

#include "core/system.h"

namespace eo::core {

// Plain-data CPU state.
struct CpuState {
  uint16_t pc;
  uint8_t a, x, y, sp;
  uint8_t n, v, d, i, z, c;  // flags as 0/1 (B and bit 5 always read as set)
  uint8_t jammed;            // a JAM opcode ran: no instruction executes until reset()
  uint8_t pad;
};

class Cpu6507 {
 public:
  explicit Cpu6507(System& sys);

  // CPU reset: A = X = Y = 0, S = 0xFF, P = 0x20 (I, D clear), PC = word at 0xFFFC; clears JAM.
  void reset();

  // Runs up to `maxInstructions` instructions, stopping early after the instruction during which
  // a device set System::stopRequested (cleared on entry). Returns false if the CPU is (or
  // became) jammed, true otherwise.
  bool execute(uint32_t maxInstructions);

  uint8_t status() const;  // N V 1 B D I Z C (bits 5 and 4 always set)
  bool jammed() const { return st.jammed != 0; }

  CpuState st{};

 private:
  // One instruction on the registers `r` (st itself when tracing; otherwise execute()'s local
  // copy, which the compiler keeps in registers: no device reads the CPU state mid-run).
  struct Bus;
  template <bool kTrace>
  // Returns the instructions it ran beyond the one it was called for (timer waits).
  uint32_t step(CpuState& r, Bus& bus, uint32_t budget);
  void traceInstruction(uint8_t op, uint16_t pc);
  System& sys_;
};

}  // namespace eo::core
