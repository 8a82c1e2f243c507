// UA (UA Ltd, hardware-notes §9): 2x4K banks; any access to 0x0220 selects bank 0, 0x0240 bank 1
// (these addresses are TIA space: the TIA still sees the access).
#pragma once
#include "core/cart.h"

namespace eo::core {

class CartUA final : public Cartridge {
 public:
  CartUA(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "UA"; }
  void reset() override;
  uint8_t peek(uint16_t addr) override { return rom_[st_.bank * 4096 + (addr & 0x0FFF)]; }
  void poke(uint16_t, uint8_t) override {}
  void lowAccess(uint16_t addr, uint8_t value, bool write) override;
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.bank;
    out[1] = out[2] = 0;
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override;

 private:
  struct State {
    uint8_t bank;
  };
  void mapPages();
  uint8_t rom_[8192];
  State st_{};
};

}  // namespace eo::core
