// Standard 32-bit Mersenne Twister (MT19937), written from the published algorithm
// (Matsumoto & Nishimura 1998). Same output sequence as std::mt19937(seed).
// State is plain data so machine snapshots can copy it byte for byte.
#pragma once
#include <cstdint>

namespace eo {

struct Mt19937 {
  uint32_t mt[624];
  uint32_t index;

  explicit Mt19937(uint32_t seed = 5489u) { seed_with(seed); }

  void seed_with(uint32_t seed) {
    mt[0] = seed;
    for (uint32_t i = 1; i < 624; ++i) mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + i;
    index = 624;
  }

  uint32_t next() {
    if (index >= 624) twist();
    uint32_t y = mt[index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    return y;
  }

  // ALE's environment RNG double: next() / 2^32, in [0, 1).
  double next_double() { return static_cast<double>(next()) / 4294967296.0; }

 private:
  void twist() {
    for (uint32_t i = 0; i < 624; ++i) {
      uint32_t y = (mt[i] & 0x80000000u) | (mt[(i + 1) % 624] & 0x7FFFFFFFu);
      uint32_t v = mt[(i + 397) % 624] ^ (y >> 1);
      if (y & 1u) v ^= 0x9908B0DFu;
      mt[i] = v;
    }
    index = 0;
  }
};

}  // namespace eo
