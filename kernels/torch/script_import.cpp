#include "script_import.h"

#include <torch/csrc/jit/api/function_impl.h>

#include <set>
#include <sstream>
#include <unordered_map>

#include "kernel/imported_graph.h"
#include "module_tree.h"
#include "ops/catalogue.h"
#include "script_tensors.h"
#include "script_values.h"

namespace sketch {

namespace {

constexpr int kMaxCallDepth = 64;

class ScriptImporter {
 public:
  ScriptImporter(std::string file, DiagnosticEngine& diags) : file_(std::move(file)), diags_(diags) {}

  /// `interface`: the extra file this kernel's archives carry (empty for others).
  std::optional<ImportedModel> run(const tj::Module& root, const std::string& interface,
                                   const ImportOptions& options);

 private:
  using Env = std::unordered_map<const tj::Value*, Abstract>;

  struct Frame {
    std::string path;  // module path of the code being walked
    GroupId group = kNoGroup;
    int depth = 0;
  };

  bool fail(const tj::Node* node, const Frame& frame, const std::string& message) {
    std::string where = frame.path.empty() ? "" : "'" + frame.path + "': ";
    diags_.reportFile(diag::UnsupportedCode, file_, where + message + (node ? sourceOf(node) : ""))
        .help = "the importer follows forward code without tensor-dependent control flow; "
                "a sketch of the model can bind this file's weights with --weights";
    return false;
  }

  std::optional<std::vector<Abstract>> callGraph(tj::Graph& graph, const std::vector<Abstract>& args,
                                                 const Frame& frame);
  bool walk(const tj::Block* block, Env& env, const Frame& frame);
  bool step(const tj::Node* node, Env& env, const Frame& frame);
  bool getAttr(const tj::Node* node, Env& env, const Frame& frame);
  bool branch(const tj::Node* node, Env& env, const Frame& frame);
  std::optional<Abstract> callModule(const Abstract& target, const std::string& method,
                                     const std::vector<Abstract>& args, const tj::Node* site,
                                     const Frame& frame);
  std::optional<Abstract> callLeaf(const OpDef& op, const Abstract& target, std::string path,
                                   const std::string& method, const std::vector<Abstract>& args,
                                   const tj::Node* site, const Frame& frame);
  std::optional<Abstract> callGroup(const Abstract& target, const std::vector<Abstract>& args,
                                    const tj::Node* site, const Frame& frame);
  std::optional<Abstract> callEncoder(const Abstract& target, const std::vector<Abstract>& args,
                                      const tj::Node* site, const Frame& frame);
  bool callFunction(const tj::Node* node, Env& env, const Frame& frame);
  bool addFunction(const tj::Node* node, const std::vector<Abstract>& inputs, Env& env, const Frame& frame);
  bool unknown(const tj::Node* node, Env& env, const std::string& origin);
  bool listWithDefault(const tj::Node* node, const std::vector<Abstract>& inputs, Env& env,
                       const Frame& frame);
  std::optional<PortRef> addNode(const std::string& op, const std::string& path,
                                 const std::vector<CallArgument>& arguments,
                                 const std::vector<std::optional<PortRef>>& inputs, const Frame& frame);
  Abstract outputsOf(PortRef first, size_t count) const;
  GroupId addGroup(const std::string& path, const std::string& kind, const Frame& frame);
  std::string uniqueName(const std::string& scope, const std::string& base);
  bool setInputTypes(const std::map<std::string, std::string>& recorded, const ImportOptions& options);

  std::string file_;
  DiagnosticEngine& diags_;
  ImportedModel model_;
  std::map<std::string, std::set<std::string>> usedNames_;  // by scope path
  std::set<std::string> called_;                            // module paths already called
  std::set<std::string> owners_;  // paths whose parameters the graph uses
};

std::string ScriptImporter::uniqueName(const std::string& scope, const std::string& base) {
  std::set<std::string>& used = usedNames_[scope];
  std::string name = base;
  for (int n = 1; used.count(name); ++n) name = base + "_" + std::to_string(n);
  used.insert(name);
  return name;
}

GroupId ScriptImporter::addGroup(const std::string& path, const std::string& kind, const Frame& frame) {
  Group group;
  group.name = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  group.path = path;
  group.kind = kind;
  group.parent = frame.group;
  model_.graph.groups.push_back(std::move(group));
  GroupId id = GroupId(model_.graph.groups.size() - 1);
  if (frame.group != kNoGroup) model_.graph.groups[frame.group].children.push_back(id);
  return id;
}

std::optional<PortRef> ScriptImporter::addNode(const std::string& op, const std::string& path,
                                               const std::vector<CallArgument>& arguments,
                                               const std::vector<std::optional<PortRef>>& inputs,
                                               const Frame& frame) {
  const OpDef& def = *catalogue().find(op);
  if (inputs.size() > def.inputs().size() && !def.hasVariadicInput()) {
    fail(nullptr, frame, "'" + path + "' (" + op + ") is called with " +
                             std::to_string(inputs.size()) + " tensors");
    return std::nullopt;
  }
  std::optional<PortRef> out =
      addImportedNode(model_.graph, op, path, arguments, inputs, file_, diags_);
  if (!out) return std::nullopt;
  Node& node = model_.graph.node(out->node);
  node.group = frame.group;
  if (frame.group != kNoGroup) model_.graph.groups[frame.group].nodes.push_back(node.id);
  return out;
}

Abstract ScriptImporter::outputsOf(PortRef first, size_t count) const {
  if (count == 1) return Abstract::ofTensor(first);
  std::vector<Abstract> items;
  for (uint32_t i = 0; i < count; ++i) items.push_back(Abstract::ofTensor({first.node, i}));
  return Abstract::ofItems(std::move(items));
}

std::optional<std::vector<Abstract>> ScriptImporter::callGraph(tj::Graph& graph,
                                                               const std::vector<Abstract>& args,
                                                               const Frame& frame) {
  if (frame.depth > kMaxCallDepth) {
    fail(nullptr, frame, "calls nest deeper than " + std::to_string(kMaxCallDepth));
    return std::nullopt;
  }
  if (graph.inputs().size() != args.size()) {
    fail(nullptr, frame, "a call passes " + std::to_string(args.size()) + " arguments to a function of " +
                             std::to_string(graph.inputs().size()));
    return std::nullopt;
  }
  Env env;
  for (size_t i = 0; i < args.size(); ++i) env[graph.inputs()[i]] = args[i];
  if (!walk(graph.block(), env, frame)) return std::nullopt;
  std::vector<Abstract> out;
  for (const tj::Value* v : graph.outputs()) out.push_back(env[v]);
  return out;
}

bool ScriptImporter::walk(const tj::Block* block, Env& env, const Frame& frame) {
  for (const tj::Node* node : block->nodes())
    if (!step(node, env, frame)) return false;
  return true;
}

bool ScriptImporter::step(const tj::Node* node, Env& env, const Frame& frame) {
  std::string kind = node->kind().toQualString();
  std::vector<Abstract> inputs;
  for (const tj::Value* v : node->inputs()) inputs.push_back(env[v]);
  auto passThrough = [&] { env[node->output()] = inputs.at(0); return true; };

  if (kind == "prim::Constant") {
    c10::optional<c10::IValue> value = tj::toIValue(node->output());
    env[node->output()] = value ? Abstract::ofConstant(*value) : Abstract();
    return true;
  }
  if (kind == "prim::GetAttr") return getAttr(node, env, frame);
  if (kind == "prim::If") return branch(node, env, frame);
  if (kind == "prim::CallFunction") return callFunction(node, env, frame);
  if (kind == "prim::CallMethod") {
    std::vector<Abstract> args(inputs.begin() + 1, inputs.end());
    std::optional<Abstract> result = callModule(inputs[0], node->s(c10::attr::name), args, node, frame);
    if (!result) return false;
    env[node->output()] = *result;
    return true;
  }
  if (kind == "prim::unchecked_cast" || kind == "aten::detach") return passThrough();
  if (kind == "prim::RaiseException")
    return fail(node, frame, "the forward raises an exception for this model");
  if (kind == "aten::warn" || kind == "prim::Uninitialized" || kind == "aten::size" ||
      kind == "aten::dim")
    return unknown(node, env, kind + sourceOf(node));
  if (kind == "aten::_list_with_default") return listWithDefault(node, inputs, env, frame);
  if (foldable(node, inputs)) {
    tj::Stack stack;
    for (const Abstract& a : inputs) stack.push_back(a.constant);
    node->getOperation()(stack);
    for (size_t i = 0; i < node->outputs().size(); ++i)
      env[node->outputs()[i]] = Abstract::ofConstant(stack.at(i));
    return true;
  }
  if (kind == "prim::ListConstruct" || kind == "prim::TupleConstruct") {
    env[node->output()] = construct(node, inputs);
    return true;
  }
  if ((kind == "prim::ListUnpack" || kind == "prim::TupleUnpack") &&
      inputs[0].kind == Abstract::Kind::Items && inputs[0].items.size() == node->outputs().size()) {
    for (size_t i = 0; i < node->outputs().size(); ++i) env[node->outputs()[i]] = inputs[0].items[i];
    return true;
  }
  if ((kind == "prim::TupleIndex" || kind == "aten::__getitem__") &&
      inputs[0].kind == Abstract::Kind::Items && inputs[1].kind == Abstract::Kind::Constant &&
      inputs[1].constant.isInt()) {
    int64_t i = inputs[1].constant.toInt(), n = int64_t(inputs[0].items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) return fail(node, frame, "an index is out of range");
    env[node->output()] = inputs[0].items[size_t(i)];
    return true;
  }
  for (const Abstract& a : inputs)
    if (a.kind == Abstract::Kind::Tensor || a.kind == Abstract::Kind::Items)
      return addFunction(node, inputs, env, frame);
  // A call that makes a tensor from constants (torch.tensor) is a source block.
  if (auto found = findAtenCall(kind, inputs.size());
      found && catalogue().find(found->first->op)->inputs().empty())
    return addFunction(node, inputs, env, frame);
  // Arithmetic on sizes the walk does not know: unknown too, an error only where a
  // block needs it.
  for (const Abstract& a : inputs)
    if (a.kind == Abstract::Kind::Unknown) return unknown(node, env, a.origin);
  return fail(node, frame, kind + " is not supported here");
}

bool ScriptImporter::unknown(const tj::Node* node, Env& env, const std::string& origin) {
  for (const tj::Value* out : node->outputs()) env[out] = Abstract::ofUnknown(origin);
  return true;
}

bool ScriptImporter::addFunction(const tj::Node* node, const std::vector<Abstract>& inputs, Env& env,
                                 const Frame& frame) {
  std::string kind = node->kind().toQualString();
  auto found = findAtenCall(kind, inputs.size());
  if (!found) {
    // An in-place call changes a tensor the graph already has: it cannot be left out.
    if (kind.back() == '_') return fail(node, frame, kind + " has no catalogue op");
    return unknown(node, env, kind + sourceOf(node));
  }
  std::vector<CallArgument> arguments;
  std::vector<std::optional<PortRef>> ports;
  auto needTensor = [&](const Abstract& in) {
    if (in.kind == Abstract::Kind::Tensor) return true;
    return fail(node, frame, kind + " takes a tensor that " +
                                 (in.origin.empty() ? "is a number or a list" : "comes from " + in.origin +
                                                                                    ", which has no catalogue op"));
  };
  const auto& [row, signature] = *found;
  for (size_t i = 0; i < signature->args.size() && i < inputs.size(); ++i) {
    const Abstract& in = inputs[i];
    switch (signature->args[i].role) {
      case AtenArgRole::Input:
        if (!needTensor(in)) return false;
        ports.push_back(in.port);
        break;
      case AtenArgRole::Inputs:
        for (const Abstract& item : in.items) {
          if (!needTensor(item)) return false;
          ports.push_back(item.port);
        }
        break;
      case AtenArgRole::Attr: {
        std::optional<Value> value = toValue(in);
        if (!value) return fail(node, frame, kind + " with an argument computed from tensors");
        arguments.push_back({signature->args[i].attr, *value});
        break;
      }
      case AtenArgRole::Ignore: break;
    }
  }
  if (signature->adjust) signature->adjust(arguments);
  if (row->passThrough || (row->op == "Slice" && isWholeSlice(arguments))) {
    env[node->output()] = inputs.at(0);
    return true;
  }
  // This kernel writes `x_<block> = ...`; other code gets the op's name.
  std::string base = baseName(node->output(0)->debugName());
  std::string name = base.rfind("x_", 0) == 0 && base.size() > 2 ? base.substr(2) : "";
  if (name.empty())
    for (char c : row->op) name += char(std::tolower(static_cast<unsigned char>(c)));
  name = uniqueName(frame.path, name);
  std::optional<PortRef> out = addNode(row->op, join(frame.path, name), arguments, ports, frame);
  if (!out) return false;
  const OpDef& op = *model_.graph.node(out->node).op;
  size_t count = op.outputs().size();
  // Split and Chunk return a list that forward code unpacks: as many pieces as it takes.
  if (op.hasVariadicOutputs() && node->output()->uses().size() == 1 &&
      node->output()->uses()[0].user->kind() == c10::prim::ListUnpack)
    count = node->output()->uses()[0].user->outputs().size();
  bool single = node->outputs().size() == 1 && node->output()->type()->kind() == c10::TypeKind::TensorType;
  if (single) {
    env[node->output()] = Abstract::ofTensor(*out);  // torch.max(x) without a dim: the values
  } else if (node->outputs().size() == count) {
    for (uint32_t i = 0; i < count; ++i) env[node->outputs()[i]] = Abstract::ofTensor({out->node, i});
  } else {
    env[node->output()] = outputsOf(*out, count);
  }
  return true;
}

bool ScriptImporter::getAttr(const tj::Node* node, Env& env, const Frame& frame) {
  const Abstract& object = env[node->input()];
  std::string name = node->s(c10::attr::name);
  if (object.kind != Abstract::Kind::Module) return fail(node, frame, "attribute '" + name + "' of a non-module");
  if (name == "training") {  // imported models are read as in eval()
    env[node->output()] = Abstract::ofConstant(false);
    return true;
  }
  c10::IValue value = object.module->attr(name);
  std::string path = join(object.path, name);
  if (value.isModule() || value.isObject()) {
    Abstract m;
    m.kind = Abstract::Kind::Module;
    m.module = tj::Module(value.toObject());
    m.path = path;
    env[node->output()] = m;
    return true;
  }
  if (!value.isTensor()) {
    env[node->output()] = Abstract::ofConstant(value);
    return true;
  }
  // A tensor attribute used in forward code: a Parameter block (a class token).
  const at::Tensor& t = value.toTensor();
  std::vector<Value> shape;
  for (int64_t d : t.sizes()) shape.push_back(Value::ofInt(d));
  std::optional<PortRef> out =
      addNode("Parameter", path, {{"shape", Value::ofList(std::move(shape))}}, {}, frame);
  if (!out) return false;
  usedNames_[object.path].insert(name);
  owners_.insert(path);
  env[node->output()] = Abstract::ofTensor(*out);
  return true;
}

bool ScriptImporter::branch(const tj::Node* node, Env& env, const Frame& frame) {
  const Abstract& condition = env[node->input(0)];
  auto raises = [](const tj::Block* block) {
    for (const tj::Node* n : block->nodes())
      if (n->kind() == c10::prim::RaiseException) return true;
    return false;
  };
  const tj::Block* taken = nullptr;
  if (condition.kind == Abstract::Kind::Constant && condition.constant.isBool())
    taken = node->blocks()[condition.constant.toBool() ? 0 : 1];
  // An assertion (`if rank > 2: ... else: raise`): the walk assumes it holds, and shape
  // inference checks the shapes afterwards.
  else if (raises(node->blocks()[1]) != raises(node->blocks()[0]))
    taken = node->blocks()[raises(node->blocks()[0]) ? 1 : 0];
  else
    return condition.origin.empty()
               ? fail(node, frame, "an `if` depends on tensor values or shapes")
               : fail(nullptr, frame, "an `if` depends on tensor values or shapes: " + condition.origin);
  if (!walk(taken, env, frame)) return false;
  for (size_t i = 0; i < node->outputs().size(); ++i) env[node->outputs()[i]] = env[taken->outputs()[i]];
  return true;
}

// F.adaptive_avg_pool2d(x, (1, 1)) asks for x.size() only to fill in the Nones of an
// output size; one without Nones is what it returns.
bool ScriptImporter::listWithDefault(const tj::Node* node, const std::vector<Abstract>& inputs, Env& env,
                                     const Frame& frame) {
  std::optional<Value> sizes = toValue(inputs.at(0));
  if (!sizes || !sizes->isList()) return fail(node, frame, "an output size computed from tensors");
  for (const Value& item : sizes->asList())
    if (item.isNone()) return fail(node, frame, "an output size that needs the input's size");
  env[node->output()] = inputs[0];
  return true;
}

bool ScriptImporter::callFunction(const tj::Node* node, Env& env, const Frame& frame) {
  auto type = node->input(0)->type()->cast<c10::FunctionType>();
  if (!type) return fail(node, frame, "a call of an unknown function");
  std::vector<Abstract> args;
  for (size_t i = 1; i < node->inputs().size(); ++i) args.push_back(env[node->inputs()[i]]);
  if (type->function()->qualname().name() == "_list_with_default")
    return listWithDefault(node, args, env, frame);
  Frame inner = frame;
  inner.depth++;
  auto out = callGraph(*tj::toGraphFunction(*type->function()).graph(), args, inner);
  if (!out) return false;
  for (size_t i = 0; i < node->outputs().size(); ++i) env[node->outputs()[i]] = out->at(i);
  return true;
}

std::optional<Abstract> ScriptImporter::callModule(const Abstract& target, const std::string& method,
                                                   const std::vector<Abstract>& args,
                                                   const tj::Node* site, const Frame& frame) {
  if (target.kind != Abstract::Kind::Module) {
    fail(site, frame, "a method call on something that is not a module");
    return std::nullopt;
  }
  const tj::Module& m = *target.module;
  const OpDef* op = leafOp(m);
  // Overloaded forwards are compiled as forward__0 (torch.nn.LSTM); torch.jit.trace names
  // a module's second use forward1.
  if (method != "forward" && !(op && method.rfind("forward", 0) == 0)) {
    // A helper method of the same module (ResNet._forward_impl).
    std::vector<Abstract> all = {target};
    all.insert(all.end(), args.begin(), args.end());
    Frame inner = frame;
    inner.depth++;
    auto out = callGraph(*m.get_method(method).graph(), all, inner);
    if (!out) return std::nullopt;
    return out->size() == 1 ? out->front() : Abstract::ofItems(*out);
  }
  std::string path = target.path;
  if (called_.count(path)) {
    // torchvision calls one ReLU module twice; a sketch block is one use.
    if (op && !m.parameters(true).size() && !m.buffers(true).size()) {
      std::string parent = path.rfind('.') == std::string::npos ? "" : path.substr(0, path.rfind('.'));
      path = join(parent, uniqueName(parent, path.substr(path.rfind('.') + 1)));
    } else {
      fail(site, frame, "module '" + path + "' is called twice; a sketch block has weights of its own");
      return std::nullopt;
    }
  }
  called_.insert(path);
  if (op) return callLeaf(*op, target, path, method, args, site, frame);
  if (isTorchNn(m) && className(m) == "TransformerEncoder") return callEncoder(target, args, site, frame);
  return callGroup(target, args, site, frame);
}

std::optional<Abstract> ScriptImporter::callLeaf(const OpDef& op, const Abstract& target, std::string path,
                                                 const std::string& method, const std::vector<Abstract>& args,
                                                 const tj::Node* site, const Frame& frame) {
  std::vector<std::optional<PortRef>> ports;
  std::function<bool(const Abstract&)> addPorts = [&](const Abstract& a) {
    if (a.kind == Abstract::Kind::Tensor) ports.push_back(a.port);
    else if (a.kind == Abstract::Kind::Constant && a.constant.isNone()) ports.push_back(std::nullopt);
    else if (a.kind == Abstract::Kind::Items) {
      for (const Abstract& item : a.items) addPorts(item);
    } else return false;  // flags after the tensors (need_weights): not ports
    return true;
  };
  for (const Abstract& a : args) {
    if (a.kind == Abstract::Kind::Unknown) {
      fail(site, frame, "'" + path + "' is called with a value that " +
                            (a.origin.empty() ? "the importer cannot follow" : "comes from " + a.origin +
                                                                                  ", which has no catalogue op"));
      return std::nullopt;
    }
    if (!addPorts(a)) break;
  }
  while (!ports.empty() && !ports.back()) ports.pop_back();
  ModuleView view(*target.module);
  const TorchOp& row = *torchOps().reader(op.name());
  std::vector<CallArgument> arguments;
  if (recordsArguments(op, view)) {
    arguments = moduleArguments(op, row, view);
  } else {
    // The first call the table reads (an LSTM asks for sizes before aten::lstm).
    std::vector<TracedCall> calls = tracedCallsOf(*target.module, method);
    std::optional<std::vector<CallArgument>> traced;
    for (size_t i = 0; i < calls.size() && !traced; ++i) traced = tracedArguments(op, row, calls[i], view);
    if (!traced && !calls.empty()) {
      fail(site, frame, "traced module '" + path + "' (" + op.name() + ") makes no call the importer reads (" +
                            calls.front().kind + ", ...)");
      return std::nullopt;
    }
    if (traced) arguments = *traced;
  }
  std::optional<PortRef> out = addNode(op.name(), path, arguments, ports, frame);
  if (!out) return std::nullopt;
  owners_.insert(path);
  uint32_t next = 0;
  return resultOf(site->output()->type(), out->node, next);
}

std::optional<Abstract> ScriptImporter::callGroup(const Abstract& target, const std::vector<Abstract>& args,
                                                  const tj::Node* site, const Frame& frame) {
  const tj::Module& m = *target.module;
  if (!m.find_method("forward")) {
    fail(site, frame, "module '" + target.path + "' has no forward");
    return std::nullopt;
  }
  Frame inner{target.path, addGroup(target.path, className(m), frame), frame.depth + 1};
  for (const auto& child : m.named_children()) usedNames_[target.path].insert(child.name);
  std::vector<Abstract> all = {target};
  all.insert(all.end(), args.begin(), args.end());
  auto out = callGraph(*m.get_method("forward").graph(), all, inner);
  if (!out) return std::nullopt;
  return out->size() == 1 ? out->front() : Abstract::ofItems(*out);
}

/// torch.nn.TransformerEncoder's forward is mostly a fast path for inference: what it
/// computes is its layers in order, then `norm` when there is one.
std::optional<Abstract> ScriptImporter::callEncoder(const Abstract& target, const std::vector<Abstract>& args,
                                                    const tj::Node* site, const Frame& frame) {
  const tj::Module& m = *target.module;
  Frame inner{target.path, addGroup(target.path, "TransformerEncoder", frame), frame.depth + 1};
  Abstract layers;
  layers.kind = Abstract::Kind::Module;
  layers.module = tj::Module(m.attr("layers").toObject());
  layers.path = join(target.path, "layers");
  Frame chain{layers.path, addGroup(layers.path, "Sequential", inner), inner.depth + 1};
  Abstract x = args.at(0);
  for (const auto& layer : layers.module->named_children()) {
    Abstract child;
    child.kind = Abstract::Kind::Module;
    child.module = layer.value;
    child.path = join(layers.path, layer.name);
    std::optional<Abstract> out = callModule(child, "forward", {x}, site, chain);
    if (!out) return std::nullopt;
    x = *out;
  }
  c10::IValue norm = m.attr("norm");
  if (norm.isNone()) return x;
  Abstract n;
  n.kind = Abstract::Kind::Module;
  n.module = tj::Module(norm.toObject());
  n.path = join(target.path, "norm");
  return callModule(n, "forward", {x}, site, inner);
}

bool ScriptImporter::setInputTypes(const std::map<std::string, std::string>& types,
                                   const ImportOptions& options) {
  Graph& g = model_.graph;
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    Node& input = g.node(g.inputs[k]);
    std::optional<std::pair<std::string, Value>> type;
    if (k == 0 && !options.inputShape.empty()) {
      type = parseInputType(options.inputShape);
      if (!type) {
        diags_.reportFile(diag::InputType, file_,
                          "input shape '" + options.inputShape + "' is not of the form float32[N, 3, 32, 32]");
        return false;
      }
    }
    if (!type && types.count(input.name)) type = parseInputType(types.at(input.name));
    const Node* consumer = nullptr;
    for (const Node& n : g.nodes)
      for (const auto& link : n.inputs)
        if (!consumer && link && link->source.node == input.id) consumer = &n;
    if (!type && consumer) type = impliedInputAttrs(*consumer);
    if (!type) {
      diags_.reportFile(diag::InputType, file_,
                        "the type of input '" + input.name + "' cannot be derived" +
                            (consumer ? " from '" + consumer->path + "' (" + consumer->op->name() + ")" : ""))
          .help = "give it with --input-shape, e.g. \"float32[N, 3, 224, 224]\"";
      return false;
    }
    input.attrs["dtype"] = Value::ofString(type->first);
    input.attrs["shape"] = type->second;
  }
  return true;
}

std::optional<ImportedModel> ScriptImporter::run(const tj::Module& root, const std::string& interface,
                                                 const ImportOptions& options) {
  std::map<std::string, std::string> inputTypes;
  std::vector<std::string> outputNames;
  std::istringstream lines(interface);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, '\t');) fields.push_back(field);
    if (fields.size() == 3 && fields[0] == "input") inputTypes[fields[1]] = fields[2];
    if (fields.size() == 2 && fields[0] == "output") outputNames.push_back(fields[1]);
  }
  model_.graph.name = className(root);
  if (!root.find_method("forward")) {
    diags_.reportFile(diag::NoArchitecture, file_, "the archive's module has no forward method");
    return std::nullopt;
  }
  tj::Method forward = root.get_method("forward");
  const c10::FunctionSchema& schema = forward.function().getSchema();
  Abstract self;
  self.kind = Abstract::Kind::Module;
  self.module = root;
  std::vector<Abstract> args = {self};
  Frame top;
  for (const auto& child : root.named_children()) usedNames_[""].insert(child.name);
  for (size_t i = 1; i < schema.arguments().size(); ++i) {
    const c10::Argument& a = schema.arguments()[i];
    if (a.type()->kind() == c10::TypeKind::TensorType) {
      std::string name = uniqueName("", a.name());
      std::optional<PortRef> in = addNode("Input", name, {{"dtype", Value::ofString("float32")},
                                                          {"shape", Value::ofList({})}}, {}, top);
      if (!in) return std::nullopt;
      args.push_back(Abstract::ofTensor(*in));
    } else if (a.default_value()) {
      args.push_back(Abstract::ofConstant(*a.default_value()));
    } else {
      fail(nullptr, top, "forward takes '" + a.name() + "', which is not a tensor");
      return std::nullopt;
    }
  }
  auto out = callGraph(*forward.graph(), args, top);
  if (!out) return std::nullopt;
  std::vector<Abstract> results = out->front().kind == Abstract::Kind::Items ? out->front().items : *out;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].kind != Abstract::Kind::Tensor) {
      fail(nullptr, top, "forward returns something other than tensors" +
                             (results[i].origin.empty() ? "" : " (" + results[i].origin + ")"));
      return std::nullopt;
    }
    std::string name = outputNames.size() == results.size() ? outputNames[i]
                       : results.size() == 1                ? "out"
                                                            : "out" + std::to_string(i);
    model_.graph.outputs.push_back({name, results[i].port, Span{}});
  }
  model_.graph.hasOutputStatements = true;
  if (!setInputTypes(inputTypes, options)) return std::nullopt;
  // Tensors of modules the forward never calls are not part of the imported model.
  auto owned = [&](const std::string& key) {
    for (size_t dot = key.size(); dot != std::string::npos; dot = key.rfind('.', dot - 1)) {
      if (owners_.count(key.substr(0, dot))) return true;
      if (dot == 0) break;
    }
    return false;
  };
  if (!addModuleTensors(root, owned, model_.weights, file_, diags_)) return std::nullopt;
  return std::move(model_);
}

}  // namespace

std::optional<ImportedModel> importTorchScript(const std::string& path, const ImportOptions& options,
                                               DiagnosticEngine& diags) {
  LoadedCode code;
  return reportingTorchErrors(path, diags, [&]() -> std::optional<ImportedModel> {
    tj::ExtraFilesMap extra = {{kInterfaceFile, ""}};
    tj::Module root = code.load(path, extra);
    return ScriptImporter(path, diags).run(root, extra[kInterfaceFile], options);
  });
}

}  // namespace sketch
