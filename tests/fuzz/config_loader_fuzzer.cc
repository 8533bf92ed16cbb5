// Fuzz target: the config file loader (config/config_loader.h) on arbitrary
// text, through ApplyConfigJson (what LoadConfigFile runs on a file's
// contents). Checks that:
//   - it never crashes, and fails only with ParseError (malformed JSON) or
//     InvalidArgument (a value of the wrong type);
//   - a ParseError names a position within the text: "fuzz.json:line:column:
//     invalid JSON: ..."; an InvalidArgument names the file; neither holds a
//     control character, nor, when the text is UTF-8, half a character;
//   - on error the config and the warnings are left as they were;
//   - applying the same text twice gives what applying it once gave.
// Input: the text of config.json.
// Links: skyflow_config
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "config/config_loader.h"
#include "config/loader_config.h"
#include "fuzz_support.h"
#include "util/utf8.h"

namespace skyflow {
namespace {

constexpr char kFileName[] = "fuzz.json";

// Every field a config file can set, in one string, to compare configs (a
// key added to config_loader.cc belongs here too).
std::string Describe(const LoaderConfig& config) {
  std::string out;
  const auto add = [&out](std::string_view name, const auto& value) {
    out += name;
    out += '=';
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
      out += fuzz::Escaped(value);
    } else {
      out += std::to_string(value);
    }
    out += '\n';
  };
  const SkyflowConfig& skyflow = config.skyflow;
  add("vault_url", skyflow.vault_url);
  add("bearer_token", skyflow.bearer_token);
  for (const VaultConfig& vault : skyflow.vaults) {
    add("vault.name", vault.name);
    add("vault.id", vault.id);
    add("vault.column", vault.column);
    add("vault.table", vault.table);
    add("vault.data_file", vault.data_file);
    add("vault.tokens_file", vault.tokens_file);
    add("vault.value_header", vault.value_header);
    add("vault.token_header", vault.token_header);
  }
  const SnowflakeConfig& sf = config.snowflake;
  add("user", sf.user);
  add("password", sf.password);
  add("authenticator", sf.authenticator);
  add("account", sf.account);
  add("warehouse", sf.warehouse);
  add("database", sf.database);
  add("schema", sf.schema);
  add("role", sf.role);
  add("fetch_size", sf.fetch_size);
  add("query_mode", sf.query_mode);
  add("table", sf.table);
  add("clm_table", sf.clm_table);
  add("mbr_table", sf.mbr_table);
  add("data_directory", config.csv.data_directory);
  add("max_field_bytes", config.csv.max_field_bytes);
  const PerformanceConfig& perf = config.performance;
  add("batch_size", perf.batch_size);
  add("max_concurrency", perf.max_concurrency);
  add("max_records", perf.max_records.value_or(-1));
  add("append_suffix", perf.append_suffix);
  add("base_delay_ms", perf.base_delay_ms);
  add("upsert", perf.upsert);
  add("max_attempts", perf.max_attempts);
  add("request_timeout_ms", perf.request_timeout_ms);
  add("retry_base_delay_ms", perf.retry_base_delay_ms);
  add("retry_max_delay_ms", perf.retry_max_delay_ms);
  add("concurrency_mode", perf.concurrency_mode);
  add("max_retry_time", perf.max_retry_time);
  add("api", perf.api);
  return out;
}

// Whether `message` starts "fuzz.json:<line>:<column>: invalid JSON: " with
// a line and column inside `text`.
bool NamesPosition(const std::string& message, std::string_view text) {
  const std::string prefix = std::string(kFileName) + ":";
  if (!message.starts_with(prefix)) return false;
  size_t pos = prefix.size();
  const auto number = [&message, &pos]() -> size_t {
    size_t value = 0;
    const size_t start = pos;
    while (pos < message.size() && message[pos] >= '0' && message[pos] <= '9' && pos - start < 12)
      value = value * 10 + static_cast<size_t>(message[pos++] - '0');
    return pos == start ? 0 : value;
  };
  const size_t line = number();
  if (line == 0 || pos >= message.size() || message[pos++] != ':') return false;
  const size_t column = number();
  if (column == 0 || !std::string_view(message).substr(pos).starts_with(": invalid JSON: ")) {
    return false;
  }
  // The column may be one past the line's last byte (an error at its end).
  size_t line_start = 0;
  for (size_t i = 1; i < line; ++i) {
    line_start = text.find('\n', line_start);
    if (line_start == std::string_view::npos) return false;
    ++line_start;
  }
  const size_t line_end = std::min(text.find('\n', line_start), text.size());
  return column <= line_end - line_start + 1;
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string defaults = Describe(LoaderConfig{});

  LoaderConfig config;
  std::vector<std::string> warnings = {"a warning from before"};
  const Status status = ApplyConfigJson(text, kFileName, &config, &warnings);
  if (!status.ok()) {
    if (status.code() == StatusCode::kParseError) {
      FUZZ_CHECK(NamesPosition(status.message(), text),
                 "no position in the text: " + status.message());
    } else {
      FUZZ_CHECK(status.code() == StatusCode::kInvalidArgument, fuzz::Describe(status));
      FUZZ_CHECK(status.message().starts_with(std::string(kFileName) + ": "),
                 "the file is not named: " + status.message());
    }
    const std::string& message = status.message();
    FUZZ_CHECK(std::none_of(message.begin(), message.end(),
                            [](char c) { return static_cast<unsigned char>(c) < 0x20; }),
               "a control character in " + fuzz::Escaped(message));
    FUZZ_CHECK(FindInvalidUtf8(text) || !FindInvalidUtf8(message),
               "UTF-8 text, a message that is not: " + fuzz::Escaped(message));
    FUZZ_CHECK(Describe(config) == defaults, "the config changed on " + fuzz::Describe(status));
    FUZZ_CHECK(warnings.size() == 1, "warnings added on " + fuzz::Describe(status));
    return 0;
  }

  const std::string once = Describe(config);
  const Status again = ApplyConfigJson(text, kFileName, &config, nullptr);
  FUZZ_CHECK(again.ok(), "applying it again: " + fuzz::Describe(again));
  FUZZ_CHECK(Describe(config) == once,
             "applying it again gives\n" + Describe(config) + "instead of\n" + once);
  return 0;
}
