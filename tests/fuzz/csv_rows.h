// Every row of a CSV file as CsvReader reads it, for the fuzz targets that
// compare other code with the reader (or the reader with itself). Checks on
// the way what any reading relies on: a row has fields, the end of the file
// has none, a fatal error repeats on every later ReadRow, and the reader
// does not loop (no more rows than bytes plus one).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "util/csv_reader.h"

namespace skyflow::fuzz {

struct CsvRow {
  std::vector<std::string> fields;  // empty for a skipped row
  uint64_t start_line = 0;
  uint64_t end_line = 0;
  Status skipped;  // the error for which the reader skipped the row
};

struct CsvRows {
  std::vector<CsvRow> rows;
  Status fatal;  // the error that ended the file, if one did
};

inline CsvRows ReadCsvRows(const std::string& path, const CsvOptions& options, size_t file_size) {
  CsvRows parsed;
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path, options);
  FUZZ_CHECK(reader.ok(), "cannot open " + path + ": " + Describe(reader.status()));
  std::vector<std::string> fields;
  for (;;) {
    FUZZ_CHECK(parsed.rows.size() <= file_size, "more rows than bytes: the reader loops");
    bool end_of_file = false;
    Status status = (*reader)->ReadRow(&fields, &end_of_file);
    if (!status.ok() && (*reader)->last_row_skipped()) {
      parsed.rows.push_back(
          CsvRow{{}, (*reader)->row_start_line(), (*reader)->row_end_line(), status});
      continue;
    }
    if (!status.ok()) {
      Status again = (*reader)->ReadRow(&fields, &end_of_file);
      FUZZ_CHECK(SameStatus(status, again), Describe(status) + " then " + Describe(again));
      parsed.fatal = status;
      return parsed;
    }
    if (end_of_file) {
      FUZZ_CHECK(fields.empty(), "end of file with fields");
      return parsed;
    }
    FUZZ_CHECK(!fields.empty(), "a row without fields");
    parsed.rows.push_back(
        CsvRow{fields, (*reader)->row_start_line(), (*reader)->row_end_line(), {}});
  }
}

}  // namespace skyflow::fuzz
