#include "core/cart_2k.h"

namespace eo::core {

Cart2K::Cart2K(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  // Images shorter than 2K are never built (the detector rejects them); copy defensively.
  std::memset(rom_, 0, sizeof rom_);
  std::memcpy(rom_, image, size < 2048 ? size : 2048);
  for (int p = 0; p < 64; ++p) readPage[p] = rom_ + (p & 31) * 64;
}

}  // namespace eo::core
