// E0 (Parker Brothers): eight 1K slices; windows 0x1000/0x1400/0x1800 selected by
// 0x1FE0-7 / 0x1FE8-F / 0x1FF0-7 (slice = low 3 bits); 0x1C00-0x1FFF fixed to slice 7.
#pragma once
#include "core/cart.h"

namespace eo::core {

class CartE0 final : public Cartridge {
 public:
  CartE0(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "E0"; }
  void reset() override;
  uint8_t peek(uint16_t addr) override;
  void poke(uint16_t addr, uint8_t value) override;
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.slice[0];
    out[1] = st_.slice[1];
    out[2] = st_.slice[2];
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override;

 private:
  struct State {
    uint8_t slice[3];
  };
  void hotspot(uint16_t addr, bool write);
  void mapPages();
  uint8_t rom_[8192];
  State st_{};
};

}  // namespace eo::core
