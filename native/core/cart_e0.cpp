#include "core/cart_e0.h"

namespace eo::core {

CartE0::CartE0(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(rom_, 0, sizeof rom_);
  std::memcpy(rom_, image, size < sizeof rom_ ? size : sizeof rom_);
  st_.slice[0] = 4;
  st_.slice[1] = 5;
  st_.slice[2] = 6;
  mapPages();
}

void CartE0::mapPages() {
  for (int p = 0; p < 64; ++p) {
    const int window = p >> 4;  // 16 pages per 1K window
    const int slice = window < 3 ? st_.slice[window] : 7;
    readPage[p] = rom_ + slice * 1024 + (p & 15) * 64;
  }
  readPage[63] = nullptr;  // 0x1FC0-0x1FFF: hotspots 0x1FE0-0x1FF7
}

void CartE0::reset() {
  st_.slice[0] = 4;
  st_.slice[1] = 5;
  st_.slice[2] = 6;
  mapPages();
}

void CartE0::hotspot(uint16_t addr, bool write) {
  const uint16_t a = addr & 0x0FFF;
  if (a < 0xFE0 || a > 0xFF7) return;
  const uint8_t seg = uint8_t((a - 0xFE0) >> 3);
  const uint8_t before = st_.slice[seg];
  st_.slice[seg] = uint8_t(a & 7);
  mapPages();
  traceBank(addr, st_.slice[seg], before, seg, write);
}

uint8_t CartE0::peek(uint16_t addr) {
  hotspot(addr, false);
  const uint16_t a = addr & 0x0FFF;
  const int window = a >> 10;
  const int slice = window < 3 ? st_.slice[window] : 7;
  return rom_[slice * 1024 + (a & 0x3FF)];
}

void CartE0::poke(uint16_t addr, uint8_t) { hotspot(addr, true); }

bool CartE0::loadState(const uint8_t* data, size_t size) {
  State s;
  if (!podLoad(s, data, size) || s.slice[0] > 7 || s.slice[1] > 7 || s.slice[2] > 7) return false;
  st_ = s;
  mapPages();
  return true;
}

}  // namespace eo::core
