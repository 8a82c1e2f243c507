// 6507 "low" model, written from ../shared/docs/hardware-notes.md §2.
#include "core/cpu6507.h"

#include "core/bus.h"
#include "core/cart.h"
#include "core/riot.h"
#include "core/tia.h"

namespace eo::core {

#if defined(__GNUC__) || defined(__clang__)
#define EO_AI __attribute__((always_inline))
#else
#define EO_AI
#endif

namespace {

// Base cycles per opcode (hardware-notes §2 table; LAX zp = 4 in this model).
constexpr uint8_t kCycles[256] = {
    7, 6, 2, 8, 3, 3, 5, 5, 3, 2, 2, 2, 4, 4, 6, 6,  // 0x
    2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7,  // 1x
    6, 6, 2, 8, 3, 3, 5, 5, 4, 2, 2, 2, 4, 4, 6, 6,  // 2x
    2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7,  // 3x
    6, 6, 2, 8, 3, 3, 5, 5, 3, 2, 2, 2, 3, 4, 6, 6,  // 4x
    2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7,  // 5x
    6, 6, 2, 8, 3, 3, 5, 5, 4, 2, 2, 2, 5, 4, 6, 6,  // 6x
    2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7,  // 7x
    2, 6, 2, 6, 3, 3, 3, 3, 2, 2, 2, 2, 4, 4, 4, 4,  // 8x
    2, 6, 2, 6, 4, 4, 4, 4, 2, 5, 2, 5, 5, 5, 5, 5,  // 9x
    2, 6, 2, 6, 3, 3, 3, 4, 2, 2, 2, 2, 4, 4, 4, 4,  // Ax
    2, 5, 2, 5, 4, 4, 4, 4, 2, 4, 2, 4, 4, 4, 4, 4,  // Bx
    2, 6, 2, 8, 3, 3, 5, 5, 2, 2, 2, 2, 4, 4, 6, 6,  // Cx
    2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7,  // Dx
    2, 6, 2, 8, 3, 3, 5, 5, 2, 2, 2, 2, 4, 4, 6, 6,  // Ex
    2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7,  // Fx
};

inline uint8_t toBin(uint8_t v) { return uint8_t(10 * (v >> 4) + (v & 0x0F)); }
inline uint8_t toBcd(uint32_t v) {
  v %= 100;
  return uint8_t(((v / 10) << 4) | (v % 10));
}

}  // namespace

Cpu6507::Cpu6507(System& sys) : sys_(sys) {
  st.sp = 0xFF;
  sys_.cpu = this;
}

namespace {
inline uint8_t statusOf(const CpuState& st) {
  return uint8_t((st.n ? 0x80 : 0) | (st.v ? 0x40 : 0) | 0x30 | (st.d ? 0x08 : 0) |
                 (st.i ? 0x04 : 0) | (st.z ? 0x02 : 0) | (st.c ? 0x01 : 0));
}
}  // namespace

uint8_t Cpu6507::status() const { return statusOf(st); }

void Cpu6507::reset() {
  st.a = st.x = st.y = 0;
  st.sp = 0xFF;
  st.n = st.v = st.d = st.i = st.z = st.c = 0;
  st.jammed = 0;
  const uint8_t lo = sys_.peek(0xFFFC);
  const uint8_t hi = sys_.peek(0xFFFD);
  st.pc = uint16_t(lo | (hi << 8));
}

void Cpu6507::traceInstruction(uint8_t op, uint16_t pc) {
  uint8_t bank[3];
  sys_.cart->bankBytes(bank);
  sys_.tracePc = pc;
  sys_.traceOpcode = op;
  sys_.trace->instruction(op, pc, st.a, st.x, st.y, st.sp, status(), bank, sys_.totalCycles());
}

// The bus as execute() sees it: the same decoding as System::peek/poke (core/bus.h), with the
// cycle counter, the data-bus latch and the read/write flag held here (in registers) while the
// CPU touches only cartridge ROM pages and RIOT RAM, and written back to System before any
// device call (TIA, RIOT I/O, cartridge slow path), which sees them exactly as after System's
// own accesses. A device may change System::cycles (WSYNC) or set System::stopRequested (frame
// end): both are read back after every device call.
struct Cpu6507::Bus {
  System& s;
  Cartridge& cart;
  Tia& tia;
  Riot& riot;
  uint8_t* const ram;
  uint32_t cycles;
  uint8_t dataBus;
  bool lastAccessWasRead;
  bool stopRequested;  // System::stopRequested as of the last device call (only devices set it)

  explicit Bus(System& sys)
      : s(sys), cart(*sys.cart), tia(*sys.tia), riot(*sys.riot), ram(sys.riot->st.ram),
        cycles(sys.cycles), dataBus(sys.dataBus), lastAccessWasRead(sys.lastAccessWasRead),
        stopRequested(sys.stopRequested) {}
  EO_AI void sync() {
    s.cycles = cycles;
    s.dataBus = dataBus;
    s.lastAccessWasRead = lastAccessWasRead;
  }
  EO_AI void reload() {
    cycles = s.cycles;
    stopRequested = s.stopRequested;
  }

  EO_AI uint8_t peek(uint16_t addr) {
    uint8_t v;
    if (addr & 0x1000) {
      const uint8_t* page = cart.readPage[(addr >> 6) & 0x3F];
      if (page) {
        v = page[addr & 0x3F];
      } else {
        sync();
        v = cart.peek(addr);
        reload();
      }
    } else if (addr & 0x80) {
      if (!(addr & 0x200)) {
        v = ram[addr & 0x7F];
      } else {
        sync();
        v = riot.peek(addr);
        reload();
      }
    } else {
      sync();
      if (s.cartLowHook) cart.lowAccess(addr, 0, false);
      v = tia.peek(addr);
      reload();
    }
    dataBus = v;
    lastAccessWasRead = true;
    return v;
  }

  EO_AI void poke(uint16_t addr, uint8_t value) {
    if ((addr & 0x1280) == 0x0080) {
      ram[addr & 0x7F] = value;
    } else {
      sync();
      if (addr & 0x1000) {
        cart.poke(addr, value);
      } else if (addr & 0x80) {
        riot.poke(addr, value);
      } else {
        if (s.cartLowHook) cart.lowAccess(addr, value, true);
        tia.poke(addr, value);
      }
      reload();
    }
    dataBus = value;
    lastAccessWasRead = false;
  }
};

// Timer wait loops: `L: LDA/LDX/LDY INTIM ; BNE L` (5 ROM bytes) spin until INTIM reads 0.
// Called right after the BNE at `bnePc` jumped back to L = bnePc - 3. While the timer still
// reads non-zero, an iteration's only effects are the loaded register (the INTIM value), N and
// Z, and L cycles (4 + 2 + 1, +1 if the branch crosses a page); the bus latch and the
// read/write flag end every iteration as they are now (BNE operand read). Such iterations are
// applied at once, two instructions each, within the instruction budget; the last iterations
// (INTIM reaching 0, or the timer expiring, which has side effects) run normally.
namespace {
struct TimerWaitSkip {
  uint32_t instructions;  // 0: nothing to skip
  uint32_t cycles;
  uint8_t op;             // the load: 0xAD LDA, 0xAE LDX, 0xAC LDY
  uint8_t value;          // what the last skipped load read (non-zero)
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
TimerWaitSkip timerWaitSkip(const Cartridge& cart, const RiotState& rs, uint32_t cycles,
                            uint16_t bnePc, uint32_t budget) {
  TimerWaitSkip none{0, 0, 0, 0};
  const uint16_t loop = uint16_t(bnePc - 3);
  uint8_t code[5];
  for (int i = 0; i < 5; ++i) {
    const uint16_t a = uint16_t(loop + i);
    if (!(a & 0x1000)) return none;
    const uint8_t* page = cart.readPage[(a >> 6) & 0x3F];
    if (!page) return none;  // hotspot or register page: accesses may have side effects
    code[i] = page[a & 0x3F];
  }
  const uint8_t op = code[0];
  if ((op != 0xAD && op != 0xAE && op != 0xAC) || code[3] != 0xD0 || code[4] != 0xFB) return none;
  const uint16_t ea = uint16_t(code[1] | (code[2] << 8));
  // RIOT INTIM: A12 = 0, A7 = 1, A9 = 1, A2 = 1, A0 = 0 (core/bus.h, riot.cpp).
  if ((ea & 0x1285) != 0x0284) return none;
  if (budget <= 2) return none;
  const int64_t period = int64_t(1) << rs.shift;
  const int64_t perIteration = 7 + (((loop ^ uint16_t(bnePc + 2)) & 0xFF00) ? 1 : 0);
  // Iteration j reads INTIM at cycle C_j = cycles + 4 + j * perIteration; with
  // d_j = C_j - 1 - W the read is T - floor(d_j / 2^s) - 1, non-zero and side-effect free
  // while d_j < (T - 1) * 2^s.
  const int64_t d0 = int64_t(cycles) + 3 - rs.timerSetCycle;
  const int64_t limit = (int64_t(rs.timer) - 1) * period;
  if (d0 >= limit) return none;
  int64_t k = (limit - d0 + perIteration - 1) / perIteration;
  const int64_t maxK = int64_t(budget - 1) / 2;  // the BNE itself is counted by the caller
  if (k > maxK) k = maxK;
  if (k <= 0) return none;
  const int64_t dLast = d0 + (k - 1) * perIteration;
  const uint8_t value = uint8_t(int64_t(rs.timer) - (dLast >> rs.shift) - 1);
  return TimerWaitSkip{uint32_t(2 * k), uint32_t(k * perIteration), op, value};
}
}  // namespace

template <bool kTrace>
EO_AI inline uint32_t Cpu6507::step(CpuState& r, Bus& s, uint32_t budget) {
  uint32_t skipped = 0;
  const uint16_t opPc = r.pc;
  const uint8_t op = s.peek(opPc);
  uint16_t pc = uint16_t(opPc + 1);
  if (kTrace) {
    s.sync();
    traceInstruction(op, opPc);
  }
  s.cycles += kCycles[op];

  // ---- helpers -------------------------------------------------------------------------------
  auto rd = [&s](uint16_t a) EO_AI -> uint8_t { return s.peek(a); };
  auto wr = [&s](uint16_t a, uint8_t v) EO_AI { s.poke(a, v); };
  auto nz = [&r](uint8_t v) EO_AI {
    r.n = v >> 7;
    r.z = v == 0;
  };
  auto imm = [&]() EO_AI -> uint8_t { return rd(pc++); };
  auto word = [&]() EO_AI -> uint16_t {
    uint16_t lo = rd(pc);
    uint16_t hi = rd(uint16_t(pc + 1));
    pc = uint16_t(pc + 2);
    return uint16_t(lo | (hi << 8));
  };
  auto eaZp = [&]() EO_AI -> uint16_t { return rd(pc++); };
  auto eaZpX = [&]() EO_AI -> uint16_t { return uint8_t(rd(pc++) + r.x); };
  auto eaZpY = [&]() EO_AI -> uint16_t { return uint8_t(rd(pc++) + r.y); };
  auto eaAbs = [&]() EO_AI -> uint16_t { return word(); };
  auto eaIdxR = [&](uint16_t base, uint8_t idx) EO_AI -> uint16_t {
    uint16_t a = uint16_t(base + idx);
    if ((a ^ base) & 0xFF00) s.cycles += 1;
    return a;
  };
  auto eaAbsXR = [&]() EO_AI -> uint16_t { return eaIdxR(word(), r.x); };
  auto eaAbsYR = [&]() EO_AI -> uint16_t { return eaIdxR(word(), r.y); };
  auto eaAbsXW = [&]() EO_AI -> uint16_t { return uint16_t(word() + r.x); };
  auto eaAbsYW = [&]() EO_AI -> uint16_t { return uint16_t(word() + r.y); };
  auto pointer = [&](uint8_t p) EO_AI -> uint16_t {
    // High byte from p + 1 without wrapping (0xFF -> 0x100) [ALE-model].
    uint16_t lo = rd(p);
    uint16_t hi = rd(uint16_t(p + 1));
    return uint16_t(lo | (hi << 8));
  };
  auto eaIndX = [&]() EO_AI -> uint16_t { return pointer(uint8_t(rd(pc++) + r.x)); };
  auto eaIndYR = [&]() EO_AI -> uint16_t { return eaIdxR(pointer(rd(pc++)), r.y); };
  auto eaIndYW = [&]() EO_AI -> uint16_t { return uint16_t(pointer(rd(pc++)) + r.y); };

  auto adc = [&](uint8_t m) EO_AI {
    const uint8_t a = r.a;
    if (r.d) {
      uint32_t sum = uint32_t(toBin(a)) + toBin(m) + r.c;
      r.c = sum > 99;
      uint8_t res = toBcd(sum & 0xFF);
      r.v = ((a ^ res) & 0x80) && ((res ^ m) & 0x80);
      r.a = res;
      nz(res);
    } else {
      uint32_t sum = uint32_t(a) + m + r.c;
      uint8_t res = uint8_t(sum);
      r.c = sum > 0xFF;
      r.v = ((a ^ res) & (m ^ res) & 0x80) != 0;
      r.a = res;
      nz(res);
    }
  };
  auto sbc = [&](uint8_t m) EO_AI {
    const uint8_t a = r.a;
    const int32_t borrow = 1 - r.c;
    if (r.d) {
      int32_t diff = int32_t(toBin(a)) - toBin(m) - borrow;
      if (diff < 0) diff += 100;
      if (diff < 0) diff = ((diff % 100) + 100) % 100;  // grossly invalid BCD: undefined upstream
      uint8_t res = toBcd(uint32_t(diff));
      r.c = int32_t(a) - int32_t(m) - borrow >= 0;
      r.v = ((a ^ res) & 0x80) && ((res ^ m) & 0x80);
      r.a = res;
      nz(res);
    } else {
      int32_t diff = int32_t(a) - int32_t(m) - borrow;
      uint8_t res = uint8_t(diff);
      r.c = diff >= 0;
      r.v = ((a ^ m) & (a ^ res) & 0x80) != 0;
      r.a = res;
      nz(res);
    }
  };
  auto cmp = [&](uint8_t reg, uint8_t m) EO_AI {
    r.c = reg >= m;
    nz(uint8_t(reg - m));
  };
  auto asl = [&](uint8_t v) EO_AI -> uint8_t {
    r.c = v >> 7;
    v = uint8_t(v << 1);
    nz(v);
    return v;
  };
  auto lsr = [&](uint8_t v) EO_AI -> uint8_t {
    r.c = v & 1;
    v = uint8_t(v >> 1);
    nz(v);
    return v;
  };
  auto rol = [&](uint8_t v) EO_AI -> uint8_t {
    uint8_t c = r.c;
    r.c = v >> 7;
    v = uint8_t((v << 1) | c);
    nz(v);
    return v;
  };
  auto ror = [&](uint8_t v) EO_AI -> uint8_t {
    uint8_t c = r.c;
    r.c = v & 1;
    v = uint8_t((v >> 1) | (c << 7));
    nz(v);
    return v;
  };
  auto branch = [&](bool cond) EO_AI {
    const int8_t off = int8_t(rd(pc++));
    if (cond) {
      uint16_t target = uint16_t(pc + off);
      s.cycles += ((target ^ pc) & 0xFF00) ? 2 : 1;
      pc = target;
    }
  };
  auto push = [&](uint8_t v) EO_AI {
    wr(uint16_t(0x100 + r.sp), v);
    r.sp = uint8_t(r.sp - 1);
  };
  auto setP = [&](uint8_t p) EO_AI {
    r.n = (p >> 7) & 1;
    r.v = (p >> 6) & 1;
    r.d = (p >> 3) & 1;
    r.i = (p >> 2) & 1;
    r.z = (p >> 1) & 1;
    r.c = p & 1;
  };
  // Unstable stores: value & (H + 1), H = high byte of the final address.
  auto shStore = [&](uint16_t ea, uint8_t v) EO_AI { wr(ea, uint8_t(v & uint8_t((ea >> 8) + 1))); };

  auto dec = [&](uint8_t v) EO_AI -> uint8_t { v = uint8_t(v - 1); nz(v); return v; };
  auto inc = [&](uint8_t v) EO_AI -> uint8_t { v = uint8_t(v + 1); nz(v); return v; };
  auto slo = [&](uint8_t v) EO_AI -> uint8_t { r.c = v >> 7; v = uint8_t(v << 1); r.a |= v; nz(r.a); return v; };
  auto rla = [&](uint8_t v) EO_AI -> uint8_t {
    uint8_t c = r.c; r.c = v >> 7; v = uint8_t((v << 1) | c); r.a &= v; nz(r.a); return v;
  };
  auto sre = [&](uint8_t v) EO_AI -> uint8_t { r.c = v & 1; v = uint8_t(v >> 1); r.a ^= v; nz(r.a); return v; };
  auto rra = [&](uint8_t v) EO_AI -> uint8_t {
    uint8_t c = r.c; r.c = v & 1; v = uint8_t((v >> 1) | (c << 7)); adc(v); return v;
  };
  auto dcp = [&](uint8_t v) EO_AI -> uint8_t { v = uint8_t(v - 1); cmp(r.a, v); return v; };
  auto isb = [&](uint8_t v) EO_AI -> uint8_t { v = uint8_t(v + 1); sbc(v); return v; };

#define RMW(EA, F)            \
  {                           \
    uint16_t ea = EA;         \
    uint8_t m = rd(ea);       \
    m = F;                    \
    wr(ea, m);                \
  }

  switch (op) {
    // ---- loads ----
    case 0xA9: r.a = imm(); nz(r.a); break;
    case 0xA5: r.a = rd(eaZp()); nz(r.a); break;
    case 0xB5: r.a = rd(eaZpX()); nz(r.a); break;
    case 0xAD: r.a = rd(eaAbs()); nz(r.a); break;
    case 0xBD: r.a = rd(eaAbsXR()); nz(r.a); break;
    case 0xB9: r.a = rd(eaAbsYR()); nz(r.a); break;
    case 0xA1: r.a = rd(eaIndX()); nz(r.a); break;
    case 0xB1: r.a = rd(eaIndYR()); nz(r.a); break;
    case 0xA2: r.x = imm(); nz(r.x); break;
    case 0xA6: r.x = rd(eaZp()); nz(r.x); break;
    case 0xB6: r.x = rd(eaZpY()); nz(r.x); break;
    case 0xAE: r.x = rd(eaAbs()); nz(r.x); break;
    case 0xBE: r.x = rd(eaAbsYR()); nz(r.x); break;
    case 0xA0: r.y = imm(); nz(r.y); break;
    case 0xA4: r.y = rd(eaZp()); nz(r.y); break;
    case 0xB4: r.y = rd(eaZpX()); nz(r.y); break;
    case 0xAC: r.y = rd(eaAbs()); nz(r.y); break;
    case 0xBC: r.y = rd(eaAbsXR()); nz(r.y); break;
    // ---- stores ----
    case 0x85: wr(eaZp(), r.a); break;
    case 0x95: wr(eaZpX(), r.a); break;
    case 0x8D: wr(eaAbs(), r.a); break;
    case 0x9D: wr(eaAbsXW(), r.a); break;
    case 0x99: wr(eaAbsYW(), r.a); break;
    case 0x81: wr(eaIndX(), r.a); break;
    case 0x91: wr(eaIndYW(), r.a); break;
    case 0x86: wr(eaZp(), r.x); break;
    case 0x96: wr(eaZpY(), r.x); break;
    case 0x8E: wr(eaAbs(), r.x); break;
    case 0x84: wr(eaZp(), r.y); break;
    case 0x94: wr(eaZpX(), r.y); break;
    case 0x8C: wr(eaAbs(), r.y); break;
    // ---- ALU: ORA AND EOR ADC CMP SBC ----
#define ALU(base, EXPR)                                  \
  case base + 0x09: { uint8_t m = imm(); EXPR; } break;          \
  case base + 0x05: { uint8_t m = rd(eaZp()); EXPR; } break;     \
  case base + 0x15: { uint8_t m = rd(eaZpX()); EXPR; } break;    \
  case base + 0x0D: { uint8_t m = rd(eaAbs()); EXPR; } break;    \
  case base + 0x1D: { uint8_t m = rd(eaAbsXR()); EXPR; } break;  \
  case base + 0x19: { uint8_t m = rd(eaAbsYR()); EXPR; } break;  \
  case base + 0x01: { uint8_t m = rd(eaIndX()); EXPR; } break;   \
  case base + 0x11: { uint8_t m = rd(eaIndYR()); EXPR; } break;
    ALU(0x00, r.a |= m; nz(r.a))
    ALU(0x20, r.a &= m; nz(r.a))
    ALU(0x40, r.a ^= m; nz(r.a))
    ALU(0x60, adc(m))
    ALU(0xC0, cmp(r.a, m))
    ALU(0xE0, sbc(m))
#undef ALU
    case 0xEB: sbc(imm()); break;
    case 0xE0: cmp(r.x, imm()); break;
    case 0xE4: cmp(r.x, rd(eaZp())); break;
    case 0xEC: cmp(r.x, rd(eaAbs())); break;
    case 0xC0: cmp(r.y, imm()); break;
    case 0xC4: cmp(r.y, rd(eaZp())); break;
    case 0xCC: cmp(r.y, rd(eaAbs())); break;
    case 0x24: { uint8_t m = rd(eaZp()); r.z = (r.a & m) == 0; r.n = m >> 7; r.v = (m >> 6) & 1; } break;
    case 0x2C: { uint8_t m = rd(eaAbs()); r.z = (r.a & m) == 0; r.n = m >> 7; r.v = (m >> 6) & 1; } break;
    // ---- shifts / inc / dec ----
    case 0x0A: r.a = asl(r.a); break;
    case 0x4A: r.a = lsr(r.a); break;
    case 0x2A: r.a = rol(r.a); break;
    case 0x6A: r.a = ror(r.a); break;
#define SHIFTS(base, F)                          \
  case base + 0x06: RMW(eaZp(), F(m)) break;     \
  case base + 0x16: RMW(eaZpX(), F(m)) break;    \
  case base + 0x0E: RMW(eaAbs(), F(m)) break;    \
  case base + 0x1E: RMW(eaAbsXW(), F(m)) break;
    SHIFTS(0x00, asl)
    SHIFTS(0x20, rol)
    SHIFTS(0x40, lsr)
    SHIFTS(0x60, ror)
#undef SHIFTS
#define INCDEC(base, F)                        \
  case base + 0x06: RMW(eaZp(), F(m)) break;     \
  case base + 0x16: RMW(eaZpX(), F(m)) break;    \
  case base + 0x0E: RMW(eaAbs(), F(m)) break;    \
  case base + 0x1E: RMW(eaAbsXW(), F(m)) break;
    INCDEC(0xC0, dec)
    INCDEC(0xE0, inc)
#undef INCDEC
    case 0xE8: r.x = uint8_t(r.x + 1); nz(r.x); break;
    case 0xC8: r.y = uint8_t(r.y + 1); nz(r.y); break;
    case 0xCA: r.x = uint8_t(r.x - 1); nz(r.x); break;
    case 0x88: r.y = uint8_t(r.y - 1); nz(r.y); break;
    // ---- transfers / flags ----
    case 0xAA: r.x = r.a; nz(r.x); break;
    case 0xA8: r.y = r.a; nz(r.y); break;
    case 0x8A: r.a = r.x; nz(r.a); break;
    case 0x98: r.a = r.y; nz(r.a); break;
    case 0xBA: r.x = r.sp; nz(r.x); break;
    case 0x9A: r.sp = r.x; break;
    case 0x18: r.c = 0; break;
    case 0x38: r.c = 1; break;
    case 0x58: r.i = 0; break;
    case 0x78: r.i = 1; break;
    case 0xB8: r.v = 0; break;
    case 0xD8: r.d = 0; break;
    case 0xF8: r.d = 1; break;
    // ---- stack ----
    case 0x48: push(r.a); break;
    case 0x08: push(statusOf(r)); break;
    case 0x68:
      rd(uint16_t(0x100 + r.sp));
      r.sp = uint8_t(r.sp + 1);
      r.a = rd(uint16_t(0x100 + r.sp));
      nz(r.a);
      break;
    case 0x28:
      rd(uint16_t(0x100 + r.sp));
      r.sp = uint8_t(r.sp + 1);
      setP(rd(uint16_t(0x100 + r.sp)));
      break;
    // ---- jumps ----
    case 0x4C: pc = word(); break;
    case 0x6C: {
      uint16_t a = word();
      uint16_t hiAddr = ((a & 0xFF) == 0xFF) ? uint16_t(a & 0xFF00) : uint16_t(a + 1);
      uint16_t lo = rd(a);
      uint16_t hi = rd(hiAddr);
      pc = uint16_t(lo | (hi << 8));
    } break;
    case 0x20: {
      uint8_t lo = rd(pc++);
      rd(uint16_t(0x100 + r.sp));
      push(uint8_t(pc >> 8));
      push(uint8_t(pc & 0xFF));
      uint16_t hi = rd(pc);
      pc = uint16_t(lo | (hi << 8));
    } break;
    case 0x60: {
      rd(uint16_t(0x100 + r.sp));
      r.sp = uint8_t(r.sp + 1);
      uint16_t lo = rd(uint16_t(0x100 + r.sp));
      r.sp = uint8_t(r.sp + 1);
      uint16_t hi = rd(uint16_t(0x100 + r.sp));
      pc = uint16_t(lo | (hi << 8));
      rd(pc);
      pc = uint16_t(pc + 1);
    } break;
    case 0x40: {
      rd(uint16_t(0x100 + r.sp));
      r.sp = uint8_t(r.sp + 1);
      setP(rd(uint16_t(0x100 + r.sp)));
      r.sp = uint8_t(r.sp + 1);
      uint16_t lo = rd(uint16_t(0x100 + r.sp));
      r.sp = uint8_t(r.sp + 1);
      uint16_t hi = rd(uint16_t(0x100 + r.sp));
      pc = uint16_t(lo | (hi << 8));
    } break;
    case 0x00: {
      rd(pc);
      pc = uint16_t(pc + 1);
      push(uint8_t(pc >> 8));
      push(uint8_t(pc & 0xFF));
      push(statusOf(r));
      r.i = 1;
      uint16_t lo = rd(0xFFFE);
      uint16_t hi = rd(0xFFFF);
      pc = uint16_t(lo | (hi << 8));
    } break;
    // ---- branches ----
    case 0x10: branch(!r.n); break;
    case 0x30: branch(r.n); break;
    case 0x50: branch(!r.v); break;
    case 0x70: branch(r.v); break;
    case 0x90: branch(!r.c); break;
    case 0xB0: branch(r.c); break;
    case 0xD0:
      branch(!r.z);
      // A taken BNE -5 may close a timer wait (LDA/LDX/LDY INTIM; BNE back).
      if (!kTrace && pc == uint16_t(opPc - 3)) {
        const TimerWaitSkip t = timerWaitSkip(s.cart, s.riot.st, s.cycles, opPc, budget);
        if (t.instructions != 0) {
          if (t.op == 0xAD) r.a = t.value;
          else if (t.op == 0xAE) r.x = t.value;
          else r.y = t.value;
          r.n = t.value >> 7;
          r.z = 0;
          s.cycles += t.cycles;
          skipped = t.instructions;
        }
      }
      break;
    case 0xF0: branch(r.z); break;
    // ---- NOPs ----
    case 0xEA: case 0x1A: case 0x3A: case 0x5A: case 0x7A: case 0xDA: case 0xFA: break;
    case 0x80: case 0x82: case 0x89: case 0xC2: case 0xE2: imm(); break;
    case 0x04: case 0x44: case 0x64: rd(eaZp()); break;
    case 0x14: case 0x34: case 0x54: case 0x74: case 0xD4: case 0xF4: rd(eaZpX()); break;
    case 0x0C: rd(eaAbs()); break;
    case 0x1C: case 0x3C: case 0x5C: case 0x7C: case 0xDC: case 0xFC: rd(eaAbsXR()); break;
    // ---- undocumented RMW combinations (single write) ----
#define COMBO(base, F)                           \
  case base + 0x07: RMW(eaZp(), F(m)) break;     \
  case base + 0x17: RMW(eaZpX(), F(m)) break;    \
  case base + 0x0F: RMW(eaAbs(), F(m)) break;    \
  case base + 0x1F: RMW(eaAbsXW(), F(m)) break;  \
  case base + 0x1B: RMW(eaAbsYW(), F(m)) break;  \
  case base + 0x03: RMW(eaIndX(), F(m)) break;   \
  case base + 0x13: RMW(eaIndYW(), F(m)) break;
    COMBO(0x00, slo)
    COMBO(0x20, rla)
    COMBO(0x40, sre)
    COMBO(0x60, rra)
    COMBO(0xC0, dcp)
    COMBO(0xE0, isb)
#undef COMBO
    // ---- LAX / SAX ----
    case 0xA7: r.a = r.x = rd(eaZp()); nz(r.a); break;
    case 0xB7: r.a = r.x = rd(eaZpY()); nz(r.a); break;
    case 0xAF: r.a = r.x = rd(eaAbs()); nz(r.a); break;
    case 0xBF: r.a = r.x = rd(eaAbsYR()); nz(r.a); break;
    case 0xA3: r.a = r.x = rd(eaIndX()); nz(r.a); break;
    case 0xB3: r.a = r.x = rd(eaIndYR()); nz(r.a); break;
    case 0x87: wr(eaZp(), uint8_t(r.a & r.x)); break;
    case 0x97: wr(eaZpY(), uint8_t(r.a & r.x)); break;
    case 0x8F: wr(eaAbs(), uint8_t(r.a & r.x)); break;
    case 0x83: wr(eaIndX(), uint8_t(r.a & r.x)); break;
    // ---- immediate oddities ----
    case 0x0B: case 0x2B: r.a &= imm(); nz(r.a); r.c = r.n; break;  // ANC
    case 0x4B: r.a &= imm(); r.a = lsr(r.a); break;                 // ASR
    case 0x6B: {                                                     // ARR
      uint8_t v = uint8_t(r.a & imm());
      if (!r.d) {
        r.a = uint8_t((v >> 1) | (r.c << 7));
        nz(r.a);
        r.c = (r.a >> 6) & 1;
        r.v = ((r.a >> 6) ^ (r.a >> 5)) & 1;
      } else {
        uint8_t a = uint8_t((v >> 1) | (r.c << 7));
        r.n = r.c;
        r.z = a == 0;
        r.v = ((v ^ a) >> 6) & 1;
        if ((v & 0x0F) + (v & 0x01) > 5) a = uint8_t((a & 0xF0) | ((a + 6) & 0x0F));
        if ((v & 0xF0) + (v & 0x10) > 0x50) {
          a = uint8_t(a + 0x60);
          r.c = 1;
        } else {
          r.c = 0;
        }
        r.a = a;
      }
    } break;
    case 0xCB: {  // SBX
      uint8_t m = imm();
      uint8_t ax = uint8_t(r.a & r.x);
      r.c = ax >= m;
      r.x = uint8_t(ax - m);
      nz(r.x);
    } break;
    case 0x8B: r.a = uint8_t((r.a | 0xEE) & r.x & imm()); nz(r.a); break;  // ANE
    case 0xAB: r.a = r.x = uint8_t((r.a | 0xEE) & imm()); nz(r.a); break;  // LXA
    case 0xBB: {  // LAS
      uint8_t m = rd(eaAbsYR());
      r.a = r.x = r.sp = uint8_t(r.sp & m);
      nz(r.a);
    } break;
    case 0x93: shStore(eaIndYW(), uint8_t(r.a & r.x)); break;  // SHA (zp),Y
    case 0x9F: shStore(eaAbsYW(), uint8_t(r.a & r.x)); break;  // SHA abs,Y
    case 0x9E: shStore(eaAbsYW(), r.x); break;                 // SHX
    case 0x9C: shStore(eaAbsXW(), r.y); break;                 // SHY
    case 0x9B:                                                 // SHS
      r.sp = uint8_t(r.a & r.x);
      shStore(eaAbsYW(), uint8_t(r.a & r.x));
      break;
    // ---- JAM ----
    case 0x02: case 0x12: case 0x22: case 0x32: case 0x42: case 0x52:
    case 0x62: case 0x72: case 0x92: case 0xB2: case 0xD2: case 0xF2:
      r.jammed = 1;
      break;
  }
  r.pc = pc;
  return skipped;
#undef RMW
}

bool Cpu6507::execute(uint32_t maxInstructions) {
  sys_.stopRequested = false;
  if (st.jammed) return false;
  if (!sys_.cart || !sys_.tia || !sys_.riot) return false;  // not a complete machine
  Bus bus(sys_);
  bool running = true;
  if (sys_.trace) {
    for (; maxInstructions != 0 && !bus.stopRequested; --maxInstructions) {
      step<true>(st, bus, maxInstructions);
      if (st.jammed) {
        running = false;
        break;
      }
    }
  } else {
    CpuState r = st;
    for (; maxInstructions != 0 && !bus.stopRequested; --maxInstructions) {
      maxInstructions -= step<false>(r, bus, maxInstructions);
      if (r.jammed) {
        running = false;
        break;
      }
    }
    st = r;
  }
  bus.sync();
  return running;
}

}  // namespace eo::core
