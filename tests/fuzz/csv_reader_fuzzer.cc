// Fuzz target: the CSV reader (util/csv_reader.h) and writer
// (util/csv_writer.h) on arbitrary bytes. Checks that:
//   - the rows read do not depend on how the file is cut into reads (a block
//     of 4 to 67 bytes against one that holds the whole input), nor do the
//     errors;
//   - line numbers run forward: the first row starts on line 1, each row on
//     the line after the one the previous row ended on, and a row spans
//     exactly the line breaks its quoted fields hold;
//   - a malformed row is a ParseError "path:line: ..." naming a line of that
//     row (the reader skips it and goes on), and an error that ends the file
//     names a line neither before the rows read nor past the end;
//   - the rows read (not those skipped), written back with AppendCsvField
//     and read again, give the same fields.
// Input: byte 0 is the delimiter (its low 7 bits), byte 1 the small block
// size (low 6 bits) and, with its top bit, a 16-byte field limit; the rest is
// the file.
// Links: skyflow_util
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "csv_rows.h"
#include "fuzz_support.h"
#include "util/csv_reader.h"
#include "util/csv_writer.h"

namespace skyflow {
namespace {

using fuzz::CsvRow;
using fuzz::CsvRows;

// Line breaks as the reader counts them: LF, CRLF and a lone CR.
uint64_t CountLineBreaks(std::string_view text) {
  uint64_t breaks = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++breaks;
    } else if (text[i] == '\r') {
      ++breaks;
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return breaks;
}

// The line of a "path:line: ..." message, or 0 when it has none.
uint64_t MessageLine(const std::string& message, const std::string& path) {
  if (message.compare(0, path.size() + 1, path + ":") != 0) return 0;
  uint64_t line = 0;
  size_t i = path.size() + 1;
  for (; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) {
    line = line * 10 + static_cast<uint64_t>(message[i] - '0');
  }
  if (i == path.size() + 1 || i >= message.size() || message[i] != ':') return 0;
  return line;
}

bool SameRows(const std::vector<CsvRow>& a, const std::vector<CsvRow>& b, bool compare_lines) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].fields != b[i].fields || !fuzz::SameStatus(a[i].skipped, b[i].skipped)) return false;
    if (compare_lines && (a[i].start_line != b[i].start_line || a[i].end_line != b[i].end_line)) {
      return false;
    }
  }
  return true;
}

void CheckError(const Status& status, const std::string& path, uint64_t first, uint64_t last) {
  FUZZ_CHECK(status.code() == StatusCode::kParseError, fuzz::Describe(status));
  const uint64_t line = MessageLine(status.message(), path);
  FUZZ_CHECK(line >= first && line <= last, "error line " + std::to_string(line) + " outside " +
                                                std::to_string(first) + ".." +
                                                std::to_string(last) + ": " + status.message());
}

void CheckLines(const CsvRows& parsed, std::string_view text, const std::string& path) {
  uint64_t next_start = 1;
  for (const CsvRow& row : parsed.rows) {
    FUZZ_CHECK(row.start_line == next_start, "row starts on line " +
                                                 std::to_string(row.start_line) + ", expected " +
                                                 std::to_string(next_start));
    if (!row.skipped.ok()) {
      FUZZ_CHECK(row.end_line >= row.start_line, "skipped row ends before it starts");
      CheckError(row.skipped, path, row.start_line, row.end_line);
    } else {
      uint64_t breaks = 0;
      for (const std::string& field : row.fields)
        breaks += CountLineBreaks(field);
      FUZZ_CHECK(row.end_line == row.start_line + breaks,
                 "row of lines " + std::to_string(row.start_line) + "-" +
                     std::to_string(row.end_line) + " holds " + std::to_string(breaks) +
                     " line breaks");
    }
    next_start = row.end_line + 1;
  }
  if (!parsed.fatal.ok()) CheckError(parsed.fatal, path, next_start, CountLineBreaks(text) + 1);
}

// The rows that were read, without those the reader skipped.
std::vector<CsvRow> RowsRead(const std::vector<CsvRow>& rows) {
  std::vector<CsvRow> read;
  for (const CsvRow& row : rows) {
    if (row.skipped.ok()) read.push_back(row);
  }
  return read;
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  if (size < 2) return 0;
  CsvOptions options;
  options.delimiter = static_cast<char>(data[0] & 0x7f);
  if (data[1] & 0x80) options.max_field_bytes = 16;
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::string path = fuzz::ScratchDir() + "/input.csv";
  fuzz::WriteFile(path, text);

  if (options.delimiter == '"' || options.delimiter == '\r' || options.delimiter == '\n') {
    Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
    FUZZ_CHECK(!reader.ok() && reader.status().code() == StatusCode::kInvalidArgument,
               "delimiter " + fuzz::Escaped(std::string(1, options.delimiter)) + " accepted");
    return 0;
  }

  // One read takes the whole input, as the default 1 MiB would; a block sized
  // to the input keeps ASan from cycling megabytes through its quarantine on
  // every run (which made runs 30 times slower).
  options.block_bytes = text.size() + 1;
  const CsvRows whole = fuzz::ReadCsvRows(path, options, text.size());
  CsvOptions small_reads = options;
  small_reads.block_bytes = 4 + (data[1] & 0x3f);
  const CsvRows pieces = fuzz::ReadCsvRows(path, small_reads, text.size());
  FUZZ_CHECK(SameRows(whole.rows, pieces.rows, /*compare_lines=*/true) &&
                 fuzz::SameStatus(whole.fatal, pieces.fatal),
             "reads of " + std::to_string(small_reads.block_bytes) + " bytes give " +
                 std::to_string(pieces.rows.size()) + " rows and " + fuzz::Describe(pieces.fatal) +
                 "; whole: " + std::to_string(whole.rows.size()) + " rows and " +
                 fuzz::Describe(whole.fatal));

  const std::string_view without_bom = text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
  CheckLines(whole, without_bom, path);

  // Both line endings, so that the writer's quoting of CR and LF is tested
  // against the reader's handling of each.
  const std::vector<CsvRow> rows = RowsRead(whole.rows);
  std::string written;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::vector<std::string>& fields = rows[i].fields;
    for (size_t f = 0; f < fields.size(); ++f) {
      if (f > 0) written.push_back(options.delimiter);
      AppendCsvField(fields[f], options.delimiter, &written);
    }
    written += i % 2 == 0 ? "\n" : "\r\n";
  }
  const std::string rewritten_path = fuzz::ScratchDir() + "/rewritten.csv";
  fuzz::WriteFile(rewritten_path, written);
  const CsvRows reread = fuzz::ReadCsvRows(rewritten_path, options, written.size());
  FUZZ_CHECK(reread.fatal.ok(), "the writer's output does not read back: " +
                                    fuzz::Describe(reread.fatal) + " in " + fuzz::Escaped(written));
  FUZZ_CHECK(SameRows(rows, reread.rows, /*compare_lines=*/false),
             "written " + fuzz::Escaped(written) + " reads back as " +
                 std::to_string(reread.rows.size()) + " other rows (" +
                 std::to_string(rows.size()) + " written)");
  return 0;
}
