// CsvReader: a streaming RFC 4180 reader over one file.
//
// Contract: ReadRow returns the file's rows one at a time, reading the file in
// blocks of CsvOptions::block_bytes (1 MiB by default), so memory is bounded by
// one block plus one row however large the file is. Accepted input:
//   - fields separated by CsvOptions::delimiter (',' by default);
//   - quoted fields ("..."), in which "" stands for one quote and the
//     delimiter, CR and LF are ordinary characters (kept byte for byte, so a
//     CRLF inside quotes stays CRLF);
//   - rows ended by LF, CRLF or a lone CR, mixed freely within one file; the
//     last row may or may not end with a line break;
//   - a UTF-8 byte order mark at the start of the file, which is dropped.
// Bytes are passed through unchanged: no trimming, no encoding check.
//
// An empty line is a row with one empty field. It is returned, not skipped,
// because an empty line in a data file is a record with an empty value that
// the caller must report; only the line break that ends the last row does not
// start another row.
//
// Malformed input (an unterminated quoted field, a quote inside an unquoted
// field, a character after a closing quote, a field over
// CsvOptions::max_field_bytes) is a ParseError whose message starts with
// "path:line:" and says what to change. A quote inside an unquoted field, or
// an unquoted field over the limit, spoils only its row: ReadRow returns the error,
// last_row_skipped() is true, and the next ReadRow goes on at the next line. After any other error
// the reader is done: every later ReadRow returns the same Status.
//
// Lines are physical lines, 1-based, counting LF, CRLF and a lone CR as one
// line break each, including those inside quoted fields; columns are 1-based
// byte offsets within the line (the byte order mark is not counted).
//
// Not thread-safe: one reader per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace skyflow {

struct CsvOptions {
  // Separates fields. Must not be '"', CR or LF.
  char delimiter = ',';
  // Longest field accepted, in bytes. A quote that is never closed would
  // otherwise swallow the rest of the file into one field.
  size_t max_field_bytes = size_t{1} << 20;
  // Bytes requested per read(2). Tests use a few bytes so that every token
  // of the grammar is split across reads somewhere. Values below 4 are
  // raised to 4 so that the byte order mark is always seen in one piece.
  size_t block_bytes = size_t{1} << 20;
};

class CsvReader {
 public:
  // Opens `path` for reading. NotFound when the file does not exist, IoError
  // for other failures, InvalidArgument for an unusable delimiter.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, CsvOptions options = {});

  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next row into `fields`, reusing the strings already in it so
  // that a steady stream of rows does not allocate. On success either
  // `fields` holds a row (at least one field) and *end_of_file is false, or
  // the input is exhausted, `fields` is empty and *end_of_file is true.
  Status ReadRow(std::vector<std::string>* fields, bool* end_of_file);

  // The line on which the last row returned by ReadRow started, and the line
  // on which it ended (they differ when a quoted field holds a line break).
  uint64_t row_start_line() const { return row_start_line_; }
  uint64_t row_end_line() const { return row_end_line_; }

  const std::string& path() const { return path_; }

  // Where the next row starts: its byte offset in the file and its line.
  // Taken between rows, it is where a later reader of the same file resumes.
  struct Cursor {
    uint64_t offset = 0;
    uint64_t line = 1;
  };
  Cursor cursor() const { return Cursor{buffer_offset_ + pos_, line_}; }

  // Goes on reading at `cursor`, one that cursor() returned for this file
  // (the header and the byte order mark are behind it). IoError when the file
  // cannot seek (a pipe) or is shorter than the cursor.
  Status SeekTo(Cursor cursor);

  // The last ReadRow failed for its row alone, which was skipped.
  bool last_row_skipped() const { return last_row_skipped_; }

 private:
  CsvReader(std::string path, int fd, const CsvOptions& options);

  Status ParseRow(std::vector<std::string>* fields, bool* end_of_file);
  Status ParseUnquotedField(std::string* field, bool* row_ended);
  Status ParseQuotedField(std::string* field, bool* row_ended);
  // Consumes what is left of the line, and its line break.
  Status SkipRestOfLine();
  // Consumes the line break at pos_ (LF, CR or CRLF) that ends a row.
  Status EndRow(bool* row_ended);
  // Accounts for a line break just consumed; pos_ is the next line's start.
  void StartLine();
  // Makes pos_ < end_ unless the file is exhausted.
  Status EnsureData();
  // Reads once into buffer_[end_, capacity), setting eof_ at end of file.
  Status ReadMore();
  uint64_t ColumnAt(size_t pos) const { return buffer_offset_ + pos - line_start_offset_ + 1; }

  Status FieldTooLarge(bool quoted) const;
  Status MalformedAt(uint64_t line, const std::string& what) const;

  const std::string path_;
  const int fd_;
  const CsvOptions options_;
  const size_t capacity_;
  std::unique_ptr<char[]> buffer_;
  // Bytes buffer_[pos_, end_) are unread; buffer_[0] is at file offset
  // buffer_offset_.
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t buffer_offset_ = 0;
  bool eof_ = false;

  uint64_t line_ = 1;
  uint64_t line_start_offset_ = 0;  // file offset of the current line's first byte
  uint64_t row_start_line_ = 0;
  uint64_t row_end_line_ = 0;
  uint64_t field_start_line_ = 0;
  uint64_t field_start_column_ = 0;
  Status error_;
  bool spoils_row_only_ = false;
  bool last_row_skipped_ = false;

  // Bytes that end a run of ordinary field content.
  std::array<bool, 256> unquoted_stop_{};
  std::array<bool, 256> quoted_stop_{};
};

}  // namespace skyflow
