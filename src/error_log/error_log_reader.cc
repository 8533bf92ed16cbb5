#include "error_log/error_log_reader.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "util/errno_text.h"
#include "util/json_syntax.h"
#include "util/small_file.h"

namespace skyflow {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kReadBlock = 64 * 1024;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// "64 MiB", or bytes for limits under a MiB (tests).
std::string Size(size_t bytes) {
  if (bytes < (size_t{1} << 20)) return std::to_string(bytes) + " bytes";
  return std::to_string(bytes >> 20) + " MiB";
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::string_view Trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// Lines of a file, read in blocks; a line longer than the limit is an error
// rather than a reason to hold the whole file.
class LineReader {
 public:
  LineReader(int fd, std::string path, size_t max_line_bytes)
      : fd_(fd), path_(std::move(path)), max_line_bytes_(max_line_bytes) {}
  ~LineReader() { ::close(fd_); }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n' into `line`; `terminated` says whether a
  // '\n' ended it (the last line of a file may have none). False at the end.
  Result<bool> Next(std::string* line, bool* terminated) {
    ++line_number_;
    for (;;) {
      const size_t newline = buffer_.find('\n', scan_);
      if (std::min(newline, buffer_.size()) - start_ > max_line_bytes_) return TooLong();
      if (newline != std::string::npos) {
        line->assign(buffer_, start_, newline - start_);
        start_ = scan_ = newline + 1;
        *terminated = true;
        return true;
      }
      scan_ = buffer_.size();
      if (end_of_file_) {
        if (start_ == buffer_.size()) return false;
        line->assign(buffer_, start_, std::string::npos);
        start_ = scan_ = buffer_.size();
        *terminated = false;
        return true;
      }
      SKYFLOW_RETURN_IF_ERROR(Fill());
    }
  }

  uint64_t line_number() const { return line_number_; }

 private:
  Status TooLong() const {
    return Status::ParseError("error log " + path_ + ":" + std::to_string(line_number_) +
                              ": line longer than " + Size(max_line_bytes_) +
                              ": is it an error log?");
  }

  Status Fill() {
    buffer_.erase(0, start_);
    scan_ -= start_;
    start_ = 0;
    const size_t old_size = buffer_.size();
    buffer_.resize(old_size + kReadBlock);
    ssize_t count;
    do {
      count = ::read(fd_, buffer_.data() + old_size, kReadBlock);
    } while (count < 0 && errno == EINTR);
    if (count < 0) {
      const int error = errno;
      buffer_.resize(old_size);
      return Status::IoError("error log " + path_ + ": cannot read: " + ErrnoText(error));
    }
    buffer_.resize(old_size + static_cast<size_t>(count));
    if (count == 0) end_of_file_ = true;
    return Status::Ok();
  }

  const int fd_;
  const std::string path_;
  const size_t max_line_bytes_;
  std::string buffer_;
  size_t start_ = 0;  // first byte of the next line
  size_t scan_ = 0;   // where the search for '\n' resumes
  bool end_of_file_ = false;
  uint64_t line_number_ = 0;
};

// A line a crash cut short: no newline after it, and its JSON stops early:
// at the end of the text, or inside a string that never closes. (Our
// writer ends every line with '\n' in the same write, so only a crash
// leaves a last line without one.)
bool IsTorn(std::string_view line, bool terminated) {
  if (terminated) return false;
  const std::optional<JsonSyntaxError> error = FindJsonSyntaxError(line);
  return error.has_value() &&
         (error->offset >= line.size() || error->reason.starts_with("string not terminated") ||
          error->reason.starts_with("\\u must be followed"));
}

class JsonLinesReader final : public ErrorLogReader {
 public:
  JsonLinesReader(std::string path, std::unique_ptr<LineReader> lines, std::string first_line,
                  bool first_terminated, const ErrorLogReadOptions& options)
      : ErrorLogReader(std::move(path)),
        lines_(std::move(lines)),
        options_(options),
        line_(std::move(first_line)),
        terminated_(first_terminated),
        pending_(true) {}

  Result<bool> Next(ErrorLogEntry* entry, uint64_t* line_number) override {
    if (!error_.ok()) return error_;
    if (done_) return false;
    for (;;) {
      if (!pending_) {
        Result<bool> more = lines_->Next(&line_, &terminated_);
        if (!more.ok()) return Fail(more.status());
        if (!*more) return End();
      }
      pending_ = false;
      if (IsBlank(line_)) continue;
      const uint64_t number = lines_->line_number();
      const Status decoded = decoder_.Decode(line_, entry);
      if (decoded.ok()) {
        ++records_;
        *line_number = number;
        return true;
      }
      const std::string where = "error log " + path() + ":" + std::to_string(number);
      if (IsTorn(line_, terminated_)) {
        if (options_.skip_torn_tail) {
          torn_line_ = number;
          return End();
        }
        return Fail(Status::ParseError(
            where +
            ": the last line is cut short (no newline at its end, and its JSON stops "
            "mid-object): the run that wrote the log probably stopped while writing it. That "
            "record cannot be recovered from the log; to reprocess the records before it, pass "
            "-error-log-skip-torn (the line is reported, not resent), or remove the line"));
      }
      return Fail(Status::ParseError(where + ": not an error log entry: " + decoded.message()));
    }
  }

  ErrorLogFormat format() const override { return ErrorLogFormat::kJsonLines; }
  const std::optional<GoErrorLogHeader>& go_header() const override { return no_header_; }
  std::optional<uint64_t> torn_line() const override { return torn_line_; }

 private:
  Result<bool> End() {
    done_ = true;
    if (records_ == 0) return Fail(EmptyErrorLog(path()));
    return false;
  }
  Status Fail(Status status) {
    error_ = std::move(status);
    return error_;
  }

  std::unique_ptr<LineReader> lines_;
  const ErrorLogReadOptions options_;
  ErrorLogLineDecoder decoder_;
  std::string line_;
  bool terminated_ = false;
  bool pending_ = false;  // line_ holds a line not yet decoded
  bool done_ = false;
  uint64_t records_ = 0;
  std::optional<uint64_t> torn_line_;
  Status error_;
  const std::optional<GoErrorLogHeader> no_header_;
};

// The Go document, checked whole when opened, then walked record by record.
class GoDocumentReader final : public ErrorLogReader {
 public:
  static Result<std::unique_ptr<ErrorLogReader>> Open(const std::string& path,
                                                      const ErrorLogReadOptions& options) {
    Result<std::string> text = ReadSmallFile(path, options.max_document_bytes);
    if (!text.ok()) {
      if (text.status().code() == StatusCode::kInvalidArgument) {
        return Status::InvalidArgument(
            "error log " + path + " is larger than " + Size(options.max_document_bytes) +
            ": a Go loader error log is read whole, and one this large is unlikely; split its "
            "\"errors\" into several files and reprocess each");
      }
      return Status(text.status().code(), "error log " + text.status().message());
    }
    auto reader = std::unique_ptr<GoDocumentReader>(new GoDocumentReader(path));
    reader->text_ = simdjson::padded_string(*text);
    SKYFLOW_RETURN_IF_ERROR(reader->Check(*text));
    return std::unique_ptr<ErrorLogReader>(std::move(reader));
  }

  Result<bool> Next(ErrorLogEntry* entry, uint64_t* line) override {
    while (record_ == batch_records_.size()) {
      if (batch_ == batches_.size()) return false;
      LoadBatch(batches_[batch_++]);
    }
    const dom::element record = batch_records_[record_++];
    *entry = template_;
    std::string_view text;
    if (record["Value"].get_string().get(text) == simdjson::SUCCESS) entry->value = text;
    if (record["Token"].get_string().get(text) == simdjson::SUCCESS) entry->token = text;
    entry->sequence = sequence_++;
    *line = sequence_;
    return true;
  }

  ErrorLogFormat format() const override { return ErrorLogFormat::kGo; }
  const std::optional<GoErrorLogHeader>& go_header() const override { return header_; }
  std::optional<uint64_t> torn_line() const override { return std::nullopt; }

 private:
  explicit GoDocumentReader(std::string path) : ErrorLogReader(std::move(path)) {}

  Status Invalid(const std::string& member, const std::string& problem) const {
    return Status::ParseError("error log " + path() + ": " + member + " " + problem +
                              " (a Go loader error log, see the README)");
  }

  // Reads `member` of `object` into `out`; a missing member is an error only
  // when `required`.
  Status String(dom::object object, const char* member, const std::string& where, bool required,
                std::string* out) const {
    dom::element value;
    if (object[member].get(value) != simdjson::SUCCESS) {
      return required ? Invalid(where + member, "is missing") : Status::Ok();
    }
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      return Invalid(where + member, "must be a string");
    }
    out->assign(text);
    return Status::Ok();
  }
  Status Unsigned(dom::object object, const char* member, const std::string& where,
                  uint64_t* out) const {
    dom::element value;
    if (object[member].get(value) != simdjson::SUCCESS) return Status::Ok();
    if (value.get_uint64().get(*out) != simdjson::SUCCESS) {
      return Invalid(where + member, "must be a non-negative integer");
    }
    return Status::Ok();
  }

  Status Check(std::string_view raw) {
    dom::element root;
    if (const simdjson::error_code error = parser_.parse(text_).get(root)) {
      const Status described =
          DescribeJsonFileError(path(), raw, "expected the Go loader's error log object",
                                std::string("not an error log: ") + simdjson::error_message(error));
      return Status(described.code(), "error log " + described.message());
    }
    dom::object top;
    if (root.get_object().get(top) != simdjson::SUCCESS) {
      return Invalid("the document", "must be one JSON object");
    }
    GoErrorLogHeader& header = header_.emplace();
    SKYFLOW_RETURN_IF_ERROR(String(top, "vault_name", "", true, &header.vault_name));
    if (header.vault_name.empty()) return Invalid("vault_name", "is empty");
    SKYFLOW_RETURN_IF_ERROR(String(top, "vault_id", "", false, &header.vault_id));
    SKYFLOW_RETURN_IF_ERROR(String(top, "column", "", false, &header.column));
    SKYFLOW_RETURN_IF_ERROR(String(top, "timestamp", "", false, &header.timestamp));
    SKYFLOW_RETURN_IF_ERROR(Unsigned(top, "total_errors", "", &header.total_errors));
    SKYFLOW_RETURN_IF_ERROR(Unsigned(top, "failed_records", "", &header.failed_records));
    dom::element errors;
    if (top["errors"].get(errors) != simdjson::SUCCESS) return Invalid("errors", "is missing");
    dom::array batches;
    if (errors.get_array().get(batches) != simdjson::SUCCESS) {
      return Invalid("errors", "must be an array");
    }
    uint64_t records = 0;
    size_t index = 0;
    for (const dom::element batch : batches) {
      const std::string where = "errors[" + std::to_string(index++) + "].";
      dom::object object;
      if (batch.get_object().get(object) != simdjson::SUCCESS) {
        return Invalid(where.substr(0, where.size() - 1), "must be an object");
      }
      std::string ignored;
      uint64_t number = 0;
      SKYFLOW_RETURN_IF_ERROR(Unsigned(object, "batch_number", where, &number));
      SKYFLOW_RETURN_IF_ERROR(Unsigned(object, "status_code", where, &number));
      if (number > 999) return Invalid(where + "status_code", "must be an HTTP status");
      SKYFLOW_RETURN_IF_ERROR(String(object, "error", where, false, &ignored));
      SKYFLOW_RETURN_IF_ERROR(String(object, "timestamp", where, false, &ignored));
      dom::array list;
      if (object["records"].get_array().get(list) != simdjson::SUCCESS) {
        return Invalid(where + "records", "must be an array");
      }
      size_t record_index = 0;
      for (const dom::element record : list) {
        const std::string record_where = where + "records[" + std::to_string(record_index++) + "].";
        dom::object fields;
        if (record.get_object().get(fields) != simdjson::SUCCESS) {
          return Invalid(record_where.substr(0, record_where.size() - 1), "must be an object");
        }
        SKYFLOW_RETURN_IF_ERROR(String(fields, "Value", record_where, true, &ignored));
        SKYFLOW_RETURN_IF_ERROR(String(fields, "Token", record_where, true, &ignored));
        ++records;
      }
      batches_.push_back(object);
    }
    if (records == 0) return EmptyErrorLog(path());
    return Status::Ok();
  }

  void LoadBatch(dom::object batch) {
    template_ = ErrorLogEntry{};
    template_.vault = header_->vault_name;
    template_.vault_id = header_->vault_id;
    template_.column = header_->column;
    template_.table = header_->column;
    template_.stage = ErrorLogStage::kVault;
    // Check() has made sure of every member's type.
    uint64_t number = 0;
    if (batch["batch_number"].get_uint64().get(number) == simdjson::SUCCESS) {
      template_.batch = number;
    }
    if (batch["status_code"].get_uint64().get(number) == simdjson::SUCCESS) {
      template_.status = static_cast<int64_t>(number);
    }
    template_.outcome =
        template_.status == 409 ? ErrorLogOutcome::kConflict : ErrorLogOutcome::kFailed;
    std::string_view text;
    if (batch["error"].get_string().get(text) == simdjson::SUCCESS) template_.message = text;
    if (batch["timestamp"].get_string().get(text) == simdjson::SUCCESS) template_.time = text;
    batch_records_.clear();
    dom::array records;
    if (batch["records"].get_array().get(records) == simdjson::SUCCESS) {
      for (const dom::element record : records)
        batch_records_.push_back(record);
    }
    record_ = 0;
  }

  simdjson::padded_string text_;
  dom::parser parser_;
  std::optional<GoErrorLogHeader> header_;
  std::vector<dom::object> batches_;
  size_t batch_ = 0;
  std::vector<dom::element> batch_records_;
  size_t record_ = 0;
  ErrorLogEntry template_;
  uint64_t sequence_ = 0;
};

// What the first line that is not blank says about the file's format.
enum class FirstLine { kJsonLinesEntry, kGoDocument, kNeither };

FirstLine Classify(std::string_view line, bool terminated) {
  const std::string_view trimmed = Trimmed(line);
  if (trimmed.empty() || trimmed.front() != '{') return FirstLine::kNeither;
  if (trimmed == "{") return FirstLine::kGoDocument;
  dom::parser parser;
  dom::element root;
  if (parser.parse(trimmed.data(), trimmed.size()).get(root) != simdjson::SUCCESS) {
    // The start of an object spread over lines is a document; one line
    // that stops early is a torn entry (the JSON Lines reader says so).
    return terminated ? FirstLine::kGoDocument : FirstLine::kJsonLinesEntry;
  }
  dom::element errors;
  if (root["errors"].get(errors) == simdjson::SUCCESS) return FirstLine::kGoDocument;
  return FirstLine::kJsonLinesEntry;
}

}  // namespace

const char* ErrorLogFormatName(ErrorLogFormat format) {
  return format == ErrorLogFormat::kGo ? "Go loader" : "JSON Lines";
}

Status EmptyErrorLog(const std::string& path) {
  return Status::InvalidArgument("error log " + path +
                                 " holds no failed records: nothing to reprocess");
}

Result<std::unique_ptr<ErrorLogReader>> ErrorLogReader::Open(const std::string& path,
                                                             const ErrorLogReadOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return Status::NotFound("error log " + path + ": no such file");
    return Status::IoError("error log " + path + ": cannot open: " + ErrnoText(error));
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    return Status::IoError("error log " + path + " is a directory; pass the log file itself");
  }
  auto lines = std::make_unique<LineReader>(fd, path, options.max_line_bytes);
  std::string line;
  bool terminated = false;
  for (;;) {
    Result<bool> more = lines->Next(&line, &terminated);
    if (!more.ok()) return more.status();
    if (!*more) return EmptyErrorLog(path);
    if (lines->line_number() == 1 && line.starts_with(kUtf8Bom)) line.erase(0, kUtf8Bom.size());
    if (!IsBlank(line)) break;
  }
  switch (Classify(line, terminated)) {
    case FirstLine::kJsonLinesEntry:
      return std::unique_ptr<ErrorLogReader>(std::make_unique<JsonLinesReader>(
          path, std::move(lines), std::move(line), terminated, options));
    case FirstLine::kGoDocument:
      lines.reset();
      return GoDocumentReader::Open(path, options);
    case FirstLine::kNeither:
      break;
  }
  return Status::ParseError("error log " + path + ":" + std::to_string(lines->line_number()) +
                            ": not an error log: expected the loader's JSON Lines (one object "
                            "per line) or the Go loader's error_log_<VAULT>_<time>.json object");
}

}  // namespace skyflow
