// Console assembly in ALE's order (../shared/docs/ale-semantics.md §3, hardware-notes §10).
#include "core/console.h"

#include <cstring>

#include "core/bus.h"
#include "core/cart_detect.h"
#include "core/cpu6507.h"

namespace eo::core {

struct Console::Parts {
  System sys;
  std::unique_ptr<Cartridge> cart;
  std::unique_ptr<Cpu6507> cpu;
  std::unique_ptr<Riot> riot;
  std::unique_ptr<Tia> tia;
  TiaConfig cfg;
  bool pal = false;
  uint32_t palCount = 0;
};

Console::Console(const uint8_t* rom, size_t size, const ConsoleProperties& props)
    : parts_(std::make_unique<Parts>()) {
  Parts& p = *parts_;
  System& s = p.sys;
  // The cartridge first: a bad image throws before anything runs.
  p.cart = createCartridge(s, rom, size, props.bankswitch);
  s.cart = p.cart.get();
  s.trace = props.trace;
  if (s.trace) s.trace->marker(kTracePhase, 0, 0xFFFF, 0, 0, 0);

  s.rng.seed_with(props.systemRandomSeed);
  p.cpu = std::make_unique<Cpu6507>(s);
  s.cpu = p.cpu.get();
  p.riot = std::make_unique<Riot>(s);
  s.riot = p.riot.get();
  p.riot->powerOn();  // 128 RNG draws
  p.riot->reset();    // one more (timer)
  p.tia = std::make_unique<Tia>(s);
  s.tia = p.tia.get();
  p.cfg.ystart = props.ystart;
  p.cfg.height = props.height;
  p.cfg.hmoveBlanks = props.hmoveBlanks;
  p.cfg.maxScanlines = 290;
  p.cfg.palColorLoss = false;
  p.tia->configure(p.cfg);
  s.resetCycles(0);  // TIA install
  s.inputs = props.inputs;

  // TV-format detection: 60 frames as NTSC.
  systemReset();
  for (int i = 0; i < 60; ++i) {
    p.tia->update();
    if (i >= 30 && p.tia->scanlines() > 285) ++p.palCount;
  }
  p.pal = p.palCount >= 15;
  if (p.pal) {
    if (p.cfg.height == 210) p.cfg.height = 250;
    p.cfg.maxScanlines = 342;
    p.cfg.palColorLoss = true;
    p.tia->configure(p.cfg);
  }
  systemReset();
}

Console::~Console() = default;

void Console::systemReset() {
  Parts& p = *parts_;
  System& s = p.sys;
  s.resetCycles(1);
  p.riot->reset();
  p.tia->reset();
  p.cart->reset();
  p.cpu->reset();
  if (s.trace)
    s.trace->marker(kTraceSystemReset, 0, p.cpu->st.pc, p.riot->timerStart(), 0, s.totalCycles());
}

void Console::runFrame() { parts_->tia->update(); }

Inputs& Console::inputs() { return parts_->sys.inputs; }
System& Console::system() { return parts_->sys; }
Tia& Console::tia() { return *parts_->tia; }
Cartridge& Console::cartridge() { return *parts_->cart; }
Cpu6507& Console::cpu() { return *parts_->cpu; }
Riot& Console::riot() { return *parts_->riot; }

bool Console::isPal() const { return parts_->pal; }
uint32_t Console::screenHeight() const { return parts_->cfg.height; }
const char* Console::bankswitchName() const { return parts_->cart->name(); }
uint32_t Console::palDetectionCount() const { return parts_->palCount; }

uint8_t Console::ramByte(uint8_t index) const { return parts_->riot->st.ram[index & 0x7F]; }
const uint8_t* Console::ram() const { return parts_->riot->st.ram; }
uint8_t Console::peek(uint16_t addr) { return parts_->sys.peek(addr); }
void Console::poke(uint16_t addr, uint8_t v) { parts_->sys.poke(addr, v); }

// ---- state blobs ------------------------------------------------------------------------------
namespace {

constexpr uint32_t kMagic = 0x31434F45u;  // "EOC1"

struct SystemBlob {
  uint32_t cycles;
  uint32_t cyclesBase;
  int32_t frameClockOrigin;
  uint8_t dataBus;
  uint8_t lastAccessWasRead;
  uint8_t pal;
  uint8_t pad;
  Mt19937 rng;
};

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void putBlob(std::vector<uint8_t>& out, const void* data, size_t n) {
  put32(out, uint32_t(n));
  const uint8_t* b = static_cast<const uint8_t*>(data);
  out.insert(out.end(), b, b + n);
}
bool get32(const uint8_t*& p, const uint8_t* end, uint32_t& v) {
  if (end - p < 4) return false;
  v = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  p += 4;
  return true;
}
bool getBlob(const uint8_t*& p, const uint8_t* end, const uint8_t*& data, size_t& n) {
  uint32_t len;
  if (!get32(p, end, len) || size_t(end - p) < len) return false;
  data = p;
  n = len;
  p += len;
  return true;
}

}  // namespace

std::vector<uint8_t> Console::saveState() const {
  const Parts& p = *parts_;
  std::vector<uint8_t> out;
  put32(out, kMagic);
  SystemBlob sb;
  sb.pad = 0;
  sb.cycles = p.sys.cycles;
  sb.cyclesBase = p.sys.cyclesBase;
  sb.frameClockOrigin = p.sys.frameClockOrigin;
  sb.dataBus = p.sys.dataBus;
  sb.lastAccessWasRead = p.sys.lastAccessWasRead;
  sb.pal = p.pal;
  sb.rng = p.sys.rng;
  putBlob(out, &sb, sizeof sb);
  putBlob(out, &p.cpu->st, sizeof(CpuState));
  putBlob(out, &p.riot->st, sizeof(RiotState));
  const std::vector<uint8_t> tia = p.tia->saveState();
  putBlob(out, tia.data(), tia.size());
  const std::vector<uint8_t> cart = p.cart->saveState();
  putBlob(out, cart.data(), cart.size());
  return out;
}

bool Console::loadState(const uint8_t* data, size_t size) {
  if (data == nullptr) return false;
  Parts& p = *parts_;
  const uint8_t* q = data;
  const uint8_t* end = data + size;
  uint32_t magic;
  if (!get32(q, end, magic) || magic != kMagic) return false;
  const uint8_t *sysData, *cpuData, *riotData, *tiaData, *cartData;
  size_t sysN, cpuN, riotN, tiaN, cartN;
  if (!getBlob(q, end, sysData, sysN) || sysN != sizeof(SystemBlob)) return false;
  if (!getBlob(q, end, cpuData, cpuN) || cpuN != sizeof(CpuState)) return false;
  if (!getBlob(q, end, riotData, riotN) || riotN != sizeof(RiotState)) return false;
  if (!getBlob(q, end, tiaData, tiaN)) return false;
  if (!getBlob(q, end, cartData, cartN)) return false;
  if (q != end) return false;
  SystemBlob sb;
  std::memcpy(&sb, sysData, sizeof sb);
  if (sb.rng.index > 624) return false;
  RiotState rs;
  std::memcpy(&rs, riotData, sizeof rs);
  if (rs.shift != 0 && rs.shift != 3 && rs.shift != 6 && rs.shift != 10) return false;
  if (bool(sb.pal) != p.pal) return false;  // a state from a differently detected console

  // Devices that validate their own blobs go first; roll back if one refuses.
  const std::vector<uint8_t> oldCart = p.cart->saveState();
  if (!p.cart->loadState(cartData, cartN)) return false;
  if (!p.tia->loadState(tiaData, tiaN)) {
    p.cart->loadState(oldCart.data(), oldCart.size());
    return false;
  }
  std::memcpy(&p.cpu->st, cpuData, sizeof(CpuState));
  p.riot->st = rs;
  p.sys.cycles = sb.cycles;
  p.sys.cyclesBase = sb.cyclesBase;
  p.sys.frameClockOrigin = sb.frameClockOrigin;
  p.sys.dataBus = sb.dataBus;
  p.sys.lastAccessWasRead = sb.lastAccessWasRead != 0;
  p.sys.stopRequested = false;
  p.sys.rng = sb.rng;
  return true;
}

}  // namespace eo::core
