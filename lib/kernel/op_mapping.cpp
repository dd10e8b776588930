#include "kernel/op_mapping.h"

#include "ops/catalogue.h"

namespace sketch {

Value theirValue(const AttrMapping& mapping, const Attrs& attrs) {
  const Value& ours = attrs.at(mapping.ours);
  return mapping.toTheirs ? mapping.toTheirs(ours) : ours;
}

std::optional<CallArgument> ourArgument(const AttrMapping& mapping,
                                        const std::optional<Value>& theirs) {
  Value value = theirs ? *theirs : mapping.theirDefault;
  if (value.isNone() && !theirs) return std::nullopt;
  return CallArgument{mapping.ours, mapping.toOurs ? mapping.toOurs(value) : value};
}

std::vector<CallArgument> ourArguments(
    const std::vector<AttrMapping>& attrs,
    const std::function<std::optional<Value>(const std::string&)>& read) {
  std::vector<CallArgument> out;
  for (const AttrMapping& a : attrs)
    if (std::optional<CallArgument> argument = ourArgument(a, read(a.theirs)))
      out.push_back(std::move(*argument));
  return out;
}

std::vector<std::string> opsNamed(const std::string& opOrFamily, const std::string& kernel) {
  if (catalogue().find(opOrFamily)) return {opOrFamily};
  std::vector<std::string> family;
  for (const std::string& name : catalogue().names()) {
    const OpDef& op = *catalogue().find(name);
    if (op.rank() > 0 && op.family() == opOrFamily) family.push_back(name);
  }
  if (family.empty()) tableError(kernel, "'" + opOrFamily + "' is neither an op nor a family");
  return family;
}

bool isGraphInput(const Node& node) { return node.op && node.op->category() == "input"; }

void tableError(const std::string& kernel, const std::string& message) {
  std::fprintf(stderr, "internal error: the %s kernel's op table: %s\n", kernel.c_str(),
               message.c_str());
  std::abort();
}

std::vector<std::string> catalogueOpsWhere(const std::function<bool(const std::string&)>& inTable) {
  std::vector<std::string> out;
  for (const std::string& op : catalogue().names())
    if (catalogue().find(op)->category() != "input" && inTable(op)) out.push_back(op);
  return out;
}

}  // namespace sketch
