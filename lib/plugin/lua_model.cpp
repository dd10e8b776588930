#include "plugin/lua_model.h"

#include <lua.hpp>

#include "plugin/lua_values.h"

namespace sketch {

namespace {

void setString(lua_State* L, const char* key, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, key);
}

void setNumber(lua_State* L, const char* key, double value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, key);
}

void pushLocation(lua_State* L, const Span& span, const SourceManager& sources) {
  if (!span.isValid()) {
    lua_pushnil(L);
    return;
  }
  LineColumn lc = sources.lineColumn(span.file, span.begin);
  lua_createtable(L, 0, 3);
  setString(L, "file", sources.name(span.file));
  setNumber(L, "line", lc.line);
  setNumber(L, "column", lc.column);
}

void pushInts(lua_State* L, const std::vector<int64_t>& values) {
  lua_createtable(L, static_cast<int>(values.size()), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    lua_pushnumber(L, static_cast<lua_Number>(values[i]));
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

std::string inputPortName(const OpDef& op, size_t i) {
  if (op.inputs().empty()) return std::to_string(i);
  return i < op.inputs().size() ? op.inputs()[i].name : op.inputs().back().name;
}

std::string outputPortName(const OpDef& op, size_t i) {
  return op.hasVariadicOutputs() || i >= op.outputs().size() ? std::to_string(i) : op.outputs()[i].name;
}

void pushParams(lua_State* L, const Node& node) {
  lua_createtable(L, static_cast<int>(node.params.size()), 0);
  for (size_t i = 0; i < node.params.size(); ++i) {
    const ParamSpec& p = node.params[i];
    lua_createtable(L, 0, 5);
    setString(L, "name", p.name);
    setString(L, "key", p.name.empty() ? node.path : node.path + "." + p.name);
    pushInts(L, p.shape);
    lua_setfield(L, -2, "shape");
    setString(L, "dtype", dtypeName(p.dtype));
    lua_pushboolean(L, p.buffer);
    lua_setfield(L, -2, "buffer");
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

// The node's own fields; inputs are added once every node table exists.
void pushNodeFields(lua_State* L, const Node& node, const SourceManager& sources) {
  lua_createtable(L, 0, 14);
  setNumber(L, "id", node.id);
  setString(L, "name", node.name);
  setString(L, "path", node.path);
  setString(L, "op", node.op->name());
  setString(L, "category", node.op->category());
  lua_pushboolean(L, node.op->isModule());
  lua_setfield(L, -2, "module");
  lua_createtable(L, 0, static_cast<int>(node.attrs.size()));
  for (const auto& [name, value] : node.attrs) {
    pushValue(L, value);
    lua_setfield(L, -2, name.c_str());
  }
  lua_setfield(L, -2, "attrs");
  lua_createtable(L, static_cast<int>(node.outputs.size()), 0);
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    pushTensorType(L, node.outputs[i]);
    setString(L, "port", outputPortName(*node.op, i));
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, -2, "outputs");
  pushParams(L, node);
  lua_setfield(L, -2, "params");
  pushLocation(L, node.span, sources);
  lua_setfield(L, -2, "location");
}

// Stack: ... byId. Sets node.inputs on the node table of `node`.
void setNodeInputs(lua_State* L, const Graph& graph, const Node& node, int byId) {
  lua_rawgeti(L, byId, static_cast<int>(node.id + 1));
  lua_createtable(L, static_cast<int>(node.inputs.size()), 0);
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    if (!node.inputs[i]) {
      lua_pushboolean(L, false);
    } else {
      PortRef source = node.inputs[i]->source;
      pushTensorType(L, graph.typeOf(source));
      setString(L, "port", inputPortName(*node.op, i));
      lua_rawgeti(L, byId, static_cast<int>(source.node + 1));
      lua_setfield(L, -2, "node");
      setNumber(L, "output", source.port + 1);
      setString(L, "output_port", outputPortName(*graph.node(source.node).op, source.port));
    }
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, -2, "inputs");
  lua_pop(L, 1);
}

// Stack: ... byId. Pushes model.groups; sets node.group and group.nodes/children/parent.
void pushGroups(lua_State* L, const Graph& graph, const SourceManager& sources, int byId) {
  lua_createtable(L, static_cast<int>(graph.groups.size()), 0);
  int groups = lua_gettop(L);
  for (size_t g = 0; g < graph.groups.size(); ++g) {
    const Group& group = graph.groups[g];
    lua_createtable(L, 0, 8);
    setString(L, "name", group.name);
    setString(L, "path", group.path);
    setString(L, "kind", group.kind);
    lua_createtable(L, 0, static_cast<int>(group.arguments.size()));
    for (const auto& [name, value] : group.arguments) {
      pushValue(L, value);
      lua_setfield(L, -2, name.c_str());
    }
    lua_setfield(L, -2, "args");
    pushLocation(L, group.span, sources);
    lua_setfield(L, -2, "location");
    lua_rawseti(L, groups, static_cast<int>(g + 1));
  }
  for (size_t g = 0; g < graph.groups.size(); ++g) {
    const Group& group = graph.groups[g];
    lua_rawgeti(L, groups, static_cast<int>(g + 1));
    if (group.parent != kNoGroup) {
      lua_rawgeti(L, groups, group.parent + 1);
      lua_setfield(L, -2, "parent");
    }
    lua_createtable(L, static_cast<int>(group.nodes.size()), 0);
    for (size_t i = 0; i < group.nodes.size(); ++i) {
      lua_rawgeti(L, byId, static_cast<int>(group.nodes[i] + 1));
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
    lua_setfield(L, -2, "nodes");
    lua_createtable(L, static_cast<int>(group.children.size()), 0);
    for (size_t i = 0; i < group.children.size(); ++i) {
      lua_rawgeti(L, groups, group.children[i] + 1);
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
    lua_setfield(L, -2, "children");
    lua_pop(L, 1);
  }
  for (const Node& node : graph.nodes) {
    if (node.group == kNoGroup) continue;
    lua_rawgeti(L, byId, static_cast<int>(node.id + 1));
    lua_rawgeti(L, groups, node.group + 1);
    lua_setfield(L, -2, "group");
    lua_pop(L, 1);
  }
}

}  // namespace

void pushModel(lua_State* L, const Graph& graph, const SourceManager& sources) {
  lua_createtable(L, 0, 6);
  int model = lua_gettop(L);
  setString(L, "name", graph.name);
  setString(L, "weights_file", graph.weightsFile);
  lua_createtable(L, static_cast<int>(graph.nodes.size()), 0);
  int byId = lua_gettop(L);
  for (const Node& node : graph.nodes) {
    pushNodeFields(L, node, sources);
    lua_rawseti(L, byId, static_cast<int>(node.id + 1));
  }
  for (const Node& node : graph.nodes) setNodeInputs(L, graph, node, byId);
  std::vector<NodeId> order = graph.topologicalOrder();
  lua_createtable(L, static_cast<int>(order.size()), 0);
  for (size_t i = 0; i < order.size(); ++i) {
    lua_rawgeti(L, byId, static_cast<int>(order[i] + 1));
    setNumber(L, "index", static_cast<double>(i + 1));
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, model, "nodes");
  lua_createtable(L, static_cast<int>(graph.inputs.size()), 0);
  for (size_t i = 0; i < graph.inputs.size(); ++i) {
    lua_rawgeti(L, byId, static_cast<int>(graph.inputs[i] + 1));
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, model, "inputs");
  lua_createtable(L, static_cast<int>(graph.outputs.size()), 0);
  for (size_t i = 0; i < graph.outputs.size(); ++i) {
    const GraphOutput& out = graph.outputs[i];
    pushTensorType(L, graph.typeOf(out.source));
    setString(L, "name", out.name);
    lua_rawgeti(L, byId, static_cast<int>(out.source.node + 1));
    lua_setfield(L, -2, "node");
    setNumber(L, "output", out.source.port + 1);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, model, "outputs");
  pushGroups(L, graph, sources, byId);
  lua_setfield(L, model, "groups");
  lua_pop(L, 1);  // byId
}

void pushTensor(lua_State* L, const std::string& name, const Tensor& tensor) {
  lua_createtable(L, 0, 6);
  setString(L, "name", name);
  setString(L, "dtype", dtypeName(tensor.dtype()));
  pushInts(L, tensor.shape());
  lua_setfield(L, -2, "shape");
  setNumber(L, "numel", static_cast<double>(tensor.numel()));
  setNumber(L, "nbytes", static_cast<double>(tensor.byteSize()));
  lua_pushlightuserdata(L, const_cast<uint8_t*>(tensor.data()));
  lua_setfield(L, -2, "data");
}

void pushWeights(lua_State* L, const WeightStore& weights) {
  lua_createtable(L, static_cast<int>(weights.size()), static_cast<int>(weights.size()));
  int index = 0;
  for (const auto& [name, tensor] : weights) {
    pushTensor(L, name, tensor);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name.c_str());
    lua_rawseti(L, -2, ++index);
  }
}

}  // namespace sketch
