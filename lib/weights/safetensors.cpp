#include "weights/safetensors.h"

#include <algorithm>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/mapped_file.h"

namespace sketch {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "tensor bytes are copied as they are; safetensors data is little-endian");

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr uint64_t kMaxHeaderSize = 100'000'000;  // the reference reader's limit
constexpr const char* kMetadataKey = "__metadata__";

// Safetensors dtypes with their rank in the reference's Dtype enum, which is declared in
// increasing alignment; the writer sorts by descending rank so that each tensor starts at
// an offset aligned for its element type.
struct DTypeEntry {
  const char* name;
  DType dtype;
  int alignmentRank;
};
constexpr DTypeEntry kDTypes[] = {
    {"BOOL", DType::Bool, 0},     {"U8", DType::UInt8, 1},      {"I8", DType::Int8, 2},
    {"I16", DType::Int16, 5},     {"F16", DType::Float16, 7},   {"BF16", DType::BFloat16, 8},
    {"I32", DType::Int32, 9},     {"F32", DType::Float32, 11},  {"F64", DType::Float64, 12},
    {"I64", DType::Int64, 13},
};
// Valid in the format, but with no sketchc DType: reported as unsupported, not unknown.
constexpr const char* kUnsupportedDTypes[] = {"U16", "U32", "U64", "F8_E5M2", "F8_E4M3"};

const DTypeEntry& entryOf(DType dtype) {
  for (const DTypeEntry& e : kDTypes)
    if (e.dtype == dtype) return e;
  return kDTypes[0];
}

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// One tensor entry of the header, before its bytes are checked against the file.
struct Entry {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

bool readUnsigned(const Json& value, uint64_t* out) {
  if (!value.is_number_unsigned()) return false;
  *out = value.get<uint64_t>();
  return true;
}

// Checks the JSON of one tensor entry; returns an error message without the file prefix.
std::string readEntry(const std::string& name, const Json& info, Entry* entry) {
  const std::string tensor = "tensor " + inQuotes(name);
  if (!info.is_object()) return tensor + " is not a JSON object";
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!info.contains(field)) return tensor + " has no '" + field + "'";
  const Json& dtype = info["dtype"];
  if (!dtype.is_string()) return tensor + " has a dtype that is not a string";
  const std::string dtypeName = dtype.get<std::string>();
  std::optional<DType> parsed = dtypeFromSafetensors(dtypeName);
  if (!parsed) {
    for (const char* unsupported : kUnsupportedDTypes)
      if (dtypeName == unsupported)
        return tensor + " has dtype " + inQuotes(dtypeName) + ", which sketchc does not support";
    return tensor + " has unknown dtype " + inQuotes(dtypeName);
  }
  entry->name = name;
  entry->dtype = *parsed;
  const Json& shape = info["shape"];
  if (!shape.is_array()) return tensor + " has a shape that is not a list";
  for (const Json& dim : shape) {
    uint64_t value = 0;
    if (!readUnsigned(dim, &value)) return tensor + " has a shape that is not a list of sizes";
    if (value > static_cast<uint64_t>(INT64_MAX)) return tensor + " has a dimension too large";
    entry->shape.push_back(static_cast<int64_t>(value));
  }
  const Json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !readUnsigned(offsets[0], &entry->begin) ||
      !readUnsigned(offsets[1], &entry->end))
    return tensor + " needs data_offsets [begin, end] of two byte offsets";
  return "";
}

std::string range(uint64_t begin, uint64_t end) {
  return "[" + std::to_string(begin) + ", " + std::to_string(end) + ")";
}

// Checks that the entries, sorted by offset, tile the data section exactly and that each
// byte range matches its shape and dtype.
std::string checkLayout(const std::vector<Entry>& entries, uint64_t dataSize) {
  uint64_t position = 0;
  const Entry* previous = nullptr;
  for (const Entry& e : entries) {
    const std::string tensor = "tensor " + inQuotes(e.name);
    if (e.end < e.begin)
      return tensor + " has data_offsets [" + std::to_string(e.begin) + ", " +
             std::to_string(e.end) + "] that end before they begin";
    std::optional<size_t> expected = Tensor::byteSizeOf(e.dtype, e.shape);
    if (!expected)
      return tensor + " has shape " + shapeString(e.shape) + " whose size overflows";
    if (*expected != e.end - e.begin)
      return tensor + " has shape " + shapeString(e.shape) + " of " +
             safetensorsDTypeName(e.dtype) + " (" + std::to_string(*expected) +
             " bytes) but its data_offsets span " + std::to_string(e.end - e.begin) + " bytes";
    if (e.end > dataSize)
      return tensor + " claims bytes " + range(e.begin, e.end) + " but the data section has " +
             std::to_string(dataSize) + " bytes";
    if (e.begin < position)
      return "tensors " + inQuotes(previous->name) + " and " + inQuotes(e.name) +
             " overlap (bytes " + range(previous->begin, previous->end) + " and " +
             range(e.begin, e.end) + ")";
    if (e.begin > position)
      return "bytes " + range(position, e.begin) + " of the data section belong to no tensor";
    position = e.end;
    previous = &e;
  }
  if (position != dataSize)
    return "bytes " + range(position, dataSize) + " of the data section belong to no tensor";
  return "";
}

// Parses the header JSON, noting top-level keys given twice (nlohmann keeps the last).
std::string parseHeader(const char* begin, const char* end, Json* header) {
  std::set<std::string> seen;
  std::string duplicate;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth == 1 && event == Json::parse_event_t::key && duplicate.empty() &&
        !seen.insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  try {
    *header = Json::parse(begin, end, callback);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e99999
    std::string what = e.what();
    size_t bracket = what.find("] ");
    return "header is not valid JSON: " +
           (bracket == std::string::npos ? what : what.substr(bracket + 2));
  }
  if (!header->is_object()) return "header is not a JSON object";
  if (!duplicate.empty()) return inQuotes(duplicate) + " appears twice in the header";
  return "";
}

std::string readMetadata(const Json& value, std::map<std::string, std::string>* metadata) {
  if (!value.is_object()) return "__metadata__ is not a map of strings";
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!it.value().is_string()) return "__metadata__ is not a map of strings";
    (*metadata)[it.key()] = it.value().get<std::string>();
  }
  return "";
}

// Reads and checks everything but the bytes; returns an error without the file prefix.
std::string readLayout(const uint8_t* data, size_t size, WeightStore* store,
                       std::vector<Entry>* entries, uint64_t* dataStart) {
  if (size < 8)
    return "file has " + std::to_string(size) + " bytes, too few for the 8-byte header length";
  uint64_t headerSize = 0;
  std::memcpy(&headerSize, data, 8);
  if (headerSize > kMaxHeaderSize)
    return "header length " + std::to_string(headerSize) + " exceeds the limit of " +
           std::to_string(kMaxHeaderSize) + " bytes";
  if (headerSize > size - 8)
    return "header length " + std::to_string(headerSize) + " exceeds the " +
           std::to_string(size - 8) + " bytes that follow it";
  const char* text = reinterpret_cast<const char*>(data + 8);
  Json header;
  std::string error = parseHeader(text, text + headerSize, &header);
  for (auto it = header.begin(); error.empty() && it != header.end(); ++it) {
    if (it.key() == kMetadataKey) {
      error = readMetadata(it.value(), &store->metadata());
      continue;
    }
    entries->emplace_back();
    error = readEntry(it.key(), it.value(), &entries->back());
  }
  if (!error.empty()) return error;
  std::stable_sort(entries->begin(), entries->end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  *dataStart = 8 + headerSize;
  return checkLayout(*entries, size - *dataStart);
}

}  // namespace

const char* safetensorsDTypeName(DType dtype) { return entryOf(dtype).name; }

std::optional<DType> dtypeFromSafetensors(const std::string& name) {
  for (const DTypeEntry& e : kDTypes)
    if (name == e.name) return e.dtype;
  return std::nullopt;
}

std::optional<WeightStore> parseSafetensors(const uint8_t* data, size_t size,
                                            const std::string& fileName,
                                            std::shared_ptr<const void> owner,
                                            std::string* error) {
  WeightStore store;
  std::vector<Entry> entries;
  uint64_t dataStart = 0;
  std::string problem = readLayout(data, size, &store, &entries, &dataStart);
  if (!problem.empty()) {
    *error = inQuotes(fileName) + ": " + problem;
    return std::nullopt;
  }
  for (Entry& e : entries) {
    const uint8_t* bytes = data + dataStart + e.begin;
    store.insert(e.name, Tensor::view(e.dtype, std::move(e.shape), bytes, e.end - e.begin, owner));
  }
  return store;
}

std::optional<WeightStore> readSafetensors(const std::string& path, std::string* error) {
  std::shared_ptr<const MappedFile> file = MappedFile::open(path, error);
  if (!file) return std::nullopt;
  file->readAhead();
  return parseSafetensors(file->data(), file->size(), path, file, error);
}

namespace {

// The reference's order: descending alignment rank, then name (bytewise).
std::vector<const WeightStore::Entry*> writeOrder(const WeightStore& store) {
  std::vector<const WeightStore::Entry*> order;
  for (const WeightStore::Entry& e : store) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    int rankA = entryOf(a->second.dtype()).alignmentRank;
    int rankB = entryOf(b->second.dtype()).alignmentRank;
    return rankA != rankB ? rankA > rankB : a->first < b->first;
  });
  return order;
}

// The header JSON, padded with spaces to a multiple of 8 bytes.
std::optional<std::string> encodeHeader(const WeightStore& store,
                                        const std::vector<const WeightStore::Entry*>& order,
                                        std::string* error) {
  OrderedJson header = OrderedJson::object();
  if (!store.metadata().empty()) header[kMetadataKey] = store.metadata();
  uint64_t offset = 0;
  for (const WeightStore::Entry* e : order) {
    if (e->first == kMetadataKey) {
      *error = "the tensor name '__metadata__' is reserved by safetensors";
      return std::nullopt;
    }
    const Tensor& t = e->second;
    header[e->first] = {{"dtype", safetensorsDTypeName(t.dtype())},
                        {"shape", t.shape()},
                        {"data_offsets", {offset, offset + t.byteSize()}}};
    offset += t.byteSize();
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const OrderedJson::type_error&) {
    *error = "a tensor or metadata name is not valid UTF-8";
    return std::nullopt;
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

bool streamTensors(const std::string& header, const std::vector<const WeightStore::Entry*>& order,
                   const ByteSink& sink) {
  uint64_t length = header.size();
  bool ok = sink(&length, sizeof length) && sink(header.data(), header.size());
  for (size_t i = 0; ok && i < order.size(); ++i)
    ok = sink(order[i]->second.data(), order[i]->second.byteSize());
  return ok;
}

}  // namespace

bool serializeSafetensors(const WeightStore& store, const ByteSink& sink, std::string* error) {
  std::vector<const WeightStore::Entry*> order = writeOrder(store);
  std::optional<std::string> header = encodeHeader(store, order, error);
  if (!header) return false;
  if (streamTensors(*header, order, sink)) return true;
  *error = "cannot write the safetensors data";
  return false;
}

bool writeSafetensors(const WeightStore& store, const std::string& path, std::string* error,
                      const std::vector<std::string>& protectedPaths) {
  // The header is checked before the file is opened, so a bad name leaves nothing behind.
  std::vector<const WeightStore::Entry*> order = writeOrder(store);
  std::string problem;
  std::optional<std::string> header = encodeHeader(store, order, &problem);
  if (!header) {
    *error = "cannot write " + inQuotes(path) + ": " + problem;
    return false;
  }
  std::unique_ptr<AtomicFile> file = AtomicFile::open(path, error, protectedPaths);
  if (!file) return false;
  uint64_t dataSize = 0;
  for (const WeightStore::Entry* e : order) dataSize += e->second.byteSize();
  file->expectSize(sizeof(uint64_t) + header->size() + dataSize);
  // A failed write is sticky in AtomicFile; commit() reports it with the OS reason.
  streamTensors(*header, order,
                [&](const void* data, size_t size) { return file->write(data, size); });
  return file->commit(error);
}

}  // namespace sketch
