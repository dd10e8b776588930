#include "ops/all_ops.h"

#include "ops/catalogue.h"
#include "ops/families.h"

namespace sketch {

void registerAllOps(OpCatalogue& catalogue) {
  registerGraphOps(catalogue);
  registerConvOps(catalogue);
  registerLinearOps(catalogue);
  registerNormOps(catalogue);
  registerActivationOps(catalogue);
  registerPoolOps(catalogue);
  registerRegularizationOps(catalogue);
  registerReshapeLayerOps(catalogue);
  registerEmbeddingOps(catalogue);
  registerElementwiseOps(catalogue);
  registerTensorOps(catalogue);
  registerConstantOps(catalogue);
  registerRecurrentOps(catalogue);
  registerAttentionOps(catalogue);
  registerLossOps(catalogue);
  registerOpaqueOps(catalogue);
}

}  // namespace sketch
