// The whole Atari 2600: bus, 6507, RIOT, TIA and cartridge, built in ALE's order so the
// system RNG is consumed exactly as upstream (../shared/docs/ale-semantics.md §3-§6).
// The environment layer (native/ale) drives it: set inputs, run frames, read RAM/screen.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/system.h"
#include "core/tia.h"

namespace eo::core {

class Cpu6507;
class Riot;
class Cartridge;

// Thrown for bad ROM images (empty, wrong size, unknown scheme). Never abort on user input.
struct RomError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ConsoleProperties {
  uint32_t ystart = 34;
  uint32_t height = 210;          // NTSC height property; PAL detection turns 210 into 250
  bool hmoveBlanks = true;
  std::string bankswitch = "AUTO"; // "AUTO" = detector (hardware-notes §9.1), or "2K","4K","F8",...
  uint32_t systemRandomSeed = 4753849u;
  // Paddle-swap / port-swap are environment-layer concerns (they only change which Inputs
  // fields an action writes); difficulty switches likewise.
  TraceWriter* trace = nullptr;   // optional debug trace from power-on
  // Inputs in effect from power-on, i.e. during the 60 format-detection frames. A fresh ALE
  // interface has every switch released, difficulty switches per the Stella property, and
  // resistance 0 ("always charged") on paddle ports; joystick ports keep kNoPaddle.
  Inputs inputs{};
};

class Console {
 public:
  // Builds the console: seed system RNG, RIOT (128 RAM bytes + timer draw), TIA, cartridge,
  // system reset, 60 NTSC format-detection frames, PAL decision, final system reset.
  // Throws RomError for an unusable image.
  Console(const uint8_t* rom, size_t size, const ConsoleProperties& props);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  void systemReset();     // console reset line (ale-semantics §4 step 2)
  void runFrame();        // one TIA::update()

  Inputs& inputs();
  System& system();
  Tia& tia();
  Cartridge& cartridge();

  bool isPal() const;
  uint32_t screenHeight() const;  // after PAL adjustment
  const char* bankswitchName() const;

  uint8_t ramByte(uint8_t index) const;  // RIOT RAM index 0..127 (= address 0x80 + index)
  const uint8_t* ram() const;            // 128 bytes
  uint8_t peek(uint16_t addr);           // CPU-bus read (e.g. Klax's Superchip RAM)
  void poke(uint16_t addr, uint8_t v);   // CPU-bus write (setRAM)

  std::vector<uint8_t> saveState() const;
  bool loadState(const uint8_t* data, size_t size);

  Cpu6507& cpu();
  Riot& riot();
  // Frames 31..60 of format detection with more than 285 scanlines (PAL if >= 15).
  uint32_t palDetectionCount() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace eo::core
