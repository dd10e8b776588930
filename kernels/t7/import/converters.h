// The importer's converters for the op table's rows (../t7_ops.cpp), one small function
// per class family in the family's file. A converter reads one nn module through
// ImportContext and emits catalogue nodes; `row` names the catalogue op it reads into.
#pragma once

#include "import_context.h"
#include "t7_ops.h"

namespace sketch::t7 {

// layers.cpp
/// The row's op on the module's single input, its attributes from the row's fields.
std::optional<Flow> importMapped(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row);
std::optional<Flow> importConvolution(ImportContext& ctx, const Object& m,
                                      const std::string& path, const Flow& input,
                                      const T7Op& row);
std::optional<Flow> importFullConvolution(ImportContext& ctx, const Object& m,
                                          const std::string& path, const Flow& input,
                                          const T7Op& row);
std::optional<Flow> importLinear(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row);
std::optional<Flow> importBatchNorm(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input, const T7Op& row);
std::optional<Flow> importReLU(ImportContext& ctx, const Object& m, const std::string& path,
                               const Flow& input, const T7Op& row);
std::optional<Flow> importPReLU(ImportContext& ctx, const Object& m, const std::string& path,
                                const Flow& input, const T7Op& row);
/// SoftMax and LogSoftMax, over the dim their input's rank implies.
std::optional<Flow> importSoftMax(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row);
std::optional<Flow> importMaxPooling(ImportContext& ctx, const Object& m, const std::string& path,
                                     const Flow& input, const T7Op& row);
std::optional<Flow> importAveragePooling(ImportContext& ctx, const Object& m,
                                         const std::string& path, const Flow& input,
                                         const T7Op& row);
/// SpatialAdaptive{Average,Max}Pooling(W, H).
std::optional<Flow> importAdaptivePooling(ImportContext& ctx, const Object& m,
                                          const std::string& path, const Flow& input,
                                          const T7Op& row);
std::optional<Flow> importDropout(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row);
/// View as Flatten or Reshape.
std::optional<Flow> importView(ImportContext& ctx, const Object& m, const std::string& path,
                               const Flow& input, const T7Op& row);
std::optional<Flow> importReshape(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row);
std::optional<Flow> importZeroPadding(ImportContext& ctx, const Object& m, const std::string& path,
                                      const Flow& input, const T7Op& row);
std::optional<Flow> importNarrow(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row);
std::optional<Flow> importLookupTable(ImportContext& ctx, const Object& m,
                                      const std::string& path, const Flow& input,
                                      const T7Op& row);

// containers.cpp
std::optional<Flow> importJoinTable(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input, const T7Op& row);
/// CAddTable / CMulTable: a chain of the row's binary op over the table's tensors.
std::optional<Flow> importTableReduction(ImportContext& ctx, const Object& m,
                                         const std::string& path, const Flow& input,
                                         const T7Op& row);

// recurrent.cpp
std::optional<Flow> importSeqLSTM(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row);
std::optional<Flow> importSeqGRU(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row);

}  // namespace sketch::t7
