// Dim arithmetic: simplification only by rules that hold for every integer, and text with
// Python's precedence (tests/ops/check_symbolic_shapes.py evaluates that text against
// concrete inference at many sizes).
#include <doctest/doctest.h>

#include "core/shape.h"

namespace sketch {
namespace {

Dim H() { return Dim::symbol("H"); }

TEST_CASE("Dim: linear forms of one symbol simplify exactly") {
  CHECK((H() - 2).toString() == "H-2");
  CHECK((H() * 4 + 3).floorDiv(2).toString() == "2*H+1");  // 2 divides the scale
  CHECK((H() + 3).ceilDiv(2).toString() == "(H+4)//2");
  CHECK((H() * 2 + H() * -2).toString() == "0");
  CHECK((H() * 2 + H() * -2).isKnown());
  CHECK(H().floorDiv(1) == H());
}

TEST_CASE("Dim: a product into a floor division keeps the division's parentheses") {
  Dim pooled = (H() - 4).floorDiv(2);  // opaque: (H-4)//2
  CHECK(pooled.toString() == "(H-4)//2");
  CHECK((pooled * 32).toString() == "32*((H-4)//2)");
  CHECK((pooled * -1).toString() == "-((H-4)//2)");
  CHECK(((pooled - 3).floorDiv(2) * 32 + 32).toString() == "32*(((H-4)//2-3)//2)+32");
  CHECK(pooled.floorDiv(2).toString() == "(H-4)//2//2");  // groups left to right
  CHECK((Dim::symbol("C") * H() * Dim::symbol("W")).toString() == "C*H*W");
  CHECK((Dim::symbol("C") * pooled).toString() == "C*((H-4)//2)");
  Dim sum = H() + Dim::symbol("W");  // opaque: H+W
  CHECK((sum * 2).toString() == "2*(H+W)");
  CHECK(sum.floorDiv(2).toString() == "(H+W)//2");
  CHECK((sum * Dim::symbol("C")).toString() == "(H+W)*C");
  CHECK(((H() - 1) * (H() + 1)).toString() == "(H-1)*(H+1)");
}

TEST_CASE("Dim: equal constructions compare equal, invalid ones compare unequal to all") {
  CHECK((H() - 4).floorDiv(2) == (H() - 4).floorDiv(2));
  CHECK((H() - 4).floorDiv(2) != (H() - 2).floorDiv(2));
  CHECK(Dim::invalid() != Dim::invalid());
  CHECK((Dim::known(INT64_MAX) + 1).isValid() == false);
}

}  // namespace
}  // namespace sketch
