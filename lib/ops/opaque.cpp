// Opaque: a foreign op that no catalogue op expresses, kept by an importer that was told to
// keep unknown ops (`sketch-import --allow-unknown`). It carries the foreign op's name and
// domain, and its output types as written ("float32[N, 16]"), since nothing here can
// compute them. Kernels cannot export it; it exists so that the rest of a model can still
// be read, edited and checked.
#include <algorithm>
#include <cctype>

#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

/// Parses "dtype[d0, d1, ...]" with each dim an int or a symbol; nothing when malformed.
std::optional<TensorType> parseTypeText(const std::string& text) {
  size_t open = text.find('[');
  if (open == std::string::npos || text.empty() || text.back() != ']') return std::nullopt;
  auto dtype = parseDType(text.substr(0, open));
  if (!dtype) return std::nullopt;
  std::vector<Dim> dims;
  std::string item;
  auto flush = [&]() {
    if (item.empty()) return false;
    bool digits = std::all_of(item.begin(), item.end(), [](char c) { return std::isdigit(c); });
    bool ident =
        std::all_of(item.begin(), item.end(), [](char c) { return std::isalnum(c) || c == '_'; }) &&
        !std::isdigit(static_cast<unsigned char>(item[0]));
    if (!digits && !ident) return false;
    dims.push_back(digits ? Dim::known(std::stoll(item)) : Dim::symbol(item));
    item.clear();
    return true;
  };
  std::string body = text.substr(open + 1, text.size() - open - 2);
  for (char c : body) {
    if (c == ' ') continue;
    if (c != ',') {
      item += c;
      continue;
    }
    if (!flush()) return std::nullopt;
  }
  if (!item.empty() && !flush()) return std::nullopt;
  return TensorType::of(*dtype, std::move(dims));
}

void inferOpaque(ShapeContext& ctx) {
  const Value& outputs = ctx.attr("outputs");
  if (!outputs.isList())
    return ctx.attrError("outputs", ctx.label() + " expects outputs as a list of type strings");
  ctx.setOutputCount(outputs.asList().size());
  for (size_t i = 0; i < outputs.asList().size(); ++i) {
    const Value& item = outputs.asList()[i];
    auto type = item.isString() ? parseTypeText(item.asString()) : std::nullopt;
    if (!type) {
      return ctx.attrError("outputs", ctx.label() + " cannot read output type " + item.toString() +
                                          ", expected e.g. \"float32[N, 16]\"");
    }
    ctx.setOutput(i, *type);
  }
}

}  // namespace

void registerOpaqueOps(OpCatalogue& catalogue) {
  catalogue.add(
      OpDef("Opaque", "a foreign op kept as is by an importer; no kernel exports it")
          .category("foreign")
          .module(false)
          .required("op_type", AttrType::String, "the foreign op's name")
          .optional("domain", AttrType::String, Value::ofString(""), "the foreign op's domain")
          .required("outputs", AttrType::Any, "output types, e.g. [\"float32[N, 16]\"]")
          .variadicInput("inputs")
          .variadicOutputs()
          .shape(inferOpaque)
          .macs(noMacs));
}

}  // namespace sketch
