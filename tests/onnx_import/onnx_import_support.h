// Helpers for the importer's tests: tiny ONNX models built with the protobuf classes, and
// running the importer on them with diagnostics rendered as text.
#pragma once

#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "diag/text_renderer.h"
#include "driver/model_weights.h"
#include "driver/pipeline.h"
#include "import/import_onnx.h"
#include "import/onnx_graph.h"
#include "onnx_kernel.h"

namespace sketch::testing {

inline const SourceManager& sources() {
  static SourceManager manager;
  return manager;
}

struct Imported {
  std::shared_ptr<DiagnosticEngine> diags = std::make_shared<DiagnosticEngine>(sources());
  std::optional<ImportedModel> model;

  std::string rendered() const {
    std::ostringstream out;
    TextRenderer renderer(sources(), false);
    for (const Diagnostic& d : diags->diagnostics()) renderer.render(out, d);
    return out.str();
  }
};

inline Imported importFile(const std::string& path, ImportOptions options = {}) {
  Imported result;
  result.model = importOnnx(path, options, *result.diags);
  return result;
}

inline Imported importParsed(onnx_import::OnnxFile file, ImportOptions options = {}) {
  Imported result;
  result.model =
      onnx_import::importOnnxModel(std::move(file), "model.onnx", options, *result.diags);
  return result;
}

inline Imported importProto(const onnx::ModelProto& model, ImportOptions options = {}) {
  onnx_import::OnnxFile file;
  file.model = std::make_shared<onnx::ModelProto>(model);
  return importParsed(std::move(file), options);
}

/// Sketch `text` checked, given seeded weights and written by the onnx kernel to `path`.
inline void writeOnnx(const std::string& text, const std::string& path) {
  SourceManager sketchSources;
  DiagnosticEngine diags(sketchSources);
  MemoryFileSystem fs;
  fs.add("net.sketch", text);
  std::optional<CheckedSketch> checked = checkSketch("net.sketch", fs, sketchSources, diags);
  REQUIRE(checked);
  REQUIRE_FALSE(diags.hasErrors());
  WeightStore weights = bindWeights(paramRequests(checked->graph), nullptr, "", kDefaultSeed, diags);
  ExportOptions options;
  options.outputPath = path;
  REQUIRE(exportOnnx(checked->graph, weights, options, diags));
}

inline onnx::ModelProto readModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  REQUIRE(model.ParseFromIstream(&in));
  return model;
}

inline const Node* findNode(const Graph& graph, const std::string& path) {
  for (const Node& n : graph.nodes)
    if (n.path == path) return &n;
  return nullptr;
}

inline std::map<std::string, int> opHistogram(const Graph& graph) {
  std::map<std::string, int> counts;
  for (const Node& n : graph.nodes) counts[n.op->name()]++;
  return counts;
}

inline std::string describe(const std::map<std::string, int>& histogram) {
  std::string s;
  for (const auto& [op, n] : histogram) s += (s.empty() ? "" : ", ") + op + " " + std::to_string(n);
  return s;
}

/// A small ONNX model built with the protobuf classes, for converter tests.
class ModelBuilder {
 public:
  explicit ModelBuilder(int opset = 13) {
    model_.set_ir_version(8);
    auto* o = model_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
  }

  onnx::ModelProto& model() { return model_; }
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }

  void input(const std::string& name, const std::vector<int64_t>& dims,
             int32_t type = onnx::TensorProto::FLOAT) {
    valueInfo(graph().add_input(), name, dims, type);
  }
  void output(const std::string& name, const std::vector<int64_t>& dims,
              int32_t type = onnx::TensorProto::FLOAT) {
    valueInfo(graph().add_output(), name, dims, type);
  }
  /// A float32 initializer; values default to 0, 1, 2, ...
  void weight(const std::string& name, const std::vector<int64_t>& dims,
              std::vector<float> values = {}) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      n *= d;
    }
    for (int64_t i = 0; i < n; ++i)
      t->add_float_data(values.empty() ? static_cast<float>(i) : values[static_cast<size_t>(i)]);
  }
  void ints(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  }
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "",
                        const std::string& domain = "") {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_name(name);
    n->set_domain(domain);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

 private:
  static void valueInfo(onnx::ValueInfoProto* v, const std::string& name,
                        const std::vector<int64_t>& dims, int32_t type) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(type);
    auto* shape = t->mutable_shape();
    for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
  }

  onnx::ModelProto model_;
};

inline void setAttr(onnx::NodeProto& n, const std::string& name, int64_t value) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}
inline void setAttr(onnx::NodeProto& n, const std::string& name, float value) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(value);
}
inline void setAttr(onnx::NodeProto& n, const std::string& name,
                    const std::vector<int64_t>& values) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

/// The float32 elements of a weight of the imported model.
inline std::vector<float> floatsOf(const ImportedModel& model, const std::string& name) {
  const Tensor* t = model.weights.find(name);
  if (!t) return {};
  std::vector<float> out(static_cast<size_t>(t->numel()));
  std::memcpy(out.data(), t->data(), out.size() * 4);
  return out;
}

/// The declared type of the first graph output of an .onnx file.
inline TensorType onnxOutputType(const std::string& path) {
  DiagnosticEngine diags(sources());
  auto file = onnx_import::readOnnxFile(path, diags);
  const auto& t = file->model->graph().output(0).type().tensor_type();
  TensorType type;
  type.dtype = *onnx_import::dtypeOfOnnx(t.elem_type());
  for (const auto& d : t.shape().dim())
    type.dims.push_back(d.has_dim_value() ? Dim::known(d.dim_value()) : Dim::symbol(d.dim_param()));
  return type;
}

}  // namespace sketch::testing
