// Values as JSON: none -> null, tuples -> arrays. Used by every JSON output and reader.
#pragma once

#include <nlohmann/json.hpp>

#include "core/value.h"

namespace sketch {

nlohmann::json valueToJson(const Value& value);
/// Numbers keep their kind (3 is an int, 3.0 a float); objects are not values (-> none).
Value valueFromJson(const nlohmann::json& json);

}  // namespace sketch
