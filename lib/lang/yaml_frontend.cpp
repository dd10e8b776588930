#include "lang/yaml_frontend.h"

#include <deque>
#include <map>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "core/spelling.h"
#include "lang/parser.h"

namespace sketch {

namespace {

using ast::CommentedStatement;

const std::vector<std::string> kTopKeys = {"sketch", "weights", "inputs", "definitions",
                                           "blocks", "links", "outputs"};
const std::vector<std::string> kDefinitionKeys = {"params", "inputs", "definitions",
                                                  "blocks", "links", "outputs"};

// Where the flow collection ('[', '{') or quoted scalar still open at `end` begins, if one
// is: yaml-cpp reports an unclosed one where it gave up (the next key, the end of the file),
// not where the mistake is. Comments and quoted text are skipped.
std::optional<uint32_t> unclosedOpener(std::string_view text, uint32_t end) {
  std::vector<uint32_t> open;
  std::optional<uint32_t> quote;
  for (uint32_t i = 0; i < end && i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == text[*quote]) {
        if (c == '\'' && i + 1 < end && text[i + 1] == '\'') ++i;  // '' is a quote in '...'
        else quote.reset();
      } else if (c == '\\' && text[*quote] == '"') {
        ++i;
      }
    } else if (c == '"' || c == '\'') {
      if (i == 0 || std::string_view(" \t\n[{,:").find(text[i - 1]) != std::string_view::npos)
        quote = i;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n')) {
      while (i < end && text[i] != '\n') ++i;
    } else if (c == '[' || c == '{') {
      open.push_back(i);
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
  }
  if (quote) return quote;
  if (!open.empty()) return open.back();
  return std::nullopt;
}

const char* typeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    default: return "nothing";
  }
}

class YamlReader {
 public:
  YamlReader(FileId file, const SourceManager& sources, DiagnosticEngine& diags)
      : file_(file), text_(sources.text(file)), diags_(diags) {}

  ast::Module read();

 private:
  /// Statements of one mapping (the sketch, or a block definition), by section.
  struct Sections {
    std::vector<CommentedStatement> header, inputs, definitions, blocks, links, outputs;
    std::vector<CommentedStatement> all();
  };

  void readBody(const YAML::Node& map, const std::vector<std::string>& keys, bool topLevel,
                Sections& sections, ast::BlockDef* def, int depth);
  bool checkKey(const YAML::Node& key, const std::vector<std::string>& keys,
                std::map<std::string, Span>& seen, bool topLevel);
  void readInputs(const YAML::Node& node, bool topLevel, Sections& sections);
  void readParams(const YAML::Node& node, ast::BlockDef& def);
  void readDefinitions(const YAML::Node& node, Sections& sections, int depth);
  void readBlocks(const YAML::Node& node, Sections& sections);
  std::unique_ptr<ast::Expr> readOpMapping(const YAML::Node& map, const std::string& name);
  void readLinks(const YAML::Node& node, Sections& sections);
  void readOutputs(const YAML::Node& node, Sections& sections);
  std::unique_ptr<ast::Expr> readValue(const YAML::Node& node, int depth);
  std::optional<std::string> readName(const YAML::Node& node, const char* what);

  Span spanOf(const YAML::Node& node) const;
  SourceText sourceOf(const YAML::Node& scalar);
  bool expectType(const YAML::Node& node, YAML::NodeType::value type, const std::string& what);
  Diagnostic& structure(const YAML::Node& node, std::string message) {
    return diags_.report(diag::YamlStructure, spanOf(node), std::move(message));
  }

  FileId file_;
  std::string_view text_;
  DiagnosticEngine& diags_;
  std::deque<std::string> unmappedText_;  // scalars whose bytes differ from the file's
};

std::vector<CommentedStatement> YamlReader::Sections::all() {
  std::vector<CommentedStatement> out;
  for (auto* part : {&header, &inputs, &definitions, &blocks, &links, &outputs})
    for (CommentedStatement& s : *part) out.push_back(std::move(s));
  return out;
}

CommentedStatement statement(ast::Statement s) {
  CommentedStatement c;
  c.statement = std::move(s);
  return c;
}

Span YamlReader::spanOf(const YAML::Node& node) const {
  int pos = node.Mark().pos;
  if (pos < 0 || static_cast<size_t>(pos) > text_.size()) return Span{file_, static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(text_.size())};
  uint32_t begin = static_cast<uint32_t>(pos);
  uint32_t end = begin + 1;
  if (node.IsScalar()) {
    char quote = begin < text_.size() ? text_[begin] : '\0';
    if (quote == '"' || quote == '\'') {
      size_t close = text_.find(quote, begin + 1 + node.Scalar().size() / 2);
      end = close == std::string_view::npos ? begin + 1 : static_cast<uint32_t>(close + 1);
    } else {
      end = begin + static_cast<uint32_t>(std::max<size_t>(node.Scalar().size(), 1));
    }
    size_t eol = text_.find('\n', begin);
    if (eol != std::string_view::npos && end > eol) end = static_cast<uint32_t>(eol);
  }
  return Span{file_, begin, std::min<uint32_t>(std::max(end, begin), text_.size())};
}

// Maps a scalar's value to its bytes: exactly when the file holds it verbatim (plain, or
// quoted without escapes), else every span points at the whole scalar.
SourceText YamlReader::sourceOf(const YAML::Node& scalar) {
  const std::string& value = scalar.Scalar();
  Span whole = spanOf(scalar);
  uint32_t begin = whole.begin;
  uint32_t skip = begin < text_.size() && (text_[begin] == '"' || text_[begin] == '\'') ? 1 : 0;
  if (text_.substr(begin + skip, value.size()) == value)
    return SourceText{file_, text_.substr(begin + skip, value.size()), begin + skip, true, whole};
  unmappedText_.push_back(value);
  return SourceText{file_, unmappedText_.back(), 0, false, whole};
}

bool YamlReader::expectType(const YAML::Node& node, YAML::NodeType::value type,
                            const std::string& what) {
  if (node.Type() == type) return true;
  structure(node, "expected " + what + ", found " + typeName(node));
  return false;
}

std::optional<std::string> YamlReader::readName(const YAML::Node& node, const char* what) {
  if (!expectType(node, YAML::NodeType::Scalar, std::string("a name for ") + what)) return {};
  if (isIdentifier(node.Scalar())) return node.Scalar();
  structure(node, std::string("'") + node.Scalar() + "' is not a valid name for " + what)
      .help = "names are letters, digits and '_', not starting with a digit, and not keywords";
  return {};
}

ast::Module YamlReader::read() {
  ast::Module module;
  module.file = file_;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text_));
  } catch (const YAML::ParserException& e) {
    uint32_t pos = static_cast<uint32_t>(std::clamp<int>(e.mark.pos, 0, text_.size()));
    Span stopped{file_, pos, std::min<uint32_t>(pos + 1, text_.size())};
    bool unclosed = e.msg.find("flow not found") != std::string::npos ||
                    e.msg.find("EOF in scalar") != std::string::npos;
    std::optional<uint32_t> opener = unclosed ? unclosedOpener(text_, pos) : std::nullopt;
    if (!opener) {
      diags_.report(diag::YamlSyntax, stopped, "invalid YAML: " + e.msg);
      return module;
    }
    Diagnostic& d = diags_.report(diag::YamlSyntax, Span{file_, *opener, *opener + 1},
                                  std::string("invalid YAML: this '") + text_[*opener] +
                                      "' is never closed");
    addNote(d, stopped, "the YAML parser stopped here: " + e.msg);
    return module;
  }
  if (root.IsNull()) return module;
  if (!expectType(root, YAML::NodeType::Map, "a mapping with the sections of a sketch"))
    return module;
  Sections sections;
  readBody(root, kTopKeys, true, sections, nullptr, 0);
  module.statements = sections.all();
  return module;
}

bool YamlReader::checkKey(const YAML::Node& key, const std::vector<std::string>& keys,
                          std::map<std::string, Span>& seen, bool topLevel) {
  const char* where = topLevel ? "the sketch" : "a block definition";
  if (!key.IsScalar()) {
    structure(key, std::string("expected a key name in ") + where + ", found " + typeName(key));
    return false;
  }
  const std::string& name = key.Scalar();
  if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
    Diagnostic& d = structure(key, "unknown key '" + name + "' in " + where);
    std::string match = closestMatch(name, keys);
    std::string list;
    for (const std::string& k : keys) list += (list.empty() ? "" : ", ") + k;
    d.help = match.empty() ? "the keys are " + list : "did you mean '" + match + "'?";
    return false;
  }
  auto [it, inserted] = seen.emplace(name, spanOf(key));
  if (!inserted) {
    addNote(structure(key, "duplicate key '" + name + "' in " + where), it->second,
            "first given here");
    return false;
  }
  return true;
}

void YamlReader::readBody(const YAML::Node& map, const std::vector<std::string>& keys,
                          bool topLevel, Sections& sections, ast::BlockDef* def, int depth) {
  std::map<std::string, Span> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!checkKey(key, keys, seen, topLevel)) continue;
    const std::string& name = key.Scalar();
    if (name == "sketch") {
      if (auto n = readName(value, "the sketch"))
        sections.header.push_back(statement(ast::SketchDecl{*n, spanOf(value)}));
    } else if (name == "weights") {
      if (expectType(value, YAML::NodeType::Scalar, "the weights file name"))
        sections.header.push_back(statement(ast::WeightsDecl{value.Scalar(), spanOf(value), spanOf(value)}));
    } else if (name == "inputs") {
      readInputs(value, topLevel, sections);
    } else if (name == "params") {
      readParams(value, *def);
    } else if (name == "definitions") {
      readDefinitions(value, sections, depth);
    } else if (name == "blocks") {
      readBlocks(value, sections);
    } else if (name == "links") {
      readLinks(value, sections);
    } else {
      readOutputs(value, sections);
    }
  }
}

// Top level: `inputs: {image: "float32[N, 3, 32, 32]"}`; in a definition: `inputs: [x]`.
void YamlReader::readInputs(const YAML::Node& node, bool topLevel, Sections& sections) {
  if (topLevel) {
    if (!expectType(node, YAML::NodeType::Map, "a mapping from input names to types"))
      return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::optional<std::string> name = readName(it->first, "an input");
      if (!name) continue;
      Span nameSpan = spanOf(it->first);
      std::optional<ast::TensorTypeExpr> type;
      if (expectType(it->second, YAML::NodeType::Scalar, "a type such as 'float32[N, 3, 224, 224]'"))
        type = parseTensorTypeText(sourceOf(it->second), diags_);
      // A broken type keeps the input's name, so that links from it stay silent.
      Span span = type ? nameSpan.to(type->span) : nameSpan;
      bool invalid = !type;
      sections.inputs.push_back(statement(ast::InputDecl{*name, nameSpan, std::move(type), span, invalid}));
    }
    return;
  }
  if (node.IsMap()) {
    structure(node, "inputs of a block definition have no type").help =
        "list their names, e.g. 'inputs: [x]'";
    return;
  }
  if (!expectType(node, YAML::NodeType::Sequence, "a list of input names")) return;
  for (const YAML::Node& item : node)
    if (std::optional<std::string> name = readName(item, "an input"))
      sections.inputs.push_back(statement(ast::InputDecl{*name, spanOf(item), {}, spanOf(item)}));
}

// `params: {channels: null, stride: 1}` (null: no default) or `params: [channels]`.
void YamlReader::readParams(const YAML::Node& node, ast::BlockDef& def) {
  if (node.IsSequence()) {
    for (const YAML::Node& item : node)
      if (std::optional<std::string> name = readName(item, "a parameter"))
        def.params.push_back({*name, spanOf(item), nullptr});
    return;
  }
  if (!expectType(node, YAML::NodeType::Map, "a mapping from parameter names to defaults"))
    return;
  std::string firstDefault;  // the text form's rule: no parameter without a default after one
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::optional<std::string> name = readName(it->first, "a parameter");
    if (!name) continue;
    ast::BlockParam param{*name, spanOf(it->first), nullptr};
    if (!it->second.IsNull()) param.defaultValue = readValue(it->second, 0);
    if (param.defaultValue && firstDefault.empty()) firstDefault = param.name;
    if (!param.defaultValue && !it->second.IsNull()) continue;  // a bad value, reported
    if (!param.defaultValue && !firstDefault.empty())
      structure(it->first, "parameter '" + param.name + "' without a default follows parameter '" +
                               firstDefault + "', which has one");
    def.params.push_back(std::move(param));
  }
}

void YamlReader::readDefinitions(const YAML::Node& node, Sections& sections, int depth) {
  if (!expectType(node, YAML::NodeType::Map, "a mapping from block names to definitions"))
    return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::optional<std::string> name = readName(it->first, "a block definition");
    if (!name) continue;
    if (depth >= kMaxNesting) {
      diags_.report(diag::NestingTooDeep, spanOf(it->first),
                    "block definitions nest deeper than " + std::to_string(kMaxNesting) + " levels");
      return;
    }
    auto def = std::make_unique<ast::BlockDef>();
    def->name = *name;
    def->nameSpan = spanOf(it->first);
    def->span = def->nameSpan;
    const YAML::Node body = it->second;
    if (!body.IsNull() && expectType(body, YAML::NodeType::Map, "a mapping with the sections of block '" + *name + "'")) {
      Sections inner;
      readBody(body, kDefinitionKeys, false, inner, def.get(), depth + 1);
      def->body = inner.all();
    }
    sections.definitions.push_back(statement(std::move(def)));
  }
}

// `conv: Conv2d(3, 16, 3)` or `fc: {op: Linear, args: [512], out_features: 10}`.
void YamlReader::readBlocks(const YAML::Node& node, Sections& sections) {
  if (!expectType(node, YAML::NodeType::Map, "a mapping from block names to calls")) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::optional<std::string> name = readName(it->first, "a block");
    if (!name) continue;
    const YAML::Node value = it->second;
    std::unique_ptr<ast::Expr> call;
    if (value.IsScalar()) {
      call = parseCallText(sourceOf(value), diags_);
    } else if (value.IsMap()) {
      call = readOpMapping(value, *name);
    } else {
      structure(value, "expected a call such as 'Conv2d(3, 16)' or a mapping with 'op' for block '" +
                           *name + "', found " + typeName(value));
    }
    // A broken call keeps the block's name, so that links to it stay silent.
    Span nameSpan = spanOf(it->first);
    bool invalid = !call;
    sections.blocks.push_back(statement(
        ast::BlockDecl{*name, nameSpan, std::move(call), nameSpan.to(spanOf(value)), invalid}));
  }
}

std::unique_ptr<ast::Expr> YamlReader::readOpMapping(const YAML::Node& map, const std::string& name) {
  const YAML::Node op = map["op"];
  if (!op) {
    structure(map, "block '" + name + "' has no 'op'").help = "add 'op: Linear' (the op or block to use)";
    return nullptr;
  }
  std::optional<std::string> callee = readName(op, "an op");
  if (!callee) return nullptr;
  auto call = std::make_unique<ast::Expr>();
  call->kind = ast::Expr::Kind::Call;
  call->text = *callee;
  call->span = call->calleeSpan = spanOf(op);
  bool ok = true;
  if (const YAML::Node args = map["args"]) {
    if (!expectType(args, YAML::NodeType::Sequence, "a list of positional arguments")) return nullptr;
    for (const YAML::Node& item : args) {
      std::unique_ptr<ast::Expr> value = readValue(item, 0);
      ok = ok && value;
      call->arguments.push_back({"", Span{}, std::move(value)});
    }
  }
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (key.IsScalar() && (key.Scalar() == "op" || key.Scalar() == "args")) continue;
    std::optional<std::string> keyword = readName(key, "an argument");
    std::unique_ptr<ast::Expr> value = readValue(it->second, 0);
    ok = ok && keyword && value;
    if (keyword) call->arguments.push_back({*keyword, spanOf(key), std::move(value)});
  }
  return ok ? std::move(call) : nullptr;
}

// A plain scalar is a value in text syntax (`3`, `(1, 2)`, `planes * 4`, `true`), a quoted
// one a string, a list a list; `!expr "..."` forces text syntax on a quoted scalar.
std::unique_ptr<ast::Expr> YamlReader::readValue(const YAML::Node& node, int depth) {
  auto value = std::make_unique<ast::Expr>();
  value->span = spanOf(node);
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!") {
        value->kind = ast::Expr::Kind::String;
        value->text = node.Scalar();
        return value;
      }
      return parseExprText(sourceOf(node), diags_);
    case YAML::NodeType::Sequence:
      if (depth >= kMaxNesting) {
        diags_.report(diag::NestingTooDeep, value->span, "lists nest deeper than " + std::to_string(kMaxNesting) + " levels");
        return nullptr;
      }
      value->kind = ast::Expr::Kind::List;
      for (const YAML::Node& item : node) {
        std::unique_ptr<ast::Expr> converted = readValue(item, depth + 1);
        if (!converted) return nullptr;
        value->items.push_back(std::move(converted));
      }
      return value;
    case YAML::NodeType::Map:
      structure(node, "expected a value, found a mapping").help =
          "write calls and tuples in text syntax, e.g. 'kernel_size: (3, 3)'";
      return nullptr;
    default:
      value->kind = ast::Expr::Kind::None;
      return value;
  }
}

void YamlReader::readLinks(const YAML::Node& node, Sections& sections) {
  std::vector<YAML::Node> items;
  if (node.IsScalar()) {
    items.push_back(node);
  } else if (expectType(node, YAML::NodeType::Sequence, "a list of links such as 'a -> b'")) {
    for (const YAML::Node& item : node) items.push_back(item);
  }
  for (const YAML::Node& item : items) {
    if (!expectType(item, YAML::NodeType::Scalar, "a link such as 'a -> b'")) continue;
    if (std::optional<ast::LinkChain> chain = parseLinkText(sourceOf(item), diags_))
      sections.links.push_back(statement(std::move(*chain)));
  }
}

// `outputs: [fc]` or `outputs: {logits: fc}`; `fc: fc` is the same as listing `fc`.
void YamlReader::readOutputs(const YAML::Node& node, Sections& sections) {
  auto add = [&](const YAML::Node& source, const YAML::Node* key) {
    if (!expectType(source, YAML::NodeType::Scalar, "an endpoint such as 'fc' or 'lstm.h_n'")) return;
    std::optional<ast::Endpoint> endpoint = parseEndpointText(sourceOf(source), diags_);
    bool named = key && !(key->IsScalar() && key->Scalar() == source.Scalar());
    std::optional<std::string> name =
        named ? readName(*key, "an output") : endpoint ? std::optional(endpoint->block) : std::nullopt;
    if (!endpoint || !name) return;
    ast::OutputDecl output;
    output.source = std::move(*endpoint);
    output.name = *name;
    output.named = named;
    output.nameSpan = key ? spanOf(*key) : output.source.span;
    output.span = output.nameSpan.to(output.source.span);
    sections.outputs.push_back(statement(std::move(output)));
  };
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) add(item, nullptr);
    return;
  }
  if (!expectType(node, YAML::NodeType::Map, "a list of outputs or a mapping from names to endpoints"))
    return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // the iterator yields a temporary pair
    add(it->second, &key);
  }
}

}  // namespace

ast::Module parseYaml(FileId file, const SourceManager& sources, DiagnosticEngine& diags) {
  return YamlReader(file, sources, diags).read();
}

}  // namespace sketch
