// JsonWriter: appends compact JSON to a caller-owned std::string.
//
// One small writer serves payloads, logs and summaries: no DOM is built, so
// encoding a 300-record batch costs one pass over its bytes. The writer
// inserts commas itself; the caller only states structure. Strings must be
// UTF-8 (callers validate untrusted input first, see utf8.h); they are escaped
// per RFC 8259: quote, backslash and every control character below 0x20.
// Not thread-safe; one writer per output string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow {

// Appends `text` escaped for use inside a JSON string (without the quotes).
void AppendJsonEscaped(std::string* out, std::string_view text);

// Returns `text` as a quoted JSON string literal.
std::string JsonQuote(std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& UInt(uint64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts already-encoded JSON (for example a body received from a server).
  JsonWriter& Raw(std::string_view json);

  // Key followed by a value, the common case in objects.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, uint64_t value) { return Key(key).UInt(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, double value) { return Key(key).Double(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }

 private:
  void BeforeValue();

  std::string* out_;
  // One entry per open container: true once it holds an element, so the next
  // one needs a comma.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace skyflow
