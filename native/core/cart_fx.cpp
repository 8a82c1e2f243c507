#include "core/cart_fx.h"

namespace eo::core {

CartFx::CartFx(System& sys, const char* name, const uint8_t* image, size_t size, uint8_t banks,
               uint16_t firstHotspot, uint8_t resetBank, uint16_t ramSize)
    : Cartridge(sys),
      name_(name),
      rom_(size_t(banks) * 4096, 0),
      banks_(banks),
      first_(firstHotspot),
      resetBank_(resetBank),
      ramSize_(ramSize) {
  std::memcpy(rom_.data(), image, size < rom_.size() ? size : rom_.size());
  st_.bank = resetBank_;
  mapPages();
}

void CartFx::mapPages() {
  const uint8_t* bank = rom_.data() + size_t(st_.bank) * 4096;
  for (int p = 0; p < 64; ++p) readPage[p] = bank + p * 64;
  readPage[63] = nullptr;  // 0x1FC0-0x1FFF holds the hotspots
  if (ramSize_) {
    // Read port: RAM. The write-port pages read as ROM of the current bank.
    const int first = ramSize_ / 64, count = ramSize_ / 64;
    for (int p = 0; p < count; ++p) readPage[first + p] = st_.ram + p * 64;
  }
}

void CartFx::reset() {
  if (ramSize_) fillRandom(st_.ram, ramSize_);
  st_.bank = resetBank_;
  mapPages();
}

void CartFx::select(uint8_t bank) {
  st_.bank = bank;
  mapPages();
}

bool CartFx::hotspot(uint16_t addr, bool write) {
  const uint16_t a = addr & 0x0FFF;
  if (a < first_ || a >= first_ + banks_) return false;
  const uint8_t before = st_.bank;
  select(uint8_t(a - first_));
  traceBank(addr, st_.bank, before, 0, write);
  return true;
}

uint8_t CartFx::peek(uint16_t addr) {
  hotspot(addr, false);
  const uint16_t a = addr & 0x0FFF;
  if (ramSize_ && a >= ramSize_ && a < 2 * ramSize_) return st_.ram[a - ramSize_];
  return rom_[size_t(st_.bank) * 4096 + a];
}

void CartFx::poke(uint16_t addr, uint8_t value) {
  if (hotspot(addr, true)) return;
  const uint16_t a = addr & 0x0FFF;
  if (ramSize_ && a < ramSize_) st_.ram[a] = value;
}

bool CartFx::loadState(const uint8_t* data, size_t size) {
  State s;
  if (!podLoad(s, data, size) || s.bank >= banks_) return false;
  st_ = s;
  mapPages();
  return true;
}

}  // namespace eo::core
