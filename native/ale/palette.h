// Standard NTSC / PAL palettes (ale-semantics.md section 9 and the tables at its end).
#pragma once
#include <cstdint>

namespace eo::ale {

// 256 entries: [2k] = 0xRRGGBB colour of TIA value 2k, [2k+1] = gray byte g as 0xggggggu.
extern const uint32_t kNtscPalette[256];
extern const uint32_t kPalPalette[256];

// RGB of a screen pixel value p: the palette entry p itself (an odd p yields the gray triple of p-1).
inline void paletteRgb(const uint32_t* pal, uint8_t p, uint8_t* out) {
  uint32_t c = pal[p];
  out[0] = uint8_t(c >> 16);
  out[1] = uint8_t(c >> 8);
  out[2] = uint8_t(c);
}

// Grayscale of a screen pixel value p: the low byte of entry p+1 (ale-semantics.md section 8.2).
inline uint8_t paletteGray(const uint32_t* pal, uint8_t p) { return uint8_t(pal[uint8_t(p + 1)]); }

}  // namespace eo::ale
