#include "source/csv_pair_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "source/record_checks.h"
#include "util/ascii.h"

namespace skyflow {
namespace {

// Long headers are cut in messages; the user needs to recognise the file, not
// read all of it.
constexpr size_t kMaxHeadersShown = 12;

std::string_view TrimBlanks(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string ResolveAgainst(const std::string& directory, const std::string& file) {
  const std::filesystem::path path(file);
  if (path.is_absolute() || directory.empty()) return file;
  return (std::filesystem::path(directory) / path).string();
}

std::string ListHeaders(const std::vector<std::string>& headers) {
  std::string list;
  const size_t shown = std::min(headers.size(), kMaxHeadersShown);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) list += ", ";
    list += '"';
    list += TrimBlanks(headers[i]);
    list += '"';
  }
  if (headers.size() > shown) {
    list += " and " + std::to_string(headers.size() - shown) + " more";
  }
  return list;
}

std::string Plural(uint64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// Finds `expected` in the header row of `reader`'s file. `config_key` is the
// VaultConfig field that overrides the expected name, for the message.
Result<size_t> FindColumn(CsvReader* reader, const std::string& expected, const char* config_key,
                          size_t* header_size) {
  std::vector<std::string> headers;
  bool end_of_file = false;
  SKYFLOW_RETURN_IF_ERROR(reader->ReadRow(&headers, &end_of_file));
  if (end_of_file) {
    return Status::InvalidArgument(reader->path() +
                                   " is empty; expected a header row naming the "
                                   "column \"" +
                                   expected + "\"");
  }
  std::optional<size_t> found;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (TrimBlanks(headers[i]) != expected) continue;
    if (found) {
      return Status::InvalidArgument(
          reader->path() + ":1: the header names column \"" + expected + "\" twice (fields " +
          std::to_string(*found + 1) + " and " + std::to_string(i + 1) +
          "); rename one of them so that the column to load is unambiguous");
    }
    found = i;
  }
  if (!found) {
    return Status::InvalidArgument(reader->path() + ":1: the header has no column \"" + expected +
                                   "\" (found: " + ListHeaders(headers) +
                                   "); rename the column in the file or set \"" + config_key +
                                   "\" for this vault in config.json");
  }
  *header_size = headers.size();
  return *found;
}

}  // namespace

CsvPairLayout CsvLayoutFor(const VaultConfig& vault, const std::string& data_directory) {
  const std::string stem = AsciiLowered(vault.name);
  CsvPairLayout layout;
  layout.value_header = vault.value_header.empty() ? vault.column : vault.value_header;
  layout.token_header =
      vault.token_header.empty() ? layout.value_header + "_token" : vault.token_header;
  layout.data_path = ResolveAgainst(data_directory,
                                    vault.data_file.empty() ? stem + "_data.csv" : vault.data_file);
  layout.tokens_path = ResolveAgainst(
      data_directory, vault.tokens_file.empty() ? stem + "_tokens.csv" : vault.tokens_file);
  return layout;
}

Result<std::unique_ptr<CsvPairSource>> CsvPairSource::Open(const CsvPairLayout& layout,
                                                           CsvOptions options) {
  Result<std::unique_ptr<CsvReader>> data = CsvReader::Open(layout.data_path, options);
  if (!data.ok()) return data.status();
  Result<std::unique_ptr<CsvReader>> tokens = CsvReader::Open(layout.tokens_path, options);
  if (!tokens.ok()) return tokens.status();

  Column value_column;
  Result<size_t> value_index =
      FindColumn(data->get(), layout.value_header, "value_header", &value_column.header_size);
  if (!value_index.ok()) return value_index.status();
  value_column.index = *value_index;

  Column token_column;
  Result<size_t> token_index =
      FindColumn(tokens->get(), layout.token_header, "token_header", &token_column.header_size);
  if (!token_index.ok()) return token_index.status();
  token_column.index = *token_index;

  // The constructor is private, so make_unique cannot call it.
  return std::unique_ptr<CsvPairSource>(new CsvPairSource(layout, std::move(data).value(),
                                                          std::move(tokens).value(), value_column,
                                                          token_column, options.delimiter));
}

CsvPairSource::CsvPairSource(CsvPairLayout layout, std::unique_ptr<CsvReader> data,
                             std::unique_ptr<CsvReader> tokens, Column value_column,
                             Column token_column, char delimiter)
    : layout_(std::move(layout)),
      data_(std::move(data)),
      tokens_(std::move(tokens)),
      value_column_(value_column),
      token_column_(token_column),
      delimiter_(delimiter),
      data_last_line_(data_->row_end_line()),
      tokens_last_line_(tokens_->row_end_line()) {
  struct stat info {};
  if (::stat(layout_.data_path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    data_file_bytes_ = static_cast<uint64_t>(info.st_size);
  }
}

std::optional<SourceSize> CsvPairSource::SizeHint() const {
  if (data_file_bytes_ == 0) return std::nullopt;
  return SourceSize{data_file_bytes_, data_->cursor().offset};
}

std::string CsvPairSource::Describe() const {
  return "CSV " + layout_.data_path + " + " + layout_.tokens_path;
}

Status CsvPairSource::Next(size_t max_rows, SourceChunk* chunk) {
  if (!error_.ok()) return error_;
  for (size_t produced = 0; produced < max_rows && !end_of_input_; ++produced) {
    Status status = ReadPair(chunk, &end_of_input_);
    if (!status.ok()) {
      error_ = status;
      // The rows before the error are good: they go now, the error with
      // the next call.
      return chunk->rows() > 0 ? Status::Ok() : status;
    }
  }
  chunk->end_of_input = end_of_input_;
  return Status::Ok();
}

Status CsvPairSource::ReadPair(SourceChunk* chunk, bool* end_of_input) {
  bool data_done = false;
  bool tokens_done = false;
  // A row the reader had to skip is rejected; its partner in the other file
  // is read all the same, so that the files stay paired.
  Status data_read = data_->ReadRow(&data_fields_, &data_done);
  if (!data_read.ok() && !data_->last_row_skipped()) return data_read;
  Status tokens_read = tokens_->ReadRow(&token_fields_, &tokens_done);
  if (!tokens_read.ok() && !tokens_->last_row_skipped()) return tokens_read;
  if (data_done && tokens_done) {
    *end_of_input = true;
    return Status::Ok();
  }
  if (tokens_done) return LengthMismatch(*tokens_, tokens_last_line_, "token", *data_);
  if (data_done) return LengthMismatch(*data_, data_last_line_, "value", *tokens_);
  data_last_line_ = data_->row_end_line();
  tokens_last_line_ = tokens_->row_end_line();

  const uint64_t sequence = next_sequence_++;
  std::string reason;
  auto add_reason = [&reason](const std::string& text) {
    if (!reason.empty()) reason += "; ";
    reason += text;
  };
  auto check_width = [&](const std::vector<std::string>& fields, const Column& column,
                         const char* what) {
    if (fields.size() == column.header_size) return;
    add_reason(std::string(what) + " row has " + Plural(fields.size(), "field") +
               " but the header has " + std::to_string(column.header_size) +
               "; enclose fields that contain '" + delimiter_ + "' in quotes");
  };
  check_width(data_fields_, value_column_, "data");
  check_width(token_fields_, token_column_, "token");

  if (!data_read.ok() || !tokens_read.ok()) {
    RejectedRow rejected;
    rejected.sequence = sequence;
    rejected.origin = PairOrigin();
    rejected.reason = !data_read.ok() ? data_read.message() : tokens_read.message();
    if (data_read.ok() && value_column_.index < data_fields_.size()) {
      rejected.value = std::move(data_fields_[value_column_.index]);
    }
    if (tokens_read.ok() && token_column_.index < token_fields_.size()) {
      rejected.token = std::move(token_fields_[token_column_.index]);
    }
    chunk->rejected.push_back(std::move(rejected));
    return Status::Ok();
  }

  std::string value;
  std::string token;
  if (value_column_.index < data_fields_.size())
    value = std::move(data_fields_[value_column_.index]);
  if (token_column_.index < token_fields_.size()) {
    token = std::move(token_fields_[token_column_.index]);
  }
  if (reason.empty()) reason = RecordContentProblem(value, token);

  if (!reason.empty()) {
    RejectedRow rejected;
    rejected.sequence = sequence;
    rejected.origin = PairOrigin();
    rejected.reason = std::move(reason);
    rejected.value = std::move(value);
    rejected.token = std::move(token);
    chunk->rejected.push_back(std::move(rejected));
    return Status::Ok();
  }
  Record record;
  record.sequence = sequence;
  record.origin_line = data_->row_start_line();
  record.value = std::move(value);
  record.token = std::move(token);
  chunk->records.push_back(std::move(record));
  return Status::Ok();
}

Status CsvPairSource::LengthMismatch(const CsvReader& shorter, uint64_t shorter_last_line,
                                     const char* unit, const CsvReader& longer) const {
  return Status::InvalidArgument(
      shorter.path() + " ends at line " + std::to_string(shorter_last_line) + " (" +
      Plural(next_sequence_, unit) + ") but " + longer.path() + " has more rows (next at line " +
      std::to_string(longer.row_start_line()) + "); both files must have one row per record");
}

std::vector<SourceFact> CsvPairSource::Identity() const {
  std::vector<SourceFact> facts;
  for (const auto& [role, path] : {std::pair{"data file", &layout_.data_path},
                                   std::pair{"tokens file", &layout_.tokens_path}}) {
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(*path, error);
    facts.push_back({role, error ? *path : absolute.lexically_normal().string()});
    struct stat info {};
    if (::stat(path->c_str(), &info) != 0) continue;
    facts.push_back({std::string(role) + " size", std::to_string(info.st_size)});
    facts.push_back(
        {std::string(role) + " modification time",
         std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec)});
  }
  return facts;
}

std::string CsvPairSource::Cursor() const {
  const CsvReader::Cursor data = data_->cursor();
  const CsvReader::Cursor tokens = tokens_->cursor();
  return std::to_string(data.offset) + ":" + std::to_string(data.line) + "," +
         std::to_string(tokens.offset) + ":" + std::to_string(tokens.line);
}

Status CsvPairSource::Resume(uint64_t next_sequence, const std::string& cursor) {
  if (next_sequence == 0 && cursor.empty()) return Status::Ok();
  CsvReader::Cursor data;
  CsvReader::Cursor tokens;
  char end = 0;
  unsigned long long values[4] = {};
  if (std::sscanf(cursor.c_str(), "%llu:%llu,%llu:%llu%c", &values[0], &values[1], &values[2],
                  &values[3], &end) != 4 ||
      values[1] == 0 || values[3] == 0) {
    return Status::InvalidArgument("cannot resume " + Describe() + ": position \"" + cursor +
                                   "\" is not one this loader wrote; start a new run");
  }
  data = {values[0], values[1]};
  tokens = {values[2], values[3]};
  SKYFLOW_RETURN_IF_ERROR(data_->SeekTo(data));
  SKYFLOW_RETURN_IF_ERROR(tokens_->SeekTo(tokens));
  next_sequence_ = next_sequence;
  data_last_line_ = data.line - 1;
  tokens_last_line_ = tokens.line - 1;
  end_of_input_ = false;
  error_ = Status::Ok();
  return Status::Ok();
}

std::string CsvPairSource::OriginLabel() const {
  return layout_.data_path;
}

std::string CsvPairSource::PairOrigin() const {
  std::string origin = data_->path() + ":" + std::to_string(data_->row_start_line());
  if (tokens_->row_start_line() != data_->row_start_line()) {
    origin += " / " + tokens_->path() + ":" + std::to_string(tokens_->row_start_line());
  }
  return origin;
}

}  // namespace skyflow
