// Status and Result<T>: expected failures as values.
//
// A bad row, a refused connection or an invalid flag is not exceptional for a
// bulk loader, so functions that can fail in those ways return a Status (or a
// Result<T> carrying a value on success). Exceptions are reserved for what ends
// the run. Messages are written for the user: what went wrong, where, and what
// to do about it. Both types are cheap to move and safe to copy; they hold no
// shared state and are not synchronised.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace skyflow {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad flag, config value or input row
  kNotFound,         // missing file, vault, table
  kIoError,          // read/write failure on a local file
  kParseError,       // malformed CSV or JSON
  kUnavailable,      // transient: network, 5xx, 429
  kUnauthenticated,  // credentials rejected
  kConflict,         // uniqueness violation
  kCancelled,        // interrupted by the user
  kInternal,         // a broken invariant
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "ParseError: data/name_data.csv:12: unterminated quoted field ..."
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace skyflow

// Returns early from the enclosing function when `expr` is not ok.
#define SKYFLOW_RETURN_IF_ERROR(expr)   \
  do {                                  \
    ::skyflow::Status _status = (expr); \
    if (!_status.ok()) return _status;  \
  } while (false)
