#include "core/cart_ua.h"

namespace eo::core {

CartUA::CartUA(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(rom_, 0, sizeof rom_);
  std::memcpy(rom_, image, size < sizeof rom_ ? size : sizeof rom_);
  sys_.cartLowHook = 1;
  mapPages();
}

void CartUA::mapPages() {
  for (int p = 0; p < 64; ++p) readPage[p] = rom_ + st_.bank * 4096 + p * 64;
}

void CartUA::reset() {
  st_.bank = 0;
  mapPages();
}

void CartUA::lowAccess(uint16_t addr, uint8_t, bool write) {
  const uint16_t a = addr & 0x1FFF;
  if (a != 0x220 && a != 0x240) return;
  const uint8_t before = st_.bank;
  st_.bank = a == 0x220 ? 0 : 1;
  mapPages();
  traceBank(addr, st_.bank, before, 0, write);
}

bool CartUA::loadState(const uint8_t* data, size_t size) {
  State s;
  if (!podLoad(s, data, size) || s.bank > 1) return false;
  st_ = s;
  mapPages();
  return true;
}

}  // namespace eo::core
