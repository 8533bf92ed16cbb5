#include "config/config_loader.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>

#include "util/ascii.h"
#include "util/json_syntax.h"
#include "util/json_writer.h"
#include "util/small_file.h"
#include "util/utf8.h"

namespace skyflow {
namespace {

namespace dom = simdjson::dom;

// Nobody writes a config file this big; a larger file is almost certainly the
// wrong path (a data file passed to -config), and reading it whole would only
// delay the error.
constexpr size_t kMaxConfigBytes = size_t{16} << 20;

// Same depth limit as simdjson's default, so the syntax scanner below never
// recurses deeper than the parser would.

char FoldChar(char c) {
  return c == '-' ? '_' : AsciiLower(c);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution =
          previous[j - 1] + (FoldChar(a[i - 1]) == FoldChar(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string Folded(std::string_view text) {
  std::string folded(text);
  for (char& c : folded)
    c = FoldChar(c);
  return folded;
}

std::string Truncated(std::string_view text) {
  constexpr size_t kMaxShown = 60;
  if (text.size() <= kMaxShown) return std::string(text);
  // Not inside a character: the message would not be UTF-8.
  return std::string(text.substr(0, Utf8CutPoint(text, kMaxShown))) + "...";
}

std::string FormatNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// "string \"300\"", "number 2.5", "an array"; for a secret key only the type,
// so that a password put under the wrong key is not echoed back.
std::string DescribeValue(dom::element value, bool secret) {
  switch (value.type()) {
    case dom::element_type::STRING:
      if (secret) return "a string";
      return "string " + JsonQuote(Truncated(std::string_view(value.get_string().value_unsafe())));
    case dom::element_type::INT64:
      if (secret) return "a number";
      return "number " + std::to_string(value.get_int64().value_unsafe());
    case dom::element_type::UINT64:
      if (secret) return "a number";
      return "number " + std::to_string(value.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE:
      if (secret) return "a number";
      return "number " + FormatNumber(value.get_double().value_unsafe());
    case dom::element_type::BOOL:
      if (secret) return "a boolean";
      return value.get_bool().value_unsafe() ? "boolean true" : "boolean false";
    case dom::element_type::NULL_VALUE:
      return "null";
    case dom::element_type::ARRAY:
      return "an array";
    case dom::element_type::OBJECT:
      return "an object";
  }
  return "a value";
}

// Applies one parsed document onto a LoaderConfig. Each section is a table of
// known keys; the table also feeds the "did you mean" suggestions.
class ConfigApplier {
 public:
  ConfigApplier(std::string_view file_name, std::vector<std::string>* warnings)
      : file_name_(file_name), warnings_(warnings) {}

  Status ApplyRoot(dom::element root, LoaderConfig* config) {
    return ApplyObject(
        root, "",
        {
            {"skyflow", Nested(&ConfigApplier::ApplySkyflow, &config->skyflow)},
            {"snowflake", Nested(&ConfigApplier::ApplySnowflake, &config->snowflake)},
            {"csv", Nested(&ConfigApplier::ApplyCsv, &config->csv)},
            {"postgres", Nested(&ConfigApplier::ApplyPostgres, &config->postgres)},
            {"performance", Nested(&ConfigApplier::ApplyPerformance, &config->performance)},
            {"metrics", Nested(&ConfigApplier::ApplyMetrics, &config->metrics)},
        });
  }

 private:
  using KeyApply = std::function<Status(dom::element value, const std::string& path)>;
  struct Key {
    std::string_view name;
    KeyApply apply;
  };

  // A key whose value is an object or array applied by one of the methods below.
  template <typename Target>
  KeyApply Nested(Status (ConfigApplier::*apply)(dom::element, const std::string&, Target*),
                  Target* target) {
    return [this, apply, target](dom::element value, const std::string& path) {
      return (this->*apply)(value, path, target);
    };
  }

  Status ApplyCsv(dom::element section, const std::string& path, CsvConfig* csv) {
    return ApplyObject(section, path,
                       {{"data_directory", StringKey(&csv->data_directory)},
                        {"max_field_bytes", CountKey(&csv->max_field_bytes)}});
  }

  Status ApplyPostgres(dom::element section, const std::string& path, PostgresConfig* postgres) {
    return ApplyObject(section, path, {{"dsn", StringKey(&postgres->dsn, /*secret=*/true)}});
  }

  Status ApplySkyflow(dom::element section, const std::string& path, SkyflowConfig* skyflow) {
    return ApplyObject(section, path,
                       {
                           {"vault_url", StringKey(&skyflow->vault_url)},
                           {"bearer_token", StringKey(&skyflow->bearer_token, /*secret=*/true)},
                           {"bearer_token_file", StringKey(&skyflow->bearer_token_file)},
                           {"vaults", Nested(&ConfigApplier::ApplyVaults, &skyflow->vaults)},
                       });
  }

  Status ApplyVaults(dom::element value, const std::string& path,
                     std::vector<VaultConfig>* vaults) {
    dom::array entries;
    if (value.get_array().get(entries) != simdjson::SUCCESS) {
      return WrongType(path, "must be an array of vault objects", value, false);
    }
    std::vector<VaultConfig> parsed;
    size_t index = 0;
    for (dom::element entry : entries) {
      const std::string entry_path = path + "[" + std::to_string(index++) + "]";
      VaultConfig vault;
      SKYFLOW_RETURN_IF_ERROR(ApplyObject(
          entry, entry_path,
          {
              {"name", StringKey(&vault.name)},
              {"id", StringKey(&vault.id)},
              {"column", StringKey(&vault.column)},
              {"table", StringKey(&vault.table)},
              {"data_file", StringKey(&vault.data_file)},
              {"tokens_file", StringKey(&vault.tokens_file)},
              {"value_header", StringKey(&vault.value_header)},
              {"token_header", StringKey(&vault.token_header)},
              {"snowflake", Nested(&ConfigApplier::ApplyVaultSnowflake, &vault.snowflake)},
              {"mock_values", StringKey(&vault.mock_values)},
              {"query", StringKey(&vault.query)},
          }));
      parsed.push_back(std::move(vault));
    }
    *vaults = std::move(parsed);
    return Status::Ok();
  }

  Status ApplyVaultSnowflake(dom::element section, const std::string& path,
                             SnowflakeVaultColumns* columns) {
    return ApplyObject(section, path,
                       {
                           {"value_column", StringKey(&columns->value_column)},
                           {"value_expression", StringKey(&columns->value_expression)},
                           {"token_column", StringKey(&columns->token_column)},
                           {"clm_column", StringKey(&columns->clm_column)},
                           {"mbr_column", StringKey(&columns->mbr_column)},
                           {"detok_udf", StringKey(&columns->detok_udf)},
                       });
  }

  Status ApplySnowflake(dom::element section, const std::string& path, SnowflakeConfig* snowflake) {
    return ApplyObject(
        section, path,
        {
            {"user", StringKey(&snowflake->user)},
            {"password", StringKey(&snowflake->password, /*secret=*/true)},
            {"authenticator", StringKey(&snowflake->authenticator)},
            {"account", StringKey(&snowflake->account)},
            {"warehouse", StringKey(&snowflake->warehouse)},
            {"database", StringKey(&snowflake->database)},
            {"schema", StringKey(&snowflake->schema)},
            {"role", StringKey(&snowflake->role)},
            {"fetch_size", CountKey(&snowflake->fetch_size)},
            {"query_mode", StringKey(&snowflake->query_mode)},
            {"table", StringKey(&snowflake->table)},
            {"clm_table", StringKey(&snowflake->clm_table)},
            {"mbr_table", StringKey(&snowflake->mbr_table)},
            {"udf_database", StringKey(&snowflake->udf_database)},
            {"udf_schema", StringKey(&snowflake->udf_schema)},
            {"url", StringKey(&snowflake->url)},
            {"private_key_file", StringKey(&snowflake->private_key_file)},
            {"private_key_passphrase",
             StringKey(&snowflake->private_key_passphrase, /*secret=*/true)},
            {"prefetch", CountKey(&snowflake->prefetch)},
            {"statement_timeout_seconds", CountKey(&snowflake->statement_timeout_seconds)},
        });
  }

  Status ApplyPerformance(dom::element section, const std::string& path,
                          PerformanceConfig* performance) {
    return ApplyObject(section, path,
                       {
                           {"batch_size", CountKey(&performance->batch_size)},
                           {"max_concurrency", CountKey(&performance->max_concurrency)},
                           {"max_records", OptionalCountKey(&performance->max_records)},
                           {"append_suffix", BoolKey(&performance->append_suffix)},
                           {"base_delay_ms", CountKey(&performance->base_delay_ms)},
                           {"upsert", BoolKey(&performance->upsert)},
                           {"max_attempts", CountKey(&performance->max_attempts)},
                           {"request_timeout_ms", CountKey(&performance->request_timeout_ms)},
                           {"retry_base_delay_ms", CountKey(&performance->retry_base_delay_ms)},
                           {"retry_max_delay_ms", CountKey(&performance->retry_max_delay_ms)},
                           {"concurrency_mode", StringKey(&performance->concurrency_mode)},
                           {"max_retry_time", StringKey(&performance->max_retry_time)},
                           {"api", StringKey(&performance->api)},
                       });
  }

  Status ApplyMetrics(dom::element section, const std::string& path, MetricsConfig* metrics) {
    return ApplyObject(section, path, {{"address", StringKey(&metrics->address)}});
  }

  // Walks one JSON object: known keys go to their handler (null values are
  // skipped, as Go's encoding/json does for non-pointer fields), unknown keys
  // become warnings.
  Status ApplyObject(dom::element value, const std::string& path, const std::vector<Key>& keys) {
    dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
      if (path.empty()) {
        return Status::InvalidArgument(file_name_ +
                                       ": the top level must be a JSON object {...}, got " +
                                       DescribeValue(value, false));
      }
      return WrongType(path, "must be an object", value, false);
    }
    std::set<std::string_view> seen;
    for (dom::key_value_pair member : object) {
      const std::string member_path =
          path.empty() ? std::string(member.key) : path + "." + std::string(member.key);
      const Key* key = FindKey(keys, member.key);
      if (key == nullptr) {
        WarnUnknown(member_path, member.key, keys);
        continue;
      }
      if (!seen.insert(key->name).second) {
        Warn("key \"" + member_path + "\" appears more than once; the last one is used");
      }
      if (member.value.type() == dom::element_type::NULL_VALUE) continue;
      SKYFLOW_RETURN_IF_ERROR(key->apply(member.value, member_path));
    }
    return Status::Ok();
  }

  static const Key* FindKey(const std::vector<Key>& keys, std::string_view name) {
    for (const Key& key : keys) {
      if (key.name == name) return &key;
    }
    for (const Key& key : keys) {
      if (EqualsIgnoreCase(key.name, name)) return &key;
    }
    return nullptr;
  }

  void WarnUnknown(const std::string& path, std::string_view name, const std::vector<Key>& keys) {
    std::vector<std::string_view> names;
    names.reserve(keys.size());
    for (const Key& key : keys)
      names.push_back(key.name);
    std::string message = "unknown key \"" + path + "\" (ignored)";
    if (std::optional<std::string> suggestion = ClosestMatch(name, names)) {
      message += "; did you mean \"" + *suggestion + "\"?";
    }
    Warn(message);
  }

  void Warn(const std::string& message) {
    if (warnings_ != nullptr) warnings_->push_back(file_name_ + ": " + message);
  }

  Status WrongType(const std::string& path, std::string_view requirement, dom::element value,
                   bool secret) const {
    return Status::InvalidArgument(file_name_ + ": " + path + " " + std::string(requirement) +
                                   ", got " + DescribeValue(value, secret));
  }

  KeyApply StringKey(std::string* field, bool secret = false) {
    return [this, field, secret](dom::element value, const std::string& path) {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) {
        return WrongType(path, "must be a string", value, secret);
      }
      field->assign(text);
      return Status::Ok();
    };
  }

  KeyApply BoolKey(bool* field) {
    return [this, field](dom::element value, const std::string& path) {
      if (value.get_bool().get(*field) != simdjson::SUCCESS) {
        return WrongType(path, "must be true or false", value, false);
      }
      return Status::Ok();
    };
  }

  KeyApply CountKey(int64_t* field) {
    return [this, field](dom::element value, const std::string& path) {
      return ReadCount(value, path, field);
    };
  }

  KeyApply OptionalCountKey(std::optional<int64_t>* field) {
    return [this, field](dom::element value, const std::string& path) {
      int64_t count = 0;
      SKYFLOW_RETURN_IF_ERROR(ReadCount(value, path, &count));
      *field = count;
      return Status::Ok();
    };
  }

  // Counts, sizes and durations: whole numbers, zero or more. A number written
  // with a fraction or exponent is accepted when its value is whole (1e5).
  Status ReadCount(dom::element value, const std::string& path, int64_t* out) const {
    switch (value.type()) {
      case dom::element_type::INT64: {
        const int64_t number = value.get_int64().value_unsafe();
        if (number < 0) return WrongType(path, "must not be negative", value, false);
        *out = number;
        return Status::Ok();
      }
      case dom::element_type::UINT64:
        return WrongType(path, "is too large", value, false);
      case dom::element_type::DOUBLE: {
        const double number = value.get_double().value_unsafe();
        if (number != std::floor(number)) {
          return WrongType(path, "must be a whole number", value, false);
        }
        if (number < 0) return WrongType(path, "must not be negative", value, false);
        // 2^63 is exactly representable; anything at or above it is out of range.
        if (number >= 9223372036854775808.0) return WrongType(path, "is too large", value, false);
        *out = static_cast<int64_t>(number);
        return Status::Ok();
      }
      default:
        return WrongType(path, "must be an integer", value, false);
    }
  }

  std::string file_name_;
  std::vector<std::string>* warnings_;
};

}  // namespace

std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string_view>& candidates) {
  const std::string folded_word = Folded(word);
  // Short words tolerate one typo; longer ones about one per three letters.
  const size_t tolerance = word.size() <= 3 ? 1 : std::max<size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  size_t best_score = SIZE_MAX;
  for (std::string_view candidate : candidates) {
    const std::string folded_candidate = Folded(candidate);
    size_t score = EditDistance(word, candidate);
    // "concurrency" for "max_concurrency": a known key that contains the word
    // (or the reverse) is a likely intent even when many letters differ.
    const bool contains = folded_word.size() >= 4 && folded_candidate.size() >= 4 &&
                          (folded_candidate.find(folded_word) != std::string::npos ||
                           folded_word.find(folded_candidate) != std::string::npos);
    if (score > tolerance && !contains) continue;
    if (contains) score = std::min(score, tolerance);
    if (score < best_score) {
      best_score = score;
      best = std::string(candidate);
    }
  }
  return best;
}

Status ApplyConfigJson(std::string_view json, std::string_view file_name, LoaderConfig* config,
                       std::vector<std::string>* warnings) {
  // Editors on Windows save UTF-8 with a byte order mark; it carries no data.
  if (json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);

  dom::parser parser;
  const simdjson::padded_string padded(json.data(), json.size());
  dom::element root;
  const simdjson::error_code error = parser.parse(padded).get(root);
  if (error != simdjson::SUCCESS) {
    return DescribeJsonFileError(file_name, json, "expected a JSON object like config.example.json",
                                 simdjson::error_message(error));
  }

  LoaderConfig updated = *config;
  std::vector<std::string> new_warnings;
  SKYFLOW_RETURN_IF_ERROR(ConfigApplier(file_name, &new_warnings).ApplyRoot(root, &updated));
  *config = std::move(updated);
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), new_warnings.begin(), new_warnings.end());
  }
  return Status::Ok();
}

Status LoadConfigFile(const std::string& path, LoaderConfig* config,
                      std::vector<std::string>* warnings) {
  Result<std::string> text = ReadSmallFile(path, kMaxConfigBytes);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("config file " + path +
                              " not found; to start from the example: cp config.example.json " +
                              path + " and fill in the vault URL and vault IDs");
    }
    return Status(text.status().code(), "config file " + text.status().message());
  }
  return ApplyConfigJson(*text, path, config, warnings);
}

}  // namespace skyflow
