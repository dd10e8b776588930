#include "t7_reader.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "core/mapped_file.h"

namespace sketch::t7 {

namespace {

/// Thrown inside the reader only; readT7 turns it into its error string.
struct ReadFailure {
  std::string message;
};

/// The primitive encodings of torch.DiskFile, binary or ascii (t7-format.md §1).
class Stream {
 public:
  Stream(const uint8_t* data, size_t size, bool ascii, std::shared_ptr<const void> owner)
      : data_(data), size_(size), ascii_(ascii), owner_(std::move(owner)) {}

  bool ascii() const { return ascii_; }
  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }

  [[noreturn]] void fail(const std::string& what, size_t at) const {
    throw ReadFailure{what + " at byte " + std::to_string(at)};
  }

  int32_t readInt() {
    if (ascii_) return static_cast<int32_t>(checkedInt(readAsciiInt(), INT32_MIN, INT32_MAX));
    return readBinary<int32_t>();
  }
  int64_t readLong() { return ascii_ ? readAsciiInt() : readBinary<int64_t>(); }
  double readDouble() { return ascii_ ? readAsciiDouble() : readBinary<double>(); }

  std::string readChars(int64_t n) {
    size_t at = pos_;
    if (n < 0 || static_cast<uint64_t>(n) > remaining())
      fail("string of " + std::to_string(n) + " bytes runs past the end of the file", at);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    if (ascii_) skipNewline();
    return s;
  }

  std::vector<int64_t> readLongs(int64_t n) {
    std::vector<int64_t> values(static_cast<size_t>(n));
    for (int64_t& v : values) v = ascii_ ? readAsciiInt() : readBinary<int64_t>();
    return values;
  }

  /// `n` elements of `dtype`: in the binary format a view of the input when it has an
  /// owner, else a copy.
  Tensor readElements(DType dtype, int64_t n) {
    size_t element = dtypeSize(dtype);
    size_t bytes = static_cast<size_t>(n) * element;
    if (!ascii_ && owner_) {
      pos_ += bytes;
      return Tensor::view(dtype, {n}, data_ + pos_ - bytes, bytes, owner_);
    }
    Tensor elements = *Tensor::zeros(dtype, {n});
    if (!ascii_) {
      std::memcpy(elements.mutableData(), data_ + pos_, bytes);
      pos_ += bytes;
    } else if (dtype == DType::UInt8 || dtype == DType::Int8) {
      std::string chars = readChars(n);
      std::memcpy(elements.mutableData(), chars.data(), bytes);
    } else {
      for (int64_t i = 0; i < n; ++i) storeElement(dtype, elements.mutableData() + i * element);
    }
    return elements;
  }

 private:
  template <typename T>
  T readBinary() {
    if (remaining() < sizeof(T)) fail("file ends inside a value", pos_);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  /// One whitespace-separated ascii token (fscanf skips leading whitespace).
  std::string token() {
    while (pos_ < size_ && std::strchr(" \t\r\n", data_[pos_]) && data_[pos_] != 0) ++pos_;
    size_t start = pos_;
    while (pos_ < size_ && !std::strchr(" \t\r\n", data_[pos_]) && data_[pos_] != 0 &&
           pos_ - start < 64)
      ++pos_;
    if (start == pos_) fail("file ends where a number was expected", start);
    return std::string(reinterpret_cast<const char*>(data_ + start), pos_ - start);
  }

  void skipNewline() {
    if (pos_ < size_ && data_[pos_] == '\n') ++pos_;
  }

  int64_t readAsciiInt() {
    size_t at = pos_;
    std::string t = token();
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(t.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) fail("'" + t + "' is not an integer", at);
    skipNewline();
    return v;
  }

  double readAsciiDouble() {
    size_t at = pos_;
    std::string t = token();
    char* end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (*end != '\0') fail("'" + t + "' is not a number", at);
    skipNewline();
    return v;
  }

  int64_t checkedInt(int64_t v, int64_t lo, int64_t hi) {
    if (v < lo || v > hi) fail("integer " + std::to_string(v) + " out of range", pos_);
    return v;
  }

  void storeElement(DType dtype, uint8_t* out) {
    auto store = [out](auto v) { std::memcpy(out, &v, sizeof(v)); };
    switch (dtype) {
      case DType::Float32:
        return store(static_cast<float>(readAsciiDouble()));
      case DType::Float64:
        return store(readAsciiDouble());
      case DType::Int64:
        return store(static_cast<int64_t>(readAsciiInt()));
      case DType::Int32:
        return store(static_cast<int32_t>(readAsciiInt()));
      case DType::Int16:
        return store(static_cast<int16_t>(readAsciiInt()));
      default:
        fail("storage type not readable in ascii files", pos_);
    }
  }

  const uint8_t* data_;
  size_t size_;
  bool ascii_;
  size_t pos_ = 0;
  std::shared_ptr<const void> owner_;
};

class Reader {
 public:
  Reader(Stream& stream, const ReadOptions& options, Document& doc)
      : in_(stream), options_(options), doc_(doc) {}

  Object* readObject(int depth) {
    size_t at = in_.position();
    if (depth > options_.maxDepth)
      in_.fail("objects nested deeper than " + std::to_string(options_.maxDepth), at);
    int32_t tag = in_.readInt();
    switch (static_cast<Tag>(tag)) {
      case Tag::Nil:
        return doc_.nil();
      case Tag::Number:
        return doc_.number(in_.readDouble());
      case Tag::String:
        return doc_.string(readString());
      case Tag::Boolean:
        return doc_.boolean(in_.readInt() == 1);
      case Tag::Table:
        return readTable(depth);
      case Tag::Torch:
        return readTorch(depth, at);
      case Tag::Function:
      case Tag::LegacyRecurFunction:
      case Tag::RecurFunction:
        in_.fail("Lua function object (type " + std::to_string(tag) +
                     ") cannot be read: its bytecode is specific to one Lua VM",
                 at);
    }
    in_.fail("unknown object type " + std::to_string(tag), at);
  }

 private:
  std::string readString() { return in_.readChars(in_.readInt()); }

  /// Checks a count against the bytes left, given the fewest bytes one item takes.
  void checkCount(int64_t n, size_t minBinary, size_t minAscii, const char* what, size_t at) {
    size_t each = in_.ascii() ? minAscii : minBinary;
    if (n < 0 || static_cast<uint64_t>(n) > in_.remaining() / each)
      in_.fail(std::string(what) + " of " + std::to_string(n) + " does not fit in the file", at);
  }

  /// A back-reference, or null when `index` is new.
  Object* seen(int32_t index) {
    auto it = objects_.find(index);
    return it == objects_.end() ? nullptr : it->second;
  }

  Object* readTable(int depth) {
    int32_t index = in_.readInt();
    if (Object* o = seen(index)) return o;
    Object* table = doc_.table();
    objects_[index] = table;  // before the entries: a table may contain itself
    size_t at = in_.position();
    int32_t n = in_.readInt();
    checkCount(n, 8, 4, "table size", at);
    for (int32_t i = 0; i < n; ++i) {
      Object* key = readObject(depth + 1);
      Object* value = readObject(depth + 1);
      table->entries.push_back({key, value});
    }
    return table;
  }

  Object* readTorch(int depth, size_t at) {
    int32_t index = in_.readInt();
    if (Object* o = seen(index)) return o;
    std::string version = readString();
    std::string className;
    int versionNumber = 0;
    if (version.size() > 2 && version.compare(0, 2, "V ") == 0) {
      versionNumber = std::atoi(version.c_str() + 2);
      className = readString();
    } else {
      className = version;  // files older than versioning: the string is the class
    }
    if (std::optional<DType> dtype = tensorClassDType(className))
      return readTensor(index, std::move(className), *dtype, versionNumber, depth);
    if (std::optional<DType> dtype = storageClassDType(className)) {
      Object* storage = doc_.make(Object::Kind::Storage);
      objects_[index] = storage;
      storage->className = std::move(className);
      storage->dtype = *dtype;
      storage->version = versionNumber;
      size_t sizeAt = in_.position();
      int64_t n = in_.readLong();
      checkCount(n, dtypeSize(*dtype), 1, "storage size", sizeAt);
      storage->elements = in_.readElements(*dtype, n);
      return storage;
    }
    if (!options_.acceptClass || !options_.acceptClass(className))
      in_.fail("unknown Torch class '" + className + "'", at);
    Object* instance = doc_.make(Object::Kind::Instance);
    objects_[index] = instance;
    instance->className = std::move(className);
    instance->version = versionNumber;
    size_t fieldsAt = in_.position();
    instance->fields = readObject(depth + 1);
    if (instance->fields->kind != Object::Kind::Table)
      in_.fail("'" + instance->className + "' has no field table", fieldsAt);
    return instance;
  }

  Object* readTensor(int32_t index, std::string className, DType dtype, int version, int depth) {
    Object* tensor = doc_.make(Object::Kind::Tensor);
    objects_[index] = tensor;
    tensor->className = std::move(className);
    tensor->dtype = dtype;
    tensor->version = version;
    size_t at = in_.position();
    int32_t rank = in_.readInt();
    checkCount(rank, 16, 4, "tensor rank", at);
    tensor->sizes = in_.readLongs(rank);
    tensor->strides = in_.readLongs(rank);
    tensor->storageOffset = in_.readLong();
    size_t storageAt = in_.position();
    Object* storage = readObject(depth + 1);
    if (storage->kind == Object::Kind::Storage && storage->dtype == dtype) {
      tensor->storage = storage;
    } else if (!storage->isNil()) {
      in_.fail("'" + tensor->className + "' has no matching storage", storageAt);
    }
    return tensor;
  }

  Stream& in_;
  const ReadOptions& options_;
  Document& doc_;
  std::unordered_map<int32_t, Object*> objects_;
};

}  // namespace

bool isAsciiT7(const uint8_t* data, size_t size) {
  return size >= 2 && data[0] >= '0' && data[0] <= '9' && data[1] == '\n';
}

std::unique_ptr<Document> readT7(const uint8_t* data, size_t size, const ReadOptions& options,
                                 std::string* error, std::shared_ptr<const void> owner) {
  auto doc = std::make_unique<Document>();
  Stream stream(data, size, isAsciiT7(data, size), std::move(owner));
  Reader reader(stream, options, *doc);
  try {
    doc->root = reader.readObject(0);
  } catch (const ReadFailure& failure) {
    *error = failure.message;
    return nullptr;
  }
  return doc;
}

std::unique_ptr<Document> readT7File(const std::string& path, const ReadOptions& options,
                                     std::string* error, int* errorNumber) {
  std::shared_ptr<const MappedFile> file = MappedFile::open(path, error, errorNumber);
  if (!file) return nullptr;
  std::unique_ptr<Document> doc = readT7(file->data(), file->size(), options, error, file);
  if (!doc) *error = "'" + path + "': " + *error;
  return doc;
}

}  // namespace sketch::t7
