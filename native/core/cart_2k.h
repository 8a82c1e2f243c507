// 2K cartridge: one 2K ROM mirrored twice in 0x1000-0x1FFF; no hotspots (hardware-notes §9).
#pragma once
#include "core/cart.h"

namespace eo::core {

class Cart2K final : public Cartridge {
 public:
  Cart2K(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "2K"; }
  void reset() override {}
  uint8_t peek(uint16_t addr) override { return rom_[addr & 0x07FF]; }
  void poke(uint16_t, uint8_t) override {}
  std::vector<uint8_t> saveState() const override { return {}; }
  bool loadState(const uint8_t*, size_t size) override { return size == 0; }

 private:
  uint8_t rom_[2048];
};

}  // namespace eo::core
