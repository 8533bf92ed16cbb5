// Fuzz target: the error log reader (error_log/error_log_reader.h) on an
// arbitrary file, in either format, and the entry format's encoder and
// decoder (error_log/error_log_entry.h). Checks that:
//   - it never crashes, and fails with ParseError, InvalidArgument (an empty
//     log, a document over the limit) or nothing else, every message naming
//     the file;
//   - it never yields more records than the file has objects ('{'), nor, for
//     JSON Lines, more than it has lines; lines only grow; a Go record's
//     line is its sequence + 1;
//   - an error repeats on the next call;
//   - every record read encodes to one line that decodes to the same record
//     (decode(encode(entry)) == entry), and so does a record whose value and
//     token are the input's raw bytes (not UTF-8: kept through *_hex).
// Input: byte 0 holds the options (bit 0 skip_torn_tail, bit 1 a 64-byte
// line limit, bit 2 a 256-byte document limit); the rest is the log file.
// Links: skyflow_error_log
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "error_log/error_log_reader.h"
#include "fuzz_support.h"

namespace skyflow {
namespace {

void CheckRoundTrip(const ErrorLogEntry& entry, ErrorLogLineDecoder& decoder) {
  std::string line;
  AppendErrorLogLine(entry, &line);
  FUZZ_CHECK(!line.empty() && line.back() == '\n' && line.find('\n') == line.size() - 1,
             "not one line: " + fuzz::Escaped(line));
  line.pop_back();
  ErrorLogEntry decoded;
  const Status status = decoder.Decode(line, &decoded);
  FUZZ_CHECK(status.ok(), fuzz::Describe(status) + " for " + fuzz::Escaped(line));
  FUZZ_CHECK(decoded == entry, "decode(encode(entry)) differs: " + fuzz::Escaped(line));
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  ErrorLogReadOptions options;
  options.skip_torn_tail = (flags & 1) != 0;
  if (flags & 2) options.max_line_bytes = 64;
  if (flags & 4) options.max_document_bytes = 256;
  const std::string path = fuzz::ScratchDir() + "/error_log.jsonl";
  fuzz::WriteFile(path, text);

  ErrorLogLineDecoder decoder;
  ErrorLogEntry raw;
  raw.vault = "V";
  raw.stage = ErrorLogStage::kSource;
  raw.outcome = ErrorLogOutcome::kRejected;
  raw.value = std::string(text.substr(0, 64));
  raw.token = std::string(text.rbegin(), text.rend()).substr(0, 64);
  CheckRoundTrip(raw, decoder);

  auto allowed = [&path](const Status& status) {
    return (status.code() == StatusCode::kParseError ||
            status.code() == StatusCode::kInvalidArgument) &&
           status.message().find("error log " + path) != std::string::npos;
  };
  Result<std::unique_ptr<ErrorLogReader>> reader = ErrorLogReader::Open(path, options);
  if (!reader.ok()) {
    FUZZ_CHECK(allowed(reader.status()), "Open: " + fuzz::Describe(reader.status()));
    return 0;
  }
  const size_t objects = static_cast<size_t>(std::count(text.begin(), text.end(), '{'));
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  const bool go = (*reader)->format() == ErrorLogFormat::kGo;
  size_t records = 0;
  uint64_t last_line = 0;
  ErrorLogEntry entry;
  uint64_t line = 0;
  for (;;) {
    Result<bool> more = (*reader)->Next(&entry, &line);
    if (!more.ok()) {
      FUZZ_CHECK(allowed(more.status()), "Next: " + fuzz::Describe(more.status()));
      Result<bool> again = (*reader)->Next(&entry, &line);
      FUZZ_CHECK(!again.ok() && fuzz::SameStatus(again.status(), more.status()),
                 "the error does not repeat: " + fuzz::Describe(again.status()));
      break;
    }
    if (!*more) break;
    ++records;
    FUZZ_CHECK(records <= objects,
               std::to_string(records) + " records from " + std::to_string(objects) + " objects");
    FUZZ_CHECK(go || records <= lines,
               std::to_string(records) + " records from " + std::to_string(lines) + " lines");
    FUZZ_CHECK(line > last_line,
               "line " + std::to_string(line) + " after " + std::to_string(last_line));
    FUZZ_CHECK(
        !go || line == entry.sequence + 1,
        "Go record " + std::to_string(line) + " has sequence " + std::to_string(entry.sequence));
    last_line = line;
    CheckRoundTrip(entry, decoder);
  }
  return 0;
}
