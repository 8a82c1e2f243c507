#include "ale/settings.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "ale/quote.h"

namespace eo::ale {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Optional '-' then 1..10 decimal digits, value within 32 bits.
bool parseInt(const std::string& s, int& out) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() - i > 10) return false;
  for (size_t k = i; k < s.size(); ++k)
    if (!isDigit(s[k])) return false;
  const long long v = std::strtoll(s.c_str(), nullptr, 10);
  if (v < INT_MIN || v > INT_MAX) return false;
  out = int(v);
  return true;
}

// [+-] digits [. digits] [(e|E) [+-] digits], with at least one mantissa digit; finite as a float.
bool parseFloat(const std::string& s, float& out) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < n && isDigit(s[i])) ++i, ++digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && isDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < n && isDigit(s[i])) ++i, ++exp;
    if (exp == 0) return false;
  }
  if (i != n) return false;
  const float v = float(std::strtod(s.c_str(), nullptr));
  if (!std::isfinite(v)) return false;
  out = v;
  return true;
}

bool parseBool(const std::string& s, bool& out) {
  if (s == "true" || s == "1") return out = true, true;
  if (s == "false" || s == "0") return out = false, true;
  return false;
}

[[noreturn]] void reject(const char* method, const std::string& key, const std::string& text, const char* what) {
  throw std::invalid_argument(std::string(method) + ": setting " + quoted(key) + " " + what + ", got " + quoted(text));
}

}  // namespace

Settings::Settings() {
  auto put = [this](const char* k, SettingType t, const char* v) { values_[k] = Entry{t, v}; };
  put("random_seed", SettingType::Int, "-1");
  put("system_random_seed", SettingType::Int, "4753849");
  put("frame_skip", SettingType::Int, "1");
  put("repeat_action_probability", SettingType::Float, "0.25");
  put("color_averaging", SettingType::Bool, "false");
  put("max_num_frames_per_episode", SettingType::Int, "0");
  put("max_num_frames", SettingType::Int, "0");
  put("truncate_on_loss_of_life", SettingType::Bool, "false");
  put("reward_min", SettingType::Int, std::to_string(INT_MIN).c_str());
  put("reward_max", SettingType::Int, std::to_string(INT_MAX).c_str());
  put("paddle_min", SettingType::Int, "-1");
  put("paddle_max", SettingType::Int, "-1");
  put("cpu", SettingType::String, "low");
  put("display_screen", SettingType::Bool, "false");
  put("sound_obs", SettingType::Bool, "false");
  put("record_screen_dir", SettingType::String, "");
  put("record_sound_filename", SettingType::String, "");
  put("rom_file", SettingType::String, "");
  put("restricted_action_set", SettingType::Bool, "false");
  put("send_rgb", SettingType::Bool, "false");
  put("run_length_encoding", SettingType::Bool, "true");
  put("fragsize", SettingType::Int, "64");
}

const Settings::Entry& Settings::entry(const char* method, const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::invalid_argument(std::string(method) + ": unknown setting " + quoted(key));
  return it->second;
}

bool Settings::has(const std::string& key) const { return values_.count(key) != 0; }
SettingType Settings::type(const std::string& key) const { return entry("type", key).type; }

void Settings::store(const char* method, const std::string& key, const std::string& text) {
  const Entry& e = entry(method, key);
  switch (e.type) {
    case SettingType::Int: {
      int v = 0;
      if (!parseInt(text, v)) reject(method, key, text, "takes a 32-bit decimal integer");
      if ((key == "paddle_min" || key == "paddle_max") && v != -1 && (v < 0 || v > kMaxPaddleSetting))
        reject(method, key, text, "must be -1 (default) or a resistance in 0..1000000000");
      break;
    }
    case SettingType::Float: {
      float v = 0;
      if (!parseFloat(text, v)) reject(method, key, text, "takes a finite decimal number");
      if (key == "repeat_action_probability" && !(v >= 0.0f && v <= 1.0f)) reject(method, key, text, "must be in [0, 1]");
      break;
    }
    case SettingType::Bool: {
      bool v = false;
      if (!parseBool(text, v)) reject(method, key, text, "takes true, false, 1 or 0");
      break;
    }
    case SettingType::String:
      if (text.find('\0') != std::string::npos) reject(method, key, text, "must not contain a NUL byte");
      if (key == "cpu" && text != "low") reject(method, key, text, "must be 'low' (the only CPU core emulated)");
      break;
  }
  values_[key].value = text;
}

void Settings::setString(const std::string& key, const std::string& value) { store("setString", key, value); }
void Settings::setInt(const std::string& key, int value) { store("setInt", key, std::to_string(value)); }
void Settings::setBool(const std::string& key, bool value) { store("setBool", key, value ? "true" : "false"); }
void Settings::setFloat(const std::string& key, float value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", double(value));  // 6 significant digits
  store("setFloat", key, buf);
}

std::string Settings::getString(const std::string& key) const { return entry("getString", key).value; }

int Settings::getInt(const std::string& key) const {
  const std::string& s = entry("getInt", key).value;
  int v = 0;
  if (!parseInt(s, v))
    throw std::invalid_argument("getInt: setting " + quoted(key) + " has value " + quoted(s) + ", which is not an integer");
  return v;
}

float Settings::getFloat(const std::string& key) const {
  const std::string& s = entry("getFloat", key).value;
  float v = 0;
  if (!parseFloat(s, v))
    throw std::invalid_argument("getFloat: setting " + quoted(key) + " has value " + quoted(s) + ", which is not a number");
  return v;
}

bool Settings::getBool(const std::string& key) const {
  const std::string& s = entry("getBool", key).value;
  bool v = false;
  if (!parseBool(s, v))
    throw std::invalid_argument("getBool: setting " + quoted(key) + " has value " + quoted(s) + ", which is not a boolean");
  return v;
}

}  // namespace eo::ale
