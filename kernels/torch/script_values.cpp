#include "script_values.h"

#include <set>
#include <unordered_map>

#include "ops/catalogue.h"
#include "torch_ops.h"

namespace sketch {

std::optional<Value> toValue(const c10::IValue& v) {
  if (v.isNone()) return Value::none();
  if (v.isBool()) return Value::ofBool(v.toBool());
  if (v.isInt()) return Value::ofInt(v.toInt());
  if (v.isDouble()) return Value::ofFloat(v.toDouble());
  if (v.isString()) return Value::ofString(v.toStringRef());
  std::vector<c10::IValue> items;
  if (v.isTuple()) items = v.toTupleRef().elements().vec();
  else if (v.isList()) items = v.toListRef().vec();
  else return std::nullopt;
  std::vector<Value> out;
  for (const c10::IValue& item : items) {
    std::optional<Value> value = toValue(item);
    if (!value) return std::nullopt;
    out.push_back(*value);
  }
  return Value::ofList(std::move(out));
}

std::optional<Value> toValue(const Abstract& a) {
  if (a.kind == Abstract::Kind::Constant) return toValue(a.constant);
  if (a.kind != Abstract::Kind::Items) return std::nullopt;
  std::vector<Value> out;
  for (const Abstract& item : a.items) {
    std::optional<Value> value = toValue(item);
    if (!value) return std::nullopt;
    out.push_back(*value);
  }
  return Value::ofList(std::move(out));
}

std::string join(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

std::string className(const tj::Module& m) {
  std::string q = m.type()->name()->qualifiedName();
  return q.substr(q.rfind('.') + 1);
}

bool isTorchNn(const tj::Module& m) {
  return m.type()->name()->qualifiedName().rfind("__torch__.torch.nn.", 0) == 0;
}

const OpDef* leafOp(const tj::Module& m) {
  std::string q = m.type()->name()->qualifiedName();
  if (q.rfind("__torch__.torch.nn.", 0) != 0 && q.rfind("__torch__.sketch.", 0) != 0) return nullptr;
  // The table's module rows read their classes; other classes are groups.
  const TorchOp* row = torchOps().reader(className(m));
  return row && row->isModule ? catalogue().find(className(m)) : nullptr;
}

std::optional<Value> ModuleView::value(const std::string& dotted) const {
  std::optional<c10::IValue> v = find(dotted);
  if (!v || v->isTensor() || v->isModule() || v->isObject()) return std::nullopt;
  return toValue(*v);
}

bool ModuleView::hasTensor(const std::string& dotted) const {
  std::optional<c10::IValue> v = find(dotted);
  return v && v->isTensor();
}

bool ModuleView::has(const std::string& dotted) const { return find(dotted).has_value(); }

std::vector<int64_t> ModuleView::tensorShape(const std::string& dotted) const {
  std::optional<c10::IValue> v = find(dotted);
  return v && v->isTensor() ? v->toTensor().sizes().vec() : std::vector<int64_t>{};
}

std::optional<Value> ModuleView::tensorValues(const std::string& dotted) const {
  std::optional<c10::IValue> v = find(dotted);
  if (!v || !v->isTensor()) return std::nullopt;
  const at::Tensor& t = v->toTensor();
  if (t.dim() != 1 || !t.is_floating_point()) return std::nullopt;
  at::Tensor values = t.to(at::kDouble).contiguous();
  std::vector<Value> items;
  for (int64_t i = 0; i < values.numel(); ++i)
    items.push_back(Value::ofFloat(values.data_ptr<double>()[i]));
  return Value::ofList(std::move(items));
}

std::optional<c10::IValue> ModuleView::find(const std::string& dotted) const {
  c10::IValue current(module_._ivalue());
  size_t start = 0;
  while (true) {
    if (!current.isObject()) return std::nullopt;
    tj::Module m(current.toObject());
    size_t dot = dotted.find('.', start);
    std::string part = dotted.substr(start, dot - start);
    if (!m.hasattr(part)) return std::nullopt;
    current = m.attr(part);
    if (dot == std::string::npos) return current;
    start = dot + 1;
  }
}

std::vector<TracedCall> tracedCallsOf(const tj::Module& m, const std::string& method) {
  std::vector<TracedCall> calls;
  std::unordered_map<const tj::Value*, std::string> params;
  std::unordered_map<const tj::Value*, Value> constants;
  for (const tj::Node* node : m.get_method(method).graph()->nodes()) {
    std::string kind = node->kind().toQualString();
    if (kind == "prim::GetAttr") {
      params[node->output()] = node->s(c10::attr::name);
    } else if (kind == "prim::Constant") {
      c10::optional<c10::IValue> v = tj::toIValue(node->output());
      if (v && toValue(*v)) constants[node->output()] = *toValue(*v);
    } else if (kind == "prim::ListConstruct") {
      std::vector<Value> items;
      for (const tj::Value* in : node->inputs())
        if (constants.count(in)) items.push_back(constants[in]);
      if (items.size() == node->inputs().size()) constants[node->output()] = Value::ofList(items);
    } else if (node->kind().is_aten()) {
      TracedCall call{kind, {}, {}};
      for (const tj::Value* in : node->inputs()) {
        call.constants.push_back(constants.count(in) ? std::optional<Value>(constants[in]) : std::nullopt);
        call.params.push_back(params.count(in) ? params[in] : "");
      }
      calls.push_back(std::move(call));
    }
  }
  return calls;
}

std::string baseName(const std::string& debugName) {
  size_t dot = debugName.rfind('.');
  if (dot != std::string::npos && dot + 1 < debugName.size() &&
      debugName.find_first_not_of("0123456789", dot + 1) == std::string::npos)
    return debugName.substr(0, dot);
  return debugName;
}

std::string sourceOf(const tj::Node* node) {
  tj::SourceRange range = node->sourceRange();
  // Archives saved with debug information map their code back to the user's Python.
  if (auto original = range.findSourceRangeThatGenerated()) range = *original;
  auto location = range.file_line_col();
  if (!location) return "";
  std::string file = std::get<0>(*location);
  return " (" + file.substr(file.rfind('/') + 1) + ":" + std::to_string(std::get<1>(*location)) + ")";
}

bool allConstant(const std::vector<Abstract>& items) {
  for (const Abstract& a : items)
    if (a.kind != Abstract::Kind::Constant) return false;
  return true;
}

Abstract construct(const tj::Node* node, const std::vector<Abstract>& items) {
  if (!allConstant(items)) return Abstract::ofItems(items);
  if (auto list = node->output()->type()->cast<c10::ListType>()) {
    c10::impl::GenericList values(list->getElementType());
    for (const Abstract& a : items) values.push_back(a.constant);
    return Abstract::ofConstant(std::move(values));
  }
  std::vector<c10::IValue> values;
  for (const Abstract& a : items) values.push_back(a.constant);
  return Abstract::ofConstant(c10::ivalue::Tuple::create(std::move(values)));
}

Abstract resultOf(const c10::TypePtr& type, NodeId node, uint32_t& next) {
  auto tuple = type->cast<c10::TupleType>();
  if (!tuple) return Abstract::ofTensor({node, next++});
  std::vector<Abstract> items;
  for (const c10::TypePtr& element : tuple->elements()) items.push_back(resultOf(element, node, next));
  return Abstract::ofItems(std::move(items));
}

bool foldable(const tj::Node* node, const std::vector<Abstract>& inputs) {
  static const std::set<std::string> kinds = {
      "aten::eq", "aten::ne", "aten::lt", "aten::gt", "aten::le", "aten::ge", "aten::__is__",
      "aten::__isnot__", "aten::__not__", "aten::__and__", "aten::__or__", "aten::Bool",
      "aten::Int", "aten::Float", "aten::len", "aten::add", "aten::sub", "aten::mul",
      "aten::floordiv", "aten::remainder", "aten::neg", "aten::format", "aten::str",
      "prim::min", "prim::max"};
  if (!kinds.count(node->kind().toQualString()) || !allConstant(inputs)) return false;
  // Arithmetic only on numbers: `[0] * n` could build a list of any size.
  std::string kind = node->kind().toQualString();
  if (kind == "aten::add" || kind == "aten::mul")
    for (const Abstract& a : inputs)
      if (!a.constant.isInt() && !a.constant.isDouble() && !a.constant.isBool()) return false;
  for (const tj::Value* out : node->outputs())
    if (out->type()->kind() == c10::TypeKind::TensorType) return false;
  return true;
}

}  // namespace sketch
