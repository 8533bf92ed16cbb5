// skyflow-loader: moves (value, token) pairs into Skyflow vaults.
// See README.md and `skyflow-loader -help`.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "app/clear_command.h"
#include "app/commands.h"
#include "app/exit_codes.h"
#include "app/flags.h"
#include "app/offline_mode.h"
#include "app/secret_prompt.h"
#include "app/settings.h"
#include "app/verify_command.h"

namespace {

std::atomic<bool> interrupted{false};

// First Ctrl-C: stop sending, let requests in flight finish, report. Second:
// leave at once.
void OnInterrupt(int) {
  if (interrupted.exchange(true)) _exit(skyflow::kExitInterrupted);
  static constexpr char kMessage[] =
      "\ninterrupted: finishing requests in flight (Ctrl-C again to quit at once)\n";
  [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
}

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "skyflow-loader: %s\nRun 'skyflow-loader -help' for usage.\n",
               message.c_str());
  return skyflow::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace skyflow;
  Result<CommandLine> command_line = ParseCommandLine(argc, argv);
  if (!command_line.ok()) return UsageError(command_line.status().message());
  if (command_line->help_requested) {
    std::fputs(HelpText("skyflow-loader").c_str(), stdout);
    return kExitComplete;
  }

  Result<Settings> settings = MergeSettings(*command_line, ProcessEnvironment());
  if (!settings.ok()) return UsageError(settings.status().message());
  for (const std::string& note : settings->notes)
    std::fprintf(stderr, "note: %s\n", note.c_str());
  for (const std::string& warning : settings->warnings) {
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  }
  LoaderConfig& config = settings->config;

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
      std::fprintf(stderr, "error: %s\n", log.status().message().c_str());
      return kExitAborted;
    }
  }
  InstallSignalHandlers();
  return RunLoadCommand(config, interrupted);
}
