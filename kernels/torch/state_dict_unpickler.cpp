#include "state_dict_unpickler.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

namespace sketch {

namespace {

// Objects are owned by the unpickler's arena and referred to by plain pointers: a hostile
// pickle can make a list contain itself (through the memo) or nest a million deep, and
// neither a reference cycle nor a recursive destructor may follow from that.
struct PyObject;
using Ref = PyObject*;

/// The few Python values a state_dict pickle builds.
struct PyObject {
  enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor, Mark };
  Kind kind = Kind::None;
  int64_t integer = 0;       // Int; Storage: its element count, -1 if not given
  double real = 0;
  std::string text;          // String, Global ("module.name"), Storage key
  std::vector<Ref> items;    // Tuple, List; Dict keys and values interleaved
  DType dtype = DType::Float32;  // Storage, Tensor
  PickledTensor tensor;
};

struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const std::map<std::string, DType>& storageTypes() {
  static const std::map<std::string, DType> types = {
      {"torch.FloatStorage", DType::Float32}, {"torch.DoubleStorage", DType::Float64},
      {"torch.HalfStorage", DType::Float16},  {"torch.BFloat16Storage", DType::BFloat16},
      {"torch.LongStorage", DType::Int64},    {"torch.IntStorage", DType::Int32},
      {"torch.ShortStorage", DType::Int16},   {"torch.CharStorage", DType::Int8},
      {"torch.ByteStorage", DType::UInt8},    {"torch.BoolStorage", DType::Bool}};
  return types;
}

bool isAllowedGlobal(const std::string& name) {
  return name == "collections.OrderedDict" || name == "torch._utils._rebuild_tensor_v2" ||
         name == "torch._utils._rebuild_parameter" ||
         name == "torch.jit._pickle.restore_type_tag" || storageTypes().count(name) != 0;
}

class Unpickler {
 public:
  explicit Unpickler(const std::string& bytes) : bytes_(bytes) {}

  Ref run() {
    for (;;) {
      uint8_t op = byte();
      if (op == '.') return pop();  // STOP
      step(op);
    }
  }

 private:
  void step(uint8_t op) {
    switch (op) {
      case 0x80: byte(); return;                                  // PROTO
      case 0x95: read(8); return;                                 // FRAME
      case '(': push(make(PyObject::Kind::Mark)); return;         // MARK
      case ')': push(make(PyObject::Kind::Tuple)); return;        // EMPTY_TUPLE
      case '}': push(make(PyObject::Kind::Dict)); return;         // EMPTY_DICT
      case ']': push(make(PyObject::Kind::List)); return;         // EMPTY_LIST
      case 'N': push(make(PyObject::Kind::None)); return;         // NONE
      case 0x88: case 0x89: pushBool(op == 0x88); return;         // NEWTRUE, NEWFALSE
      case 'K': pushInt(byte()); return;                          // BININT1
      case 'M': pushInt(littleEndian(2, false)); return;          // BININT2
      case 'J': pushInt(littleEndian(4, true)); return;           // BININT
      case 0x8a: pushInt(littleEndian(byte(), true)); return;     // LONG1
      case 'G': pushFloat(); return;                              // BINFLOAT
      case 'X': pushString(littleEndian(4, false)); return;       // BINUNICODE
      case 0x8c: pushString(byte()); return;                      // SHORT_BINUNICODE
      case 'q': memo_[byte()] = top(); return;                    // BINPUT
      case 'r': memo_[littleEndian(4, false)] = top(); return;    // LONG_BINPUT
      case 0x94: memo_[int64_t(memo_.size())] = top(); return;    // MEMOIZE
      case 'h': push(memo(byte())); return;                       // BINGET
      case 'j': push(memo(littleEndian(4, false))); return;       // LONG_BINGET
      case 't': tuple(popToMark()); return;                       // TUPLE
      case 0x85: case 0x86: case 0x87: tupleOf(op - 0x84); return;  // TUPLE1-3
      case 'c': global(); return;                                 // GLOBAL
      case 'R': reduce(); return;                                 // REDUCE
      case 'Q': persistentId(); return;                           // BINPERSID
      case 's': setItems(2); return;                              // SETITEM
      case 'u': setItems(0); return;                              // SETITEMS
      case 'a': case 'e': appends(op == 'a'); return;             // APPEND, APPENDS
      case 'b': pop(); expectKind(top(), PyObject::Kind::Dict, "BUILD"); return;  // BUILD
      default: break;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", op);
    throw Refused(std::string("pickle opcode ") + hex + " is not used by state_dicts");
  }

  uint8_t byte() {
    if (pos_ >= bytes_.size()) throw Refused("the pickle ends early");
    return static_cast<uint8_t>(bytes_[pos_++]);
  }
  std::string read(size_t n) {
    if (n > bytes_.size() - pos_) throw Refused("the pickle ends early");
    std::string out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  int64_t littleEndian(size_t n, bool isSigned) {
    std::string b = read(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 8; ++i) v |= uint64_t(uint8_t(b[i])) << (8 * i);
    if (isSigned && n > 0 && n < 8 && (uint8_t(b[n - 1]) & 0x80)) v |= ~uint64_t(0) << (8 * n);
    return int64_t(v);
  }

  void push(Ref o) { stack_.push_back(std::move(o)); }
  Ref top() {
    if (stack_.empty()) throw Refused("malformed pickle: empty stack");
    return stack_.back();
  }
  Ref pop() {
    Ref o = top();
    stack_.pop_back();
    return o;
  }
  Ref memo(int64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) throw Refused("malformed pickle: unknown memo entry");
    return it->second;
  }
  std::vector<Ref> popToMark() {
    std::vector<Ref> items;
    for (Ref o = pop(); o->kind != PyObject::Kind::Mark; o = pop()) items.push_back(o);
    std::reverse(items.begin(), items.end());
    return items;
  }
  Ref make(PyObject::Kind kind) {
    objects_.push_back(std::make_unique<PyObject>());
    objects_.back()->kind = kind;
    return objects_.back().get();
  }
  void pushBool(bool b) { auto o = make(PyObject::Kind::Bool); o->integer = b; push(o); }
  void pushInt(int64_t v) { auto o = make(PyObject::Kind::Int); o->integer = v; push(o); }
  void pushString(int64_t n) { auto o = make(PyObject::Kind::String); o->text = read(size_t(n)); push(o); }
  void pushFloat() {
    std::string b = read(8);  // big-endian IEEE double
    uint64_t bits = 0;
    for (char c : b) bits = (bits << 8) | uint8_t(c);
    auto o = make(PyObject::Kind::Float);
    std::memcpy(&o->real, &bits, 8);
    push(o);
  }
  void tuple(std::vector<Ref> items) { auto o = make(PyObject::Kind::Tuple); o->items = std::move(items); push(o); }
  void tupleOf(int n) {
    std::vector<Ref> items(n);
    for (int i = n - 1; i >= 0; --i) items[i] = pop();
    tuple(std::move(items));
  }
  static void expectKind(const Ref& o, PyObject::Kind kind, const char* what) {
    if (o->kind != kind) throw Refused(std::string("malformed state_dict pickle at ") + what);
  }

  std::string line() {
    size_t end = bytes_.find('\n', pos_);
    if (end == std::string::npos) throw Refused("the pickle ends early");
    std::string out = bytes_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

  void global() {
    std::string module = line(), name = line();
    std::string full = module + "." + name;
    if (!isAllowedGlobal(full))
      throw Refused("the pickle refers to '" + full + "', which a state_dict never does");
    auto o = make(PyObject::Kind::Global);
    o->text = full;
    push(o);
  }

  void reduce() {
    Ref args = pop(), callable = pop();
    expectKind(args, PyObject::Kind::Tuple, "REDUCE");
    expectKind(callable, PyObject::Kind::Global, "REDUCE");
    if (callable->text == "collections.OrderedDict") return push(make(PyObject::Kind::Dict));
    // _rebuild_parameter(data, ...) and restore_type_tag(value, type) (LibTorch's
    // pickle_save tags a typed Dict) both stand for their first argument.
    if (callable->text == "torch._utils._rebuild_parameter" ||
        callable->text == "torch.jit._pickle.restore_type_tag") {
      if (args->items.empty()) throw Refused("malformed '" + callable->text + "' in the pickle");
      return push(args->items[0]);
    }
    if (callable->text == "torch._utils._rebuild_tensor_v2") return push(rebuildTensor(args->items));
    throw Refused("the pickle calls '" + callable->text + "', which a state_dict never does");
  }

  std::vector<int64_t> ints(const Ref& tuple) {
    expectKind(tuple, PyObject::Kind::Tuple, "a tensor's size");
    std::vector<int64_t> out;
    for (const Ref& item : tuple->items) {
      expectKind(item, PyObject::Kind::Int, "a tensor's size");
      out.push_back(item->integer);
    }
    return out;
  }

  /// _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks, ...)
  Ref rebuildTensor(const std::vector<Ref>& args) {
    if (args.size() < 4) throw Refused("malformed tensor in the pickle");
    expectKind(args[0], PyObject::Kind::Storage, "a tensor's storage");
    expectKind(args[1], PyObject::Kind::Int, "a tensor's offset");
    auto o = make(PyObject::Kind::Tensor);
    o->tensor.storageKey = args[0]->text;
    o->tensor.dtype = args[0]->dtype;
    o->tensor.storageOffset = args[1]->integer;
    o->tensor.storageElements = args[0]->integer;
    o->tensor.shape = ints(args[2]);
    o->tensor.stride = ints(args[3]);
    if (o->tensor.shape.size() != o->tensor.stride.size()) throw Refused("malformed tensor in the pickle");
    return o;
  }

  /// ('storage', torch.FloatStorage, key, location, numel)
  void persistentId() {
    Ref pid = pop();
    if (pid->kind != PyObject::Kind::Tuple || pid->items.size() < 3 ||
        pid->items[0]->text != "storage" || pid->items[1]->kind != PyObject::Kind::Global ||
        pid->items[2]->kind != PyObject::Kind::String)
      throw Refused("the pickle has a persistent reference that is not a tensor storage");
    auto o = make(PyObject::Kind::Storage);
    auto storageType = storageTypes().find(pid->items[1]->text);
    if (storageType == storageTypes().end())
      throw Refused("the pickle has a storage of type '" + pid->items[1]->text + "'");
    o->dtype = storageType->second;
    o->text = pid->items[2]->text;
    o->integer = -1;
    if (pid->items.size() >= 5 && pid->items[4]->kind == PyObject::Kind::Int)
      o->integer = pid->items[4]->integer;
    push(o);
  }

  /// SETITEM (`pairs` = 2) or SETITEMS (everything above the mark).
  void setItems(size_t pairs) {
    std::vector<Ref> items;
    if (pairs == 0) {
      items = popToMark();
    } else {
      Ref value = pop(), key = pop();
      items = {key, value};
    }
    Ref dict = top();
    expectKind(dict, PyObject::Kind::Dict, "SETITEMS");
    if (items.size() % 2) throw Refused("malformed dict in the pickle");
    dict->items.insert(dict->items.end(), items.begin(), items.end());
  }

  void appends(bool single) {
    std::vector<Ref> items = single ? std::vector<Ref>{pop()} : popToMark();
    Ref list = top();
    expectKind(list, PyObject::Kind::List, "APPENDS");
    list->items.insert(list->items.end(), items.begin(), items.end());
  }

  const std::string& bytes_;
  size_t pos_ = 0;
  std::vector<Ref> stack_;
  std::map<int64_t, Ref> memo_;
  std::vector<std::unique_ptr<PyObject>> objects_;
};

}  // namespace

UnpickleResult unpickleStateDict(const std::string& bytes) {
  UnpickleResult result;
  try {
    Unpickler unpickler(bytes);
    Ref root = unpickler.run();
    if (root->kind != PyObject::Kind::Dict) throw Refused("the pickle holds no dict of tensors");
    for (size_t i = 0; i + 1 < root->items.size(); i += 2) {
      const Ref& key = root->items[i];
      const Ref& value = root->items[i + 1];
      if (key->kind != PyObject::Kind::String) throw Refused("a state_dict key is not a string");
      if (value->kind != PyObject::Kind::Tensor)
        throw Refused("entry '" + key->text + "' is not a tensor (a checkpoint rather than a "
                      "state_dict?)");
      result.tensors.push_back(value->tensor);
      result.tensors.back().name = key->text;
    }
  } catch (const Refused& e) {
    result.error = e.what();
    result.tensors.clear();
  }
  return result;
}

}  // namespace sketch
