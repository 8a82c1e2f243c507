// The "Fx" family of 4K-bank carts (hardware-notes §9): F8 (2 banks, hotspots 0x1FF8-9),
// F6 (4, 0x1FF6-9), F4 (8, 0x1FF4-B), their Superchip variants F8SC/F6SC/F4SC (128 B RAM:
// write port 0x1000-0x107F, read port 0x1080-0x10FF) and FA / CBS RAM+ (3 banks, 0x1FF8-A,
// 256 B RAM: write 0x1000-0x10FF, read 0x1100-0x11FF). Hotspots trigger on reads and writes.
#pragma once
#include <string>

#include "core/cart.h"

namespace eo::core {

class CartFx final : public Cartridge {
 public:
  // banks: 2/3/4/8; firstHotspot: 13-bit-cart offset of bank 0's hotspot (0xFF8, 0xFF6, 0xFF4);
  // ramSize: 0, 128 or 256.
  CartFx(System& sys, const char* name, const uint8_t* image, size_t size, uint8_t banks,
         uint16_t firstHotspot, uint8_t resetBank, uint16_t ramSize);
  const char* name() const override { return name_.c_str(); }
  void reset() override;
  uint8_t peek(uint16_t addr) override;
  void poke(uint16_t addr, uint8_t value) override;
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.bank;
    out[1] = out[2] = 0;
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override;

  const uint8_t* ram() const { return st_.ram; }

 private:
  struct State {
    uint8_t bank;
    uint8_t pad;
    uint8_t ram[256];
  };
  void select(uint8_t bank);
  bool hotspot(uint16_t addr, bool write);
  void mapPages();

  std::string name_;
  std::vector<uint8_t> rom_;
  uint8_t banks_;
  uint16_t first_;
  uint8_t resetBank_;
  uint16_t ramSize_;
  State st_{};
};

}  // namespace eo::core
