// Binding a call's arguments to an op's attributes: positional in PyTorch order, keywords by
// name, defaults filled in, types checked, legacy spellings moved to the canonical attributes
// (OpDef::canonical). Reports through BindIssues that point at the argument involved; the
// caller turns them into diagnostics.
#pragma once

#include <string>
#include <vector>

#include "ops/op_def.h"

namespace sketch {

struct CallArgument {
  std::string keyword;  // empty: positional
  Value value;
};

struct BindIssue {
  enum class Kind { UnknownAttribute, DuplicateAttribute, TooManyArguments, MissingAttribute,
                    AttributeType, AttributeValue };
  Kind kind;
  int argument = -1;  // index into the arguments, -1 when about a missing one
  std::string message;
  std::string help;
};

struct BindResult {
  Attrs attrs;  // every declared attribute; inferred ones left out stay none
  std::vector<BindIssue> issues;
};

BindResult bindArguments(const OpDef& op, const std::vector<CallArgument>& arguments);

}  // namespace sketch
