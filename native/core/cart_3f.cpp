#include "core/cart_3f.h"

namespace eo::core {

Cart3F::Cart3F(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  slices_ = size / 2048;
  if (slices_ == 0) slices_ = 1;
  rom_.assign(slices_ * 2048, 0);
  std::memcpy(rom_.data(), image, size < rom_.size() ? size : rom_.size());
  if (slices_ > 256) slices_ = 256;
  sys_.cartLowHook = 1;
  mapPages();
}

void Cart3F::mapPages() {
  for (int p = 0; p < 32; ++p) readPage[p] = rom_.data() + size_t(st_.slice) * 2048 + p * 64;
  const size_t last = rom_.size() - 2048;
  for (int p = 32; p < 64; ++p) readPage[p] = rom_.data() + last + (p - 32) * 64;
}

void Cart3F::reset() {
  st_.slice = 0;
  mapPages();
}

uint8_t Cart3F::peek(uint16_t addr) {
  const uint16_t a = addr & 0x0FFF;
  if (a < 0x800) return rom_[size_t(st_.slice) * 2048 + a];
  return rom_[rom_.size() - 2048 + (a - 0x800)];
}

void Cart3F::lowAccess(uint16_t addr, uint8_t value, bool write) {
  if (!write || (addr & 0x1FFF) > 0x3F) return;
  if (value >= slices_) return;
  const uint8_t before = st_.slice;
  st_.slice = value;
  mapPages();
  traceBank(addr, st_.slice, before, 0, true);
}

bool Cart3F::loadState(const uint8_t* data, size_t size) {
  State s;
  if (!podLoad(s, data, size) || s.slice >= slices_) return false;
  st_ = s;
  mapPages();
  return true;
}

}  // namespace eo::core
