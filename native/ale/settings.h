// ALE settings (ale-semantics.md section 12): a fixed table of known keys whose values are stored
// as text. Unknown keys are errors. Floats are formatted with 6 significant digits.
#pragma once
#include <map>
#include <string>

namespace eo::ale {

enum class SettingType { Int, Float, Bool, String };

class Settings {
 public:
  Settings();

  void setString(const std::string& key, const std::string& value);
  void setInt(const std::string& key, int value);
  void setFloat(const std::string& key, float value);
  void setBool(const std::string& key, bool value);

  // Getters throw std::invalid_argument for unknown keys and for text that does not parse.
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
  const Entry& entry(const std::string& key) const;
  Entry& entry(const std::string& key);
  std::map<std::string, Entry> values_;
};

}  // namespace eo::ale
