#include "weights/bind_weights.h"

#include <new>
#include <set>

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

// The file's tensor for `request`, converted to the parameter's dtype; nothing (after an
// error) when its shape or dtype does not fit.
std::optional<Tensor> bindTensor(const ParamRequest& request, const Tensor& found,
                                 const std::string& file, DiagnosticEngine& diags) {
  const std::string tensor = "tensor " + inQuotes(request.name) + " in " + inQuotes(file);
  if (found.shape() != request.spec.shape) {
    reportAt(diags, diag::WeightShape, request.span, file,
             tensor + " has shape " + found.shapeString() + ", but the parameter has shape " +
                 shapeString(request.spec.shape));
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
                        const std::string& weightsFile, uint64_t seed,
                        DiagnosticEngine& diags) {
  WeightStore out;
  if (loaded) out.metadata() = loaded->metadata();
  std::vector<std::string> missing;
  std::set<std::string> used;
  for (const ParamRequest& request : params) {
    if (out.contains(request.name)) continue;
    const Tensor* found = loaded ? loaded->find(request.name) : nullptr;
    if (found) {
      used.insert(request.name);
      if (std::optional<Tensor> bound = bindTensor(request, *found, weightsFile, diags)) {
        out.insert(request.name, std::move(*bound));
        continue;
      }
    } else if (loaded) {
      missing.push_back(request.name);
    }
    // A tensor that did not fit is replaced too, so that the store stays complete.
    std::string error;
    std::optional<Tensor> initial = initializeParam(request.name, request.spec, seed, &error);
    if (!initial) {
      diag::Kind kind = canInitialize(request.spec) ? diag::WeightShape : diag::WeightDType;
      reportAt(diags, kind, request.span, weightsFile, error);
      continue;
    }
    out.insert(request.name, std::move(*initial));
  }
  if (!missing.empty())
    diags.reportFile(diag::WeightMissing, weightsFile,
                     counted(missing.size(), "parameter is", "parameters are") +
                         " missing from " + inQuotes(weightsFile) + " and " +
                         (missing.size() == 1 ? "was" : "were") +
                         " initialised: " + listNames(missing));
  std::vector<std::string> unused;
  if (loaded)
    for (const WeightStore::Entry& e : *loaded)
      if (!used.count(e.first)) unused.push_back(e.first);
  if (!unused.empty()) reportUnused(unused, missing, weightsFile, diags);
  return out;
}

}  // namespace sketch
