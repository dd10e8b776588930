#include "weights/bind_weights.h"

#include <new>
#include <set>

#include <spdlog/spdlog.h>

#include "core/mapped_file.h"
#include "core/spelling.h"
#include "weights/convert.h"
#include "weights/initialize.h"
#include "weights/safetensors.h"

namespace sketch {

namespace {

constexpr size_t kListedNames = 5;  // names spelled out in a grouped warning

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// "'a', 'b', 'c'" or "'a', ..., 'e' and 7 more".
std::string listNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kListedNames; ++i)
    out += (i > 0 ? ", " : "") + inQuotes(names[i]);
  if (names.size() > kListedNames)
    out += " and " + std::to_string(names.size() - kListedNames) + " more";
  return out;
}

std::string counted(size_t count, const char* singular, const char* plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

// At the block when there is one, else against the weights file (if any).
Diagnostic& reportAt(DiagnosticEngine& diags, diag::Kind kind, Span span,
                     const std::string& file, std::string message) {
  if (span.isValid() || file.empty()) return diags.report(kind, span, std::move(message));
  return diags.reportFile(kind, file, std::move(message));
}

// A grouped warning for parameters that were initialised (each is in the log at -v).
void reportInitialised(diag::Kind kind, const std::string& file, const std::string& what,
                       const std::vector<std::string>& names, DiagnosticEngine& diags,
                       std::string help = "") {
  if (names.empty()) return;
  diags.reportFile(kind, file, what + ": " + listNames(names)).help = std::move(help);
}

// A shape mismatch is reported at the block instance written in the sketch (an edited
// width shows there), with the definition's line as a note.
void reportShapeMismatch(const ParamRequest& request, const std::string& message,
                         const std::string& file, DiagnosticEngine& diags) {
  Span where = request.instance.isValid() ? request.instance : request.span;
  Diagnostic& d = reportAt(diags, diag::WeightShape, where, file, message);
  if (request.instance.isValid()) addNote(d, request.span, "the parameter belongs to this block");
  d.help = "to keep the tensors that fit and initialise the others, compile with "
           "--reinit-mismatched";
}

// The file's tensor for `request`, converted to the parameter's dtype; nothing when its
// shape or dtype does not fit (reported, or left to the caller when `reportShape` is false).
std::optional<Tensor> bindTensor(const ParamRequest& request, const Tensor& found,
                                 const std::string& file, bool reportShape,
                                 DiagnosticEngine& diags) {
  const std::string tensor = "tensor " + inQuotes(request.name) + " in " + inQuotes(file);
  if (found.shape() != request.spec.shape) {
    if (reportShape)
      reportShapeMismatch(request,
                          tensor + " has shape " + found.shapeString() +
                              ", but the parameter has shape " + shapeString(request.spec.shape),
                          file, diags);
    return std::nullopt;
  }
  DType want = request.spec.dtype;
  if (!isConvertible(found.dtype(), want)) {
    reportAt(diags, diag::WeightDType, request.span, file,
             tensor + " is " + dtypeName(found.dtype()) + ", but the parameter is " +
                 dtypeName(want))
        .help = "floating-point tensors convert to float32 and float64, and integer tensors "
                "to int64; other dtypes must match";
    return std::nullopt;
  }
  try {
    return convertTensor(found, want);
  } catch (const std::bad_alloc&) {
    reportAt(diags, diag::WeightDType, request.span, file,
             "not enough memory to convert " + tensor + " to " + dtypeName(want));
    return std::nullopt;
  }
}

void reportUnused(const std::vector<std::string>& unused,
                  const std::vector<std::string>& missing, const std::string& file,
                  DiagnosticEngine& diags) {
  Diagnostic& d = diags.reportFile(
      diag::WeightUnused, file,
      counted(unused.size(), "tensor", "tensors") + " in " + inQuotes(file) +
          (unused.size() == 1 ? " matches" : " match") + " no parameter: " + listNames(unused));
  std::string help;
  for (size_t i = 0; i < unused.size() && i < kListedNames; ++i) {
    std::string match = closestMatch(unused[i], missing);
    if (!match.empty())
      help += (help.empty() ? "did you mean " : "; ") + inQuotes(match) + " for " +
              inQuotes(unused[i]) + "?";
  }
  d.help = help;
}

}  // namespace

std::optional<WeightStore> loadWeights(const std::string& path, DiagnosticEngine& diags,
                                       Span statement) {
  std::string error;
  int errorNumber = 0;
  std::shared_ptr<const MappedFile> file = MappedFile::open(path, &error, &errorNumber);
  if (!file) {
    reportAt(diags, diag::openFailure(errorNumber), statement, path, error);
    return std::nullopt;
  }
  file->readAhead();
  std::optional<WeightStore> store =
      parseSafetensors(file->data(), file->size(), path, file, &error);
  if (!store) reportAt(diags, diag::WeightsFormat, statement, path, error);
  return store;
}

WeightStore bindWeights(const std::vector<ParamRequest>& params, const WeightStore* loaded,
                        const std::string& weightsFile, uint64_t seed, DiagnosticEngine& diags,
                        OnShapeMismatch onMismatch) {
  WeightStore out;
  if (loaded) out.metadata() = loaded->metadata();
  const bool reinitialise = onMismatch == OnShapeMismatch::Reinitialise;
  std::vector<std::string> missing, reinitialised;
  std::set<std::string> used;
  for (const ParamRequest& request : params) {
    if (out.contains(request.name)) continue;
    const Tensor* found = loaded ? loaded->find(request.name) : nullptr;
    // The list the parameter joins once initialised; none for a tensor that did not fit
    // (an error), replaced only so that the store stays complete.
    std::vector<std::string>* initialisedFor = &missing;
    if (found) {
      used.insert(request.name);
      if (std::optional<Tensor> bound =
              bindTensor(request, *found, weightsFile, !reinitialise, diags)) {
        out.insert(request.name, std::move(*bound));
        continue;
      }
      bool reshaped = reinitialise && found->shape() != request.spec.shape;
      initialisedFor = reshaped ? &reinitialised : nullptr;
      if (reshaped)
        spdlog::info("{} is {} in '{}', {} in the sketch", request.name, found->shapeString(),
                     weightsFile, shapeString(request.spec.shape));
    }
    std::string error;
    std::optional<Tensor> initial = initializeParam(request.name, request.spec, seed, &error);
    if (!initial) {
      diag::Kind kind = canInitialize(request.spec) ? diag::WeightShape : diag::WeightDType;
      reportAt(diags, kind, request.span, weightsFile, error);
      continue;
    }
    spdlog::info("initialised {} {}", request.name, shapeString(request.spec.shape));
    if (initialisedFor) initialisedFor->push_back(request.name);
    out.insert(request.name, std::move(*initial));
  }
  if (!loaded)
    reportInitialised(diag::WeightsInitialised, weightsFile,
                      "no weights were given, so " +
                          counted(missing.size(), "parameter was", "parameters were") +
                          " initialised",
                      missing, diags,
                      "bind trained values with --weights or a 'weights' statement; -v lists "
                      "every parameter initialised");
  else
    reportInitialised(diag::WeightMissing, weightsFile,
                      counted(missing.size(), "parameter is", "parameters are") +
                          " missing from " + inQuotes(weightsFile) + " and " +
                          (missing.size() == 1 ? "was" : "were") + " initialised",
                      missing, diags);
  reportInitialised(diag::WeightReinitialised, weightsFile,
                    counted(reinitialised.size(), "parameter no longer fits its tensor",
                            "parameters no longer fit their tensors") +
                        " in " + inQuotes(weightsFile) + " and " +
                        (reinitialised.size() == 1 ? "was" : "were") + " initialised",
                    reinitialised, diags);
  std::vector<std::string> unused;
  if (loaded)
    for (const WeightStore::Entry& e : *loaded)
      if (!used.count(e.first)) unused.push_back(e.first);
  if (!unused.empty()) reportUnused(unused, missing, weightsFile, diags);
  return out;
}

}  // namespace sketch
