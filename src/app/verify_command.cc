#include "app/verify_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/exit_codes.h"
#include "net/clock.h"
#include "net/http_loop.h"
#include "pipeline/mismatch_list.h"
#include "pipeline/run_verify.h"
#include "util/duration.h"
#include "util/json_writer.h"
#include "util/log.h"

namespace skyflow {
namespace {

using std::chrono::milliseconds;

std::string Count(uint64_t count) {
  return std::to_string(count);
}

// "1 record", "25 records".
std::string Records(uint64_t count) {
  return Count(count) + (count == 1 ? " record" : " records");
}

void PrintError(const std::string& message) {
  LogError(message);
}

// Stops the vaults after it too: no other vault can be read either.
bool StopsTheRun(const Status& status) {
  return status.code() == StatusCode::kUnauthenticated || status.code() == StatusCode::kCancelled;
}

VerifyOptions OptionsFor(const LoaderConfig& config) {
  const PerformanceConfig& performance = config.performance;
  VerifyOptions options;
  options.vault_url = config.skyflow.vault_url;
  options.headers = {"Authorization: Bearer " + config.skyflow.bearer_token,
                     "Content-Type: application/json", "Accept: application/json"};
  options.secrets = {config.skyflow.bearer_token};
  options.max_in_flight = static_cast<size_t>(performance.max_concurrency);
  options.retry = RetryPolicy(static_cast<int>(performance.max_attempts),
                              milliseconds(performance.retry_base_delay_ms),
                              milliseconds(performance.retry_max_delay_ms));
  options.max_retry_time =
      ParseDuration(performance.max_retry_time).value_or(options.max_retry_time);
  options.request_timeout = milliseconds(performance.request_timeout_ms);
  options.max_rows = static_cast<uint64_t>(performance.max_records.value_or(0));
  options.sample = static_cast<uint64_t>(config.run.sample);
  options.seed = config.run.seed;
  options.progress = [](const VaultVerifyResult& running) {
    LogInfo("Verifying vault " + running.name + ": " + Count(running.counts.checked) +
                " checked, " + Count(running.counts.mismatched()) + " missing or different so far",
            {{"vault", running.name}});
  };
  return options;
}

std::string CountsText(const PairCounts& counts) {
  return Count(counts.matching) + " matching, " + Count(counts.missing) + " missing, " +
         Count(counts.different) + " different";
}

void PrintVault(const VaultVerifyResult& vault, uint64_t max_rows) {
  std::printf("Vault %s (id %s): checked %s of %s: %s\n", vault.name.c_str(), vault.id.c_str(),
              Count(vault.counts.checked).c_str(), Records(vault.eligible).c_str(),
              CountsText(vault.counts).c_str());
  std::printf("  source %s: %s read", vault.source.c_str(),
              (Count(vault.rows_read) + (vault.rows_read == 1 ? " row" : " rows")).c_str());
  if (vault.rejected > 0) {
    std::printf(
        ", %s rejected and not checked (a load does not send them: see -dry-run or the "
        "load's rejects file)",
        Count(vault.rejected).c_str());
  }
  std::printf("\n");
  if (vault.stopped_at_limit) {
    std::printf(
        "  -max-records %s stopped the read: the rest of the source was not checked "
        "(-max-records 0 reads everything)\n",
        Count(max_rows).c_str());
  }
  std::printf("  %s detokenize requests, %s errors, %.1f s%s\n", Count(vault.requests).c_str(),
              Count(vault.errors).c_str(), ToSeconds(vault.elapsed),
              vault.status.ok() ? "" : "; NOT fully checked (see the error)");
  std::fflush(stdout);
}

std::string SummaryJson(const LoaderConfig& config, const std::vector<VaultVerifyResult>& vaults,
                        const PairCounts& total, const std::string& list_path) {
  std::string json;
  JsonWriter writer(&json);
  writer.BeginObject()
      .Field("command", "verify")
      .Field("sample", config.run.sample)
      .Field("seed", config.run.seed)
      .Field("list_file", list_path)
      .Key("vaults")
      .BeginArray();
  for (const VaultVerifyResult& vault : vaults) {
    writer.BeginObject()
        .Field("name", vault.name)
        .Field("id", vault.id)
        .Field("source", vault.source)
        .Field("rows_read", vault.rows_read)
        .Field("rejected", vault.rejected)
        .Field("eligible", vault.eligible)
        .Field("stopped_at_limit", vault.stopped_at_limit)
        .Field("checked", vault.counts.checked)
        .Field("matching", vault.counts.matching)
        .Field("missing", vault.counts.missing)
        .Field("different", vault.counts.different)
        .Field("requests", vault.requests)
        .Field("errors", vault.errors)
        .Field("complete", vault.status.ok())
        .Field("error", vault.status.message())
        .EndObject();
  }
  writer.EndArray()
      .Key("total")
      .BeginObject()
      .Field("checked", total.checked)
      .Field("matching", total.matching)
      .Field("missing", total.missing)
      .Field("different", total.different)
      .EndObject()
      .EndObject();
  json.push_back('\n');
  return json;
}

}  // namespace

int RunVerifyCommand(const LoaderConfig& config, const std::atomic<bool>& interrupted) {
  if (!config.run.ca_file.empty() && !std::ifstream(config.run.ca_file)) {
    PrintError("-ca-file " + config.run.ca_file +
               ": cannot read the file (a PEM bundle of CA certificates)");
    return kExitUsage;
  }
  Result<std::vector<VaultLoadPlan>> plans = OpenPlans(config);
  if (!plans.ok()) {
    PrintError(plans.status().message());
    const StatusCode code = plans.status().code();
    return code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument ? kExitUsage
                                                                                 : kExitAborted;
  }
  const std::string list_path = config.run.verify_report_path.empty()
                                    ? "verify_" + LocalTimestamp() + ".jsonl"
                                    : config.run.verify_report_path;
  MismatchList list;
  if (Status created = list.Create(list_path); !created.ok()) {
    PrintError(created.message());
    return kExitAborted;
  }

  const VerifyOptions options = OptionsFor(config);
  HttpLoopOptions http;
  http.verify_tls = !config.run.insecure_skip_tls_verify;
  http.ca_file = config.run.ca_file;
  http.max_connections = static_cast<long>(options.max_in_flight) + 2;
  HttpLoop loop(http);

  // -q: only the Result line on stdout.
  const bool quiet = !LogEnabled(LogLevel::kInfo);
  std::vector<VaultVerifyResult> results;
  PairCounts total;
  bool any_failed = false;
  Status stopped_run;
  for (size_t lane = 0; lane < plans->size(); ++lane) {
    VaultLoadPlan& plan = (*plans)[lane];
    const std::string what = options.sample == 0
                                 ? "every record"
                                 : "a random sample of " + Records(options.sample) + " (seed " +
                                       std::to_string(options.seed) + ")";
    LogInfo("Verifying vault " + plan.vault.name + " (id " + plan.vault.id + ") from " +
                plan.source->Describe() + ": " + what,
            {{"vault", plan.vault.name}, {"vault_id", plan.vault.id}});
    VaultVerifyResult result = VerifyVault(loop, SteadyClock(), options, plan.vault,
                                           plan.source.get(), lane, &list, interrupted);
    if (!quiet) PrintVault(result, options.max_rows);
    total.Add(result.counts);
    if (!result.status.ok()) {
      PrintError(result.status.message());
      any_failed = true;
      if (StopsTheRun(result.status)) stopped_run = result.status;
    }
    results.push_back(std::move(result));
    if (!stopped_run.ok()) break;
  }
  for (size_t lane = results.size(); lane < plans->size() && !quiet; ++lane) {
    std::printf("Vault %s: not checked (the run stopped first)\n",
                (*plans)[lane].vault.name.c_str());
  }

  const Status closed = list.Close();
  if (!quiet) {
    std::printf("Total: checked %s: %s\n", Records(total.checked).c_str(),
                CountsText(total).c_str());
    if (options.sample != 0) {
      std::printf(
          "Sample: up to %s per vault, drawn with seed %s (-seed %s draws the same "
          "records again)\n",
          Records(options.sample).c_str(), std::to_string(options.seed).c_str(),
          std::to_string(options.seed).c_str());
    }
    std::printf("Missing or different records: %s, listed in %s (mode 0600)\n",
                Count(list.lines()).c_str(), list.path().c_str());
  }
  if (!config.run.summary_json_path.empty()) {
    Status written = WriteTextFile(config.run.summary_json_path,
                                   SummaryJson(config, results, total, list.path()));
    if (!written.ok()) {
      PrintError(written.message());
      any_failed = true;
    }
  }
  if (!closed.ok()) {
    PrintError(closed.message());
    any_failed = true;
  }

  if (stopped_run.code() == StatusCode::kCancelled) {
    std::printf("Result: interrupted, not every record was checked\n");
    return kExitInterrupted;
  }
  if (any_failed) {
    std::printf("Result: not every record could be checked (see the errors above)\n");
    return kExitAborted;
  }
  if (total.mismatched() > 0) {
    std::printf("Result: %s missing or different\n", Records(total.mismatched()).c_str());
    return kExitIncomplete;
  }
  std::printf("Result: every record checked is in the vault with its value\n");
  return kExitComplete;
}

}  // namespace skyflow
