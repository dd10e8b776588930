#include "core/value_json.h"

namespace sketch {

nlohmann::json valueToJson(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::None: return nullptr;
    case Value::Kind::Bool: return value.asBool();
    case Value::Kind::Int: return value.asInt();
    case Value::Kind::Float: return value.asNumber();
    case Value::Kind::String: return value.asString();
    case Value::Kind::List: {
      nlohmann::json list = nlohmann::json::array();
      for (const Value& item : value.asList()) list.push_back(valueToJson(item));
      return list;
    }
  }
  return nullptr;
}

Value valueFromJson(const nlohmann::json& json) {
  if (json.is_boolean()) return Value::ofBool(json.get<bool>());
  if (json.is_number_integer()) return Value::ofInt(json.get<int64_t>());
  if (json.is_number()) return Value::ofFloat(json.get<double>());
  if (json.is_string()) return Value::ofString(json.get<std::string>());
  if (json.is_array()) {
    std::vector<Value> items;
    for (const auto& item : json) items.push_back(valueFromJson(item));
    return Value::ofList(std::move(items));
  }
  return Value::none();
}

}  // namespace sketch
