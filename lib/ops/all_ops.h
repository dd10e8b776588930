// Explicit registration of every op family (static libraries drop unreferenced static
// constructors, so nothing registers itself). A new family adds one line in all_ops.cpp.
#pragma once

namespace sketch {

class OpCatalogue;

void registerAllOps(OpCatalogue& catalogue);

}  // namespace sketch
