// tia_screens: replays the ale-frameskip1 protocol of ../shared/conformance (random_seed 1,
// repeat_action_probability 0, frame_skip 1, xorshift32 actions with seed 1 over the minimal
// action set, reset_game() after any step that ends the game) and prints the FNV-1a screen hash
// of every init/step/reset line, so a script can find the first screen that differs from the
// golden trace. Screens after steps 0/100/500/1000 are written to DUMP_DIR/<name>-<step>.bin
// (the layout of ../shared/conformance/screens) when DUMP_DIR is given.
//
//   tia_screens ROM STEPS [DUMP_DIR|-] [SEED FRAME_SKIP]   (ale-v5 set: SEED 0, FRAME_SKIP 4;
//   SEED is both ALE's random_seed and the action generator's seed)
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "ale/ale_interface.h"

namespace {

uint64_t fnv1a(const std::vector<uint8_t>& v) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : v) {
    h ^= b;
    h *= 0x00000100000001b3ull;
  }
  return h;
}

std::string baseName(const std::string& path) {
  size_t s = path.find_last_of('/');
  std::string n = s == std::string::npos ? path : path.substr(s + 1);
  size_t d = n.rfind(".bin");
  return d == std::string::npos ? n : n.substr(0, d);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tia_screens ROM STEPS [DUMP_DIR]\n");
    return 2;
  }
  const std::string rom = argv[1];
  const int steps = std::atoi(argv[2]);
  std::string dump = argc > 3 ? argv[3] : "";
  if (dump == "-") dump.clear();
  const uint32_t seed = argc > 4 ? uint32_t(std::strtoul(argv[4], nullptr, 10)) : 1u;
  const int frameSkip = argc > 5 ? std::atoi(argv[5]) : 1;
  try {
    eo::ale::AleInterface ale;
    ale.setInt("random_seed", int(seed));
    ale.setFloat("repeat_action_probability", 0.0f);
    ale.setInt("frame_skip", frameSkip);
    ale.loadROM(rom);
    std::vector<uint8_t> screen(ale.screenSize());
    auto hash = [&]() {
      ale.getScreen(screen.data());
      return (unsigned long long)fnv1a(screen);
    };
    std::printf("init after_loadROM %016llx\n", hash());
    ale.reset_game();
    std::printf("init after_first_reset %016llx\n", hash());
    const std::vector<int> actions = ale.getMinimalActionSet();
    uint32_t state = seed ^ 0x9E3779B9u;
    if (state == 0) state = 0x9E3779B9u;
    for (int i = 0; i < steps; ++i) {
      uint32_t x = state;
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      state = x;
      ale.act(actions[x % actions.size()]);
      std::printf("step %d %016llx\n", i, hash());
      if (!dump.empty() && (i == 0 || i == 100 || i == 500 || i == 1000)) {
        const std::string path = dump + "/" + baseName(rom) + "-" + std::to_string(i) + ".bin";
        if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
          std::fwrite(screen.data(), 1, screen.size(), f);
          std::fclose(f);
        }
      }
      if (ale.game_over()) {
        ale.reset_game();
        std::printf("reset %d %016llx\n", i, hash());
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tia_screens: %s\n", e.what());
    return 1;
  }
  return 0;
}
