#include "util/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace skyflow {
namespace {

constexpr size_t kMinBlockBytes = 4;

std::string ErrnoMessage(int error) {
  return std::generic_category().message(error);
}

// Shows one byte of input in a message: printable ASCII as itself, anything
// else (a control character, a byte of a multi-byte sequence) in hex.
std::string DescribeByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  static const char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, CsvOptions options) {
  if (options.delimiter == '"' || options.delimiter == '\r' || options.delimiter == '\n') {
    return Status::InvalidArgument("CSV delimiter " + DescribeByte(options.delimiter) +
                                   " is not allowed for " + path +
                                   "; the quote and line breaks have fixed meanings in CSV");
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::string message = "cannot open " + path + ": " + ErrnoMessage(error);
    if (error == ENOENT) return Status::NotFound(std::move(message));
    return Status::IoError(std::move(message));
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path +
                                   " is a directory, not a CSV file; point the vault's "
                                   "data_file/tokens_file or -data-dir at the files");
  }
  // The constructor is private, so make_unique cannot call it.
  std::unique_ptr<CsvReader> reader(new CsvReader(path, fd, options));
  // Short reads are legal (a pipe, say), so read until the three bytes a
  // byte order mark needs are in or the file has ended.
  while (reader->end_ < 3 && !reader->eof_) {
    SKYFLOW_RETURN_IF_ERROR(reader->ReadMore());
  }
  if (reader->end_ >= 3 && std::memcmp(reader->buffer_.get(), "\xEF\xBB\xBF", 3) == 0) {
    reader->pos_ = 3;
    reader->line_start_offset_ = 3;
  }
  return reader;
}

CsvReader::CsvReader(std::string path, int fd, const CsvOptions& options)
    : path_(std::move(path)),
      fd_(fd),
      options_(options),
      capacity_(std::max(options.block_bytes, kMinBlockBytes)),
      buffer_(new char[capacity_]) {
  for (unsigned char c :
       {static_cast<unsigned char>(options_.delimiter), static_cast<unsigned char>('"'),
        static_cast<unsigned char>('\r'), static_cast<unsigned char>('\n')}) {
    unquoted_stop_[c] = true;
  }
  for (unsigned char c : {'"', '\r', '\n'})
    quoted_stop_[c] = true;
}

CsvReader::~CsvReader() {
  ::close(fd_);
}

Status CsvReader::SeekTo(Cursor cursor) {
  struct stat info {};
  if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    return Status::IoError("cannot resume reading " + path_ +
                           " part-way: it is not a regular file; start a new run instead");
  }
  if (cursor.offset > static_cast<uint64_t>(info.st_size)) {
    return Status::IoError("cannot resume reading " + path_ + " at byte " +
                           std::to_string(cursor.offset) + ": the file has only " +
                           std::to_string(info.st_size) + " bytes; it changed since the run began");
  }
  if (::lseek(fd_, static_cast<off_t>(cursor.offset), SEEK_SET) < 0) {
    return Status::IoError("cannot seek in " + path_ + ": " + ErrnoMessage(errno));
  }
  buffer_offset_ = cursor.offset;
  pos_ = 0;
  end_ = 0;
  eof_ = false;
  line_ = cursor.line;
  line_start_offset_ = cursor.offset;
  error_ = Status::Ok();
  last_row_skipped_ = false;
  return Status::Ok();
}

Status CsvReader::ReadMore() {
  ssize_t n;
  do {
    n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::IoError("cannot read " + path_ + ": " + ErrnoMessage(errno));
  if (n == 0) {
    eof_ = true;
  } else {
    end_ += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status CsvReader::EnsureData() {
  if (pos_ < end_ || eof_) return Status::Ok();
  // Every byte before pos_ has been copied into a field already, so the whole
  // buffer can be reused.
  buffer_offset_ += end_;
  pos_ = 0;
  end_ = 0;
  while (end_ == 0 && !eof_) {
    SKYFLOW_RETURN_IF_ERROR(ReadMore());
  }
  return Status::Ok();
}

void CsvReader::StartLine() {
  ++line_;
  line_start_offset_ = buffer_offset_ + pos_;
}

Status CsvReader::ReadRow(std::vector<std::string>* fields, bool* end_of_file) {
  *end_of_file = false;
  if (!error_.ok()) return error_;
  last_row_skipped_ = false;
  Status status = ParseRow(fields, end_of_file);
  if (status.ok()) return status;
  if (spoils_row_only_) {
    spoils_row_only_ = false;
    last_row_skipped_ = true;
    SKYFLOW_RETURN_IF_ERROR(SkipRestOfLine());
    return status;
  }
  error_ = status;
  return status;
}

Status CsvReader::SkipRestOfLine() {
  for (;;) {
    SKYFLOW_RETURN_IF_ERROR(EnsureData());
    if (pos_ == end_) {
      row_end_line_ = line_;
      return Status::Ok();
    }
    const char c = buffer_[pos_];
    if (c == '\r' || c == '\n') {
      bool row_ended = false;
      return EndRow(&row_ended);
    }
    ++pos_;
  }
}

Status CsvReader::ParseRow(std::vector<std::string>* fields, bool* end_of_file) {
  SKYFLOW_RETURN_IF_ERROR(EnsureData());
  if (pos_ == end_) {
    fields->clear();
    *end_of_file = true;
    return Status::Ok();
  }
  row_start_line_ = line_;
  size_t count = 0;
  bool row_ended = false;
  while (!row_ended) {
    if (count == fields->size()) fields->emplace_back();
    std::string& field = (*fields)[count++];
    field.clear();
    SKYFLOW_RETURN_IF_ERROR(EnsureData());
    field_start_line_ = line_;
    field_start_column_ = ColumnAt(pos_);
    if (pos_ < end_ && buffer_[pos_] == '"') {
      SKYFLOW_RETURN_IF_ERROR(ParseQuotedField(&field, &row_ended));
    } else {
      SKYFLOW_RETURN_IF_ERROR(ParseUnquotedField(&field, &row_ended));
    }
  }
  // Shrinking keeps the capacity of the strings that remain for the next row.
  fields->resize(count);
  return Status::Ok();
}

Status CsvReader::ParseUnquotedField(std::string* field, bool* row_ended) {
  for (;;) {
    SKYFLOW_RETURN_IF_ERROR(EnsureData());
    if (pos_ == end_) {  // end of file ends the row
      row_end_line_ = line_;
      *row_ended = true;
      return Status::Ok();
    }
    const char* data = buffer_.get();
    size_t stop = pos_;
    while (stop < end_ && !unquoted_stop_[static_cast<unsigned char>(data[stop])])
      ++stop;
    field->append(data + pos_, stop - pos_);
    pos_ = stop;
    if (field->size() > options_.max_field_bytes) {
      spoils_row_only_ = true;  // the line's end is still where a line break is
      return FieldTooLarge(/*quoted=*/false);
    }
    if (pos_ == end_) continue;
    const char c = data[pos_];
    if (c == options_.delimiter) {
      ++pos_;
      *row_ended = false;
      return Status::Ok();
    }
    if (c == '"') {
      // The line's end is still unambiguous: only this row is lost.
      spoils_row_only_ = true;
      return MalformedAt(line_, "quote character inside an unquoted field (column " +
                                    std::to_string(ColumnAt(pos_)) +
                                    "); enclose the whole field in quotes and double every "
                                    "quote inside it (\"\"), and remove any spaces before an "
                                    "opening quote");
    }
    return EndRow(row_ended);
  }
}

Status CsvReader::ParseQuotedField(std::string* field, bool* row_ended) {
  ++pos_;  // the opening quote
  for (;;) {
    SKYFLOW_RETURN_IF_ERROR(EnsureData());
    if (pos_ == end_) {
      return MalformedAt(field_start_line_,
                         "unterminated quoted field (opened at line " +
                             std::to_string(field_start_line_) + ", column " +
                             std::to_string(field_start_column_) +
                             "); close the quote or escape embedded quotes as \"\"");
    }
    const char* data = buffer_.get();
    size_t stop = pos_;
    while (stop < end_ && !quoted_stop_[static_cast<unsigned char>(data[stop])])
      ++stop;
    field->append(data + pos_, stop - pos_);
    pos_ = stop;
    // Checked here only: every way out of the loop passes this point after
    // the last byte was added.
    if (field->size() > options_.max_field_bytes) return FieldTooLarge(/*quoted=*/true);
    if (pos_ == end_) continue;
    const char c = data[pos_++];
    if (c == '\n') {
      field->push_back('\n');
      StartLine();
      continue;
    }
    if (c == '\r') {
      field->push_back('\r');
      SKYFLOW_RETURN_IF_ERROR(EnsureData());
      if (pos_ < end_ && buffer_[pos_] == '\n') {
        field->push_back('\n');
        ++pos_;
      }
      StartLine();
      continue;
    }
    // A quote: either the first of an escaped pair or the closing one.
    SKYFLOW_RETURN_IF_ERROR(EnsureData());
    if (pos_ == end_) {
      row_end_line_ = line_;
      *row_ended = true;
      return Status::Ok();
    }
    const char next = buffer_[pos_];
    if (next == '"') {
      field->push_back('"');
      ++pos_;
      continue;
    }
    if (next == options_.delimiter) {
      ++pos_;
      *row_ended = false;
      return Status::Ok();
    }
    if (next == '\r' || next == '\n') return EndRow(row_ended);
    return MalformedAt(line_, "unexpected " + DescribeByte(next) +
                                  " after the closing quote of the field opened at line " +
                                  std::to_string(field_start_line_) + ", column " +
                                  std::to_string(field_start_column_) + " (column " +
                                  std::to_string(ColumnAt(pos_)) +
                                  "); a quoted field must be followed by the delimiter or "
                                  "the end of the line; escape embedded quotes as \"\"");
  }
}

Status CsvReader::EndRow(bool* row_ended) {
  row_end_line_ = line_;
  const char c = buffer_[pos_++];
  if (c == '\r') {
    SKYFLOW_RETURN_IF_ERROR(EnsureData());
    if (pos_ < end_ && buffer_[pos_] == '\n') ++pos_;
  }
  StartLine();
  *row_ended = true;
  return Status::Ok();
}

Status CsvReader::FieldTooLarge(bool quoted) const {
  const char* advice = quoted ? "usually a quote that is never closed; check the quoting there"
                              : "check that the file is CSV separated by the configured delimiter";
  return MalformedAt(field_start_line_,
                     std::string(quoted ? "quoted" : "unquoted") + " field longer than " +
                         std::to_string(options_.max_field_bytes) + " bytes (started at line " +
                         std::to_string(field_start_line_) + ", column " +
                         std::to_string(field_start_column_) + "); " + advice);
}

Status CsvReader::MalformedAt(uint64_t line, const std::string& what) const {
  return Status::ParseError(path_ + ":" + std::to_string(line) + ": " + what);
}

}  // namespace skyflow
