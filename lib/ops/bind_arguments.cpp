#include "ops/bind_arguments.h"

#include <algorithm>
#include <optional>

#include "core/spelling.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// "a, b or c" (or "a, b and c").
std::string joinList(const std::vector<std::string>& items, const char* conjunction = " or ") {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += (i + 1 == items.size()) ? conjunction : ", ";
    s += items[i];
  }
  return s;
}

std::vector<std::string> quotedChoices(const AttrDef& def) {
  std::vector<std::string> out;
  for (const std::string& c : def.choices) out.push_back(quoted(c));
  return out;
}

/// What an attribute accepts, phrased for "expects ...".
std::string expectation(const AttrDef& def) {
  std::vector<std::string> kinds;
  switch (def.type) {
    case AttrType::Int: kinds = {"an int"}; break;
    case AttrType::Float: kinds = {"a float"}; break;
    case AttrType::Bool: kinds = {"a bool"}; break;
    case AttrType::String: kinds = {"a string"}; break;
    case AttrType::IntN:
      kinds = {"an int", "tuple of " + std::to_string(def.rank) + " ints"};
      break;
    case AttrType::Ints: kinds = {"an int", "tuple of ints"}; break;
    case AttrType::Floats: kinds = {"a float", "tuple of floats"}; break;
    case AttrType::Any: kinds = {"a value"}; break;
  }
  if (def.type != AttrType::String)
    for (const std::string& c : quotedChoices(def)) kinds.push_back(c);
  if (def.optional || def.inferred) kinds.push_back("none");
  return joinList(kinds);
}

bool isNumberList(const Value& v) {
  if (!v.isList()) return false;
  for (const Value& item : v.asList())
    if (!item.isNumber()) return false;
  return true;
}

Value toFloats(const Value& v) {
  if (v.isNumber()) return Value::ofFloat(v.asNumber());
  std::vector<Value> items;
  for (const Value& item : v.asList()) items.push_back(Value::ofFloat(item.asNumber()));
  return Value::ofList(std::move(items));
}

/// The value converted to the attribute's canonical form, or nullopt when its kind is wrong.
std::optional<Value> convert(const AttrDef& def, const Value& v) {
  if (v.isNone()) {
    if (def.optional || def.inferred) return v;
    return std::nullopt;
  }
  bool ok = false;
  switch (def.type) {
    case AttrType::Int: ok = v.isInt(); break;
    case AttrType::Float: return v.isNumber() ? std::optional(toFloats(v)) : std::nullopt;
    case AttrType::Bool: ok = v.isBool(); break;
    case AttrType::String: ok = v.isString(); break;
    case AttrType::IntN:
      ok = v.isInt() || (v.isIntList() && v.asList().size() == static_cast<size_t>(def.rank)) ||
           (v.isString() && !def.choices.empty());
      break;
    case AttrType::Ints: ok = v.isInt() || v.isIntList(); break;
    case AttrType::Floats:
      return v.isNumber() || isNumberList(v) ? std::optional(toFloats(v)) : std::nullopt;
    case AttrType::Any: ok = true; break;
  }
  return ok ? std::optional(v) : std::nullopt;
}

class Binder {
 public:
  Binder(const OpDef& op, BindResult& result) : op_(op), result_(result) {
    for (const AttrDef& a : op.attrs()) names_.push_back(a.name);
    given_.assign(op.attrs().size(), -1);
  }

  void bind(const std::vector<CallArgument>& arguments) {
    size_t positional = 0;
    for (size_t i = 0; i < arguments.size(); ++i) {
      const CallArgument& arg = arguments[i];
      if (arg.keyword.empty()) {
        // One report for all the extra arguments, at the first of them.
        if (positional == names_.size()) reportTooMany(arguments, i);
        if (positional++ >= names_.size()) continue;
        assign(positional - 1, static_cast<int>(i), arg.value);
        continue;
      }
      int index = indexOf(arg.keyword);
      if (index < 0) {
        reportUnknown(static_cast<int>(i), arg.keyword);
        continue;
      }
      assign(static_cast<size_t>(index), static_cast<int>(i), arg.value);
    }
    fillRest();
  }

 private:
  int indexOf(const std::string& name) const {
    for (size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return static_cast<int>(i);
    return -1;
  }

  void issue(BindIssue::Kind kind, int argument, std::string message, std::string help = "") {
    result_.issues.push_back({kind, argument, std::move(message), std::move(help)});
  }

  void reportTooMany(const std::vector<CallArgument>& arguments, size_t first) {
    size_t count = 0;
    for (const CallArgument& a : arguments) count += a.keyword.empty();
    std::string takes = names_.empty() ? "takes no arguments"
                        : names_.size() == 1
                            ? "takes 1 argument"
                            : "takes " + std::to_string(names_.size()) + " arguments";
    std::string was = count == 1 ? " was given" : " were given";
    issue(BindIssue::Kind::TooManyArguments, static_cast<int>(first),
          op_.name() + " " + takes + ", but " + std::to_string(count) + was,
          names_.empty() ? "remove the arguments" : "its arguments are " + argumentList());
  }

  std::string argumentList() const {
    std::vector<std::string> q;
    for (const std::string& n : names_) q.push_back(quoted(n));
    return joinList(q, " and ");
  }

  void reportUnknown(int argument, const std::string& keyword) {
    std::string suggestion = closestMatch(keyword, names_);
    if (suggestion.empty()) suggestion = onlyNameStartingWith(keyword + "_");
    // The attribute meant here is not reported missing as well.
    if (int meant = indexOf(suggestion); meant >= 0) meant_.push_back(static_cast<size_t>(meant));
    std::string help = !suggestion.empty() ? "did you mean " + quoted(suggestion) + "?"
                       : names_.empty()    ? op_.name() + " takes no arguments"
                                           : "its arguments are " + argumentList();
    issue(BindIssue::Kind::UnknownAttribute, argument,
          op_.name() + " has no attribute " + quoted(keyword), help);
  }

  /// `kernel` for `kernel_size`: a keyword that stops short of one attribute's name.
  std::string onlyNameStartingWith(const std::string& prefix) const {
    std::string found;
    for (const std::string& n : names_) {
      if (n.compare(0, prefix.size(), prefix) != 0) continue;
      if (!found.empty()) return "";
      found = n;
    }
    return found;
  }

  void assign(size_t index, int argument, const Value& value) {
    const AttrDef& def = op_.attrs()[index];
    if (given_[index] >= 0) {
      issue(BindIssue::Kind::DuplicateAttribute, argument,
            quoted(def.name) + " of " + op_.name() + " is given more than once",
            "remove one of the values");
      return;
    }
    given_[index] = argument;
    std::optional<Value> converted = convert(def, value);
    if (!converted) {
      issue(BindIssue::Kind::AttributeType, argument,
            quoted(def.name) + " of " + op_.name() + " expects " + expectation(def) + ", found " +
                describeValue(value));
      result_.attrs[def.name] = def.defaultValue;
      return;
    }
    if (converted->isString() && !checkChoice(def, argument, converted->asString())) {
      result_.attrs[def.name] = def.defaultValue;
      return;
    }
    result_.attrs[def.name] = *converted;
  }

  bool checkChoice(const AttrDef& def, int argument, const std::string& s) {
    if (def.choices.empty()) return true;
    for (const std::string& c : def.choices)
      if (c == s) return true;
    std::string suggestion = closestMatch(s, def.choices);
    issue(BindIssue::Kind::AttributeValue, argument,
          quoted(def.name) + " of " + op_.name() + " must be " + joinList(quotedChoices(def)) +
              ", found \"" + s + "\"",
          suggestion.empty() ? "" : "did you mean " + quoted(suggestion) + "?");
    return false;
  }

  void fillRest() {
    for (size_t i = 0; i < names_.size(); ++i) {
      const AttrDef& def = op_.attrs()[i];
      if (given_[i] >= 0) continue;
      if (def.required) {
        if (std::find(meant_.begin(), meant_.end(), i) != meant_.end()) continue;
        issue(BindIssue::Kind::MissingAttribute, -1, op_.name() + " requires " + quoted(def.name),
              "pass it as argument " + std::to_string(i + 1) + " or as " + def.name + "=...");
        continue;
      }
      result_.attrs[def.name] = def.inferred ? Value::none() : def.defaultValue;
    }
  }

  const OpDef& op_;
  BindResult& result_;
  std::vector<std::string> names_;
  std::vector<int> given_;  // argument index that set each attribute, -1 when not given
  std::vector<size_t> meant_;  // attributes that an unknown keyword was taken to mean
};

}  // namespace

BindResult bindArguments(const OpDef& op, const std::vector<CallArgument>& arguments) {
  BindResult result;
  Binder(op, result).bind(arguments);
  if (op.canonicalFn()) op.canonicalFn()(result.attrs);
  return result;
}

}  // namespace sketch
