// Reprocessing an error log (-error-log FILE): what happens before the
// load itself, which is then an ordinary one with an ErrorLogSource per
// vault (commands.cc).
//
//   1. SurveyErrorLog reads the log once (either format): per vault, the
//      counts of the analysis screen and how many records will be resent
//      (error_log/retry_rules.h); and it finds each vault of the log in the
//      configuration by name, ignoring case. -vault naming a vault the log
//      does not hold is an error naming both; a log whose vault ID differs
//      from the configured one is a warning naming both (the configured ID
//      wins; an ID only the log names is used).
//   2. PresentAndConfirm prints the "ERROR LOG ANALYSIS" screen of each
//      vault to stdout (emoji only when stdout is a terminal) and asks
//      "Do you want to proceed? (yes/no):" when stdin is a terminal (yes or
//      y, any letter case); -yes skips the question; with neither a
//      terminal nor -yes it refuses rather than wait for an answer that
//      cannot come.
// Records that are not resent stay in the old log (the screen says which
// and why); what fails again goes to the new rejects file, as in any load.
// Not thread-safe; called once per run from the main thread.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "config/loader_config.h"
#include "error_log/error_log_analysis.h"
#include "error_log/error_log_reader.h"
#include "source/error_log_source.h"
#include "util/status.h"

namespace skyflow {

struct ReprocessTarget {
  VaultConfig vault;  // from the configuration, with the log's ID when it had none
  ErrorLogAnalysis analysis;
};

struct ErrorLogSurvey {
  ErrorLogFormat format = ErrorLogFormat::kJsonLines;
  std::vector<ReprocessTarget> targets;  // in the order the log first names them
  std::optional<uint64_t> torn_line;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
};

// Errors are the reader's (file and line named) or InvalidArgument for a
// vault the log and the configuration or -vault do not agree on.
Result<ErrorLogSurvey> SurveyErrorLog(const LoaderConfig& config);

// How the source of `vault` reads the log.
ErrorLogSourceOptions ErrorLogSourceOptionsFor(const LoaderConfig& config,
                                               const VaultConfig& vault);

// SurveyErrorLog with its notes and warnings printed to stderr; on failure
// prints the error, sets *exit_code (a log that cannot be read is wrong
// input, like a bad flag: kExitUsage) and returns nullopt.
std::optional<ErrorLogSurvey> SurveyAndReport(const LoaderConfig& config, int* exit_code);

// The vaults a survey found, in its order.
std::vector<VaultConfig> VaultsOf(const ErrorLogSurvey& survey);

// Prints the screens and asks; nullopt to go ahead, else the exit code to
// return (nothing to resend, refused, not confirmed, interrupted).
std::optional<int> PresentAndConfirm(const LoaderConfig& config, const ErrorLogSurvey& survey,
                                     const std::atomic<bool>& interrupted);

}  // namespace skyflow
