// 3F (Tigervision, hardware-notes §9): n x 2K slices; writes to 0x00-0x3F (TIA space) select the
// slice at 0x1000-0x17FF (ignored when out of range) and still reach the TIA; 0x1800-0x1FFF is
// fixed to the last 2K.
#pragma once
#include <vector>

#include "core/cart.h"

namespace eo::core {

class Cart3F final : public Cartridge {
 public:
  Cart3F(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "3F"; }
  void reset() override;
  uint8_t peek(uint16_t addr) override;
  void poke(uint16_t, uint8_t) override {}
  void lowAccess(uint16_t addr, uint8_t value, bool write) override;
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.slice;
    out[1] = out[2] = 0;
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override;

 private:
  struct State {
    uint8_t slice;
  };
  void mapPages();
  std::vector<uint8_t> rom_;
  size_t slices_;
  State st_{};
};

}  // namespace eo::core
