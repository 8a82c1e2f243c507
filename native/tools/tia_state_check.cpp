// tia_state_check: cloneState/restoreState round trip through the whole emulator. Plays K steps
// of the ale-frameskip1 action sequence, clones, plays M more steps recording RAM and screen
// hashes, restores and replays the same M actions; prints how many steps differ.
//
//   tia_state_check ROM [K=200] [M=100]
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

#include "ale/ale_interface.h"

namespace {
uint64_t fnv1a(const uint8_t* p, size_t n, uint64_t h = 0xcbf29ce484222325ull) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x00000100000001b3ull;
  }
  return h;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tia_state_check ROM [K] [M]\n");
    return 2;
  }
  const int k = argc > 2 ? std::atoi(argv[2]) : 200;
  const int m = argc > 3 ? std::atoi(argv[3]) : 100;
  try {
    eo::ale::AleInterface ale;
    ale.setInt("random_seed", 1);
    ale.setFloat("repeat_action_probability", 0.0f);
    ale.setInt("frame_skip", 1);
    ale.loadROM(argv[1]);
    ale.reset_game();
    const std::vector<int> actions = ale.getMinimalActionSet();
    uint32_t state = 1u ^ 0x9E3779B9u;
    auto next = [&]() {
      uint32_t x = state;
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      state = x;
      return actions[x % actions.size()];
    };
    for (int i = 0; i < k; ++i) {
      ale.act(next());
      if (ale.game_over()) ale.reset_game();
    }
    const std::vector<uint8_t> snap = ale.cloneState();
    std::vector<int> seq;
    std::vector<uint64_t> first;
    std::vector<uint8_t> screen(ale.screenSize()), ram(128);
    auto digest = [&]() {
      ale.getScreen(screen.data());
      ale.getRAM(ram.data());
      return fnv1a(ram.data(), ram.size(), fnv1a(screen.data(), screen.size()));
    };
    for (int i = 0; i < m; ++i) {
      seq.push_back(next());
      ale.act(seq.back());
      first.push_back(digest());
    }
    ale.restoreState(snap.data(), snap.size());
    int diff = 0, firstDiff = -1;
    for (int i = 0; i < m; ++i) {
      ale.act(seq[i]);
      if (digest() != first[i]) {
        ++diff;
        if (firstDiff < 0) firstDiff = i;
      }
    }
    std::printf("%s: state %zu bytes, %d/%d replayed steps differ (first %d)\n", argv[1],
                snap.size(), diff, m, firstDiff);
    return diff == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tia_state_check: %s\n", e.what());
    return 1;
  }
}
