// eo_trace: writes the debug trace of ../shared/conformance/debug (16-byte records) for a ROM.
//
//   eo_trace ROM CPU_OUT [TIA_OUT] [--console-only] [--paddles L,R] [--steps N] [--seed S]
//
// Default: the full debug window through the environment layer (eo::ale::AleInterface):
// random_seed 1, repeat_action_probability 0, frame_skip 1, loadROM (console creation from
// power-on + reset), reset_game(), then N (default 20) act() steps with actions from the
// conformance xorshift32 generator (seed S, default 1) over the minimal action set.
// --console-only: only builds the eo::core::Console (power-on, 60 format-detection frames,
// final reset) with tracing on; --paddles 1,1 marks paddle ports (resistance 0 = always
// charged, as a fresh ALE interface has them) for that mode.
// Compare with: python3 ../shared/conformance/debug/read_debug.py diff cpu <rom>.cpu.bin.xz CPU_OUT --only-data
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "ale/ale_interface.h"
#include "core/console.h"
#include "core/trace.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: eo_trace ROM CPU_OUT [TIA_OUT] [--console-only] [--paddles L,R] [--steps N] "
               "[--seed S]\n");
  return 2;
}

bool readFile(const char* path, std::vector<uint8_t>& out) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  std::fclose(f);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  bool consoleOnly = false;
  bool padL = false, padR = false;
  int steps = 20;
  uint32_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--console-only") {
      consoleOnly = true;
    } else if (a == "--paddles" && i + 1 < argc) {
      std::string v = argv[++i];
      padL = v.size() > 0 && v[0] == '1';
      padR = v.size() > 2 && v[2] == '1';
    } else if (a == "--steps" && i + 1 < argc) {
      steps = std::atoi(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = uint32_t(std::strtoul(argv[++i], nullptr, 10));
    } else if (!a.empty() && a[0] == '-') {
      return usage();
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() < 2 || pos.size() > 3) return usage();
  const std::string tiaPath = pos.size() == 3 ? pos[2] : "";

  try {
    if (consoleOnly) {
      std::vector<uint8_t> rom;
      if (!readFile(pos[0].c_str(), rom)) {
        std::fprintf(stderr, "eo_trace: cannot read %s\n", pos[0].c_str());
        return 1;
      }
      std::FILE* cpu = std::fopen(pos[1].c_str(), "wb");
      std::FILE* tia = tiaPath.empty() ? nullptr : std::fopen(tiaPath.c_str(), "wb");
      if (!cpu || (!tiaPath.empty() && !tia)) {
        std::fprintf(stderr, "eo_trace: cannot create output files\n");
        return 1;
      }
      eo::core::TraceWriter trace(cpu, tia);
      eo::core::ConsoleProperties props;
      props.trace = &trace;
      if (padL) props.inputs.paddleResistance[0] = props.inputs.paddleResistance[1] = 0;
      if (padR) props.inputs.paddleResistance[2] = props.inputs.paddleResistance[3] = 0;
      eo::core::Console console(rom.data(), rom.size(), props);
      trace.marker(eo::core::kTracePhase, 1, 0xFFFF, 0, 0, console.system().totalCycles());
      std::fclose(cpu);
      if (tia) std::fclose(tia);
      std::printf("%s: bankswitch %s, %s (%u/30 detection frames > 285 lines), T=%u\n",
                  pos[0].c_str(), console.bankswitchName(), console.isPal() ? "PAL" : "NTSC",
                  console.palDetectionCount(), console.system().totalCycles());
      return 0;
    }

    eo::ale::AleInterface ale;
    ale.setInt("random_seed", 1);
    ale.setFloat("repeat_action_probability", 0.0f);
    ale.setInt("frame_skip", 1);
    ale.setTrace(pos[1], tiaPath);
    ale.loadROM(pos[0]);
    ale.reset_game();
    const std::vector<int> actions = ale.getMinimalActionSet();
    uint32_t state = seed ^ 0x9E3779B9u;
    if (state == 0) state = 0x9E3779B9u;
    int64_t total = 0;
    for (int i = 0; i < steps; ++i) {
      uint32_t x = state;
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      state = x;
      total += ale.act(actions[x % actions.size()]);
    }
    ale.setTrace("", "");  // flush and close
    std::printf("%s: %d steps, reward %lld, frame %lld\n", pos[0].c_str(), steps, (long long)total,
                (long long)ale.getFrameNumber());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "eo_trace: %s\n", e.what());
    return 1;
  }
  return 0;
}
