// CV (CommaVid, hardware-notes §9): 2K ROM at 0x1800-0x1FFF (the last 2K of a 4K image);
// 1K RAM read at 0x1000-0x13FF, written at 0x1400-0x17FF; RAM refilled from the system RNG at
// reset.
#pragma once
#include "core/cart.h"

namespace eo::core {

class CartCV final : public Cartridge {
 public:
  CartCV(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "CV"; }
  void reset() override;
  uint8_t peek(uint16_t addr) override;
  void poke(uint16_t addr, uint8_t value) override;
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override { return podLoad(st_, data, size); }

 private:
  struct State {
    uint8_t ram[1024];
  };
  uint8_t rom_[2048];
  State st_{};
};

}  // namespace eo::core
