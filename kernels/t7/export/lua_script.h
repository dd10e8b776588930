// The Lua script written beside a `.t7` by --emit-lua: it rebuilds the same module tree
// with `require 'nn'` constructors (plus the scalar fields the constructors do not take),
// then copies every tensor field (weights, biases, running statistics) from the `.t7` file
// next to it, so the architecture is readable and editable as Lua code.
#pragma once

#include <string>

#include "t7_object.h"

namespace sketch::t7 {

/// The script for the module tree `root`; `t7Name` is the file name of the weights.
std::string luaScript(const Object& root, const std::string& t7Name, DType dtype);

}  // namespace sketch::t7
