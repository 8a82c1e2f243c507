// Cartridge base class (../shared/docs/hardware-notes.md §9). One scheme per cart_<scheme>.h/.cpp.
//
// Reads of 0x1000-0x1FFF (A12 = 1) first try the per-page fast table `readPage` (64 pages of 64
// bytes, indexed by (addr >> 6) & 63): a non-null entry points at the 64 bytes currently mapped
// there. Pages holding hotspots or registers stay null and go through peek(). Writes always go
// through poke(). Every scheme keeps its machine state as plain data (saveState/loadState).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/system.h"

namespace eo::core {

class Cartridge {
 public:
  explicit Cartridge(System& sys) : sys_(sys) {}
  virtual ~Cartridge() = default;
  Cartridge(const Cartridge&) = delete;
  Cartridge& operator=(const Cartridge&) = delete;

  virtual const char* name() const = 0;
  // Console reset line: power-on bank, on-board RAM refilled from the system RNG.
  virtual void reset() = 0;
  // Slow-path access with the full 16-bit CPU address (A12 = 1).
  virtual uint8_t peek(uint16_t addr) = 0;
  virtual void poke(uint16_t addr, uint8_t value) = 0;
  // Accesses outside the cart window for schemes with System::cartLowHook set (3F, UA).
  // `write` tells a write from a read; called before the TIA handles the access.
  virtual void lowAccess(uint16_t addr, uint8_t value, bool write) {}
  // The system cycle counter went from `oldCycles` back to 0.
  virtual void onCyclesReset(uint32_t oldCycles) {}
  // Bank bytes of the debug-trace instruction record (README of conformance/debug).
  virtual void bankBytes(uint8_t out[3]) const { out[0] = out[1] = out[2] = 0; }

  // Plain-data state (bank registers, RAM, coprocessor registers); loadState rebuilds readPage.
  virtual std::vector<uint8_t> saveState() const = 0;
  virtual bool loadState(const uint8_t* data, size_t size) = 0;

  const uint8_t* readPage[64] = {};

 protected:
  // Bank-hotspot trace record (kind 0x12), written after the switch.
  void traceBank(uint16_t addr, uint8_t after, uint8_t before, uint8_t segment, bool write) {
    if (!sys_.trace) return;
    uint16_t line;
    uint8_t clock;
    sys_.tracePosition(line, clock);
    sys_.trace->write(kTraceBankAccess, after, addr, sys_.tracePc, line, clock,
                      uint8_t((write ? 0x80 : 0) | (segment & 3)), sys_.traceOpcode, before,
                      sys_.totalCycles());
  }
  // Helpers for POD state blobs.
  template <typename T>
  static std::vector<uint8_t> podBlob(const T& s) {
    std::vector<uint8_t> v(sizeof(T));
    std::memcpy(v.data(), &s, sizeof(T));
    return v;
  }
  template <typename T>
  static bool podLoad(T& s, const uint8_t* data, size_t size) {
    if (size != sizeof(T) || data == nullptr) return false;
    std::memcpy(&s, data, sizeof(T));
    return true;
  }
  void fillRandom(uint8_t* dst, size_t n) {
    for (size_t i = 0; i < n; ++i) dst[i] = uint8_t(sys_.rng.next());
  }

  System& sys_;
};

}  // namespace eo::core
