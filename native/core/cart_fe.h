// FE (Activision) in ALE's model (hardware-notes §9): no hotspots; every cart access selects
// the 4K half by bit 13 of the full 16-bit CPU address (bit 13 = 1 -> image bytes 0-4095,
// bit 13 = 0 -> bytes 4096-8191). No fast page table (it cannot see bit 13).
#pragma once
#include "core/cart.h"

namespace eo::core {

class CartFE final : public Cartridge {
 public:
  CartFE(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "FE"; }
  void reset() override {}
  uint8_t peek(uint16_t addr) override {
    st_.lastBank = (addr & 0x2000) ? 0 : 1;
    return rom_[st_.lastBank * 4096 + (addr & 0x0FFF)];
  }
  void poke(uint16_t addr, uint8_t) override { st_.lastBank = (addr & 0x2000) ? 0 : 1; }
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.lastBank;
    out[1] = out[2] = 0;
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override { return podLoad(st_, data, size); }

 private:
  struct State {
    uint8_t lastBank;  // informational (trace bank byte); reads never depend on it
  };
  uint8_t rom_[8192];
  State st_{};
};

}  // namespace eo::core
