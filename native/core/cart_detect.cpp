#include "core/cart_detect.h"

#include <algorithm>
#include <cstring>

#include "core/cart_2k.h"
#include "core/cart_3f.h"
#include "core/cart_4k.h"
#include "core/cart_cv.h"
#include "core/cart_dpc.h"
#include "core/cart_e0.h"
#include "core/cart_e7.h"
#include "core/cart_fe.h"
#include "core/cart_fx.h"
#include "core/cart_ua.h"
#include "core/console.h"

namespace eo::core {

namespace {

bool contains(const uint8_t* img, size_t size, const uint8_t* pat, size_t n) {
  if (size < n) return false;
  for (size_t i = 0; i + n <= size; ++i)
    if (std::memcmp(img + i, pat, n) == 0) return true;
  return false;
}

size_t countNonOverlapping(const uint8_t* img, size_t size, const uint8_t* pat, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i + n <= size;) {
    if (std::memcmp(img + i, pat, n) == 0) {
      ++count;
      i += n;
    } else {
      ++i;
    }
  }
  return count;
}

// First 256 bytes of every 4K bank identical.
bool superchipLike(const uint8_t* img, size_t size) {
  for (size_t b = 0; b < size / 4096; ++b) {
    const uint8_t* p = img + b * 4096;
    for (int i = 1; i < 256; ++i)
      if (p[i] != p[0]) return false;
  }
  return true;
}

bool probablyCV(const uint8_t* img, size_t size) {
  static const uint8_t a[] = {0x9D, 0xFF, 0xF3}, b[] = {0x99, 0x00, 0xF4};
  return contains(img, size, a, 3) || contains(img, size, b, 3);
}

bool probablyE0(const uint8_t* img, size_t size) {
  static const uint8_t sigs[6][3] = {{0x8D, 0xE0, 0x1F}, {0x8D, 0xE0, 0x5F}, {0x8D, 0xE9, 0xFF},
                                     {0xAD, 0xE9, 0xFF}, {0xAD, 0xED, 0xFF}, {0xAD, 0xF3, 0xBF}};
  for (auto& s : sigs)
    if (contains(img, size, s, 3)) return true;
  return false;
}

bool probably3E(const uint8_t* img, size_t size) {
  static const uint8_t s[] = {0x85, 0x3E, 0xA9, 0x00};
  return contains(img, size, s, 4);
}

bool probably3F(const uint8_t* img, size_t size) {
  static const uint8_t s[] = {0x85, 0x3F};
  return countNonOverlapping(img, size, s, 2) >= 2;
}

bool probablyUA(const uint8_t* img, size_t size) {
  static const uint8_t s[] = {0x8D, 0x40, 0x02};
  return contains(img, size, s, 3);
}

bool probablyFE(const uint8_t* img, size_t size) {
  static const uint8_t sigs[4][5] = {{0x20, 0x00, 0xD0, 0xC6, 0xC5},
                                     {0x20, 0xC3, 0xF8, 0xA5, 0x82},
                                     {0xD0, 0xFB, 0x20, 0x73, 0xFE},
                                     {0x20, 0x00, 0xF0, 0x84, 0xD6}};
  for (auto& s : sigs)
    if (contains(img, size, s, 5)) return true;
  return false;
}

// E7: uniform 0x3800-0x39FF with some difference in the 32 bytes before or after it.
bool probablyE7(const uint8_t* img, size_t size) {
  if (size < 0x3A20) return false;
  const uint8_t* p = img + 0x3800;
  for (int i = 1; i < 0x200; ++i)
    if (p[i] != p[0]) return false;
  for (int i = 0; i < 32; ++i) {
    if (img[0x3800 - 32 + i] != p[0]) return true;
    if (img[0x3A00 + i] != p[0]) return true;
  }
  return false;
}

}  // namespace

std::string detectBankswitch(const uint8_t* img, size_t size) {
  if (size == 0 || img == nullptr) return "";
  if (size % 8448 == 0) return "AR";
  if (size == 2048 || (size == 4096 && std::memcmp(img, img + 2048, 2048) == 0))
    return probablyCV(img, size) ? "CV" : "2K";
  if (size == 4096) return probablyCV(img, size) ? "CV" : "4K";
  if (size == 8192) {
    if (superchipLike(img, size)) return "F8SC";
    if (std::memcmp(img, img + 4096, 4096) == 0) return "4K";
    if (probablyE0(img, size)) return "E0";
    if (probably3E(img, size)) return "3E";
    if (probably3F(img, size)) return "3F";
    if (probablyUA(img, size)) return "UA";
    if (probablyFE(img, size)) return "FE";
    return "F8";
  }
  if (size == 10240 || size == 10495 || size == 10496) return "DPC";
  if (size == 12288) return "FA";
  if (size == 16384) {
    if (superchipLike(img, size)) return "F6SC";
    if (probablyE7(img, size)) return "E7";
    if (probably3E(img, size)) return "3E";
    if (probably3F(img, size)) return "3F";
    return "F6";
  }
  if (size == 32768) {
    if (superchipLike(img, size)) return "F4SC";
    if (probably3E(img, size)) return "3E";
    if (probably3F(img, size)) return "3F";
    return "F4";
  }
  if (size == 65536) {
    if (probably3E(img, size)) return "3E";
    if (probably3F(img, size)) return "3F";
    return "MB";
  }
  if (size == 131072) {
    if (probably3E(img, size)) return "3E";
    if (probably3F(img, size)) return "3F";
    return "MC";
  }
  if (probably3E(img, size)) return "3E";
  if (probably3F(img, size)) return "3F";
  return "4K";  // what the upstream detector falls back to for odd sizes
}

std::unique_ptr<Cartridge> createCartridge(System& sys, const uint8_t* img, size_t size,
                                           const std::string& requested) {
  if (img == nullptr || size == 0) throw RomError("ROM image is empty");
  std::string scheme = requested;
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char ch) { return char(std::toupper(ch)); });
  const bool autoDetected = scheme.empty() || scheme == "AUTO" || scheme == "AUTO-DETECT";
  if (autoDetected) scheme = detectBankswitch(img, size);

  auto need = [&](size_t expected) {
    if (size != expected && autoDetected)
      throw RomError("ROM image of " + std::to_string(size) +
                     " bytes has no supported bankswitch scheme (not an Atari 2600 cartridge size)");
    if (size != expected)
      throw RomError("ROM image of " + std::to_string(size) + " bytes does not fit bankswitch scheme " +
                     scheme + " (expects " + std::to_string(expected) + ")");
  };
  if (scheme == "2K") {
    if (size != 2048 && size != 4096) need(2048);
    return std::make_unique<Cart2K>(sys, img, size);
  }
  if (scheme == "4K") {
    need(4096);
    return std::make_unique<Cart4K>(sys, img, size);
  }
  if (scheme == "F8") { need(8192); return std::make_unique<CartFx>(sys, "F8", img, size, 2, 0xFF8, 1, 0); }
  if (scheme == "F8SC") { need(8192); return std::make_unique<CartFx>(sys, "F8SC", img, size, 2, 0xFF8, 1, 128); }
  if (scheme == "F6") { need(16384); return std::make_unique<CartFx>(sys, "F6", img, size, 4, 0xFF6, 0, 0); }
  if (scheme == "F6SC") { need(16384); return std::make_unique<CartFx>(sys, "F6SC", img, size, 4, 0xFF6, 0, 128); }
  if (scheme == "F4") { need(32768); return std::make_unique<CartFx>(sys, "F4", img, size, 8, 0xFF4, 0, 0); }
  if (scheme == "F4SC") { need(32768); return std::make_unique<CartFx>(sys, "F4SC", img, size, 8, 0xFF4, 0, 128); }
  if (scheme == "FA") { need(12288); return std::make_unique<CartFx>(sys, "FA", img, size, 3, 0xFF8, 2, 256); }
  if (scheme == "E0") { need(8192); return std::make_unique<CartE0>(sys, img, size); }
  if (scheme == "FE") { need(8192); return std::make_unique<CartFE>(sys, img, size); }
  if (scheme == "E7") { need(16384); return std::make_unique<CartE7>(sys, img, size); }
  if (scheme == "UA") { need(8192); return std::make_unique<CartUA>(sys, img, size); }
  if (scheme == "DPC") {
    if (size != 10240 && size != 10495 && size != 10496) need(10240);
    return std::make_unique<CartDPC>(sys, img, size);
  }
  if (scheme == "3F") {
    if (size < 2048 || size % 2048 != 0 || size > 512 * 1024)
      throw RomError("ROM image of " + std::to_string(size) + " bytes is not a whole number of 2K slices (3F)");
    return std::make_unique<Cart3F>(sys, img, size);
  }
  if (scheme == "CV") {
    if (size != 2048 && size != 4096) need(2048);
    return std::make_unique<CartCV>(sys, img, size);
  }
  throw RomError("unsupported bankswitch scheme '" + scheme + "'" +
                 (autoDetected ? " (auto-detected)" : "") + " for a ROM image of " +
                 std::to_string(size) + " bytes");
}

}  // namespace eo::core
