// The metrics page in the Prometheus text exposition format, version 0.0.4
// (Content-Type "text/plain; version=0.0.4"): a HELP and a TYPE line per
// metric family, then its samples, `name{label="value",...} number`, label
// values escaped (\\, \", \n). Every name starts with skyflow_loader_:
//
//   skyflow_loader_info{version}                      gauge, always 1
//   skyflow_loader_process_start_time_seconds         gauge
//   skyflow_loader_process_resident_memory_bytes      gauge
//   skyflow_loader_rows_read_total{vault}             counter
//   skyflow_loader_records_total{vault,outcome}       counter: loaded, already_present,
//                                                     conflicts, failed, rejected, unsent
//   skyflow_loader_batches_total{vault,outcome}       counter: immediate, retried, failed
//   skyflow_loader_requests_total{vault,code}         counter, by HTTP status ("0": no answer)
//   skyflow_loader_resends_total{vault}               counter
//   skyflow_loader_lookup_requests_total{vault}       counter
//   skyflow_loader_request_duration_seconds{vault}    histogram (_bucket{le}, _sum, _count)
//   skyflow_loader_in_flight_requests{vault}          gauge
//   skyflow_loader_concurrency_limit{vault}           gauge, the limit in force
//   skyflow_loader_concurrency_ceiling{vault}         gauge, -concurrency
//
// Also a reader of such text (the samples only), for `status`, which shows
// a running loader's figures. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report/metrics_snapshot.h"
#include "util/status.h"

namespace skyflow {

inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheusText(const MetricsSnapshot& snapshot);

// A label value as the format writes it between quotes: \ " and newline
// escaped as \\ \" \n.
std::string EscapeLabelValue(std::string_view value);

// A sample value: integers without a fraction or exponent, other numbers as
// the shortest decimal that reads back exactly (without an exponent from
// 1e-9 to 1e15: "0.0001"), +Inf, -Inf, NaN.
std::string FormatSampleValue(double value);

struct PrometheusSample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped
  double value = 0;
};

// The samples of an exposition (comment lines skipped); ParseError naming
// the line for one that is not `name{labels} value [timestamp]`.
Result<std::vector<PrometheusSample>> ParsePrometheusText(std::string_view text);

}  // namespace skyflow
