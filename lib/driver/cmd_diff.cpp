#include "core/file_system.h"
#include "core/value_json.h"
#include "driver/commands.h"
#include "driver/load_model.h"
#include "driver/summary.h"
#include "graph/graph_diff.h"
#include "graph/print_graph.h"

namespace sketch {

namespace {

using json = nlohmann::json;

struct Totals {
  Summary before, after;
};

std::string attrText(const Node& node, const std::string& name) {
  auto it = node.attrs.find(name);
  return it == node.attrs.end() ? "(unset)" : it->second.toString();
}

json attrJson(const Node& node, const std::string& name) {
  auto it = node.attrs.find(name);
  return it == node.attrs.end() ? json(nullptr) : valueToJson(it->second);
}

std::string withSign(int64_t n) { return (n > 0 ? "+" : "") + withThousands(n); }

void printTotal(const char* what, int64_t before, int64_t after, std::ostream& out) {
  out << "  " << what << ": " << withThousands(before);
  if (before != after) out << " → " << withThousands(after) << " (" << withSign(after - before) << ")";
  out << '\n';
}

/// MACs that depend on sizes not given are "?" (summary.h).
void printMacs(const Summary& before, const Summary& after, std::ostream& out) {
  if (before.macsDependOn.empty() && after.macsDependOn.empty())
    return printTotal("MACs", before.macs, after.macs, out);
  auto text = [](const Summary& s) { return s.macsDependOn.empty() ? withThousands(s.macs) : "?"; };
  out << "  MACs: " << text(before) << " → " << text(after) << '\n';
}

void printChange(const NodeChange& c, std::ostream& out) {
  out << "~ " << (c.renamed ? c.before->path + " → " : "") << c.after->path << ": "
      << (c.opChanged ? c.before->op->name() + " → " : "") << c.after->op->name() << '\n';
  for (const std::string& name : c.attrs)
    out << "    " << name << ": " << attrText(*c.before, name) << " → " << attrText(*c.after, name)
        << '\n';
  if (c.outputsChanged)
    out << "    output: " << outputTypes(*c.before) << " → " << outputTypes(*c.after) << '\n';
}

// Reads like a review: one line per block or link, `+` added, `-` removed, `~` changed.
void printDiff(const GraphDiff& diff, const Totals& totals, const DiffOptions& options,
               std::ostream& out) {
  out << "--- " << FileSystem::displayName(options.before) << '\n'
      << "+++ " << FileSystem::displayName(options.after) << '\n';
  if (!diff.added.empty() || !diff.removed.empty() || !diff.changed.empty()) out << "blocks:\n";
  for (const Node* n : diff.removed) out << "- " << n->path << " = " << describeNode(*n) << '\n';
  for (const Node* n : diff.added)
    out << "+ " << n->path << " = " << describeNode(*n) << "  " << outputTypes(*n) << '\n';
  for (const NodeChange& c : diff.changed) printChange(c, out);
  for (const NodeChange& c : diff.relabeled)
    out << "= " << c.before->path << " → " << c.after->path << ": " << c.after->op->name()
        << " (no parameters: only the label changed)\n";
  if (!diff.linksAdded.empty() || !diff.linksRemoved.empty()) out << "links:\n";
  for (const std::string& l : diff.linksRemoved) out << "- " << l << '\n';
  for (const std::string& l : diff.linksAdded) out << "+ " << l << '\n';
  out << "totals:\n";
  printTotal("params", totals.before.params, totals.after.params, out);
  printTotal("buffers", totals.before.buffers, totals.after.buffers, out);
  printMacs(totals.before, totals.after, out);
}

json nodeJson(const Node& n) {
  return {{"path", n.path}, {"op", n.op->name()}, {"description", describeNode(n)},
          {"outputs", outputTypes(n)}};
}

json changeJson(const NodeChange& c) {
  json attrs = json::array();
  for (const std::string& name : c.attrs)
    attrs.push_back({{"name", name}, {"before", attrJson(*c.before, name)},
                     {"after", attrJson(*c.after, name)}});
  return {{"path", c.after->path},
          {"renamed_from", c.renamed ? json(c.before->path) : json(nullptr)},
          {"op", {{"before", c.before->op->name()}, {"after", c.after->op->name()}}},
          {"attrs", attrs},
          {"outputs", {{"before", outputTypes(*c.before)}, {"after", outputTypes(*c.after)}}}};
}

json totalJson(int64_t before, int64_t after) {
  return {{"before", before}, {"after", after}, {"delta", after - before}};
}

json macsTotalJson(const Summary& before, const Summary& after) {
  if (before.macsDependOn.empty() && after.macsDependOn.empty())
    return totalJson(before.macs, after.macs);
  return {{"before", macsJson(before.macs, before.macsDependOn)},
          {"after", macsJson(after.macs, after.macsDependOn)},
          {"delta", nullptr}};
}

json diffJson(const GraphDiff& diff, const Totals& totals, const DiffOptions& options) {
  json j{{"version", 1},
         {"before", FileSystem::displayName(options.before)},
         {"after", FileSystem::displayName(options.after)},
         {"equal", diff.empty()}};
  j["added"] = json::array();
  for (const Node* n : diff.added) j["added"].push_back(nodeJson(*n));
  j["removed"] = json::array();
  for (const Node* n : diff.removed) j["removed"].push_back(nodeJson(*n));
  j["changed"] = json::array();
  for (const NodeChange& c : diff.changed) j["changed"].push_back(changeJson(c));
  j["relabeled"] = json::array();
  for (const NodeChange& c : diff.relabeled)
    j["relabeled"].push_back({{"before", c.before->path}, {"after", c.after->path}});
  j["links"] = {{"added", diff.linksAdded}, {"removed", diff.linksRemoved}};
  j["totals"] = {{"params", totalJson(totals.before.params, totals.after.params)},
                 {"buffers", totalJson(totals.before.buffers, totals.after.buffers)},
                 {"macs", macsTotalJson(totals.before, totals.after)}};
  return j;
}

}  // namespace

int runDiff(const DiffOptions& options, CommandIO& io) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  std::optional<Graph> before = loadGraph(options.before, *io.kernels, fs, sources, diags);
  std::optional<Graph> after = loadGraph(options.after, *io.kernels, fs, sources, diags);
  renderText(diags, io.err, useColor(io.color, 2));
  // Like diff(1): 1 means "different", so an input that cannot be read is 2, never 1.
  if (!before || !after || diags.hasErrors()) return kExitUsage;
  GraphDiff diff = diffGraphs(*before, *after);
  Totals totals{summarize(*before), summarize(*after)};
  if (options.format == OutputFormat::Json)
    writeJson(io.out, diffJson(diff, totals, options));
  else if (!diff.empty())
    printDiff(diff, totals, options, io.out);
  return diff.empty() ? kExitOk : kExitInvalid;
}

}  // namespace sketch
