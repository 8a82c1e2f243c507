// ALE settings (ale-semantics.md section 12): a fixed table of known keys whose values are stored
// as text. Unknown keys are errors. Floats are formatted with 6 significant digits.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace eo::ale {

enum class SettingType { Int, Float, Bool, String };

// Largest paddle_min / paddle_max (a paddle resistance in ohms; the defaults are 27450 / 790196,
// the largest game override 1000000). Keeps the centre (min + max) / 2 and every paddle step
// inside 32-bit arithmetic and below the core's "no paddle" marker.
constexpr int32_t kMaxPaddleSetting = 1000000000;

class Settings {
 public:
  Settings();

  // Setters check the value against the key's type and range at once and throw
  // std::invalid_argument (message starting with the setter's name) when it does not fit; the
  // stored value is then unchanged. Accepted text: int = optional '-' and decimal digits (32-bit);
  // float = decimal notation with optional exponent (no hex, inf, nan or spaces); bool = true,
  // false, 1 or 0; string = no NUL bytes. Range checks: repeat_action_probability in [0, 1];
  // paddle_min/paddle_max -1 or 0..kMaxPaddleSetting; cpu "low".
  void setString(const std::string& key, const std::string& value);
  void setInt(const std::string& key, int value);
  void setFloat(const std::string& key, float value);
  void setBool(const std::string& key, bool value);

  // Getters throw std::invalid_argument for unknown keys and when the stored text is not of the
  // requested type (e.g. getInt of "cpu").
  std::string getString(const std::string& key) const;
  int getInt(const std::string& key) const;
  float getFloat(const std::string& key) const;
  bool getBool(const std::string& key) const;

  bool has(const std::string& key) const;
  SettingType type(const std::string& key) const;

 private:
  struct Entry {
    SettingType type;
    std::string value;
  };
  const Entry& entry(const char* method, const std::string& key) const;
  void store(const char* method, const std::string& key, const std::string& text);
  std::map<std::string, Entry> values_;
};

}  // namespace eo::ale
