// Test support for the op tests: builds input types from short spellings ("[N, 3, 8]",
// "int64[4]"), fills an op's declared defaults (argument binding is tested on its own) and
// runs its shape function the way the graph pass does, with producers named a, b, c, ... in
// port order. layer_test_support.h adds binding from call text on top.
#pragma once

#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <vector>

#include "ops/catalogue.h"
#include "ops/shape_context.h"

namespace sketch::testing {

/// "[N, 3, 8]" is float32; "int64[4]" and "bool[2, 3]" name the dtype.
inline TensorType ty(const std::string& spec) {
  size_t open = spec.find('[');
  TensorType t;
  if (open > 0) t.dtype = *parseDType(spec.substr(0, open));
  std::string token;
  for (size_t i = open + 1; i < spec.size(); ++i) {
    char c = spec[i];
    if (c != ',' && c != ']') {
      if (c != ' ') token += c;
      continue;
    }
    if (token.empty()) continue;
    t.dims.push_back(std::isdigit(static_cast<unsigned char>(token[0]))
                         ? Dim::known(std::stoll(token))
                         : Dim::symbol(token));
    token.clear();
  }
  return t;
}

inline Value I(int64_t v) { return Value::ofInt(v); }
inline Value F(double v) { return Value::ofFloat(v); }
inline Value B(bool v) { return Value::ofBool(v); }
inline Value S(const char* v) { return Value::ofString(v); }
inline Value Ints(std::vector<int64_t> v) { return Value::ofInts(v); }

struct ShapeRun {
  Attrs attrs;
  std::vector<TensorType> outputs;
  std::vector<std::string> messages;  // one per issue, in order
  std::vector<std::string> helps;     // the issues' help texts, in the same order
  std::vector<ParamSpec> params;      // only when shape inference succeeded

  /// Elements of all parameters and buffers, like sum(t.numel() for t in state_dict).
  int64_t parameterCount() const {
    int64_t count = 0;
    for (const ParamSpec& p : params) {
      int64_t n = 1;
      for (int64_t d : p.shape) n *= d;
      count += n;
    }
    return count;
  }

  /// The outputs as "[N, 3]" strings, or the messages joined when it failed.
  std::string result() const {
    std::string s;
    for (const std::string& m : messages) s += (s.empty() ? "" : "; ") + m;
    if (!s.empty()) return s;
    for (const TensorType& t : outputs) s += (s.empty() ? "" : " ") + t.shapeString();
    return s;
  }
};

/// Stands for an optional input port that is left open.
inline TensorType unlinked() {
  TensorType t;
  t.dims.push_back(Dim::invalid());
  t.error = true;
  return t;
}

/// Runs `op` as node 'node' on `inputs` with the declared defaults plus `given`, canonicalised
/// as binding does.
inline ShapeRun runShape(const std::string& opName, const Attrs& given,
                         const std::vector<TensorType>& inputs) {
  const OpDef* op = catalogue().find(opName);
  ShapeRun run;
  for (const AttrDef& def : op->attrs()) run.attrs[def.name] = def.defaultValue;
  for (const auto& [name, value] : given) run.attrs[name] = value;
  if (op->canonicalFn()) op->canonicalFn()(run.attrs);
  std::vector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i) names.push_back(std::string(1, char('a' + i)));
  ShapeContext ctx(*op, "node", run.attrs, inputs, names);
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].error && inputs[i].dims.size() == 1 && !inputs[i].dims[0].isValid())
      ctx.markUnconnected(i);
  op->shapeFn()(ctx);
  for (const ShapeIssue& issue : ctx.issues()) {
    run.messages.push_back(issue.message);
    run.helps.push_back(issue.help);
  }
  run.outputs = ctx.outputs();
  if (ctx.ok() && op->paramFn()) run.params = op->paramFn()(run.attrs);
  return run;
}

/// One row of a shape table: op, given attributes, input spellings and the expected
/// result (output shapes separated by spaces, or the messages joined by "; ").
struct ShapeCase {
  const char* op;
  Attrs attrs;
  std::vector<const char*> inputs;
  const char* expected;
};

inline void checkShapes(const std::vector<ShapeCase>& cases) {
  for (const ShapeCase& c : cases) {
    std::vector<TensorType> inputs;
    for (const char* spec : c.inputs)
      inputs.push_back(std::string(spec) == "unlinked" ? unlinked() : ty(spec));
    CAPTURE(c.op);
    CAPTURE(c.expected);
    CHECK(runShape(c.op, c.attrs, inputs).result() == c.expected);
  }
}

}  // namespace sketch::testing
