// 4K cartridge: ROM at 0x1000-0x1FFF, no hotspots (hardware-notes §9).
#pragma once
#include "core/cart.h"

namespace eo::core {

class Cart4K final : public Cartridge {
 public:
  Cart4K(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "4K"; }
  void reset() override {}
  uint8_t peek(uint16_t addr) override { return rom_[addr & 0x0FFF]; }
  void poke(uint16_t, uint8_t) override {}
  std::vector<uint8_t> saveState() const override { return {}; }
  bool loadState(const uint8_t*, size_t size) override { return size == 0; }

 private:
  uint8_t rom_[4096];
};

}  // namespace eo::core
