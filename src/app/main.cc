// skyflow-loader: moves (value, token) pairs into Skyflow vaults.
// See README.md and `skyflow-loader -help`.
#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigaction is POSIX, not in <csignal>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "app/clear_command.h"
#include "app/commands.h"
#include "app/exit_codes.h"
#include "app/flags.h"
#include "app/load_command.h"
#include "app/offline_mode.h"
#include "app/run_directory.h"
#include "app/secret_prompt.h"
#include "app/settings.h"
#include "app/snowflake_connection.h"
#include "app/status_command.h"
#include "app/verify_command.h"
#include "postgres/dsn_redaction.h"
#include "util/ascii.h"
#include "util/log.h"

namespace {

std::atomic<bool> interrupted{false};
std::atomic<int> interrupting_signal{0};

// First SIGINT/SIGTERM: stop reading, let requests in flight finish (up to
// -drain-timeout), write the checkpoints, report. Second: leave at once; the
// checkpoints on disk still never claim a record that was not settled.
void OnInterrupt(int signal_number) {
  if (interrupted.exchange(true)) {
    skyflow::RemoveOfflinePidFile();
    _exit(signal_number == SIGTERM ? skyflow::kExitTerminated : skyflow::kExitInterrupted);
  }
  interrupting_signal.store(signal_number);
  // Text: off the line the terminal echoed "^C" on.
  if (skyflow::CurrentLogFormat() == skyflow::LogFormat::kText) {
    [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, "\n", 1);
  }
  skyflow::LogFromSignalHandler(
      skyflow::LogLevel::kWarn,
      "interrupted: finishing requests in flight (Ctrl-C again to quit at once)");
}

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

constexpr char kUsageHint[] = "Run 'skyflow-loader -help' for usage.";

int UsageError(const std::string& message) {
  using namespace skyflow;
  // The text form is Go's flag package's: the program's name, then the hint.
  if (CurrentLogFormat() == LogFormat::kText) {
    std::fprintf(stderr, "skyflow-loader: %s\n%s\n", message.c_str(), kUsageHint);
  } else {
    LogError(message, {{"hint", kUsageHint}});
  }
  return kExitUsage;
}

// -log-format, -v and -q: how log lines look and which are written.
skyflow::Status ConfigureLogging(const skyflow::CommandLine& command_line) {
  using namespace skyflow;
  const std::string format = AsciiLowered(command_line.log_format.value_or("text"));
  if (format != "text" && format != "json") {
    return Status::InvalidArgument("invalid value \"" + *command_line.log_format +
                                   "\" for flag -log-format: use text or json");
  }
  const bool verbose = command_line.verbose.value_or(false);
  const bool quiet = command_line.quiet.value_or(false);
  LogLevel threshold = LogLevel::kInfo;
  if (quiet) {
    threshold = LogLevel::kWarn;
  } else if (verbose) {
    threshold = LogLevel::kDebug;
  }
  ConfigureLog(format == "json" ? LogFormat::kJson : LogFormat::kText, threshold);
  if (verbose && quiet) {
    return Status::InvalidArgument(
        "-v (more lines) and -q (fewer lines) contradict each other: "
        "leave one out");
  }
  return Status::Ok();
}

// -resume: the command line the run was started with (from its run
// directory), then the one given now, which may override some flags.
skyflow::Result<skyflow::CommandLine> ResumedCommandLine(const skyflow::CommandLine& given,
                                                         std::vector<std::string>* arguments) {
  using namespace skyflow;
  Result<std::string> directory =
      given.run_dir ? Result<std::string>(*given.run_dir) : LatestRunDirectory(".");
  if (!directory.ok()) return directory.status();
  Result<RunManifest> manifest = ReadRunManifest(*directory);
  if (!manifest.ok()) return manifest.status();
  std::vector<std::string> combined = manifest->arguments;
  combined.insert(combined.end(), arguments->begin(), arguments->end());
  combined.emplace_back("-run-dir");
  combined.push_back(*directory);
  *arguments = std::move(combined);
  return ParseCommandLine(std::span<const std::string>(*arguments));
}

// Every secret the run may hold, for the log's redaction.
std::vector<std::string> SecretsOf(const skyflow::LoaderConfig& config) {
  std::vector<std::string> secrets = {config.skyflow.bearer_token, config.snowflake.password,
                                      config.snowflake.private_key_passphrase};
  for (std::string& password : skyflow::postgres::DsnPasswords(config.postgres.dsn))
    secrets.push_back(std::move(password));
  return secrets;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace skyflow;
  std::vector<std::string> arguments(argv + std::min(argc, 1), argv + argc);
  Result<CommandLine> command_line = ParseCommandLine(std::span<const std::string>(arguments));
  if (!command_line.ok()) return UsageError(command_line.status().message());
  // Set before anything else is printed, so that even the errors of -resume
  // come in the format asked for.
  if (Status logging = ConfigureLogging(*command_line); !logging.ok()) {
    return UsageError(logging.message());
  }
  if (command_line->resume.value_or(false) && !command_line->help_requested) {
    std::vector<std::string> given = arguments;
    command_line = ResumedCommandLine(*command_line, &given);
    if (!command_line.ok()) return UsageError(command_line.status().message());
    if (Status logging = ConfigureLogging(*command_line); !logging.ok()) {
      return UsageError(logging.message());
    }
  }
  if (command_line->help_requested) {
    std::fputs(
        command_line->help_markdown ? HelpMarkdown().c_str() : HelpText("skyflow-loader").c_str(),
        stdout);
    return kExitComplete;
  }
  // status reads a run directory: no config, no credentials.
  if (command_line->status) return RunStatusCommand(command_line->run_dir);

  Result<Settings> settings = MergeSettings(*command_line, ProcessEnvironment());
  if (!settings.ok()) return UsageError(settings.status().message());
  LoaderConfig& config = settings->config;
  // A second line of defence: whatever a message quotes, no secret leaves.
  SetLogSecrets(SecretsOf(config));
  for (const std::string& note : settings->notes)
    LogInfo("note: " + note);
  for (const std::string& warning : settings->warnings)
    LogWarn(warning);

  if (config.run.clear_all && !config.run.clear) {
    return UsageError("-clear-all only changes how -clear deletes: pass -clear -clear-all");
  }
  if (config.run.clear && (config.run.generate_count || config.run.dry_run)) {
    return UsageError(
        "-clear deletes vault records and exits: run it on its own, not with -generate or "
        "-dry-run");
  }

  const ConfigUse use = ConfigUseFor(config.run);
  const bool needs_vault = use == ConfigUse::kLoad || use == ConfigUse::kClear;
  if (needs_vault && config.skyflow.bearer_token.empty()) {
    std::optional<std::string> token = PromptForSecret("Enter Skyflow bearer token: ");
    if (!token) {
      return UsageError(
          "no bearer token: set SKYFLOW_BEARER_TOKEN, pass -token, or set "
          "skyflow.bearer_token in the config file");
    }
    config.skyflow.bearer_token = *token;
    SetLogSecrets(SecretsOf(config));
  }
  // A dry run reads the sources too: it runs the statements.
  if ((use == ConfigUse::kLoad || use == ConfigUse::kDryRun) &&
      config.run.source == SourceKind::kSnowflake &&
      !EqualsIgnoreCase(config.snowflake.authenticator, "snowflake")) {
    if (Status completed = CompleteSnowflakeCredentials(&config.snowflake); !completed.ok()) {
      return UsageError(completed.message());
    }
    SetLogSecrets(SecretsOf(config));  // what the prompts added
  }
  if (Status valid = ValidateConfig(config, use); !valid.ok()) {
    return UsageError(valid.message());
  }

  if (config.run.generate_count) return RunGenerateCommand(config);
  if (config.run.dry_run) return RunDryRunCommand(config);
  if (config.run.clear) {
    InstallSignalHandlers();
    return RunClearCommand(config, interrupted);
  }
  if (config.run.verify) {
    InstallSignalHandlers();
    return RunVerifyCommand(config, interrupted);
  }

  if (config.run.offline) {
    Result<std::string> log = EnterOfflineMode();
    if (!log.ok()) {
      LogError(log.status().message());
      return kExitAborted;
    }
  }
  InstallSignalHandlers();
  return RunLoadCommand(config, LoadInvocation{argv[0], arguments}, interrupted,
                        interrupting_signal);
}
