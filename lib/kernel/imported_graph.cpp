#include "kernel/imported_graph.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <sstream>

#include "ops/catalogue.h"

namespace sketch {

std::optional<PortRef> addImportedNode(Graph& graph, const std::string& opName,
                                       const std::string& path,
                                       const std::vector<CallArgument>& arguments,
                                       const std::vector<std::optional<PortRef>>& inputs,
                                       const std::string& file, DiagnosticEngine& diags) {
  const OpDef* op = catalogue().find(opName);
  BindResult bound = bindArguments(*op, arguments);
  if (!bound.issues.empty()) {
    diags.reportFile(diag::UnsupportedAttribute, file,
                     "'" + path + "' (" + opName + "): " + bound.issues.front().message);
    return std::nullopt;
  }
  Node node;
  node.id = NodeId(graph.nodes.size());
  node.path = path;
  node.name = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  node.op = op;
  node.attrs = std::move(bound.attrs);
  size_t fixed = op->hasVariadicInput() ? op->inputs().size() - 1 : op->inputs().size();
  assert((inputs.size() <= fixed || op->hasVariadicInput()) && "more inputs than ports");
  node.inputs.resize(std::max(fixed, inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i]) node.inputs[i] = InputLink{*inputs[i], Span{}};
  graph.nodes.push_back(std::move(node));
  if (opName == "Input") graph.inputs.push_back(graph.nodes.back().id);
  return PortRef{graph.nodes.back().id, 0};
}

std::optional<std::pair<std::string, Value>> parseInputType(const std::string& text) {
  size_t open = text.find('['), close = text.rfind(']');
  if (open == std::string::npos || close != text.size() - 1 || close < open) return std::nullopt;
  std::string dtype = text.substr(0, open);
  if (!parseDType(dtype)) return std::nullopt;
  std::vector<Value> dims;
  std::stringstream items(text.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(items, item, ',')) {
    size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b == std::string::npos) return std::nullopt;
    item = item.substr(b, e - b + 1);
    if (std::isdigit(static_cast<unsigned char>(item[0])))
      dims.push_back(Value::ofInt(std::stoll(item)));
    else
      dims.push_back(Value::ofString(item));
  }
  return std::make_pair(dtype, Value::ofList(std::move(dims)));
}

std::pair<std::string, Value> inputAttrs(const TensorType& type) {
  std::vector<Value> dims;
  for (const Dim& d : type.dims)
    dims.push_back(d.isKnown() ? Value::ofInt(d.value()) : Value::ofString(d.toString()));
  return {dtypeName(type.dtype), Value::ofList(std::move(dims))};
}

std::optional<std::pair<std::string, Value>> impliedInputAttrs(const Node& firstBlock) {
  std::optional<TensorType> type = firstBlock.op->impliedInputFor(firstBlock.attrs);
  if (!type) return std::nullopt;
  return inputAttrs(*type);
}

}  // namespace sketch
