#include "core/cart_fe.h"

namespace eo::core {

CartFE::CartFE(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(rom_, 0, sizeof rom_);
  std::memcpy(rom_, image, size < sizeof rom_ ? size : sizeof rom_);
  // readPage stays all-null: every access takes the slow path.
}

}  // namespace eo::core
