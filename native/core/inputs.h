// Controller and console-switch state as the emulated hardware sees it.
// Written by the environment layer before each frame; read by the RIOT (SWCHA/SWCHB)
// and the TIA (INPT0..INPT5). Plain data.
#pragma once
#include <cstdint>

namespace eo::core {

struct Inputs {
  // SWCHA: left port bits 7..4 = right,left,down,up; right port bits 3..0 likewise.
  // Active low (1 = not pressed). Paddle buttons also live here (see hardware-notes §7).
  uint8_t swcha = 0xFF;
  // SWCHB: bit0 RESET (0 = pressed), bit1 SELECT (0 = pressed), bit3 colour (1),
  // bit6 left difficulty (1 = A), bit7 right difficulty (1 = A); bits 2,4,5 read 1.
  uint8_t swchb = 0x3F;  // 0b0011'1111: switches released, colour, both difficulties B
  // Fire buttons: true = NOT pressed (INPT4/INPT5 bit 7 = 1).
  bool inpt4High = true;
  bool inpt5High = true;
  // Paddle resistances for INPT0..INPT3 (already in INPTn order, i.e. after any swap).
  // 0 = always charged (bit7 1); kNoPaddle = no paddle (bit7 0).
  static constexpr int32_t kNoPaddle = 0x7FFFFFFF;
  int32_t paddleResistance[4] = {kNoPaddle, kNoPaddle, kNoPaddle, kNoPaddle};
};

}  // namespace eo::core
