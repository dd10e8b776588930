// printYaml: the canonical YAML form. Written by hand rather than with YAML::Emitter so
// that the layout is fixed (block style, flow lists for names) and every string that holds
// sketch text stays plain whenever YAML allows it.
#include <cstdio>

#include "lang/printer.h"

namespace sketch {

namespace {

using ast::Expr;

std::string doubleQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Whether YAML reads `s` back unchanged as a plain scalar (in a flow collection if `flow`).
bool isPlainSafe(const std::string& s, bool flow) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  if (std::string("?:-").find(s[0]) != std::string::npos && (s.size() == 1 || s[1] == ' '))
    return false;
  if (std::string(",[]{}#&*!|>'\"%@`").find(s[0]) != std::string::npos) return false;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return false;
  if (flow && s.find_first_of(",[]{}") != std::string::npos) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  return s != "~" && s != "null" && s != "Null" && s != "NULL";
}

// Sketch text (calls, links, types, names) is read back from the scalar whatever its style.
std::string textScalar(const std::string& s) { return isPlainSafe(s, false) ? s : doubleQuoted(s); }

// A value: plain scalars are read as expressions, quoted ones as strings, sequences as
// lists; anything else is tagged `!expr` so that it is read as an expression though quoted.
std::string valueScalar(const Expr& e, bool flow) {
  if (e.kind == Expr::Kind::String) return doubleQuoted(e.text);
  if (e.kind == Expr::Kind::List) {
    std::string s = "[";
    for (size_t i = 0; i < e.items.size(); ++i) s += (i ? ", " : "") + valueScalar(*e.items[i], true);
    return s + "]";
  }
  std::string text = printExpr(e);
  return isPlainSafe(text, flow) ? text : "!expr " + doubleQuoted(text);
}

class YamlPrinter {
 public:
  void printBody(const std::vector<ast::CommentedStatement>& statements, size_t indent,
                 bool topLevel);
  std::string out_;

 private:
  void line(size_t indent, const std::string& text) {
    out_ += std::string(indent, ' ') + text + "\n";
  }
  void printDefinition(const ast::BlockDef& def, size_t indent);
  void printOutputs(const std::vector<const ast::OutputDecl*>& outputs, size_t indent);
};

template <class T>
std::vector<const T*> collect(const std::vector<ast::CommentedStatement>& statements) {
  std::vector<const T*> found;
  for (const ast::CommentedStatement& s : statements)
    if (const T* item = std::get_if<T>(&s.statement); item && !ast::isInvalid(s.statement))
      found.push_back(item);
  return found;
}

void YamlPrinter::printBody(const std::vector<ast::CommentedStatement>& statements,
                            size_t indent, bool topLevel) {
  if (topLevel) {
    for (const ast::SketchDecl* s : collect<ast::SketchDecl>(statements))
      line(indent, "sketch: " + textScalar(s->name));
    for (const ast::WeightsDecl* w : collect<ast::WeightsDecl>(statements))
      line(indent, "weights: " + textScalar(w->path));
  }
  std::vector<const ast::InputDecl*> inputs = collect<ast::InputDecl>(statements);
  if (!inputs.empty() && topLevel) {
    line(indent, "inputs:");
    for (const ast::InputDecl* in : inputs)
      line(indent + 2, in->name + ": " + (in->type ? textScalar(printTensorType(*in->type)) : "null"));
  } else if (!inputs.empty()) {
    std::string names;
    for (const ast::InputDecl* in : inputs) names += (names.empty() ? "" : ", ") + in->name;
    line(indent, "inputs: [" + names + "]");
  }
  auto definitions = collect<std::unique_ptr<ast::BlockDef>>(statements);
  if (!definitions.empty()) line(indent, "definitions:");
  for (const std::unique_ptr<ast::BlockDef>* def : definitions) printDefinition(**def, indent + 2);
  std::vector<const ast::BlockDecl*> blocks = collect<ast::BlockDecl>(statements);
  if (!blocks.empty()) line(indent, "blocks:");
  for (const ast::BlockDecl* b : blocks) line(indent + 2, b->name + ": " + textScalar(printExpr(*b->call)));
  std::vector<const ast::LinkChain*> links = collect<ast::LinkChain>(statements);
  if (!links.empty()) line(indent, "links:");
  for (const ast::LinkChain* l : links) line(indent + 2, "- " + textScalar(printLinkChain(*l)));
  printOutputs(collect<ast::OutputDecl>(statements), indent);
}

void YamlPrinter::printDefinition(const ast::BlockDef& def, size_t indent) {
  bool empty = def.params.empty() && def.body.empty();
  line(indent, def.name + ":" + (empty ? " {}" : ""));
  if (!def.params.empty()) line(indent + 2, "params:");
  for (const ast::BlockParam& p : def.params)
    line(indent + 4, p.name + ": " + (p.defaultValue ? valueScalar(*p.defaultValue, false) : "null"));
  printBody(def.body, indent + 2, false);
}

// Unnamed outputs (and `name = name`) print as a flow list; otherwise a mapping.
void YamlPrinter::printOutputs(const std::vector<const ast::OutputDecl*>& outputs, size_t indent) {
  if (outputs.empty()) return;
  bool allUnnamed = true;
  for (const ast::OutputDecl* o : outputs)
    allUnnamed = allUnnamed && (!o->named || o->name == printEndpoint(o->source));
  if (allUnnamed) {
    std::string items;
    for (const ast::OutputDecl* o : outputs) {
      std::string endpoint = printEndpoint(o->source);
      items += (items.empty() ? "" : ", ") + (isPlainSafe(endpoint, true) ? endpoint : doubleQuoted(endpoint));
    }
    return line(indent, "outputs: [" + items + "]");
  }
  line(indent, "outputs:");
  for (const ast::OutputDecl* o : outputs) {
    std::string endpoint = printEndpoint(o->source);
    line(indent + 2, (o->named ? o->name : endpoint) + ": " + textScalar(endpoint));
  }
}

}  // namespace

std::string printYaml(const ast::Module& module) {
  YamlPrinter printer;
  printer.printBody(module.statements, 0, true);
  return printer.out_;
}

}  // namespace sketch
