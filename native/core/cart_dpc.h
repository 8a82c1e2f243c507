// DPC (Pitfall II, hardware-notes §9): 2x4K program banks (hotspots 0x1FF8/0x1FF9, reset bank 1),
// 2K display ROM, 8 data fetchers, an 8-bit RNG clocked on every access that reaches the
// handler, and three music-mode fetchers driven by a 15.75 kHz oscillator.
#pragma once
#include "core/cart.h"

namespace eo::core {

class CartDPC final : public Cartridge {
 public:
  CartDPC(System& sys, const uint8_t* image, size_t size);
  const char* name() const override { return "DPC"; }
  void reset() override;
  uint8_t peek(uint16_t addr) override;
  void poke(uint16_t addr, uint8_t value) override;
  void onCyclesReset(uint32_t oldCycles) override { st_.musicCycle -= int32_t(oldCycles); }
  void bankBytes(uint8_t out[3]) const override {
    out[0] = st_.bank;
    out[1] = out[2] = 0;
  }
  std::vector<uint8_t> saveState() const override { return podBlob(st_); }
  bool loadState(const uint8_t* data, size_t size) override;

 private:
  struct State {
    double musicFraction;
    int32_t musicCycle;  // System::cycles at the last music update
    uint16_t counter[8];
    uint8_t top[8];
    uint8_t bottom[8];
    uint8_t flag[8];
    uint8_t music[3];  // music mode of fetchers 5..7
    uint8_t rng;
    uint8_t bank;
  };
  void clockRng();
  void updateMusic();
  bool hotspot(uint16_t addr, bool write);
  void mapPages();

  uint8_t prog_[8192];
  uint8_t display_[2048];
  State st_{};
};

}  // namespace eo::core
