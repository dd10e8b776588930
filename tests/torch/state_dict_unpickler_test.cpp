#include "state_dict_unpickler.h"

#include <doctest/doctest.h>

using namespace sketch;

namespace {

/// A string literal's bytes, NULs included.
template <size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

// torch.save(OrderedDict(w=torch.arange(6.).reshape(2, 3).t())): a transposed view.
const std::string kStateDict = bytes(
    "\x80\x02" "ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00wq\x02"
    "ctorch._utils\n_rebuild_tensor_v2\nq\x03((X\x07\x00\x00\x00storageq\x04"
    "ctorch\nFloatStorage\nq\x05X\x01\x00\x00\x00" "0q\x06X\x03\x00\x00\x00" "cpuq\x07K\x06tq\x08"
    "QK\x00K\x03K\x02\x86q\tK\x01K\x03\x86q\n\x89h\x00)Rq\x0btq\x0cRq\rs.");

// LibTorch's pickle_save of a c10::Dict (`sketchc compile --state-dict` of Linear(2, 3)):
// the dict goes through restore_type_tag(dict, "Dict[str, Tensor]").
const std::string kTypedDict = bytes(
    "\x80\x02" "ctorch.jit._pickle\nrestore_type_tag\nq\x00}(X\t\x00\x00\x00" "fc.weightq\x01"
    "ctorch._utils\n_rebuild_tensor_v2\nq\x02((X\x07\x00\x00\x00storageq\x03"
    "ctorch\nFloatStorage\nq\x04X\x01\x00\x00\x00" "0q\x05X\x03\x00\x00\x00" "cpuq\x06K\x06tQq\x07"
    "K\x00(K\x03K\x02t(K\x02K\x01t\x89" "ccollections\nOrderedDict\nq\x08)RtRq\t"
    "X\x07\x00\x00\x00" "fc.biasq\nh\x02((h\x03h\x04X\x01\x00\x00\x00" "1q\x0bh\x06K\x03tQq\x0c"
    "K\x00(K\x03t(K\x01t\x89h\x08)RtRq\ruX\x11\x00\x00\x00" "Dict[str, Tensor]q\x0e\x86Rq\x0f.");

}  // namespace

TEST_CASE("state_dict unpickler: the typed Dict that LibTorch's pickle_save writes") {
  UnpickleResult r = unpickleStateDict(kTypedDict);
  CHECK(r.error == "");
  REQUIRE(r.tensors.size() == 2);
  CHECK(r.tensors[0].name == "fc.weight");
  CHECK(r.tensors[0].shape == std::vector<int64_t>{3, 2});
  CHECK(r.tensors[1].name == "fc.bias");
  CHECK(r.tensors[1].storageKey == "1");
}

TEST_CASE("state_dict unpickler: a tensor view as torch.save writes it") {
  UnpickleResult r = unpickleStateDict(kStateDict);
  CHECK(r.error == "");
  REQUIRE(r.tensors.size() == 1);
  const PickledTensor& t = r.tensors[0];
  CHECK(t.name == "w");
  CHECK(t.storageKey == "0");
  CHECK(t.dtype == DType::Float32);
  CHECK(t.storageOffset == 0);
  CHECK(t.shape == std::vector<int64_t>{3, 2});
  CHECK(t.stride == std::vector<int64_t>{1, 3});
}

TEST_CASE("state_dict unpickler: refuses what a state_dict never holds") {
  struct Case {
    std::string pickle;
    const char* error;
  };
  const Case cases[] = {
      {bytes("\x80\x02" "cposix\nsystem\nX\x02\x00\x00\x00lstR."),
       "the pickle refers to 'posix.system', which a state_dict never does"},
      {bytes("\x80\x02" "cbuiltins\neval\n"),
       "the pickle refers to 'builtins.eval', which a state_dict never does"},
      {bytes("\x80\x02(i__main__\nX\n"), "pickle opcode 0x69 is not used by state_dicts"},
      {bytes("\x80\x02}X\x01\x00\x00\x00kK\x01s."),
       "entry 'k' is not a tensor (a checkpoint rather than a state_dict?)"},
      {bytes("\x80\x02]"), "the pickle ends early"},
      {bytes("\x80\x02K\x01."), "the pickle holds no dict of tensors"},
      {bytes("\x80\x02X\xff\xff\xff\x7f"), "the pickle ends early"},
      // A persistent id naming a storage type that is an allowed global but no storage.
      {bytes("\x80\x02(X\x07\x00\x00\x00storageccollections\nOrderedDict\nX\x01\x00\x00\x00"
             "0tQ."),
       "the pickle has a storage of type 'collections.OrderedDict'"},
      // A list appended to itself through the memo: a cycle, refused without a leak.
      {bytes("\x80\x02]q\x00h\x00" "a."), "the pickle holds no dict of tensors"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    UnpickleResult r = unpickleStateDict(c.pickle);
    CHECK(r.error == c.error);
    CHECK(r.tensors.empty());
  }
}

TEST_CASE("state_dict unpickler: deep nesting and long marks stay cheap") {
  // A million nested lists: destroying them must not recurse, and a mark over a million
  // items must not take quadratic time.
  std::string nested = "\x80\x02" + std::string(1000000, ']') + std::string(999999, 'a') + ".";
  CHECK(unpickleStateDict(nested).error == "the pickle holds no dict of tensors");
  std::string wide = "\x80\x02}(" + std::string(999999, 'N') + "u.";
  CHECK(unpickleStateDict(wide).error == "malformed dict in the pickle");
}
