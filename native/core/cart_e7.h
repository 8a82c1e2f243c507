// E7 (M-Network, hardware-notes §9): eight 2K slices; 0x1000-0x17FF <- 0x1FE0-6 (slice 0-6) or
// 0x1FE7 (1K RAM: write 0x1000-0x13FF, read 0x1400-0x17FF); 256 B RAM bank <- 0x1FE8-B
// (write 0x1800-0x18FF, read 0x1900-0x19FF); 0x1A00-0x1FFF fixed to slice 7. 2K RAM refilled
// from the system RNG at reset.
#pragma once
#include "core/cart.h"

namespace eo::core {

class CartE7 final : public Cartridge {
 public:
  CartE7(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "E7"; }
  void reset() override;
  uint8_t peek(uint16_t addr) override;
  void poke(uint16_t addr, uint8_t value) override;
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.slice;
    out[1] = st_.ramBank;
    out[2] = 0;
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override;

 private:
  struct State {
    uint8_t slice;    // 0-6 ROM slice, 7 = 1K RAM
    uint8_t ramBank;  // 0-3
    uint8_t ram[2048];  // 1K slice RAM, then 4 x 256 B banks
  };
  bool hotspot(uint16_t addr, bool write);
  void mapPages();
  uint8_t rom_[16384];
  State st_{};
};

}  // namespace eo::core
