#include "import_context.h"

#include <cmath>
#include <limits>

#include "graph/infer_shapes.h"
#include "kernel/imported_graph.h"
#include "containers_registry.h"
#include "lang/parser.h"
#include "t7_ops.h"

namespace sketch::t7 {

std::optional<Flow> ImportContext::convert(const Object& module, const std::string& path,
                                           const Flow& input) {
  const T7Op* row = t7Ops().reader(module.className);
  Converter container = t7Containers().find(module.className);
  if (!row && !container)
    return fail(module, path, "no catalogue op for '" + module.className + "'",
                diag::UnsupportedOp);
  // A file's tables may refer back to themselves, and one module may be listed many times
  // at every level; neither may recurse forever or multiply into millions of nodes.
  if (active_.count(&module))
    return fail(module, path, "the module contains itself", diag::ModelDamaged);
  if (const Object* fields = module.kind == Object::Kind::Instance ? module.fields : nullptr)
    for (const TableEntry& e : fields->entries)
      if (e.key->kind == Object::Kind::String && e.value->kind == Object::Kind::Number &&
          std::isnan(e.value->number))
        return fail(module, path, "field '" + e.key->string + "' is NaN", diag::ModelDamaged);
  if (++conversions_ > kMaxModules)
    return fail(module, path,
                "the model has more than " + std::to_string(kMaxModules) + " modules",
                diag::ModelTooLarge);
  // sketchc names each layer it writes by its block path.
  const Object* name = row ? module.get(kNameField) : nullptr;
  if (name && name->kind != Object::Kind::String) name = nullptr;
  if (writtenBySketchc_ && !name && module.className == "nn.Identity") return input;
  std::string named = path;
  if (name && isBlockPath(name->string) && usedNames_.insert(name->string).second)
    named = name->string;
  active_.insert(&module);
  std::optional<Flow> output = row ? row->import(*this, module, named, input, *row)
                                   : container(*this, module, path, input);
  active_.erase(&module);
  return output;
}

std::optional<PortRef> ImportContext::addNode(const std::string& opName, const std::string& path,
                                              std::vector<CallArgument> arguments,
                                              const std::vector<PortRef>& inputs) {
  return addImportedNode(model_.graph, opName, path, arguments, {inputs.begin(), inputs.end()},
                         file_, diags_);
}

std::optional<Tensor> ImportContext::tensorField(const Object& module, const char* field) {
  const Object* t = module.get(field);
  if (!t || t->kind != Object::Kind::Tensor) return std::nullopt;
  std::string error;
  std::optional<Tensor> tensor = toTensor(*t, &error);
  if (!tensor)
    diags_.reportFile(diag::ModelDamaged, file_,
                      "'" + module.className + "." + field + "': " + error);
  return tensor;
}

bool ImportContext::addWeight(const Object& module, const char* field, const std::string& key,
                              std::optional<std::vector<int64_t>> shape) {
  const Object* t = module.get(field);
  if (!t || t->kind != Object::Kind::Tensor) {
    fail(module, key.substr(0, key.rfind('.')), std::string("has no tensor '") + field + "'",
         diag::ModelWeight);
    return false;
  }
  std::optional<Tensor> tensor = tensorField(module, field);
  if (!tensor) return false;
  // The shape comes from the module's own numbers (nInputPlane, kW ...), which a file may
  // contradict; a view must never claim more bytes than the tensor has.
  if (shape && Tensor::byteSizeOf(tensor->dtype(), *shape) != tensor->byteSize()) {
    fail(module, key.substr(0, key.rfind('.')),
         std::string("tensor '") + field + "' has " + std::to_string(tensor->numel()) +
             " elements, which do not match the module's sizes",
         diag::ModelWeight);
    return false;
  }
  if (shape) {
    auto owner = std::make_shared<Tensor>(*tensor);
    *tensor = Tensor::view(tensor->dtype(), *shape, owner->data(), owner->byteSize(), owner);
  }
  addWeight(key, *tensor);
  return true;
}

void ImportContext::addWeight(const std::string& key, Tensor tensor) {
  model_.weights.set(key, std::move(tensor));
}

std::optional<TensorType> ImportContext::typeOf(PortRef port) {
  // Shapes of the graph so far; its problems are reported once, by the final check.
  SourceManager sources;
  DiagnosticEngine scratch(sources);
  inferShapes(model_.graph, scratch);
  const TensorType& type = model_.graph.typeOf(port);
  if (type.error || scratch.hasErrors()) return std::nullopt;
  return type;
}

double ImportContext::number(const Object& module, const char* field, double fallback) {
  const Object* v = module.get(field);
  return v && v->kind == Object::Kind::Number ? v->number : fallback;
}

int64_t ImportContext::toInteger(double value) {
  return value > -9.2e18 && value < 9.2e18 ? int64_t(value) : std::numeric_limits<int64_t>::min();
}

bool ImportContext::flag(const Object& module, const char* field, bool fallback) {
  const Object* v = module.get(field);
  return v && v->kind == Object::Kind::Boolean ? v->boolean : fallback;
}

std::nullopt_t ImportContext::fail(const Object& module, const std::string& path,
                                   const std::string& message, diag::Kind kind) {
  diags_.reportFile(kind, file_,
                    module.className + " '" + (path.empty() ? "<root>" : path) + "': " + message);
  return std::nullopt;
}

void ImportContext::warn(const std::string& message) {
  diags_.reportFile(diag::KernelApproximation, file_, message);
}

std::optional<PortRef> singleTensor(ImportContext& ctx, const Object& module,
                                    const std::string& path, const Flow& flow) {
  if (flow.table || flow.ports.size() != 1)
    return ctx.fail(module, path, "expects a tensor but receives a table", diag::ModelDamaged);
  return flow.ports[0];
}

std::string childPath(const std::string& path, size_t index) {
  return path.empty() ? std::to_string(index) : path + "." + std::to_string(index);
}

}  // namespace sketch::t7
