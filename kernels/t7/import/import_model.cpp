// Import: read the file (only classes with a converter are accepted, so nngraph, tds or
// Lua functions fail with the reader's located error), make the Input node, convert the
// module tree, and name the outputs.
//
// A .t7 file records no input shape. ImportOptions::inputShape gives it
// ("float32[N, 3, 32, 32]"); without it the op the first layer becomes decides what it can
// (OpDef::impliedInputFor): a convolution gives [N, C, H, W] with symbolic H and W, Linear
// [N, in], SeqLSTM/SeqGRU [L, N, in], LookupTable int64[N, L]. Layers that need known sizes
// (View) then ask for it.
#include <set>

#include "containers_registry.h"
#include "kernel/imported_graph.h"
#include "lang/parser.h"
#include "t7_kernel.h"
#include "t7_ops.h"
#include "t7_reader.h"

namespace sketch {

namespace {

using t7::Object;

/// The first leaf module; nothing for an empty container or one that contains itself.
const Object* firstLayer(const Object& root) {
  const Object* m = &root;
  std::set<const Object*> seen;
  while (const Object* modules = m->get("modules")) {
    std::vector<const Object*> children = modules->array();
    if (children.empty() || !seen.insert(m).second) return nullptr;
    m = children[0];
  }
  return m;
}

/// The input the first layer implies: the layer is converted on its own and its op says
/// (OpDef::impliedInputFor); a floating-point input takes the model's tensor type.
std::optional<std::pair<std::string, Value>> inputFromFirstLayer(const Object& root,
                                                                 const std::string& path) {
  const Object* first = firstLayer(root);
  if (!first) return std::nullopt;
  ImportedModel scratch;
  SourceManager sources;
  DiagnosticEngine quiet(sources);
  t7::ImportContext ctx(scratch, quiet, path);
  PortRef in = *ctx.addNode(
      "Input", "input",
      {{"dtype", Value::ofString("float32")}, {"shape", Value::ofList({})}}, {});
  if (!ctx.convert(*first, "first", t7::Flow::tensor(in))) return std::nullopt;
  for (const Node& node : scratch.graph.nodes) {
    bool fed = !node.inputs.empty() && node.inputs[0] && node.inputs[0]->source == in;
    if (!fed) continue;
    auto implied = impliedInputAttrs(node);
    if (!implied) return std::nullopt;
    const Object* weight = first->get("weight");
    if (weight && weight->storage && isFloatingPoint(*parseDType(implied->first)))
      implied->first = dtypeName(weight->storage->dtype);
    return implied;
  }
  return std::nullopt;
}

/// `name` when it is an identifier the language accepts, else `fallback`.
std::string identifierOr(const std::string& name, const std::string& fallback) {
  return isIdentifier(name) ? name : fallback;
}

/// Lower-case class name without "nn.": the path of a model that is a single module.
std::string rootPath(const Object& root) {
  std::string name = root.className.substr(root.className.rfind('.') + 1);
  for (char& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return name;
}

/// A string field of `m`, or "".
std::string stringField(const Object& m, const char* field) {
  const Object* v = m.get(field);
  return v && v->kind == Object::Kind::String ? v->string : "";
}

/// The Input node's dtype and shape: given, recorded by sketchc, or derived from the first
/// layer (reported when none works).
std::optional<std::pair<std::string, Value>> inputType(const Object& root,
                                                       const ImportOptions& options,
                                                       const std::string& path,
                                                       DiagnosticEngine& diags) {
  std::string given = options.inputShape;
  if (given.empty()) given = stringField(root, t7::kInputTypeField);
  if (!given.empty()) {
    auto input = parseInputType(given);
    if (!input)
      diags.reportFile(diag::InputType, path,
                       "input shape '" + given + "' is not of the form float32[N, 3, 32, 32]");
    return input;
  }
  auto input = inputFromFirstLayer(root, path);
  if (!input) {
    const Object* first = firstLayer(root);
    diags.reportFile(diag::InputType, path,
                     "the input shape cannot be derived from " +
                         (first ? "'" + first->className + "'" : std::string("an empty model")) +
                         "; give it, e.g. float32[N, 3, 32, 32]");
  }
  return input;
}

}  // namespace

std::optional<ImportedModel> importT7(const std::string& path, const ImportOptions& options,
                                      DiagnosticEngine& diags) {
  t7::ReadOptions readOptions;
  readOptions.acceptClass = t7::readsClass;
  std::string error;
  int errorNumber = 0;
  std::unique_ptr<t7::Document> doc = t7::readT7File(path, readOptions, &error, &errorNumber);
  if (!doc) {
    diags.reportFile(errorNumber == 0 ? diag::ModelDamaged : diag::openFailure(errorNumber), path,
                     error);
    return std::nullopt;
  }
  const Object& root = *doc->root;
  if (root.kind != Object::Kind::Instance) {
    diags.reportFile(diag::NoArchitecture, path, "the file holds no nn module");
    return std::nullopt;
  }
  std::optional<std::pair<std::string, Value>> input = inputType(root, options, path, diags);
  if (!input) return std::nullopt;
  ImportedModel model;
  model.graph.name = rootPath(root);
  t7::ImportContext ctx(model, diags, path, root.get(t7::kInputTypeField) != nullptr);
  std::string inputName = identifierOr(stringField(root, t7::kInputNameField), "input");
  std::string outputName = identifierOr(stringField(root, t7::kOutputNameField), "output");
  PortRef in = *ctx.addNode(
      "Input", inputName, {{"dtype", Value::ofString(input->first)}, {"shape", input->second}},
      {});
  bool container = root.get("modules") != nullptr;
  std::optional<t7::Flow> out =
      ctx.convert(root, container ? "" : rootPath(root), t7::Flow::tensor(in));
  if (!out) return std::nullopt;
  for (size_t i = 0; i < out->ports.size(); ++i)
    model.graph.outputs.push_back(
        {out->ports.size() == 1 ? outputName : outputName + std::to_string(i), out->ports[i],
         Span{}});
  model.graph.hasOutputStatements = true;
  return model;
}

}  // namespace sketch
