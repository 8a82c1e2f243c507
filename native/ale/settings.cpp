#include "ale/settings.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace eo::ale {

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

const Settings::Entry& Settings::entry(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::invalid_argument("unknown setting '" + key + "'");
  return it->second;
}

Settings::Entry& Settings::entry(const std::string& key) {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::invalid_argument("unknown setting '" + key + "'");
  return it->second;
}

bool Settings::has(const std::string& key) const { return values_.count(key) != 0; }
SettingType Settings::type(const std::string& key) const { return entry(key).type; }

void Settings::setString(const std::string& key, const std::string& value) { entry(key).value = value; }
void Settings::setInt(const std::string& key, int value) { entry(key).value = std::to_string(value); }
void Settings::setBool(const std::string& key, bool value) { entry(key).value = value ? "true" : "false"; }
void Settings::setFloat(const std::string& key, float value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", double(value));  // 6 significant digits
  entry(key).value = buf;
}

std::string Settings::getString(const std::string& key) const { return entry(key).value; }

int Settings::getInt(const std::string& key) const {
  const std::string& s = entry(key).value;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0 || v < INT_MIN || v > INT_MAX)
    throw std::invalid_argument("setting '" + key + "' has value '" + s + "', which is not an integer");
  return int(v);
}

float Settings::getFloat(const std::string& key) const {
  const std::string& s = entry(key).value;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0')
    throw std::invalid_argument("setting '" + key + "' has value '" + s + "', which is not a number");
  return float(v);
}

bool Settings::getBool(const std::string& key) const {
  const std::string& s = entry(key).value;
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  throw std::invalid_argument("setting '" + key + "' has value '" + s + "', which is not a boolean");
}

}  // namespace eo::ale
