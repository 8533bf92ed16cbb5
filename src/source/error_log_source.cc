#include "source/error_log_source.h"

#include "source/record_checks.h"
#include "util/ascii.h"

namespace skyflow {

Result<std::unique_ptr<ErrorLogSource>> ErrorLogSource::Open(const ErrorLogSourceOptions& options) {
  ErrorLogReadOptions read_options;
  read_options.skip_torn_tail = options.skip_torn_tail;
  Result<std::unique_ptr<ErrorLogReader>> reader = ErrorLogReader::Open(options.path, read_options);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<ErrorLogSource>(new ErrorLogSource(options, std::move(reader).value()));
}

Status ErrorLogSource::Next(size_t max_rows, SourceChunk* chunk) {
  if (!error_.ok()) return error_;
  ErrorLogEntry entry;
  uint64_t line = 0;
  while (chunk->rows() < max_rows && !end_of_input_) {
    Result<bool> more = reader_->Next(&entry, &line);
    if (!more.ok()) {
      error_ = more.status();
      // Rows read before the error go first (record_source.h).
      return chunk->rows() > 0 ? Status::Ok() : error_;
    }
    if (!*more) {
      end_of_input_ = true;
      break;
    }
    const uint64_t sequence = position_++;
    if (!EqualsIgnoreCase(entry.vault, options_.vault)) continue;
    if (!ShouldResend(ClassifyFailure(entry), options_.selection)) continue;
    if (std::string problem = RecordContentProblem(entry.value, entry.token); !problem.empty()) {
      chunk->rejected.push_back(RejectedRow{sequence, FormatOrigin(options_.path, line),
                                            std::move(problem), std::move(entry.value),
                                            std::move(entry.token)});
      continue;
    }
    chunk->records.push_back(
        Record{sequence, line, std::move(entry.value), std::move(entry.token)});
  }
  chunk->end_of_input = end_of_input_;
  return Status::Ok();
}

}  // namespace skyflow
