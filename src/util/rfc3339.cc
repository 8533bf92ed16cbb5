#include "util/rfc3339.h"

namespace skyflow {
namespace {

// The `count` digits at `text[at]` as a number, or -1.
int Digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool At(std::string_view text, size_t at, char c) {
  return at < text.size() && text[at] == c;
}

}  // namespace

std::string FormatRfc3339Utc(std::time_t time) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

std::optional<std::time_t> ParseRfc3339(std::string_view text) {
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || !At(text, 4, '-') ||
      !At(text, 7, '-') || !(At(text, 10, 'T') || At(text, 10, 't')) || !At(text, 13, ':') ||
      !At(text, 16, ':')) {
    return std::nullopt;
  }
  size_t at = 19;
  if (At(text, at, '.')) {
    ++at;
    const size_t digits_start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9')
      ++at;
    if (at == digits_start) return std::nullopt;
  }
  long offset_seconds = 0;
  if (At(text, at, 'Z') || At(text, at, 'z')) {
    ++at;
  } else if (At(text, at, '+') || At(text, at, '-')) {
    const int offset_hours = Digits(text, at + 1, 2);
    const int offset_minutes = Digits(text, at + 4, 2);
    if (offset_hours < 0 || offset_hours > 23 || offset_minutes < 0 || offset_minutes > 59 ||
        !At(text, at + 3, ':')) {
      return std::nullopt;
    }
    offset_seconds = (offset_hours * 3600L + offset_minutes * 60L) * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return timegm(&parts) - offset_seconds;
}

}  // namespace skyflow
