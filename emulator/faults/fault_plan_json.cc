#include "emulator/faults/fault_plan_json.h"

#include <simdjson.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <utility>

#include "util/json_syntax.h"
#include "util/json_writer.h"

namespace skyflow::emulator {
namespace {

using simdjson::dom::element;

double MillisecondsToSeconds(std::chrono::milliseconds value) {
  return static_cast<double>(value.count()) / 1000;
}

// Reads one JSON document into a plan, tracking the path for messages.
class PlanReader {
 public:
  explicit PlanReader(std::string_view origin) : origin_(origin) {}

  Status Read(element root, FaultPlan* plan) {
    return Object(
        root, "",
        {
            {"errors", [&](element v, const std::string& p) { return Errors(v, p, plan); }},
            {"retry_after_seconds",
             [&](element v, const std::string& p) {
               return Integer(v, p, 0, 86400, &plan->retry_after_seconds);
             }},
            {"latency",
             [&](element v, const std::string& p) { return Latency(v, p, &plan->latency); }},
            {"rate_limit",
             [&](element v, const std::string& p) { return RateLimit(v, p, &plan->rate_limit); }},
            {"ambiguous", [&](element v, const std::string& p) { return Ambiguous(v, p, plan); }},
            {"connection", [&](element v, const std::string& p) { return Connection(v, p, plan); }},
            {"schedule", [&](element v, const std::string& p) { return Schedule(v, p, plan); }},
            {"vaults", [&](element v, const std::string& p) { return Vaults(v, p, plan); }},
        });
  }

 private:
  using Member = std::pair<std::string_view, std::function<Status(element, const std::string&)>>;

  Status Error(const std::string& path, std::string_view problem) const {
    return Status::InvalidArgument(std::string(origin_) + ": " + path + ": " +
                                   std::string(problem));
  }

  Status Object(element value, const std::string& path, std::initializer_list<Member> members) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
      return Error(path.empty() ? "the document" : path, "expected an object");
    }
    for (auto [key, member_value] : object) {
      const std::string member_path =
          path.empty() ? std::string(key) : path + "." + std::string(key);
      const Member* found = nullptr;
      std::string known;
      for (const Member& member : members) {
        if (member.first == key) found = &member;
        known += known.empty() ? "" : ", ";
        known += member.first;
      }
      if (found == nullptr) return Error(member_path, "unknown key; known keys: " + known);
      SKYFLOW_RETURN_IF_ERROR(found->second(member_value, member_path));
    }
    return Status::Ok();
  }

  Status Number(element value, const std::string& path, double* out) {
    if (!value.is_number()) return Error(path, "expected a number");
    *out = value.get_double().value_unsafe();
    return Status::Ok();
  }

  Status Probability(element value, const std::string& path, double* out) {
    double number = 0;
    SKYFLOW_RETURN_IF_ERROR(Number(value, path, &number));
    if (!(number >= 0 && number <= 1)) return Error(path, "expected a probability between 0 and 1");
    *out = number;
    return Status::Ok();
  }

  template <typename Int>
  Status Integer(element value, const std::string& path, int64_t min, int64_t max, Int* out) {
    double number = 0;
    SKYFLOW_RETURN_IF_ERROR(Number(value, path, &number));
    if (number != std::floor(number) || number < static_cast<double>(min) ||
        number > static_cast<double>(max)) {
      return Error(path, "expected a whole number between " + std::to_string(min) + " and " +
                             std::to_string(max));
    }
    *out = static_cast<Int>(number);
    return Status::Ok();
  }

  Status Milliseconds(element value, const std::string& path, std::chrono::milliseconds* out) {
    int64_t count = 0;
    SKYFLOW_RETURN_IF_ERROR(Integer(value, path, 0, int64_t{24} * 3600 * 1000, &count));
    *out = std::chrono::milliseconds(count);
    return Status::Ok();
  }

  Status Seconds(element value, const std::string& path, std::chrono::milliseconds* out) {
    double seconds = 0;
    SKYFLOW_RETURN_IF_ERROR(Number(value, path, &seconds));
    if (!(seconds >= 0 && seconds <= 86400)) return Error(path, "expected 0 to 86400 seconds");
    *out = SecondsToMilliseconds(seconds);
    return Status::Ok();
  }

  Status Errors(element value, const std::string& path, FaultPlan* plan) {
    auto probability = [&](double* field) {
      return [this, field](element v, const std::string& p) { return Probability(v, p, field); };
    };
    return Object(value, path,
                  {{"429", probability(&plan->probability_429)},
                   {"503", probability(&plan->probability_503)},
                   {"500", probability(&plan->probability_500)},
                   {"408", probability(&plan->probability_408)}});
  }

  Status Latency(element value, const std::string& path, LatencySpec* latency) {
    return Object(
        value, path,
        {{"fixed_ms",
          [&](element v, const std::string& p) { return Milliseconds(v, p, &latency->fixed); }},
         {"jitter",
          [&](element v, const std::string& p) {
            std::string_view name;
            if (v.get_string().get(name) != simdjson::SUCCESS) return Error(p, "expected a string");
            if (name == "none") {
              latency->jitter = LatencySpec::Jitter::kNone;
            } else if (name == "uniform") {
              latency->jitter = LatencySpec::Jitter::kUniform;
            } else if (name == "lognormal") {
              latency->jitter = LatencySpec::Jitter::kLogNormal;
            } else {
              return Error(p, "expected \"none\", \"uniform\" or \"lognormal\"");
            }
            return Status::Ok();
          }},
         {"jitter_ms",
          [&](element v, const std::string& p) { return Number(v, p, &latency->jitter_ms); }},
         {"sigma",
          [&](element v, const std::string& p) { return Number(v, p, &latency->sigma); }}});
  }

  Status RateLimit(element value, const std::string& path, RateLimitSpec* limit) {
    auto number = [&](double* field) {
      return [this, field](element v, const std::string& p) { return Number(v, p, field); };
    };
    return Object(value, path,
                  {{"requests_per_second", number(&limit->requests_per_second)},
                   {"records_per_second", number(&limit->records_per_second)},
                   {"burst_seconds", number(&limit->burst_seconds)}});
  }

  Status Ambiguous(element value, const std::string& path, FaultPlan* plan) {
    return Object(value, path,
                  {{"drop_after_commit",
                    [&](element v, const std::string& p) {
                      return Probability(v, p, &plan->probability_drop_after_commit);
                    }},
                   {"late_answer",
                    [&](element v, const std::string& p) {
                      return Probability(v, p, &plan->probability_late_answer);
                    }},
                   {"late_answer_ms", [&](element v, const std::string& p) {
                      return Milliseconds(v, p, &plan->late_answer);
                    }}});
  }

  Status Connection(element value, const std::string& path, FaultPlan* plan) {
    return Object(value, path,
                  {{"reset",
                    [&](element v, const std::string& p) {
                      return Probability(v, p, &plan->probability_reset);
                    }},
                   {"slow_read",
                    [&](element v, const std::string& p) {
                      return Probability(v, p, &plan->probability_slow_read);
                    }},
                   {"slow_read_bytes_per_second", [&](element v, const std::string& p) {
                      return Integer(v, p, 1, int64_t{1} << 40, &plan->slow_read_bytes_per_second);
                    }}});
  }

  Status Schedule(element value, const std::string& path, FaultPlan* plan) {
    simdjson::dom::array windows;
    if (value.get_array().get(windows) != simdjson::SUCCESS) {
      return Error(path,
                   "expected an array of {\"start_seconds\", \"duration_seconds\", \"fault\"}");
    }
    size_t index = 0;
    for (element entry : windows) {
      const std::string entry_path = path + "[" + std::to_string(index++) + "]";
      ScheduledFault window;
      bool has_fault = false;
      SKYFLOW_RETURN_IF_ERROR(Object(
          entry, entry_path,
          {{"start_seconds",
            [&](element v, const std::string& p) { return Seconds(v, p, &window.start); }},
           {"duration_seconds",
            [&](element v, const std::string& p) { return Seconds(v, p, &window.duration); }},
           {"fault",
            [&](element v, const std::string& p) {
              std::string_view name;
              if (v.get_string().get(name) != simdjson::SUCCESS ||
                  !ParseFaultKind(name, &window.kind)) {
                return Error(p,
                             "expected one of \"429\", \"503\", \"500\", \"408\", \"reset\", "
                             "\"drop_after_commit\", \"late_answer\"");
              }
              has_fault = true;
              return Status::Ok();
            }},
           {"probability", [&](element v, const std::string& p) {
              return Probability(v, p, &window.probability);
            }}}));
      if (!has_fault) return Error(entry_path, "missing \"fault\"");
      plan->schedule.push_back(window);
    }
    return Status::Ok();
  }

  Status Vaults(element value, const std::string& path, FaultPlan* plan) {
    simdjson::dom::array ids;
    if (value.get_array().get(ids) != simdjson::SUCCESS) {
      return Error(path, "expected an array of vault IDs");
    }
    for (element id : ids) {
      std::string_view text;
      if (id.get_string().get(text) != simdjson::SUCCESS || text.empty()) {
        return Error(path, "expected non-empty strings");
      }
      plan->vaults.emplace_back(text);
    }
    return Status::Ok();
  }

  std::string_view origin_;
};

std::string_view JitterName(LatencySpec::Jitter jitter) {
  switch (jitter) {
    case LatencySpec::Jitter::kUniform:
      return "uniform";
    case LatencySpec::Jitter::kLogNormal:
      return "lognormal";
    default:
      return "none";
  }
}

}  // namespace

Result<FaultPlan> ParseFaultPlanJson(std::string_view json, std::string_view origin) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    std::string where = "not valid JSON";
    if (std::optional<JsonSyntaxError> error = FindJsonSyntaxError(json)) {
      const TextPosition position = PositionOf(json, error->offset);
      where = "line " + std::to_string(position.line) + ", column " +
              std::to_string(position.column) + ": " + error->reason;
    }
    return Status::InvalidArgument(std::string(origin) + ": " + where);
  }
  FaultPlan plan;
  SKYFLOW_RETURN_IF_ERROR(PlanReader(origin).Read(root, &plan));
  if (Status status = plan.Validate(); !status.ok()) {
    return Status::InvalidArgument(std::string(origin) + ": " + status.message());
  }
  return plan;
}

std::string FaultPlanToJson(const FaultPlan& plan) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("errors").BeginObject();
  json.Field("429", plan.probability_429).Field("503", plan.probability_503);
  json.Field("500", plan.probability_500).Field("408", plan.probability_408);
  json.EndObject();
  json.Field("retry_after_seconds", plan.retry_after_seconds);
  json.Key("latency").BeginObject();
  json.Field("fixed_ms", static_cast<int64_t>(plan.latency.fixed.count()));
  json.Field("jitter", JitterName(plan.latency.jitter));
  json.Field("jitter_ms", plan.latency.jitter_ms).Field("sigma", plan.latency.sigma);
  json.EndObject();
  json.Key("rate_limit").BeginObject();
  json.Field("requests_per_second", plan.rate_limit.requests_per_second);
  json.Field("records_per_second", plan.rate_limit.records_per_second);
  json.Field("burst_seconds", plan.rate_limit.burst_seconds);
  json.EndObject();
  json.Key("ambiguous").BeginObject();
  json.Field("drop_after_commit", plan.probability_drop_after_commit);
  json.Field("late_answer", plan.probability_late_answer);
  json.Field("late_answer_ms", static_cast<int64_t>(plan.late_answer.count()));
  json.EndObject();
  json.Key("connection").BeginObject();
  json.Field("reset", plan.probability_reset);
  json.Field("slow_read", plan.probability_slow_read);
  json.Field("slow_read_bytes_per_second", plan.slow_read_bytes_per_second);
  json.EndObject();
  json.Key("schedule").BeginArray();
  for (const ScheduledFault& window : plan.schedule) {
    json.BeginObject();
    json.Field("start_seconds", MillisecondsToSeconds(window.start));
    json.Field("duration_seconds", MillisecondsToSeconds(window.duration));
    json.Field("fault", FaultKindName(window.kind));
    json.Field("probability", window.probability);
    json.EndObject();
  }
  json.EndArray();
  json.Key("vaults").BeginArray();
  for (const std::string& vault : plan.vaults)
    json.String(vault);
  json.EndArray();
  json.EndObject();
  return out;
}

}  // namespace skyflow::emulator
