// One registration function per op family; each lives in lib/ops/<family>.cpp.
#pragma once

namespace sketch {

class OpCatalogue;

void registerGraphOps(OpCatalogue& catalogue);  // Input, Identity, Constant, Parameter

}  // namespace sketch
