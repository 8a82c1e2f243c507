// Bankswitch auto-detection as ALE uses it (hardware-notes §9.1) and the cartridge factory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/cart.h"

namespace eo::core {

// Scheme name chosen by ALE's detector for an image ("2K", "4K", "F8", "F8SC", "E0", "3E",
// "3F", "UA", "FE", "DPC", "FA", "F6", "F6SC", "E7", "F4", "F4SC", "CV", "AR", "MB", "MC", ...).
// Returns "" for an empty image.
std::string detectBankswitch(const uint8_t* image, size_t size);

// Builds the cartridge for `scheme` ("AUTO" = detectBankswitch). Throws RomError (console.h)
// for an empty image, an unsupported scheme, or a size the scheme cannot use.
std::unique_ptr<Cartridge> createCartridge(System& sys, const uint8_t* image, size_t size,
                                           const std::string& scheme);

}  // namespace eo::core
