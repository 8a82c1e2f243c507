#include "core/cart_4k.h"

namespace eo::core {

Cart4K::Cart4K(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(rom_, 0, sizeof rom_);
  std::memcpy(rom_, image, size < 4096 ? size : 4096);
  for (int p = 0; p < 64; ++p) readPage[p] = rom_ + p * 64;
}

}  // namespace eo::core
