#include "app/reprocess.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <map>

#include "app/commands.h"
#include "app/confirm.h"
#include "app/exit_codes.h"
#include "config/config_validation.h"
#include "util/ascii.h"
#include "util/log.h"

namespace skyflow {
namespace {

// Bounds the survey's memory for a log that is not what it claims.
constexpr size_t kMaxVaultsInLog = 64;

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

RetrySelection SelectionFor(const LoaderConfig& config) {
  return RetrySelection{config.performance.upsert, config.run.error_log_all};
}

struct VaultTally {
  std::string name;  // as the log spells it
  ErrorLogTally tally;
};

}  // namespace

ErrorLogSourceOptions ErrorLogSourceOptionsFor(const LoaderConfig& config,
                                               const VaultConfig& vault) {
  ErrorLogSourceOptions options;
  options.path = config.run.error_log_path;
  options.vault = vault.name;
  options.selection = SelectionFor(config);
  options.skip_torn_tail = config.run.error_log_skip_torn;
  return options;
}

Result<ErrorLogSurvey> SurveyErrorLog(const LoaderConfig& config) {
  const std::string& path = config.run.error_log_path;
  ErrorLogReadOptions read_options;
  read_options.skip_torn_tail = config.run.error_log_skip_torn;
  Result<std::unique_ptr<ErrorLogReader>> reader = ErrorLogReader::Open(path, read_options);
  if (!reader.ok()) return reader.status();

  ErrorLogSurvey survey;
  survey.format = (*reader)->format();
  std::vector<VaultTally> tallies;
  std::map<std::string, size_t> by_name;  // lowered name -> index in tallies
  ErrorLogEntry entry;
  uint64_t line = 0;
  for (;;) {
    Result<bool> more = (*reader)->Next(&entry, &line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    const std::string key = AsciiLowered(entry.vault);
    auto found = by_name.find(key);
    if (found == by_name.end()) {
      if (tallies.size() == kMaxVaultsInLog) {
        return Status::InvalidArgument("error log " + path + ":" + std::to_string(line) +
                                       " names more than " + std::to_string(kMaxVaultsInLog) +
                                       " vaults: is it an error log of this loader?");
      }
      found = by_name.emplace(key, tallies.size()).first;
      tallies.push_back(VaultTally{entry.vault, ErrorLogTally(SelectionFor(config))});
    }
    tallies[found->second].tally.Add(entry);
  }
  survey.torn_line = (*reader)->torn_line();
  if (survey.torn_line.has_value()) {
    survey.warnings.push_back("error log " + path + ":" + std::to_string(*survey.torn_line) +
                              ": the last line is cut short (a crash while it was written); its "
                              "record cannot be read and is not resent (-error-log-skip-torn)");
  }

  std::vector<std::string> log_vaults;
  log_vaults.reserve(tallies.size());
  for (const VaultTally& tally : tallies)
    log_vaults.push_back(tally.name);
  const std::string& filter = config.run.vault_filter;
  if (!filter.empty() && by_name.count(AsciiLowered(filter)) == 0) {
    return Status::InvalidArgument("-vault " + filter + " names another vault than error log " +
                                   path + ", which holds records of vault " +
                                   JoinNames(log_vaults) +
                                   ": drop -vault, or pass the error log of vault " + filter);
  }

  std::vector<std::string> configured;
  for (const VaultConfig& vault : config.skyflow.vaults)
    configured.push_back(vault.name);
  for (VaultTally& tally : tallies) {
    if (!filter.empty() && !EqualsIgnoreCase(tally.name, filter)) continue;
    const VaultConfig* vault = FindVaultByName(config.skyflow.vaults, tally.name);
    if (vault == nullptr) {
      return Status::InvalidArgument(
          "error log " + path + " holds records of vault " + tally.name +
          ", which is not in the configuration (configured: " + JoinNames(configured) +
          "): add it to skyflow.vaults in the config file");
    }
    ReprocessTarget target{*vault, tally.tally.analysis()};
    const std::string& log_id = target.analysis.vault_id;
    if (target.vault.id.empty()) {
      if (log_id.empty()) {
        return Status::InvalidArgument("vault " + vault->name +
                                       " has no ID: the error log does not name it either; set "
                                       "it in skyflow.vaults in the config file");
      }
      target.vault.id = log_id;
      survey.notes.push_back("vault " + vault->name + ": using the vault ID " + log_id +
                             " named by the error log (the configuration has none)");
    } else if (!log_id.empty() && log_id != target.vault.id) {
      survey.warnings.push_back("error log " + path + " names vault " + tally.name + "'s ID as " +
                                log_id + ", but the configuration says " + target.vault.id +
                                ": the records go to " + target.vault.id +
                                " (the configured one); check that this is the right vault");
    }
    survey.targets.push_back(std::move(target));
  }
  return survey;
}

std::optional<int> PresentAndConfirm(const LoaderConfig& config, const ErrorLogSurvey& survey,
                                     const std::atomic<bool>& interrupted) {
  const ScreenStyle style{.emoji = ::isatty(STDOUT_FILENO) == 1};
  const std::time_t now = std::time(nullptr);
  uint64_t resend = 0;
  for (const ReprocessTarget& target : survey.targets) {
    ReprocessPlan plan;
    plan.path = config.run.error_log_path;
    plan.format = ErrorLogFormatName(survey.format);
    plan.batch_size = config.performance.batch_size;
    plan.concurrency = config.performance.max_concurrency;
    plan.concurrency_mode = config.performance.concurrency_mode;
    plan.upsert = config.performance.upsert;
    plan.everything = config.run.error_log_all;
    plan.torn_line = survey.torn_line;
    ErrorLogAnalysis analysis = target.analysis;
    // The screen names the vault as configured, and the ID the load uses.
    analysis.vault = target.vault.name;
    analysis.vault_id = target.vault.id;
    if (analysis.column.empty()) analysis.column = target.vault.column;
    std::fputs(FormatAnalysisScreen(analysis, plan, style, now).c_str(), stdout);
    resend += target.analysis.resend;
  }
  std::fflush(stdout);
  if (resend == 0) {
    LogWarn("Nothing to resend: every record of error log " + config.run.error_log_path +
            " would fail the same way again (see above; -upsert resends conflicts, "
            "-error-log-all every record). Nothing was sent.");
    return kExitIncomplete;
  }
  if (config.run.assume_yes) return std::nullopt;
  if (::isatty(STDIN_FILENO) != 1) {
    LogError(
        "reprocessing an error log asks for confirmation first, but standard input is not a "
        "terminal to ask on; nothing was sent. In scripts, pass -yes to confirm");
    return kExitUsage;
  }
  const bool confirmed =
      ConfirmOnTerminal(stdout, "\nDo you want to proceed? (yes/no): ", /*accept_y=*/true);
  if (interrupted.load()) {
    LogWarn("Interrupted: nothing was sent.");
    return kExitInterrupted;
  }
  if (!confirmed) {
    LogWarn("Not confirmed (the answer must be \"yes\" or \"y\"): nothing was sent.");
    return kExitIncomplete;
  }
  return std::nullopt;
}

std::optional<ErrorLogSurvey> SurveyAndReport(const LoaderConfig& config, int* exit_code) {
  Result<ErrorLogSurvey> survey = SurveyErrorLog(config);
  if (!survey.ok()) {
    LogError(survey.status().message());
    // A log that cannot be read is wrong input, like a bad flag.
    *exit_code = survey.status().code() == StatusCode::kParseError ? kExitUsage
                                                                   : ExitCodeFor(survey.status());
    return std::nullopt;
  }
  for (const std::string& note : survey->notes)
    LogInfo("note: " + note);
  for (const std::string& warning : survey->warnings)
    LogWarn(warning);
  return std::move(survey).value();
}

std::vector<VaultConfig> VaultsOf(const ErrorLogSurvey& survey) {
  std::vector<VaultConfig> vaults;
  for (const ReprocessTarget& target : survey.targets)
    vaults.push_back(target.vault);
  return vaults;
}

}  // namespace skyflow
