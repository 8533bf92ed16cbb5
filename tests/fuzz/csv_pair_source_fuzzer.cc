// Fuzz target: CsvPairSource (source/csv_pair_source.h) over a fuzzed data
// file and tokens file, compared with what CsvReader reads from each. Checks
// that:
//   - Open succeeds exactly when both header rows read and name their column
//     once;
//   - every row pair becomes one record or one rejected row, numbered by
//     sequence from 0 without gaps, at most max_rows per call, and no call
//     without rows ends neither the input nor the source (no hang);
//   - the source stops where the files say: at the end of both (ok), at the
//     end of one (InvalidArgument, files of different lengths), or with the
//     reader's own error; that error then repeats, and an ended source stays
//     ended;
//   - a record holds the value and token of its row, non-empty and UTF-8,
//     with the data row's line as its origin; a row the reader skipped is
//     rejected, with the reader's message as its reason; a row read whole,
//     as wide as its header, with a short printable value and token, is a
//     record (no good row is lost).
// Input: byte 0 holds the options (bits 0-1 the delimiter , ; TAB |, bit 2
// small reads, bits 3-5 max_rows - 1, bit 6 a 16-byte field limit); the rest
// is the data file, then a 0xFF byte, then the tokens file.
// Links: skyflow_source
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "csv_rows.h"
#include "fuzz_support.h"
#include "source/csv_pair_source.h"
#include "util/utf8.h"

namespace skyflow {
namespace {

constexpr char kValueHeader[] = "ssn";
constexpr char kTokenHeader[] = "ssn_token";

std::string_view TrimBlanks(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Index of the one header field naming `name`, or -1.
long ColumnOf(const fuzz::CsvRows& file, std::string_view name) {
  if (file.rows.empty() || !file.rows[0].skipped.ok()) return -1;
  long found = -1;
  const std::vector<std::string>& headers = file.rows[0].fields;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (TrimBlanks(headers[i]) != name) continue;
    if (found >= 0) return -1;
    found = static_cast<long>(i);
  }
  return found;
}

// How the pair of files ends when read side by side: after `rows` row pairs,
// with `end` (ok: the end of both files).
struct Ending {
  size_t rows = 0;
  Status end;
};

Ending ExpectedEnding(const fuzz::CsvRows& data, const fuzz::CsvRows& tokens) {
  const size_t data_rows = data.rows.size() - 1;
  const size_t token_rows = tokens.rows.size() - 1;
  for (size_t i = 0;; ++i) {
    if (i == data_rows && !data.fatal.ok()) return {i, data.fatal};
    // The tokens file is read even when the data file has ended.
    if (i == token_rows && !tokens.fatal.ok()) return {i, tokens.fatal};
    if (i == data_rows && i == token_rows) return {i, Status::Ok()};
    if (i == data_rows || i == token_rows) {
      return {i, Status::InvalidArgument("both files must have one row per record")};
    }
  }
}

// A value or token no rule could refuse: short printable ASCII.
bool Plain(std::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A row that must become a record: read whole, as wide as its header, with a
// plain value and token.
bool Good(const fuzz::CsvRow& data_row, const fuzz::CsvRow& token_row, size_t data_width,
          size_t token_width, long value_column, long token_column) {
  return data_row.skipped.ok() && token_row.skipped.ok() && data_row.fields.size() == data_width &&
         token_row.fields.size() == token_width && Plain(data_row.fields[value_column]) &&
         Plain(token_row.fields[token_column]);
}

void CheckRow(uint64_t sequence, const Record* record, const RejectedRow* rejected,
              const fuzz::CsvRow& data_row, const fuzz::CsvRow& token_row, long value_column,
              long token_column, const std::string& data_path, bool good) {
  const std::string where = "row " + std::to_string(sequence) + ": ";
  if (record != nullptr) {
    FUZZ_CHECK(data_row.skipped.ok() && token_row.skipped.ok(), where + "skipped row loaded");
    FUZZ_CHECK(static_cast<size_t>(value_column) < data_row.fields.size() &&
                   record->value == data_row.fields[value_column],
               where + "value " + fuzz::Escaped(record->value) + " is not the row's");
    FUZZ_CHECK(static_cast<size_t>(token_column) < token_row.fields.size() &&
                   record->token == token_row.fields[token_column],
               where + "token " + fuzz::Escaped(record->token) + " is not the row's");
    FUZZ_CHECK(!record->value.empty() && !record->token.empty(), where + "empty value or token");
    FUZZ_CHECK(!FindInvalidUtf8(record->value) && !FindInvalidUtf8(record->token),
               where + "value or token not UTF-8");
    FUZZ_CHECK(record->origin_line == data_row.start_line,
               where + "origin line " + std::to_string(record->origin_line) + ", row starts on " +
                   std::to_string(data_row.start_line));
    return;
  }
  FUZZ_CHECK(!good, where + "a good row rejected: " + rejected->reason);
  FUZZ_CHECK(!rejected->reason.empty(), where + "rejected without a reason");
  const std::string origin = data_path + ":" + std::to_string(data_row.start_line);
  FUZZ_CHECK(rejected->origin.starts_with(origin),
             where + "origin " + rejected->origin + ", expected " + origin);
  const Status& skipped = !data_row.skipped.ok() ? data_row.skipped : token_row.skipped;
  if (!skipped.ok()) {
    FUZZ_CHECK(rejected->reason == skipped.message(),
               where + "reason " + rejected->reason + ", expected " + skipped.message());
  }
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  CsvOptions options;
  options.delimiter = ",;\t|"[flags & 3];
  if (flags & 0x40) options.max_field_bytes = 16;
  const size_t max_rows = 1 + ((flags >> 3) & 7);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t split = input.find('\xff');
  const std::string_view data_text = input.substr(0, split);
  const std::string_view tokens_text =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  // A block sized to the input, not the default 1 MiB: see csv_reader_fuzzer.
  options.block_bytes = (flags & 4) ? 5 : input.size() + 1;

  CsvPairLayout layout;
  layout.data_path = fuzz::ScratchDir() + "/ssn_data.csv";
  layout.tokens_path = fuzz::ScratchDir() + "/ssn_tokens.csv";
  layout.value_header = kValueHeader;
  layout.token_header = kTokenHeader;
  fuzz::WriteFile(layout.data_path, data_text);
  fuzz::WriteFile(layout.tokens_path, tokens_text);

  const fuzz::CsvRows data_rows = fuzz::ReadCsvRows(layout.data_path, options, data_text.size());
  const fuzz::CsvRows token_rows =
      fuzz::ReadCsvRows(layout.tokens_path, options, tokens_text.size());
  const long value_column = ColumnOf(data_rows, kValueHeader);
  const long token_column = ColumnOf(token_rows, kTokenHeader);

  Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout, options);
  const bool headers_good = value_column >= 0 && token_column >= 0;
  FUZZ_CHECK(source.ok() == headers_good, "Open: " + fuzz::Describe(source.status()) +
                                              " with value column " + std::to_string(value_column) +
                                              ", token column " + std::to_string(token_column));
  if (!source.ok()) return 0;

  const Ending expected = ExpectedEnding(data_rows, token_rows);
  uint64_t next_sequence = 0;
  Status end;
  SourceChunk chunk;
  for (;;) {
    chunk.Clear();
    end = (*source)->Next(max_rows, &chunk);
    FUZZ_CHECK(chunk.rows() <= max_rows,
               std::to_string(chunk.rows()) + " rows for a call of " + std::to_string(max_rows));
    if (!end.ok()) {
      FUZZ_CHECK(chunk.rows() == 0, "rows returned with an error: " + fuzz::Describe(end));
      break;
    }
    std::map<uint64_t, std::pair<const Record*, const RejectedRow*>> by_sequence;
    for (const Record& record : chunk.records)
      by_sequence[record.sequence].first = &record;
    for (const RejectedRow& row : chunk.rejected) {
      FUZZ_CHECK(by_sequence.count(row.sequence) == 0,
                 "sequence " + std::to_string(row.sequence) + " both loaded and rejected");
      by_sequence[row.sequence].second = &row;
    }
    for (const auto& [sequence, row] : by_sequence) {
      FUZZ_CHECK(sequence == next_sequence, "sequence " + std::to_string(sequence) + " where " +
                                                std::to_string(next_sequence) + " was due");
      FUZZ_CHECK(sequence < expected.rows, "row " + std::to_string(sequence) + " past the " +
                                               std::to_string(expected.rows) + " the files hold");
      const fuzz::CsvRow& data_row = data_rows.rows[sequence + 1];
      const fuzz::CsvRow& token_row = token_rows.rows[sequence + 1];
      CheckRow(sequence, row.first, row.second, data_row, token_row, value_column, token_column,
               layout.data_path,
               Good(data_row, token_row, data_rows.rows[0].fields.size(),
                    token_rows.rows[0].fields.size(), value_column, token_column));
      ++next_sequence;
    }
    if (chunk.end_of_input) break;
    FUZZ_CHECK(chunk.rows() > 0, "a call without rows that neither ends nor fails");
  }
  FUZZ_CHECK(next_sequence == expected.rows, std::to_string(next_sequence) + " rows of " +
                                                 std::to_string(expected.rows) + ", then " +
                                                 fuzz::Describe(end));
  if (expected.end.code() == StatusCode::kInvalidArgument) {
    FUZZ_CHECK(end.code() == StatusCode::kInvalidArgument &&
                   end.message().find(expected.end.message()) != std::string::npos,
               "files of different lengths end with " + fuzz::Describe(end));
  } else {
    FUZZ_CHECK(fuzz::SameStatus(end, expected.end),
               "ends with " + fuzz::Describe(end) + ", expected " + fuzz::Describe(expected.end));
  }

  chunk.Clear();
  const Status after = (*source)->Next(max_rows, &chunk);
  FUZZ_CHECK(chunk.rows() == 0 && fuzz::SameStatus(after, end) && (!end.ok() || chunk.end_of_input),
             "after the end: " + fuzz::Describe(after) + " with " + std::to_string(chunk.rows()) +
                 " rows");
  return 0;
}
