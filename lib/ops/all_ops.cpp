#include "ops/all_ops.h"

#include "ops/catalogue.h"
#include "ops/families.h"

namespace sketch {

void registerAllOps(OpCatalogue& catalogue) {
  registerGraphOps(catalogue);
}

}  // namespace sketch
