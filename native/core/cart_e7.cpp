#include "core/cart_e7.h"

namespace eo::core {

CartE7::CartE7(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(rom_, 0, sizeof rom_);
  std::memcpy(rom_, image, size < sizeof rom_ ? size : sizeof rom_);
  mapPages();
}

void CartE7::mapPages() {
  for (int p = 0; p < 64; ++p) readPage[p] = nullptr;
  // 0x1000-0x17FF (pages 0-31)
  if (st_.slice < 7) {
    for (int p = 0; p < 32; ++p) readPage[p] = rom_ + st_.slice * 2048 + p * 64;
  } else {
    for (int p = 16; p < 32; ++p) readPage[p] = st_.ram + (p - 16) * 64;  // read port
  }
  // 0x1900-0x19FF read port of the 256 B bank (pages 36-39); 0x1800-0x18FF write port: slow.
  for (int p = 36; p < 40; ++p) readPage[p] = st_.ram + 1024 + st_.ramBank * 256 + (p - 36) * 64;
  // 0x1A00-0x1FBF fixed slice 7 (pages 40-62); page 63 holds the hotspots.
  for (int p = 40; p < 63; ++p) readPage[p] = rom_ + 7 * 2048 + (p - 32) * 64;
}

void CartE7::reset() {
  fillRandom(st_.ram, sizeof st_.ram);
  st_.slice = 0;
  st_.ramBank = 0;
  mapPages();
}

bool CartE7::hotspot(uint16_t addr, bool write) {
  const uint16_t a = addr & 0x0FFF;
  if (a < 0xFE0 || a > 0xFEB) return false;
  if (a <= 0xFE7) {
    const uint8_t before = st_.slice;
    st_.slice = uint8_t(a & 7);
    mapPages();
    traceBank(addr, st_.slice, before, 0, write);
  } else {
    const uint8_t before = st_.ramBank;
    st_.ramBank = uint8_t(a & 3);
    mapPages();
    traceBank(addr, st_.ramBank, before, 1, write);
  }
  return true;
}

uint8_t CartE7::peek(uint16_t addr) {
  hotspot(addr, false);
  const uint16_t a = addr & 0x0FFF;
  if (a < 0x800) {
    if (st_.slice < 7) return rom_[st_.slice * 2048 + a];
    return st_.ram[a & 0x3FF];  // both halves of the RAM slice read the RAM
  }
  if (a < 0x900) return st_.ram[1024 + st_.ramBank * 256 + (a & 0xFF)];
  if (a < 0xA00) return st_.ram[1024 + st_.ramBank * 256 + (a & 0xFF)];
  return rom_[7 * 2048 + (a - 0x800)];
}

void CartE7::poke(uint16_t addr, uint8_t value) {
  if (hotspot(addr, true)) return;
  const uint16_t a = addr & 0x0FFF;
  if (st_.slice == 7 && a < 0x400) {
    st_.ram[a] = value;
  } else if (a >= 0x800 && a < 0x900) {
    st_.ram[1024 + st_.ramBank * 256 + (a & 0xFF)] = value;
  }
}

bool CartE7::loadState(const uint8_t* data, size_t size) {
  State s;
  if (!podLoad(s, data, size) || s.slice > 7 || s.ramBank > 3) return false;
  st_ = s;
  mapPages();
  return true;
}

}  // namespace eo::core
