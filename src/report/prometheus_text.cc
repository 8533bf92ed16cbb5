#include "report/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <utility>

namespace skyflow {
namespace {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Exposition {
 public:
  explicit Exposition(std::string* out) : out_(out) {}

  void Family(std::string_view name, std::string_view type, std::string_view help) {
    Append("# HELP ", name, " ");
    for (const char c : help) {
      if (c == '\\') {
        *out_ += "\\\\";
      } else if (c == '\n') {
        *out_ += "\\n";
      } else {
        *out_ += c;
      }
    }
    Append("\n# TYPE ", name, " ");
    Append(type, "\n", "");
  }

  void Sample(std::string_view name, Labels labels, double value) {
    *out_ += name;
    if (labels.size() > 0) {
      *out_ += '{';
      bool first = true;
      for (const auto& [label, text] : labels) {
        if (!first) *out_ += ',';
        first = false;
        Append(label, "=\"", EscapeLabelValue(text));
        *out_ += '"';
      }
      *out_ += '}';
    }
    Append(" ", FormatSampleValue(value), "\n");
  }

 private:
  void Append(std::string_view a, std::string_view b, std::string_view c) {
    *out_ += a;
    *out_ += b;
    *out_ += c;
  }

  std::string* out_;
};

double AsDouble(uint64_t count) {
  return static_cast<double>(count);
}

void VaultCounter(Exposition& page, const std::vector<VaultMetrics>& vaults, const char* name,
                  const char* help, uint64_t VaultMetrics::*field) {
  page.Family(name, "counter", help);
  for (const VaultMetrics& vault : vaults)
    page.Sample(name, {{"vault", vault.name}}, AsDouble(vault.*field));
}

void VaultGauge(Exposition& page, const std::vector<VaultMetrics>& vaults, const char* name,
                const char* help, uint64_t VaultMetrics::*field) {
  page.Family(name, "gauge", help);
  for (const VaultMetrics& vault : vaults)
    page.Sample(name, {{"vault", vault.name}}, AsDouble(vault.*field));
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Counts stay exact as integers up to 2^53.
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    return std::to_string(static_cast<int64_t>(value));
  }
  // Plain decimals where they stay short ("0.0001", not "1e-04", as the
  // histogram bounds of other exporters read).
  const double magnitude = std::fabs(value);
  const std::chars_format format =
      magnitude >= 1e-9 && magnitude < 1e15 ? std::chars_format::fixed : std::chars_format::general;
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, format);
  return error == std::errc() ? std::string(buffer, end) : "NaN";
}

std::string RenderPrometheusText(const MetricsSnapshot& snapshot) {
  std::string out;
  Exposition page(&out);
  const std::vector<VaultMetrics>& vaults = snapshot.vaults;

  page.Family("skyflow_loader_info", "gauge", "The loader's version, as a label; always 1.");
  page.Sample("skyflow_loader_info", {{"version", snapshot.version}}, 1);
  page.Family("skyflow_loader_process_start_time_seconds", "gauge",
              "Start time of the loader process since the Unix epoch, in seconds.");
  page.Sample("skyflow_loader_process_start_time_seconds", {}, snapshot.start_time_seconds);
  page.Family("skyflow_loader_process_resident_memory_bytes", "gauge",
              "Resident memory of the loader process, in bytes.");
  page.Sample("skyflow_loader_process_resident_memory_bytes", {},
              AsDouble(snapshot.resident_memory_bytes));

  VaultCounter(page, vaults, "skyflow_loader_rows_read_total",
               "Rows read from the source (records plus rejected rows).", &VaultMetrics::rows_read);

  page.Family("skyflow_loader_records_total", "counter",
              "Records by outcome: loaded (stored by this run), already_present (the vault held "
              "the same pair), conflicts (token or value stored with another partner), failed "
              "(refused, or retries given up), rejected (by the source, never sent), unsent (the "
              "run stopped first).");
  for (const VaultMetrics& vault : vaults) {
    const std::pair<const char*, uint64_t> outcomes[] = {
        {"loaded", vault.loaded},       {"already_present", vault.already_present},
        {"conflicts", vault.conflicts}, {"failed", vault.failed},
        {"rejected", vault.rejected},   {"unsent", vault.unsent}};
    for (const auto& [outcome, count] : outcomes) {
      page.Sample("skyflow_loader_records_total", {{"vault", vault.name}, {"outcome", outcome}},
                  AsDouble(count));
    }
  }

  page.Family("skyflow_loader_batches_total", "counter",
              "Groups of records settled together, as the Go loader counts batches: immediate "
              "(in the vault after the first request), retried (after resends), failed (failed "
              "or in conflict).");
  for (const VaultMetrics& vault : vaults) {
    const std::pair<const char*, uint64_t> outcomes[] = {{"immediate", vault.batches_immediate},
                                                         {"retried", vault.batches_retried},
                                                         {"failed", vault.batches_failed}};
    for (const auto& [outcome, count] : outcomes) {
      page.Sample("skyflow_loader_batches_total", {{"vault", vault.name}, {"outcome", outcome}},
                  AsDouble(count));
    }
  }

  page.Family("skyflow_loader_requests_total", "counter",
              "HTTP requests, lookups included, by the status code of their answer (code \"0\": "
              "no answer: refused, reset or timed out).");
  for (const VaultMetrics& vault : vaults) {
    for (const auto& [status, count] : vault.requests_by_status) {
      page.Sample("skyflow_loader_requests_total",
                  {{"vault", vault.name}, {"code", std::to_string(status)}}, AsDouble(count));
    }
  }
  VaultCounter(page, vaults, "skyflow_loader_resends_total",
               "Requests whose answer sent their task again (throttled, server error, no answer).",
               &VaultMetrics::retries);
  VaultCounter(page, vaults, "skyflow_loader_lookup_requests_total",
               "Requests that looked records up after a conflict (detokenize, read by value).",
               &VaultMetrics::lookups);

  page.Family("skyflow_loader_request_duration_seconds", "histogram",
              "Time from sending a request to its answer (or its failure), in seconds.");
  for (const VaultMetrics& vault : vaults) {
    for (const auto& [bound, count] : vault.latency_buckets) {
      page.Sample("skyflow_loader_request_duration_seconds_bucket",
                  {{"vault", vault.name}, {"le", FormatSampleValue(bound)}}, AsDouble(count));
    }
    page.Sample("skyflow_loader_request_duration_seconds_bucket",
                {{"vault", vault.name}, {"le", "+Inf"}}, AsDouble(vault.latency_count));
    page.Sample("skyflow_loader_request_duration_seconds_sum", {{"vault", vault.name}},
                vault.latency_sum_seconds);
    page.Sample("skyflow_loader_request_duration_seconds_count", {{"vault", vault.name}},
                AsDouble(vault.latency_count));
  }

  VaultGauge(page, vaults, "skyflow_loader_in_flight_requests", "Requests in flight now.",
             &VaultMetrics::in_flight);
  VaultGauge(page, vaults, "skyflow_loader_concurrency_limit",
             "Requests that may be in flight now (the adaptive limit, or -concurrency when "
             "fixed).",
             &VaultMetrics::concurrency_limit);
  VaultGauge(page, vaults, "skyflow_loader_concurrency_ceiling",
             "The most requests that may ever be in flight (-concurrency).",
             &VaultMetrics::concurrency_ceiling);
  return out;
}

namespace {

Status BadLine(size_t number, std::string_view why) {
  return Status::ParseError("metrics page line " + std::to_string(number) + ": " +
                            std::string(why));
}

bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

std::string_view TakeName(std::string_view* rest) {
  size_t length = 0;
  while (length < rest->size() && IsNameChar((*rest)[length], length == 0))
    ++length;
  const std::string_view name = rest->substr(0, length);
  rest->remove_prefix(length);
  return name;
}

// `rest` starts after '{'; on success it starts after the closing '}'.
Status TakeLabels(std::string_view* rest, size_t number,
                  std::map<std::string, std::string>* labels) {
  while (true) {
    if (rest->starts_with('}')) {
      rest->remove_prefix(1);
      return Status::Ok();
    }
    const std::string_view label = TakeName(rest);
    if (label.empty() || !rest->starts_with("=\"")) return BadLine(number, "bad label");
    rest->remove_prefix(2);
    std::string value;
    while (true) {
      if (rest->empty()) return BadLine(number, "label value without its closing quote");
      const char c = rest->front();
      rest->remove_prefix(1);
      if (c == '"') break;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (rest->empty()) return BadLine(number, "label value ends in a backslash");
      const char escaped = rest->front();
      rest->remove_prefix(1);
      value += escaped == 'n' ? '\n' : escaped;
    }
    (*labels)[std::string(label)] = std::move(value);
    if (rest->starts_with(',')) rest->remove_prefix(1);
  }
}

bool ParseSampleValue(std::string_view text, double* value) {
  if (text == "+Inf" || text == "Inf") {
    *value = HUGE_VAL;
    return true;
  }
  if (text == "-Inf") {
    *value = -HUGE_VAL;
    return true;
  }
  if (text == "NaN") {
    *value = std::nan("");
    return true;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<std::vector<PrometheusSample>> ParsePrometheusText(std::string_view text) {
  std::vector<PrometheusSample> samples;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.starts_with('#')) continue;
    PrometheusSample sample;
    sample.name = std::string(TakeName(&line));
    if (sample.name.empty()) return BadLine(number, "no metric name");
    if (line.starts_with('{')) {
      line.remove_prefix(1);
      SKYFLOW_RETURN_IF_ERROR(TakeLabels(&line, number, &sample.labels));
    }
    if (!line.starts_with(' ')) return BadLine(number, "no value after the name");
    line.remove_prefix(1);
    const std::string_view value = line.substr(0, line.find(' '));
    if (!ParseSampleValue(value, &sample.value)) return BadLine(number, "bad value");
    samples.push_back(std::move(sample));
  }
  return samples;
}

}  // namespace skyflow
