#include "t7_writer.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace sketch::t7 {

namespace {

/// The primitive encodings of torch.DiskFile (t7-format.md §1), buffered.
class OutStream {
 public:
  static constexpr size_t kBufferSize = 1 << 20;

  OutStream(Format format, const Sink& sink, const ZeroSink& zeros)
      : ascii_(format == Format::Ascii), sink_(sink), zeros_(zeros) {}

  void writeInt(int32_t v) { ascii_ ? text("%" PRId32 "\n", v) : binary(v); }
  void writeLong(int64_t v) { ascii_ ? text("%" PRId64 "\n", v) : binary(v); }
  void writeDouble(double v) { ascii_ ? text("%.17g\n", v) : binary(v); }
  void writeChars(std::string_view s) {
    raw(s);
    if (ascii_) raw("\n");
  }
  void writeString(std::string_view s) {
    writeInt(static_cast<int32_t>(s.size()));
    writeChars(s);
  }
  void writeLongs(const std::vector<int64_t>& values) {
    if (!ascii_) {
      for (int64_t v : values) binary(v);
      return;
    }
    // An empty array writes nothing, not even the newline (THDiskFile).
    for (size_t i = 0; i < values.size(); ++i)
      text(i + 1 < values.size() ? "%" PRId64 " " : "%" PRId64 "\n", values[i]);
  }
  /// Elements known to be zero: a run of zero bytes for `zeros_` when there is one.
  void writeZeros(const Tensor& elements) {
    if (ascii_ || !zeros_) return writeElements(elements);
    flush();
    if (ok_) ok_ = zeros_(elements.byteSize());
  }
  void writeElements(const Tensor& elements) {
    std::string_view bytes(reinterpret_cast<const char*>(elements.data()), elements.byteSize());
    if (!ascii_) return raw(bytes);
    if (elements.dtype() == DType::UInt8 || elements.dtype() == DType::Int8)
      return writeChars(bytes);
    size_t element = dtypeSize(elements.dtype());
    size_t n = bytes.size() / element;
    for (size_t i = 0; i < n; ++i) {
      writeElement(elements.dtype(), elements.data() + i * element);
      raw(i + 1 < n ? " " : "\n");
    }
  }
  bool finish() {
    flush();
    return ok_;
  }

 private:
  template <typename T>
  void binary(T v) {
    raw({reinterpret_cast<const char*>(&v), sizeof(v)});
  }
  template <typename... Args>
  void text(const char* format, Args... args) {
    char buffer[64];
    int n = std::snprintf(buffer, sizeof(buffer), format, args...);
    raw({buffer, static_cast<size_t>(n)});
  }
  void raw(std::string_view bytes) {
    if (bytes.size() >= kBufferSize) {  // a storage: straight from its memory
      flush();
      if (ok_) ok_ = sink_(bytes);
      return;
    }
    buffer_.append(bytes.data(), bytes.size());
    if (buffer_.size() >= kBufferSize) flush();
  }
  void flush() {
    if (ok_ && !buffer_.empty()) ok_ = sink_(buffer_);
    buffer_.clear();
  }
  void writeElement(DType dtype, const uint8_t* p) {
    auto load = [p](auto v) {
      std::memcpy(&v, p, sizeof(v));
      return v;
    };
    switch (dtype) {
      case DType::Float32:
        return text("%.9g", static_cast<double>(load(float{})));
      case DType::Float64:
        return text("%.17g", load(double{}));
      case DType::Int64:
        return text("%" PRId64, load(int64_t{}));
      case DType::Int32:
        return text("%" PRId32, load(int32_t{}));
      case DType::Int16:
        return text("%d", static_cast<int>(load(int16_t{})));
      default:
        return;  // Half storages are never made by the writer's callers
    }
  }

  bool ascii_;
  const Sink& sink_;
  const ZeroSink& zeros_;
  std::string buffer_;
  bool ok_ = true;
};

class Writer {
 public:
  explicit Writer(OutStream& out) : out_(out) {}

  void writeObject(const Object* o) {
    switch (o->kind) {
      case Object::Kind::Nil:
        return out_.writeInt(static_cast<int32_t>(Tag::Nil));
      case Object::Kind::Number:
        out_.writeInt(static_cast<int32_t>(Tag::Number));
        return out_.writeDouble(o->number);
      case Object::Kind::String:
        out_.writeInt(static_cast<int32_t>(Tag::String));
        return out_.writeString(o->string);
      case Object::Kind::Boolean:
        out_.writeInt(static_cast<int32_t>(Tag::Boolean));
        return out_.writeInt(o->boolean ? 1 : 0);
      case Object::Kind::Table:
        if (isReference(o, Tag::Table)) return;
        out_.writeInt(static_cast<int32_t>(o->entries.size()));
        for (const TableEntry& e : o->entries) {
          writeObject(e.key);
          writeObject(e.value);
        }
        return;
      default:
        return writeTorch(o);
    }
  }

 private:
  /// Writes the tag and the object's index; true when it was written before (a reference).
  bool isReference(const Object* o, Tag tag) {
    out_.writeInt(static_cast<int32_t>(tag));
    auto [it, fresh] = indices_.emplace(o, static_cast<int32_t>(indices_.size() + 1));
    out_.writeInt(it->second);
    return !fresh;
  }

  void writeTorch(const Object* o) {
    if (isReference(o, Tag::Torch)) return;
    out_.writeString("V " + std::to_string(o->version));
    out_.writeString(o->className);
    if (o->kind == Object::Kind::Storage) {
      out_.writeLong(o->storageSize());
      return o->zeroFilled ? out_.writeZeros(o->elements) : out_.writeElements(o->elements);
    }
    if (o->kind == Object::Kind::Instance) return writeObject(o->fields);
    out_.writeInt(static_cast<int32_t>(o->sizes.size()));
    out_.writeLongs(o->sizes);
    out_.writeLongs(o->strides);
    out_.writeLong(o->storageOffset);
    if (o->storage) return writeObject(o->storage);
    out_.writeInt(static_cast<int32_t>(Tag::Nil));
  }

  OutStream& out_;
  std::unordered_map<const Object*, int32_t> indices_;
};

}  // namespace

bool writeT7(const Document& doc, Format format, const Sink& sink, const ZeroSink& zeros) {
  OutStream out(format, sink, zeros);
  Writer(out).writeObject(doc.root);
  return out.finish();
}

}  // namespace sketch::t7
