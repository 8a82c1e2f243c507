// eo_core_check: native checks of the emulator core (CPU, RIOT, carts, detector, console build).
//
//   eo_core_check [SHARED_DIR]     (default ../shared relative to the working directory)
//
// Expected values are worked out by hand from the 6502 instruction semantics and from
// ../shared/docs/hardware-notes.md (§2 CPU low model, §8 RIOT timer formula, §9 carts), and the
// per-ROM bankswitch/format facts come from ../shared/roms/cart-types.json (recorded with
// upstream ALE). Prints one line per failed check and a summary; exit status 1 on any failure.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/bus.h"
#include "core/cart_detect.h"
#include "core/console.h"
#include "core/cpu6507.h"

using namespace eo::core;

namespace {

int failures = 0;
int checks = 0;

void expectEq(const std::string& what, long long got, long long want) {
  ++checks;
  if (got != want) {
    ++failures;
    std::printf("FAIL %s: got 0x%llX (%lld), want 0x%llX (%lld)\n", what.c_str(), got, got, want, want);
  }
}
void expectTrue(const std::string& what, bool ok) {
  ++checks;
  if (!ok) {
    ++failures;
    std::printf("FAIL %s\n", what.c_str());
  }
}

// A bare machine (no Console): System + CPU + RIOT + TIA + a cartridge built from `image`.
struct Machine {
  System sys;
  std::unique_ptr<Cartridge> cart;
  std::unique_ptr<Cpu6507> cpu;
  std::unique_ptr<Riot> riot;
  std::unique_ptr<Tia> tia;
  Machine(const std::vector<uint8_t>& image, const std::string& scheme) {
    cart = createCartridge(sys, image.data(), image.size(), scheme);
    sys.cart = cart.get();
    cpu = std::make_unique<Cpu6507>(sys);
    riot = std::make_unique<Riot>(sys);
    riot->powerOn();
    tia = std::make_unique<Tia>(sys);
    sys.tia = tia.get();
    sys.resetCycles(1);
    riot->reset();
    tia->reset();
    cart->reset();
    cpu->reset();
  }
  // Runs until the program's JAM; returns the cycle count (JAM's 2 cycles included).
  uint32_t run() {
    cpu->execute(100000);
    return sys.cycles;
  }
  uint8_t ram(uint8_t addr) const { return riot->st.ram[addr & 0x7F]; }
};

// 4K image: `code` at 0xF000 + offset, reset vector -> start, BRK vector -> brk.
std::vector<uint8_t> image4k(const std::vector<uint8_t>& code, uint16_t start = 0xF000,
                             uint16_t brk = 0xF400) {
  std::vector<uint8_t> img(4096, 0x02);  // JAM everywhere else
  std::memcpy(img.data() + (start & 0x0FFF), code.data(), code.size());
  img[0xFFC] = uint8_t(start);
  img[0xFFD] = uint8_t(start >> 8);
  img[0xFFE] = uint8_t(brk);
  img[0xFFF] = uint8_t(brk >> 8);
  return img;
}

void cpuChecks() {
  {  // binary ADC overflow
    Machine m(image4k({0x18, 0xA9, 0x50, 0x69, 0x50, 0x02}), "4K");
    expectEq("ADC cycles", m.run(), 2 + 2 + 2 + 2);
    expectEq("ADC $50+$50 A", m.cpu->st.a, 0xA0);
    expectEq("ADC $50+$50 V", m.cpu->st.v, 1);
    expectEq("ADC $50+$50 N", m.cpu->st.n, 1);
    expectEq("ADC $50+$50 C", m.cpu->st.c, 0);
  }
  {  // binary SBC borrow
    Machine m(image4k({0x38, 0xA9, 0x10, 0xE9, 0x20, 0x02}), "4K");
    m.run();
    expectEq("SBC $10-$20 A", m.cpu->st.a, 0xF0);
    expectEq("SBC $10-$20 C", m.cpu->st.c, 0);
  }
  {  // decimal ADC (hardware-notes §2)
    Machine m(image4k({0xF8, 0x18, 0xA9, 0x58, 0x69, 0x46, 0x85, 0x80, 0x08, 0xA9, 0x58, 0x38,
                       0x69, 0x46, 0x85, 0x81, 0xA9, 0xFF, 0x18, 0x69, 0x00, 0x02}),
              "4K");
    m.run();
    expectEq("BCD 58+46 A", m.ram(0x80), 0x04);
    expectEq("BCD 58+46 C (pushed P)", m.ram(0xFF) & 1, 1);
    expectEq("BCD 58+46+1 A", m.ram(0x81), 0x05);
    expectEq("BCD FF(=165)+00 A", m.cpu->st.a, 0x65);
    expectEq("BCD FF(=165)+00 C", m.cpu->st.c, 1);
  }
  {  // decimal SBC
    Machine m(image4k({0xF8, 0x38, 0xA9, 0x46, 0xE9, 0x12, 0x85, 0x80, 0x38, 0xA9, 0x12, 0xE9,
                       0x21, 0x02}),
              "4K");
    m.run();
    expectEq("BCD 46-12 A", m.ram(0x80), 0x34);
    expectEq("BCD 12-21 A", m.cpu->st.a, 0x91);
    expectEq("BCD 12-21 C", m.cpu->st.c, 0);
  }
  {  // page-cross penalty on indexed reads only
    Machine m(image4k({0xA2, 0x01, 0xBD, 0xFF, 0xF0, 0x02}), "4K");
    expectEq("LDA abs,X page cross cycles", m.run(), 2 + 5 + 2);
    Machine n(image4k({0xA2, 0x01, 0xBD, 0x00, 0xF0, 0x02}), "4K");
    expectEq("LDA abs,X same page cycles", n.run(), 2 + 4 + 2);
    Machine s(image4k({0xA9, 0x77, 0xA2, 0x01, 0x9D, 0x7F, 0x01, 0x02}), "4K");
    expectEq("STA abs,X page cross cycles (no penalty)", s.run(), 2 + 2 + 5 + 2);
    expectEq("STA $017F,X wrote RAM $80", s.ram(0x80), 0x77);
    Machine y(image4k({0xA9, 0x01, 0x85, 0x80, 0xA9, 0xF0, 0x85, 0x81, 0xA0, 0xFF, 0xB1, 0x80, 0x02}), "4K");
    expectEq("LDA (zp),Y page cross cycles", y.run(), 2 + 3 + 2 + 3 + 2 + 6 + 2);
    expectEq("LDA ($80),Y value = ROM $F100", y.cpu->st.a, 0x02);
    Machine z(image4k({0xA9, 0x00, 0x85, 0x80, 0xA9, 0xF0, 0x85, 0x81, 0xA0, 0xFF, 0xB1, 0x80, 0x02}), "4K");
    expectEq("LDA (zp),Y same page cycles", z.run(), 2 + 3 + 2 + 3 + 2 + 5 + 2);
  }
  {  // branches: not taken 2, taken 3, taken across a page 4
    Machine m(image4k({0xA9, 0x01, 0xF0, 0x00, 0x02}), "4K");
    expectEq("BEQ not taken", m.run(), 2 + 2 + 2);
    Machine t(image4k({0xA9, 0x00, 0xF0, 0x00, 0x02}), "4K");
    expectEq("BEQ taken", t.run(), 2 + 3 + 2);
    Machine c(image4k({0xA9, 0x00, 0xF0, 0x02}, 0xF0FA), "4K");
    expectEq("BEQ taken across page", c.run(), 2 + 4 + 2);
    expectEq("BEQ across page PC", c.cpu->st.pc, 0xF101);
  }
  {  // JMP (ind) page-wrap bug
    std::vector<uint8_t> img = image4k({0x6C, 0xFF, 0xF1});
    img[0x1FF] = 0x00;  // low byte at $F1FF
    img[0x100] = 0xF3;  // high byte taken from $F100 (bug)
    img[0x200] = 0xF5;  // not from $F200
    img[0x300] = 0xA9; img[0x301] = 0x33; img[0x302] = 0x02;  // $F300: LDA #$33; JAM
    Machine m(img, "4K");
    expectEq("JMP ind cycles", m.run(), 5 + 2 + 2);
    expectEq("JMP ($F1FF) went to $F300", m.cpu->st.a, 0x33);
  }
  {  // JSR / RTS stack contents
    std::vector<uint8_t> img = image4k({0x20, 0x00, 0xF3, 0x02});
    img[0x300] = 0xBA;  // TSX
    img[0x301] = 0x60;  // RTS
    Machine m(img, "4K");
    expectEq("JSR+TSX+RTS cycles", m.run(), 6 + 2 + 6 + 2);
    expectEq("SP inside subroutine", m.cpu->st.x, 0xFD);
    expectEq("pushed PCH", m.ram(0xFF), 0xF0);
    expectEq("pushed PCL (return - 1)", m.ram(0xFE), 0x02);
    expectEq("RTS returned to JAM at $F003", m.cpu->st.pc, 0xF004);
    expectEq("SP after RTS", m.cpu->st.sp, 0xFF);
  }
  {  // BRK pushes PC+2 and P with B and bit 5, sets I
    Machine m(image4k({0x38, 0x00, 0xEA}), "4K");
    expectEq("SEC+BRK cycles", m.run(), 2 + 7 + 2);
    expectEq("BRK pushed PCH", m.ram(0xFF), 0xF0);
    expectEq("BRK pushed PCL", m.ram(0xFE), 0x03);
    expectEq("BRK pushed P", m.ram(0xFD), 0x31);
    expectEq("BRK set I", m.cpu->st.i, 1);
    expectEq("BRK vector", m.cpu->st.pc, 0xF401);
  }
  {  // PLP loads all flags, PHP pushes with bits 4/5 set
    Machine m(image4k({0xA9, 0xFF, 0x48, 0x28, 0x08, 0xA9, 0x00, 0x48, 0x28, 0x08, 0x02}), "4K");
    m.run();
    expectEq("PHP after PLP $FF", m.ram(0xFF), 0xFF);
    expectEq("PHP after PLP $00", m.ram(0xFE), 0x30);
    expectEq("status() after PLP $00", m.cpu->status(), 0x30);
  }
  {  // reset state (hardware-notes §2)
    Machine m(image4k({0x02}), "4K");
    expectEq("reset PC", m.cpu->st.pc, 0xF000);
    expectEq("reset SP", m.cpu->st.sp, 0xFF);
    expectEq("reset P", m.cpu->status(), 0x30);
  }
  {  // undocumented opcodes
    Machine m(image4k({
                  0xA9, 0x5A, 0x85, 0x80,        // ram80 = 5A
                  0xA7, 0x80,                    // LAX $80
                  0x86, 0x90,                    // STX $90
                  0xA9, 0xF0, 0xA2, 0x3C, 0x87, 0x81,  // SAX $81 -> 30
                  0xA9, 0x10, 0x85, 0x82, 0xA9, 0x0F, 0xC7, 0x82,  // DCP $82 -> 0F, Z=1 C=1
                  0x08,                          // PHP -> ram FF
                  0xA9, 0x0F, 0x85, 0x83, 0x38, 0xA9, 0x20, 0xE7, 0x83,  // ISB $83 -> 10, A=10
                  0x85, 0x91,                    // STA $91
                  0xA9, 0x81, 0x85, 0x84, 0xA9, 0x01, 0x07, 0x84,  // SLO $84 -> 02, A=03, C=1
                  0x85, 0x92,                    // STA $92
                  0xA9, 0xFF, 0x0B, 0x80, 0x85, 0x93,  // ANC #$80 -> 80, C=1
                  0xA9, 0x03, 0x4B, 0xFF, 0x85, 0x94,  // ASR #$FF -> 01
                  0xA9, 0x0F, 0xA2, 0xF3, 0xCB, 0x01, 0x86, 0x95,  // SBX #1 -> X = 03-1 = 02
                  0xA9, 0x00, 0xAB, 0xFF, 0x86, 0x96,  // LXA #$FF -> EE
                  0xA9, 0x00, 0xA2, 0x0F, 0x8B, 0xFF, 0x85, 0x97,  // ANE #$FF -> 0E
                  0x38, 0xA9, 0xFF, 0x6B, 0xFF, 0x85, 0x98, 0x08,  // ARR #$FF (C=1) -> FF, C=1, V=0
                  0x02}),
              "4K");
    m.run();
    expectEq("LAX zp -> X", m.ram(0x90), 0x5A);
    expectEq("SAX", m.ram(0x81), 0x30);
    expectEq("DCP memory", m.ram(0x82), 0x0F);
    expectEq("DCP flags Z,C", m.ram(0xFF) & 0x03, 0x03);
    expectEq("ISB memory", m.ram(0x83), 0x10);
    expectEq("ISB A", m.ram(0x91), 0x10);
    expectEq("SLO memory", m.ram(0x84), 0x02);
    expectEq("SLO A", m.ram(0x92), 0x03);
    expectEq("ANC", m.ram(0x93), 0x80);
    expectEq("ASR", m.ram(0x94), 0x01);
    expectEq("SBX", m.ram(0x95), 0x02);
    expectEq("LXA", m.ram(0x96), 0xEE);
    expectEq("ANE", m.ram(0x97), 0x0E);
    expectEq("ARR A", m.ram(0x98), 0xFF);
    expectEq("ARR flags C=1 V=0", m.ram(0xFE) & 0x41, 0x01);
    Machine t(image4k({0xA7, 0x80, 0x02}), "4K");
    expectEq("LAX zp = 4 cycles [ALE-model]", t.run(), 4 + 2);
  }
  {  // JAM halts for good; reset clears it
    Machine m(image4k({0xE8, 0x02, 0xE8}), "4K");
    expectTrue("execute returns false at JAM", !m.cpu->execute(100));
    const uint32_t c = m.sys.cycles;
    expectTrue("execute stays false", !m.cpu->execute(100));
    expectEq("no cycles after JAM", m.sys.cycles, c);
    expectEq("X after INX, JAM", m.cpu->st.x, 1);
    m.cpu->reset();
    expectTrue("reset clears JAM", !m.cpu->jammed());
  }
}

void traceChecks() {
  // Instruction records (conformance/debug README): kind 0, opcode, PC, A X Y SP, P|0x30,
  // bank bytes, T at the start of the instruction; RIOT writes as kind 0x11 records.
  std::FILE* cpuF = std::tmpfile();
  std::FILE* tiaF = std::tmpfile();
  if (!cpuF || !tiaF) {
    expectTrue("tmpfile for trace check", false);
    return;
  }
  {
    TraceWriter tw(cpuF, tiaF);
    Machine m(image4k({0xA2, 0x07, 0x8E, 0x96, 0x02, 0x02}), "4K");
    m.sys.trace = &tw;
    m.run();
    m.sys.trace = nullptr;
  }
  std::rewind(cpuF);
  std::rewind(tiaF);
  uint8_t r[3][16];
  const size_t n = std::fread(r, 16, 3, cpuF);
  expectEq("trace: instruction records", n, 3);
  if (n == 3) {
    expectEq("trace rec0 kind", r[0][0], 0x00);
    expectEq("trace rec0 opcode", r[0][1], 0xA2);
    expectEq("trace rec0 PC", r[0][2] | r[0][3] << 8, 0xF000);
    expectEq("trace rec0 P|0x30", r[0][8], 0x30);
    expectEq("trace rec1 X before STX", r[1][5], 0x07);
    expectEq("trace rec1 T", r[1][12] | r[1][13] << 8, 2);
    expectEq("trace rec2 T", r[2][12] | r[2][13] << 8, 6);
    expectEq("trace rec2 opcode JAM", r[2][1], 0x02);
  }
  uint8_t w[16];
  expectEq("trace: one RIOT write record", std::fread(w, 16, 1, tiaF), 1);
  expectEq("RIOT record kind", w[0], 0x11);
  expectEq("RIOT record value", w[1], 0x07);
  expectEq("RIOT record address", w[2] | w[3] << 8, 0x0296);
  expectEq("RIOT record PC", w[4] | w[5] << 8, 0xF002);
  expectEq("RIOT record opcode", w[10], 0x8E);
  expectEq("RIOT record T (end of STX abs)", w[12] | w[13] << 8, 6);
  std::fclose(cpuF);
  std::fclose(tiaF);
}

void riotChecks() {
  // Timer formula (hardware-notes §8). STA abs = 4 cycles, LDA abs = 4, NOP = 2.
  {
    Machine m(image4k({0xA9, 0x0A, 0x8D, 0x96, 0x02, 0xAD, 0x84, 0x02, 0x02}), "4K");
    m.run();
    // W = 6, read at C = 10: d = 3, t = 10 - 0 - 1 = 9.
    expectEq("INTIM right after TIM64T=10", m.cpu->st.a, 9);
  }
  {
    Machine m(image4k({0xA9, 0x02, 0x8D, 0x94, 0x02, 0xEA, 0xEA, 0xEA, 0xAD, 0x84, 0x02, 0xAE,
                       0x85, 0x02, 0xAC, 0x84, 0x02, 0x02}),
              "4K");
    m.run();
    // W = 6, first read at C = 16: d = 9, t = -8, e = 2 - 9 - 1 = -8 -> F set, I = 16;
    // value = 2 - 9 - (16 - (6 + 2)) = -15 -> 0xF1.
    expectEq("INTIM after TIM1T expiry", m.cpu->st.a, 0xF1);
    // TIMINT at C = 20 with F set -> 0.
    expectEq("TIMINT after the flag was set", m.cpu->st.x, 0x00);
    // INTIM at C = 24: d = 17 -> 2 - 17 - (16 - 8) = -23 -> 0xE9.
    expectEq("INTIM later", m.cpu->st.y, 0xE9);
  }
  {
    Machine m(image4k({0xA9, 0x01, 0x8D, 0x94, 0x02, 0xEA, 0xAE, 0x85, 0x02, 0x02}), "4K");
    m.run();
    // W = 6, TIMINT read at C = 12: d = 5, t = 1 - 5 - 1 = -5 < 0, F clear -> 0x80.
    expectEq("TIMINT after expiry", m.cpu->st.x, 0x80);
  }
  {  // power-on timer value: 25 + rng % 75 with 64-cycle prescaler, read at C = 4 -> T - 1
    Machine m(image4k({0xAD, 0x84, 0x02, 0x02}), "4K");
    const uint8_t T = m.riot->st.timer;
    m.run();
    expectTrue("reset timer in 25..99", T >= 25 && T <= 99);
    expectEq("INTIM right after reset", m.cpu->st.a, T - 1);
  }
  {  // ports
    Machine m(image4k({0xAD, 0x80, 0x02, 0x85, 0x85, 0xAE, 0x82, 0x02, 0xA9, 0x5C, 0x8D, 0x81,
                       0x02, 0xAC, 0x81, 0x02, 0x02}),
              "4K");
    m.sys.inputs.swcha = 0xE7;
    m.sys.inputs.swchb = 0x0B;
    m.run();
    expectEq("SWCHA", m.ram(0x85), 0xE7);
    expectEq("SWCHB", m.cpu->st.x, 0x0B);
    expectEq("SWACNT reads DDRA", m.cpu->st.y, 0x5C);
  }
  {  // RAM mirrors: $80 and $180 are the same byte
    Machine m(image4k({0xA9, 0x42, 0x8D, 0x80, 0x01, 0xA5, 0x80, 0x02}), "4K");
    m.run();
    expectEq("RAM mirror $180 -> $80", m.cpu->st.a, 0x42);
  }
}

void cartChecks() {
  {  // F8: bank 1 at reset, $FFF8 selects bank 0
    std::vector<uint8_t> img(8192, 0x02);
    for (int b = 0; b < 2; ++b) {
      uint8_t* p = img.data() + b * 4096;
      p[0xFFC] = 0x00; p[0xFFD] = 0xF0;
      p[0x003] = 0xA2; p[0x004] = uint8_t(b == 0 ? 0x42 : 0x11); p[0x005] = 0x02;  // LDX #; JAM
    }
    img[4096 + 0] = 0xAD; img[4096 + 1] = 0xF8; img[4096 + 2] = 0xFF;  // bank 1: LDA $FFF8
    Machine m(img, "F8");
    uint8_t bank[3];
    m.cart->bankBytes(bank);
    expectEq("F8 reset bank", bank[0], 1);
    m.run();
    expectEq("F8 switched to bank 0", m.cpu->st.x, 0x42);
    m.cart->bankBytes(bank);
    expectEq("F8 bank byte", bank[0], 0);
  }
  {  // F8SC: write port $F000-$F07F, read port $F080-$F0FF
    std::vector<uint8_t> img(8192, 0x02);
    const uint8_t code[] = {0xA9, 0x55, 0x8D, 0x05, 0xF0, 0xAD, 0x85, 0xF0, 0x02};
    for (int b = 0; b < 2; ++b) {
      std::memcpy(img.data() + b * 4096 + 0x200, code, sizeof code);
      img[b * 4096 + 0xFFC] = 0x00; img[b * 4096 + 0xFFD] = 0xF2;
    }
    Machine m(img, "F8SC");
    m.run();
    expectEq("F8SC RAM write/read", m.cpu->st.a, 0x55);
  }
  {  // E0: slices 4,5,6 at reset; $FFE3 maps slice 3 at $F000; $FC00-$FFFF = slice 7
    std::vector<uint8_t> img(8192, 0x02);
    for (int s = 0; s < 8; ++s) img[s * 1024] = uint8_t(0x10 + s);
    const uint8_t code[] = {0xAE, 0x00, 0xF4, 0xAC, 0x00, 0xF8, 0xAD, 0xE3, 0xFF, 0xAD, 0x00, 0xF0, 0x02};
    std::memcpy(img.data() + 7 * 1024 + 0x10, code, sizeof code);
    img[7 * 1024 + 0x3FC] = 0x10; img[7 * 1024 + 0x3FD] = 0xFC;
    Machine m(img, "E0");
    m.run();
    expectEq("E0 window 1 = slice 5", m.cpu->st.x, 0x15);
    expectEq("E0 window 2 = slice 6", m.cpu->st.y, 0x16);
    expectEq("E0 window 0 after $FFE3 = slice 3", m.cpu->st.a, 0x13);
    uint8_t bank[3];
    m.cart->bankBytes(bank);
    expectEq("E0 bank bytes", bank[0] * 256 * 256 + bank[1] * 256 + bank[2], 3 * 65536 + 5 * 256 + 6);
  }
  {  // FE: bit 13 of the address picks the 4K half
    std::vector<uint8_t> img(8192, 0x02);
    img[0x0FFC] = 0x00; img[0x0FFD] = 0xF0;
    const uint8_t code[] = {0xAD, 0x00, 0xD1, 0xAE, 0x00, 0xF1, 0x02};
    std::memcpy(img.data(), code, sizeof code);
    img[0x0100] = 0x77;         // $F100 -> image byte 0x0100
    img[4096 + 0x0100] = 0x88;  // $D100 -> image byte 0x1100
    Machine m(img, "FE");
    m.run();
    expectEq("FE $D100", m.cpu->st.a, 0x88);
    expectEq("FE $F100", m.cpu->st.x, 0x77);
  }
  {  // DPC: display fetcher 0 reads display[2047 - counter] and counts down
    std::vector<uint8_t> img(10240, 0x02);
    for (int i = 0; i < 2048; ++i) img[8192 + i] = uint8_t(i * 7);
    const uint8_t code[] = {0xA9, 0x05, 0x8D, 0x50, 0x10, 0xA9, 0x00, 0x8D, 0x58, 0x10,
                            0xAD, 0x08, 0x10, 0xAE, 0x08, 0x10, 0x02};
    std::memcpy(img.data() + 4096 + 0x100, code, sizeof code);  // bank 1 (reset bank)
    img[4096 + 0xFFC] = 0x00; img[4096 + 0xFFD] = 0xF1;
    Machine m(img, "DPC");
    m.run();
    expectEq("DPC display[2042]", m.cpu->st.a, uint8_t(2042 * 7));
    expectEq("DPC display[2043]", m.cpu->st.x, uint8_t(2043 * 7));
  }

  {  // F6 / F4: hotspots 0x1FF6-9 / 0x1FF4-B, reset bank 0
    for (int banks : {4, 8}) {
      std::vector<uint8_t> img(size_t(banks) * 4096, 0x02);
      const uint8_t code[] = {0xAD, 0x00, 0xF3, 0x85, 0x80, 0xAD, 0xF8, 0xFF, 0xAD, 0x00, 0xF3,
                              0x85, 0x81, 0xAD, 0xFB, 0xFF, 0xAD, 0x00, 0xF3, 0x85, 0x82, 0x02};
      for (int b = 0; b < banks; ++b) {
        std::memcpy(img.data() + b * 4096 + 0x200, code, sizeof code);
        img[b * 4096 + 0x300] = uint8_t(0x60 + b);
        img[b * 4096 + 0xFFC] = 0x00; img[b * 4096 + 0xFFD] = 0xF2;
      }
      Machine m(img, banks == 4 ? "F6" : "F4");
      m.run();
      const std::string n = banks == 4 ? "F6" : "F4";
      expectEq(n + " reset bank 0", m.ram(0x80), 0x60);
      expectEq(n + " $FFF8 selects bank", m.ram(0x81), banks == 4 ? 0x62 : 0x64);
      // $FFFB: F4 bank 7; for F6 it is outside the hotspots (bank stays 2).
      expectEq(n + " $FFFB", m.ram(0x82), banks == 4 ? 0x62 : 0x67);
    }
  }
  {  // FA: 3 banks (reset 2), 256 B RAM write 0x1000-0x10FF, read 0x1100-0x11FF
    std::vector<uint8_t> img(12288, 0x02);
    const uint8_t code[] = {0xA9, 0x77, 0x8D, 0xF0, 0xF0, 0xAD, 0xF0, 0xF1, 0x85, 0x80, 0xAD, 0x00,
                            0xF0, 0x85, 0x81, 0xAD, 0xF8, 0xFF, 0xAD, 0x00, 0xF0, 0x85, 0x82, 0x02};
    for (int b = 0; b < 3; ++b) {
      std::memcpy(img.data() + b * 4096 + 0x200, code, sizeof code);
      img[b * 4096] = uint8_t(0x50 + b);
      img[b * 4096 + 0xFFC] = 0x00; img[b * 4096 + 0xFFD] = 0xF2;
    }
    Machine m(img, "FA");
    m.run();
    expectEq("FA RAM write/read", m.ram(0x80), 0x77);
    expectEq("FA reset bank 2 (write port reads ROM)", m.ram(0x81), 0x52);
    expectEq("FA $FFF8 -> bank 0", m.ram(0x82), 0x50);
  }
  {  // E7: 2K slices at 0x1000 (0x1FE0-6), 1K RAM (0x1FE7), 256 B RAM banks (0x1FE8-B)
    std::vector<uint8_t> img(16384, 0x02);
    for (int sl = 0; sl < 8; ++sl) img[sl * 2048] = uint8_t(0x20 + sl);
    const uint8_t code[] = {
        0xAD, 0x00, 0xF0, 0x85, 0x80,              // LDA $F000 (slice 0) -> $80
        0xAD, 0xE3, 0xFF, 0xAD, 0x00, 0xF0, 0x85, 0x81,  // slice 3 -> $81
        0xAD, 0xE7, 0xFF, 0xA9, 0x5A, 0x8D, 0x10, 0xF0, 0xAD, 0x10, 0xF4, 0x85, 0x82,  // 1K RAM
        0xAD, 0xE9, 0xFF, 0xA9, 0x66, 0x8D, 0x20, 0xF8, 0xAD, 0x20, 0xF9, 0x85, 0x83,  // 256 B bank 1
        0xAD, 0x00, 0xFA, 0x85, 0x84,              // fixed slice 7 at $FA00
        0x02};
    std::memcpy(img.data() + 7 * 2048 + 0x300, code, sizeof code);
    img[7 * 2048 + 0x200] = 0x27;
    img[0x3FFC] = 0x00; img[0x3FFD] = 0xFB;
    Machine m(img, "E7");
    m.run();
    expectEq("E7 reset slice 0", m.ram(0x80), 0x20);
    expectEq("E7 $FFE3 -> slice 3", m.ram(0x81), 0x23);
    expectEq("E7 1K RAM write/read", m.ram(0x82), 0x5A);
    expectEq("E7 256 B RAM write/read", m.ram(0x83), 0x66);
    expectEq("E7 fixed slice 7", m.ram(0x84), 0x27);
  }
  {  // 3F: writes to 0x00-0x3F select the 2K slice at 0x1000 (out of range ignored)
    std::vector<uint8_t> img(8192, 0x02);
    for (int sl = 0; sl < 4; ++sl) img[sl * 2048] = uint8_t(0x30 + sl);
    const uint8_t code[] = {0xAD, 0x00, 0xF0, 0x85, 0x80, 0xA9, 0x02, 0x85, 0x3F, 0xAD, 0x00, 0xF0,
                            0x85, 0x81, 0xA9, 0x09, 0x85, 0x3F, 0xAD, 0x00, 0xF0, 0x85, 0x82, 0x02};
    std::memcpy(img.data() + 0x1900, code, sizeof code);
    img[0x1FFC] = 0x00; img[0x1FFD] = 0xF9;
    Machine m(img, "3F");
    m.run();
    expectEq("3F reset slice 0", m.ram(0x80), 0x30);
    expectEq("3F write $3F=2 -> slice 2", m.ram(0x81), 0x32);
    expectEq("3F out-of-range slice ignored", m.ram(0x82), 0x32);
  }
  {  // UA: accesses to 0x0220 / 0x0240 select bank 0 / 1
    std::vector<uint8_t> img(8192, 0x02);
    const uint8_t code[] = {0xAD, 0x00, 0xF0, 0x85, 0x80, 0xAD, 0x40, 0x02, 0xAD, 0x00, 0xF0, 0x85,
                            0x81, 0x8D, 0x20, 0x02, 0xAD, 0x00, 0xF0, 0x85, 0x82, 0x02};
    for (int b = 0; b < 2; ++b) {
      std::memcpy(img.data() + b * 4096 + 0x100, code, sizeof code);
      img[b * 4096] = uint8_t(0x40 + b);
      img[b * 4096 + 0xFFC] = 0x00; img[b * 4096 + 0xFFD] = 0xF1;
    }
    Machine m(img, "UA");
    m.run();
    expectEq("UA reset bank 0", m.ram(0x80), 0x40);
    expectEq("UA read $0240 -> bank 1", m.ram(0x81), 0x41);
    expectEq("UA write $0220 -> bank 0", m.ram(0x82), 0x40);
  }
  {  // CV: 1K RAM read 0x1000-0x13FF, write 0x1400-0x17FF; 2K ROM at 0x1800
    std::vector<uint8_t> img(2048, 0x02);
    const uint8_t code[] = {0xA9, 0x3C, 0x8D, 0x10, 0xF4, 0xAD, 0x10, 0xF0, 0x02};
    std::memcpy(img.data(), code, sizeof code);
    img[0x7FC] = 0x00; img[0x7FD] = 0xF8;
    Machine m(img, "CV");
    m.run();
    expectEq("CV RAM write/read", m.cpu->st.a, 0x3C);
  }
  // Bad images -> RomError, never a crash.
  auto throwsRomError = [](const std::vector<uint8_t>& img, const std::string& scheme) {
    try {
      ConsoleProperties props;
      props.bankswitch = scheme;
      Console c(img.data(), img.size(), props);
    } catch (const RomError&) {
      return true;
    } catch (...) {
      return false;
    }
    return false;
  };
  expectTrue("empty image -> RomError", throwsRomError({}, "AUTO"));
  expectTrue("1000-byte image -> RomError", throwsRomError(std::vector<uint8_t>(1000, 0xEA), "AUTO"));
  expectTrue("3000-byte image -> RomError", throwsRomError(std::vector<uint8_t>(3000, 0xEA), "AUTO"));
  expectTrue("AR image -> RomError (unsupported)", throwsRomError(std::vector<uint8_t>(8448, 0), "AUTO"));
  expectTrue("unknown scheme -> RomError", throwsRomError(std::vector<uint8_t>(4096, 0), "XYZ"));
  expectTrue("F8 scheme with 4K image -> RomError", throwsRomError(std::vector<uint8_t>(4096, 0), "F8"));
  {  // garbage that is a valid size still builds and runs (all-JAM / all-BRK images)
    ConsoleProperties props;
    std::vector<uint8_t> jam(4096, 0x02), brk(4096, 0x00);
    bool ok = true;
    try {
      Console a(jam.data(), jam.size(), props);
      Console b(brk.data(), brk.size(), props);
      a.runFrame();
      b.runFrame();
    } catch (...) {
      ok = false;
    }
    expectTrue("garbage 4K images build", ok);
  }
}

// Minimal scan of cart-types.json: "<rom>.bin": { ... "bankswitch": "X", ... "display_format":
// "Y", ... "screen_height": N ...
struct RomFacts {
  std::string rom, bankswitch, format;
  int height = 0;
};
std::vector<RomFacts> readCartTypes(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  std::vector<RomFacts> out;
  auto field = [&](size_t from, size_t to, const std::string& key) -> std::string {
    size_t k = s.find("\"" + key + "\":", from);
    if (k == std::string::npos || k > to) return "";
    size_t v = k + key.size() + 3;
    while (v < s.size() && s[v] == ' ') ++v;
    if (s[v] == '"') return s.substr(v + 1, s.find('"', v + 1) - v - 1);
    size_t e = s.find_first_of(",}", v);
    return s.substr(v, e - v);
  };
  size_t pos = 0;
  while ((pos = s.find(".bin\": {", pos)) != std::string::npos) {
    size_t q = s.rfind('"', pos);
    RomFacts f;
    f.rom = s.substr(q + 1, pos - q - 1);
    size_t next = s.find(".bin\": {", pos + 1);
    if (next == std::string::npos) next = s.size();
    f.bankswitch = field(pos, next, "bankswitch");
    f.format = field(pos, next, "display_format");
    f.height = std::atoi(field(pos, next, "screen_height").c_str());
    out.push_back(f);
    pos = next;
  }
  return out;
}

void romChecks(const std::string& shared) {
  const std::vector<RomFacts> facts = readCartTypes(shared + "/roms/cart-types.json");
  expectTrue("cart-types.json has entries", facts.size() >= 100);
  int built = 0;
  for (const RomFacts& f : facts) {
    std::ifstream in(shared + "/roms/" + f.rom + ".bin", std::ios::binary);
    std::vector<uint8_t> rom((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (rom.empty()) {
      expectTrue("ROM readable: " + f.rom, false);
      continue;
    }
    const std::string det = detectBankswitch(rom.data(), rom.size());
    expectTrue(f.rom + ": detector " + det + " == " + f.bankswitch, det == f.bankswitch);
    try {
      ConsoleProperties props;
      Console c(rom.data(), rom.size(), props);
      ++built;
      const std::string fmt = c.isPal() ? "PAL" : "NTSC";
      expectTrue(f.rom + ": format " + fmt + " == " + f.format, fmt == f.format);
      if (f.height == 210 || f.height == 250)
        expectEq(f.rom + ": screen height", c.screenHeight(), f.height);
      // save/load round trip (after some frames) reproduces the following frames exactly.
      for (int i = 0; i < 20; ++i) c.runFrame();
      std::vector<uint8_t> st = c.saveState();
      std::vector<uint8_t> ramA;
      for (int i = 0; i < 10; ++i) {
        c.runFrame();
        ramA.insert(ramA.end(), c.ram(), c.ram() + 128);
      }
      const uint32_t tA = c.system().totalCycles();
      expectTrue(f.rom + ": loadState", c.loadState(st.data(), st.size()));
      std::vector<uint8_t> ramB;
      for (int i = 0; i < 10; ++i) {
        c.runFrame();
        ramB.insert(ramB.end(), c.ram(), c.ram() + 128);
      }
      expectTrue(f.rom + ": frames after loadState reproduce RAM", ramA == ramB);
      expectEq(f.rom + ": frames after loadState reproduce cycles", c.system().totalCycles(), tA);
      // Malformed blobs are refused without touching the machine.
      std::vector<uint8_t> bad = st;
      bad[0] ^= 0xFF;
      expectTrue(f.rom + ": bad magic refused", !c.loadState(bad.data(), bad.size()));
      expectTrue(f.rom + ": truncated blob refused", !c.loadState(st.data(), st.size() - 1));
      expectTrue(f.rom + ": null blob refused", !c.loadState(nullptr, 0));
    } catch (const std::exception& e) {
      expectTrue(f.rom + ": console build threw " + e.what(), false);
    }
  }
  std::printf("built %d ROM consoles\n", built);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string shared = argc > 1 ? argv[1] : "../shared";
  cpuChecks();
  traceChecks();
  riotChecks();
  cartChecks();
  romChecks(shared);
  std::printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
