// CsvPairSource: one vault's records from a data file and a tokens file.
//
// Layout (the seed's): a data file whose header row names the value column
// and a tokens file whose header row names the token column; data row i pairs
// with token row i. Files may hold other columns too; the named column is
// found by exact comparison after trimming spaces and tabs around each header
// name. Both files are streamed through CsvReader, one row at a time.
//
// Classification, in source order, each row taking the next sequence number
// (from 0 for the first row after the header):
//   - a row whose field count differs from its file's header is rejected: in
//     a one-column file of names, "Smith, John" without quotes would otherwise
//     load as "Smith";
//   - an empty value and/or token is rejected ("empty value", "empty token",
//     "empty value and token");
//   - a value or token that is not UTF-8 is rejected (it cannot be sent as
//     JSON);
//   - everything else is a Record with origin_line = the data row's line.
// Values and tokens are not trimmed: surrounding whitespace may belong to the
// value, and a load must not change what it moves. A rejected row's origin is
// "data_path:line", or "data_path:line / tokens_path:line" when the lines of
// the two files differ.
//
// Files of different lengths, malformed CSV and I/O errors end the source with
// a Status naming file and line (see RecordSource::Next).
//
// Not thread-safe: one thread at a time, as for every RecordSource.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/loader_config.h"
#include "source/record_source.h"
#include "util/csv_reader.h"
#include "util/status.h"

namespace skyflow {

struct CsvPairLayout {
  std::string data_path;
  std::string tokens_path;
  std::string value_header;
  std::string token_header;
};

// The layout for `vault`, using the defaults documented on VaultConfig:
// value header `column` unless set (config/seed_vaults.h sets the seed's
// "full_name" for NAME); token header = value header + "_token"; files
// <lower(name)>_data.csv and <lower(name)>_tokens.csv. Fields set in `vault`
// win. Relative file names are resolved against `data_directory`; absolute
// ones are kept as they are.
CsvPairLayout CsvLayoutFor(const VaultConfig& vault, const std::string& data_directory);

class CsvPairSource final : public RecordSource {
 public:
  // Opens both files and reads their header rows. NotFound/IoError when a
  // file cannot be opened; InvalidArgument when a file is empty or its header
  // lacks the expected column (the message lists the headers found and the
  // config key that overrides the expected name).
  static Result<std::unique_ptr<CsvPairSource>> Open(const CsvPairLayout& layout,
                                                     CsvOptions options = {});

  Status Next(size_t max_rows, SourceChunk* chunk) override;

  // "CSV data/name_data.csv + data/name_tokens.csv"
  std::string Describe() const override;

  // "data/name_data.csv:17" for a record whose origin_line is 17.
  std::string OriginLabel() const override;

  // Each file's absolute path, size and modification time.
  std::vector<SourceFact> Identity() const override;
  // "<data offset>:<data line>,<tokens offset>:<tokens line>": resuming
  // seeks both files, nothing before is read again.
  std::string Cursor() const override;
  Status Resume(uint64_t next_sequence, const std::string& cursor) override;
  // The data file's size and the offset of its next row (the tokens file
  // keeps pace row for row).
  std::optional<SourceSize> SizeHint() const override;

 private:
  struct Column {
    size_t index = 0;        // position of the wanted column in a row
    size_t header_size = 0;  // fields in the header row
  };

  CsvPairSource(CsvPairLayout layout, std::unique_ptr<CsvReader> data,
                std::unique_ptr<CsvReader> tokens, Column value_column, Column token_column,
                char delimiter);

  // Reads one row from each file and appends it to `chunk` as a record or a
  // rejected row; sets *end_of_input when both files are exhausted.
  Status ReadPair(SourceChunk* chunk, bool* end_of_input);
  // `unit` names what a row of the shorter file holds ("token", "value").
  Status LengthMismatch(const CsvReader& shorter, uint64_t shorter_last_line, const char* unit,
                        const CsvReader& longer) const;
  // Origin of the row just read, naming the tokens file too when its line
  // differs from the data file's.
  std::string PairOrigin() const;

  const CsvPairLayout layout_;
  const std::unique_ptr<CsvReader> data_;
  const std::unique_ptr<CsvReader> tokens_;
  const Column value_column_;
  const Column token_column_;
  const char delimiter_;

  std::vector<std::string> data_fields_;
  std::vector<std::string> token_fields_;
  uint64_t next_sequence_ = 0;
  // Line on which each file's last row (or header) ended, for the message
  // about files of different lengths.
  uint64_t data_last_line_;
  uint64_t tokens_last_line_;
  bool end_of_input_ = false;
  Status error_;
  uint64_t data_file_bytes_ = 0;  // 0: not a regular file
};

}  // namespace skyflow
