#include "core/cart_cv.h"

namespace eo::core {

CartCV::CartCV(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(rom_, 0, sizeof rom_);
  const size_t off = size > 2048 ? size - 2048 : 0;
  std::memcpy(rom_, image + off, size - off < 2048 ? size - off : 2048);
  for (int p = 0; p < 16; ++p) readPage[p] = st_.ram + p * 64;  // read port
  for (int p = 32; p < 64; ++p) readPage[p] = rom_ + (p - 32) * 64;
}

void CartCV::reset() { fillRandom(st_.ram, sizeof st_.ram); }

uint8_t CartCV::peek(uint16_t addr) {
  const uint16_t a = addr & 0x0FFF;
  if (a < 0x800) return st_.ram[a & 0x3FF];
  return rom_[a - 0x800];
}

void CartCV::poke(uint16_t addr, uint8_t value) {
  const uint16_t a = addr & 0x0FFF;
  if (a >= 0x400 && a < 0x800) st_.ram[a & 0x3FF] = value;
}

}  // namespace eo::core
