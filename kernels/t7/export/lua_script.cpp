#include "lua_script.h"

#include "t7_ops.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

namespace sketch::t7 {

namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", v);
  return buffer;
}

std::string literal(const Object& v) {
  if (v.kind == Object::Kind::Number) return number(v.number);
  if (v.kind == Object::Kind::Boolean) return v.boolean ? "true" : "false";
  std::string quoted = "'";
  for (char ch : v.string)
    quoted += (ch == '\'' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch);
  return quoted + "'";
}

std::string storageElements(const Object& storage) {
  std::string items;
  for (int64_t i = 0; i < storage.storageSize(); ++i) {
    int64_t d;
    std::memcpy(&d, storage.elements.data() + i * sizeof(d), sizeof(d));
    items += (i ? ", " : "") + std::to_string(d);
  }
  return items;
}

std::string argument(const Object& module, const LuaArg& arg) {
  const Object* v = module.get(arg.field);
  if (!v) return "nil";
  if (arg.size == kStorageElements) return storageElements(*v);
  if (arg.size > 0) return std::to_string(v->sizes[size_t(arg.size - 1)]);
  return literal(*v);
}

class ScriptWriter {
 public:
  explicit ScriptWriter(std::ostringstream& out) : out_(out) {}

  /// Emits `m[i] = ...` for `m` and then its children; returns `m[i]`. One table rather
  /// than locals: Lua allows 200 locals per function and ResNet-50 has more modules.
  std::string emit(const Object& m) {
    std::string var = "m[" + std::to_string(++count_) + "]";
    out_ << var << " = " << m.className << "(" << arguments(m) << ")\n";
    emitScalars(m, var);
    if (const Object* modules = m.get("modules")) {
      for (const Object* child : modules->array()) {
        std::string childVar = emit(*child);
        out_ << var << ":add(" << childVar << ")\n";
      }
    }
    return var;
  }

 private:
  std::string arguments(const Object& m) {
    const std::vector<LuaArg>* constructor = luaConstructor(m.className);
    if (!constructor) return "";
    std::string args;
    for (const LuaArg& arg : *constructor) args += (args.empty() ? "" : ", ") + argument(m, arg);
    used_ = *constructor;
    return args;
  }

  /// Scalar fields the constructor does not set (ceil_mode, count_include_pad, v2, ...).
  void emitScalars(const Object& m, const std::string& var) {
    std::set<std::string> skip = {"_type", "train"};
    for (const LuaArg& arg : used_)
      if (arg.size == 0) skip.insert(arg.field);
    used_.clear();
    for (const TableEntry& e : m.fields->entries) {
      const Object& v = *e.value;
      bool scalar = v.kind == Object::Kind::Number || v.kind == Object::Kind::Boolean ||
                    v.kind == Object::Kind::String;
      if (e.key->kind == Object::Kind::String && scalar && !skip.count(e.key->string))
        out_ << var << "." << e.key->string << " = " << literal(v) << "\n";
    }
  }

  std::ostringstream& out_;
  int count_ = 0;
  std::vector<LuaArg> used_;
};

}  // namespace

std::string luaScript(const Object& root, const std::string& t7Name, DType dtype) {
  std::ostringstream body;
  ScriptWriter writer(body);
  std::string model = writer.emit(root);
  std::ostringstream out;
  out << "-- Rebuilds the model of '" << t7Name << "' with nn constructors, then copies its\n"
      << "-- weights and running statistics from that file (next to this script).\n"
      << "require 'nn'\n";
  if (body.str().find("nn.SeqLSTM(") != std::string::npos ||
      body.str().find("nn.SeqGRU(") != std::string::npos)
    out << "require 'rnn'  -- SeqLSTM, SeqGRU\n";
  out << "local m = {}\n"
      << body.str() << "local model = " << model
      << (dtype == DType::Float64 ? ":double()" : ":float()") << "\n"
      << "\nlocal function copyTensors(dst, src)\n"
      << "  for k, v in pairs(src) do\n"
      << "    if torch.isTensor(v) and v:nElement() > 0 and k:sub(1, 4) ~= 'grad' then\n"
      << "      dst[k] = v:clone()\n"
      << "    end\n"
      << "  end\n"
      << "  for i, child in ipairs(src.modules or {}) do copyTensors(dst.modules[i], child) end\n"
      << "end\n"
      << "local dir = (debug.getinfo(1, 'S').source:match('^@(.*[/\\\\])') or '')\n"
      << "copyTensors(model, torch.load(dir .. '" << t7Name << "'))\n"
      << "model:evaluate()\n"
      << "return model\n";
  return out.str();
}

}  // namespace sketch::t7
