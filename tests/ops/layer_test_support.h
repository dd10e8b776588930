// Test support for the layer op tests: runs one op the way the graph pass does (bind the
// arguments, infer shapes, then parameters and MACs) from compact text such as
// runOp("Conv2d", "3, 16, 3, stride=2", {"[N, 3, 32, 32]"}).
//
// The argument text is a small subset of the sketch call syntax (ints, floats, strings,
// true/false/none, tuples), parsed here so that the op tests do not depend on lib/lang.
#pragma once

#include <cctype>
#include <string>
#include <vector>

#include "ops/bind_arguments.h"
#include "ops/catalogue.h"
#include "ops/shape_context.h"

#include "op_testing.h"

namespace sketch::testing {

class ArgumentText {
 public:
  explicit ArgumentText(std::string text) : text_(std::move(text)) {}

  std::vector<CallArgument> arguments() {
    std::vector<CallArgument> out;
    while (skipSpace() < text_.size()) {
      CallArgument arg;
      size_t start = pos_;
      while (pos_ < text_.size() && (std::isalnum(text_[pos_]) || text_[pos_] == '_')) ++pos_;
      if (skipSpace() < text_.size() && text_[pos_] == '=' && pos_ > start)
        arg.keyword = text_.substr(start, text_.find_first_of(" =", start) - start), ++pos_;
      else
        pos_ = start;
      arg.value = value();
      out.push_back(arg);
      if (skipSpace() < text_.size() && text_[pos_] == ',') ++pos_;
    }
    return out;
  }

 private:
  size_t skipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    return pos_;
  }

  Value value() {
    skipSpace();
    char c = text_[pos_];
    if (c == '(') return tuple();
    if (c == '"' || c == '\'') {
      size_t end = text_.find(c, pos_ + 1);
      std::string s = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return Value::ofString(s);
    }
    size_t end = text_.find_first_of(",)", pos_);
    if (end == std::string::npos) end = text_.size();
    std::string word = text_.substr(pos_, end - pos_);
    while (!word.empty() && word.back() == ' ') word.pop_back();
    pos_ = end;
    if (word == "none") return Value::none();
    if (word == "true" || word == "false") return Value::ofBool(word == "true");
    if (word.find_first_of(".e") != std::string::npos) return Value::ofFloat(std::stod(word));
    return Value::ofInt(std::stoll(word));
  }

  Value tuple() {
    ++pos_;
    std::vector<Value> items;
    while (skipSpace() < text_.size() && text_[pos_] != ')') {
      items.push_back(value());
      if (skipSpace() < text_.size() && text_[pos_] == ',') ++pos_;
    }
    ++pos_;
    return Value::ofList(std::move(items));
  }

  std::string text_;
  size_t pos_ = 0;
};

/// Everything sketchc derives for one node.
struct OpRun {
  std::vector<BindIssue> bindIssues;
  std::vector<ShapeIssue> shapeIssues;
  Attrs attrs;
  std::vector<TensorType> outputs;
  std::vector<ParamSpec> params;
  int64_t macs = 0;

  bool ok() const { return bindIssues.empty() && shapeIssues.empty(); }
  /// Shape of output i, "[N, 16, 16, 16]".
  std::string output(size_t i = 0) const {
    return i < outputs.size() ? outputs[i].shapeString() : "<none>";
  }
  /// The first issue's message, or "" when there is none.
  std::string issue() const {
    if (!bindIssues.empty()) return bindIssues[0].message;
    return shapeIssues.empty() ? "" : shapeIssues[0].message;
  }
  std::string help() const {
    if (!bindIssues.empty()) return bindIssues[0].help;
    return shapeIssues.empty() ? "" : shapeIssues[0].help;
  }
  const ParamSpec* param(const std::string& name) const {
    for (const ParamSpec& p : params)
      if (p.name == name) return &p;
    return nullptr;
  }
};

/// Binds `args`, runs the shape function on the inputs (named 'x', 'y', ... in messages; the
/// node is 'layer'), then the params and MAC functions when shapes succeeded.
inline OpRun runOp(const std::string& opName, const std::string& args,
                   const std::vector<std::string>& inputs) {
  const OpDef& op = *catalogue().find(opName);
  BindResult bound = bindArguments(op, ArgumentText(args).arguments());
  OpRun run;
  run.bindIssues = bound.issues;
  run.attrs = bound.attrs;
  if (!run.ok()) return run;
  std::vector<TensorType> types;
  std::vector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i) {
    types.push_back(ty(inputs[i]));
    names.push_back(std::string(1, static_cast<char>('x' + i)));
  }
  ShapeContext ctx(op, "layer", run.attrs, types, names);
  op.shapeFn()(ctx);
  run.shapeIssues = ctx.issues();
  if (!run.ok()) return run;
  run.outputs = ctx.outputs();
  if (op.paramFn()) run.params = op.paramFn()(run.attrs);
  run.macs = op.macFn()(run.attrs, types, run.outputs);
  return run;
}

/// "weight [16, 3, 3, 3]; bias [16]" in the op's order, buffers marked with "(buffer)".
inline std::string paramsText(const OpRun& run) {
  std::string s;
  for (const ParamSpec& p : run.params) {
    if (!s.empty()) s += "; ";
    std::vector<Dim> dims;
    for (int64_t d : p.shape) dims.push_back(Dim::known(d));
    s += p.name + " " + TensorType::of(p.dtype, dims).toString() + (p.buffer ? " (buffer)" : "");
  }
  return s;
}

/// One row of a layer shape table: a call in sketch syntax on one input, and the output.
struct CallShapeCase {
  const char* op;
  const char* args;
  const char* input;
  const char* output;
};

/// "Conv2d(3, 16, 3) on [N, 3, 32, 32]": names a row in failure messages.
inline std::string describeCall(const CallShapeCase& c) {
  return std::string(c.op) + "(" + c.args + ") on " + c.input;
}

/// Runs a row and checks it infers its output without an issue; returns the run for
/// further checks.
inline OpRun checkCallShape(const CallShapeCase& c) {
  OpRun run = runOp(c.op, c.args, {c.input});
  CHECK(run.issue() == "");
  CHECK(run.output() == c.output);
  return run;
}

}  // namespace sketch::testing
