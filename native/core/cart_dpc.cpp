#include "core/cart_dpc.h"

namespace eo::core {

namespace {
constexpr uint8_t kFeedback[16] = {1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1};
constexpr uint8_t kAmplitude[8] = {0x0, 0x4, 0x5, 0x9, 0x6, 0xA, 0xB, 0xF};
constexpr double kOscHz = 15750.0;
constexpr double kCpuHz = 1193191.66666667;
}  // namespace

CartDPC::CartDPC(System& sys, const uint8_t* image, size_t size) : Cartridge(sys) {
  std::memset(prog_, 0, sizeof prog_);
  std::memset(display_, 0, sizeof display_);
  std::memcpy(prog_, image, size < 8192 ? size : 8192);
  if (size > 8192) {
    const size_t n = size - 8192 < 2048 ? size - 8192 : 2048;
    std::memcpy(display_, image + 8192, n);
  }
  st_.rng = 1;  // at cart creation, not at reset
  st_.bank = 1;
  mapPages();
}

void CartDPC::mapPages() {
  const uint8_t* bank = prog_ + size_t(st_.bank) * 4096;
  for (int p = 0; p < 64; ++p) readPage[p] = bank + p * 64;
  readPage[0] = readPage[1] = nullptr;  // 0x1000-0x107F registers (RNG clocked on access)
  readPage[63] = nullptr;               // 0x1FC0-0x1FFF hotspots
}

void CartDPC::reset() {
  st_.bank = 1;
  st_.musicCycle = int32_t(sys_.cycles);
  st_.musicFraction = 0.0;
  mapPages();
}

void CartDPC::clockRng() {
  const uint8_t r = st_.rng;
  const uint8_t bit = kFeedback[((r >> 3) & 7) | ((r & 0x80) ? 8 : 0)];
  st_.rng = uint8_t((r << 1) | bit);
}

void CartDPC::updateMusic() {
  const int32_t now = int32_t(sys_.cycles);
  const int32_t elapsed = now - st_.musicCycle;
  st_.musicCycle = now;
  const double clocks = kOscHz * double(elapsed) / kCpuHz + st_.musicFraction;
  const int32_t whole = int32_t(clocks);
  st_.musicFraction = clocks - double(whole);
  if (whole <= 0) return;
  for (int x = 5; x <= 7; ++x) {
    if (!st_.music[x - 5]) continue;
    // The low counter byte counts down at the oscillator rate through top..0 and reloads.
    const int32_t top = st_.top[x];
    int32_t low = st_.counter[x] & 0xFF;
    if (top != 0) {
      low -= whole % (top + 1);
      if (low < 0) low += top + 1;
    } else {
      low = 0;
    }
    if (low <= st_.bottom[x]) {
      st_.flag[x] = 0x00;
    } else if (low <= top) {
      st_.flag[x] = 0xFF;
    }
    st_.counter[x] = uint16_t((st_.counter[x] & 0x0700) | uint16_t(low));
  }
}

bool CartDPC::hotspot(uint16_t addr, bool write) {
  const uint16_t a = addr & 0x0FFF;
  if (a != 0xFF8 && a != 0xFF9) return false;
  const uint8_t before = st_.bank;
  st_.bank = uint8_t(a - 0xFF8);
  mapPages();
  traceBank(addr, st_.bank, before, 0, write);
  return true;
}

uint8_t CartDPC::peek(uint16_t addr) {
  clockRng();
  const uint16_t a = addr & 0x0FFF;
  if (a < 0x040) {
    const int i = a & 7;
    const int func = (a >> 3) & 7;
    if ((st_.counter[i] & 0xFF) == st_.top[i]) {
      st_.flag[i] = 0xFF;
    } else if ((st_.counter[i] & 0xFF) == st_.bottom[i]) {
      st_.flag[i] = 0x00;
    }
    uint8_t result = 0;
    switch (func) {
      case 0:
        if (i < 4) {
          result = st_.rng;
        } else {
          updateMusic();
          int idx = 0;
          if (st_.music[0] && st_.flag[5]) idx |= 1;
          if (st_.music[1] && st_.flag[6]) idx |= 2;
          if (st_.music[2] && st_.flag[7]) idx |= 4;
          result = kAmplitude[idx];
        }
        break;
      case 1: result = display_[2047 - (st_.counter[i] & 0x07FF)]; break;
      case 2: result = uint8_t(display_[2047 - (st_.counter[i] & 0x07FF)] & st_.flag[i]); break;
      case 7: result = st_.flag[i]; break;
      default: result = 0; break;
    }
    if (i < 5 || !st_.music[i - 5]) st_.counter[i] = uint16_t((st_.counter[i] - 1) & 0x07FF);
    return result;
  }
  hotspot(addr, false);
  return prog_[size_t(st_.bank) * 4096 + a];
}

void CartDPC::poke(uint16_t addr, uint8_t value) {
  clockRng();
  const uint16_t a = addr & 0x0FFF;
  if (a >= 0x040 && a < 0x080) {
    const int i = a & 7;
    const int func = (a >> 3) & 7;
    switch (func) {
      case 0:
        st_.top[i] = value;
        st_.flag[i] = 0x00;
        break;
      case 1: st_.bottom[i] = value; break;
      case 2:
        if (i >= 5 && st_.music[i - 5]) {
          st_.counter[i] = uint16_t((st_.counter[i] & 0x0700) | st_.top[i]);
        } else {
          st_.counter[i] = uint16_t((st_.counter[i] & 0x0700) | value);
        }
        break;
      case 3:
        st_.counter[i] = uint16_t((st_.counter[i] & 0x00FF) | ((value & 7) << 8));
        if (i >= 5) st_.music[i - 5] = (value >> 4) & 1;
        break;
      case 6: st_.rng = 1; break;
      default: break;
    }
    return;
  }
  hotspot(addr, true);
}

bool CartDPC::loadState(const uint8_t* data, size_t size) {
  State s;
  if (!podLoad(s, data, size) || s.bank > 1) return false;
  st_ = s;
  mapPages();
  return true;
}

}  // namespace eo::core
