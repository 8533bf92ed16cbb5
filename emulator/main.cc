// skyflow-vault-emulator: a local stand-in for a Skyflow vault, for tests,
// benchmarks, the demo and users' dry runs. See emulator_options.cc for the
// command line and admin_handler.h for the admin endpoints.
//
// Exit status: 0 after SIGINT/SIGTERM, 1 when it cannot listen, write the
// port file or open --data-file, 2 for invalid flags or files they name that
// cannot be used (bearer token file, --schema, --faults, service-account
// keys, TLS certificate or key, a --data-file it did not write).
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "emulator/common/port_file.h"
#include "emulator/common/random.h"
#include "emulator/emulator_options.h"
#include "emulator/http/http_server.h"
#include "emulator/http/tls_context.h"
#include "emulator/vault_emulator.h"

namespace {

using skyflow::Status;
using skyflow::emulator::EmulatorOptions;
using skyflow::emulator::HttpServer;
using skyflow::emulator::HttpServerOptions;
using skyflow::emulator::LoadBearerTokenFiles;
using skyflow::emulator::LoadFaultsFile;
using skyflow::emulator::ParseEmulatorOptions;
using skyflow::emulator::TlsContext;
using skyflow::emulator::UsageText;
using skyflow::emulator::VaultEmulator;
using skyflow::emulator::VaultEmulatorConfig;
using skyflow::emulator::VaultSchema;
using skyflow::emulator::WritePortFile;

constexpr const char* kProgram = "skyflow-vault-emulator";

int Run(EmulatorOptions options,
        std::vector<skyflow::emulator::ServiceAccountKey> service_account_keys,
        std::shared_ptr<const TlsContext> tls) {
  // The workers inherit this mask, so the signals reach only sigwait below:
  // shutdown happens in ordinary code, not in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  VaultEmulatorConfig config;
  config.bearer_tokens = std::move(options.bearer_tokens);
  config.faults = options.faults;
  config.seed = options.seed_given ? options.seed : skyflow::emulator::RandomSeed();
  config.conflict_status = options.conflict_status;
  config.max_records_per_request = options.max_records_per_request;
  config.service_account_keys = std::move(service_account_keys);
  config.sa_token_uri = options.sa_token_uri;
  config.access_token_lifetime_seconds = options.access_token_lifetime_seconds;
  if (!options.schema_file.empty()) {
    skyflow::Result<VaultSchema> schema = VaultSchema::Load(options.schema_file);
    if (!schema.ok()) {
      std::fprintf(stderr, "%s: %s\n", kProgram, schema.status().message().c_str());
      return 2;
    }
    config.schema = std::make_shared<const VaultSchema>(std::move(schema.value()));
  }
  config.token_format = options.token_format;
  config.max_read_limit = options.max_read_limit;
  config.empty_read_status = options.empty_read_status;
  VaultEmulator emulator(std::move(config));
  if (!options.data_file.empty()) {
    skyflow::emulator::JournalReplayStats replay;
    if (Status status = emulator.OpenDataFile(options.data_file, &replay); !status.ok()) {
      std::fprintf(stderr, "%s: --data-file %s\n", kProgram, status.message().c_str());
      return status.code() == skyflow::StatusCode::kIoError ? 1 : 2;
    }
    std::fprintf(stderr, "%s: restored %llu changes from %s\n", kProgram,
                 static_cast<unsigned long long>(replay.entries), options.data_file.c_str());
    if (replay.dropped_bytes > 0) {
      std::fprintf(stderr,
                   "%s: warning: dropped %llu bytes at the end of %s: a change that was being "
                   "written when the emulator stopped, and so was never acknowledged\n",
                   kProgram, static_cast<unsigned long long>(replay.dropped_bytes),
                   options.data_file.c_str());
    }
  }

  HttpServerOptions server_options;
  server_options.host = options.listen_host;
  server_options.port = options.listen_port;
  server_options.threads =
      options.threads > 0 ? options.threads
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  server_options.limits.max_body_bytes = options.max_body_bytes;
  server_options.limits.body_limit_status = options.body_limit_status;
  server_options.idle_timeout = std::chrono::seconds(options.idle_timeout_seconds);
  server_options.header_timeout = std::chrono::seconds(options.header_timeout_seconds);
  server_options.tls = std::move(tls);
  const bool https = server_options.tls != nullptr;
  HttpServer server(server_options, emulator.HandlerFactory());
  // The schedule counts from when requests can arrive, not from before a
  // data file's replay.
  emulator.faults().Restart();
  if (Status status = server.Start(); !status.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
    return 1;
  }
  if (!options.port_file.empty()) {
    if (Status status = WritePortFile(options.port_file, server.port()); !status.ok()) {
      std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
      return 1;
    }
  }
  if (!emulator.auth().enabled()) {
    std::fprintf(stderr,
                 "%s: warning: no --bearer-token or --sa-public-key configured; every request is "
                 "accepted whatever "
                 "its Authorization header\n",
                 kProgram);
  }
  const bool ipv6 = options.listen_host.find(':') != std::string::npos;
  std::fprintf(stderr, "%s listening on %s://%s%s%s:%u\n", kProgram, https ? "https" : "http",
               ipv6 ? "[" : "", options.listen_host.c_str(), ipv6 ? "]" : "",
               static_cast<unsigned>(server.port()));
  std::fflush(stderr);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  skyflow::Result<EmulatorOptions> options = ParseEmulatorOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "%s: %s\nRun '%s --help' for the flags.\n", kProgram,
                 options.status().message().c_str(), kProgram);
    return 2;
  }
  if (options->show_help) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  if (Status status = LoadFaultsFile(&options.value()); !status.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
    return 2;
  }
  if (Status status = LoadBearerTokenFiles(&options.value()); !status.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
    return 2;
  }
  skyflow::Result<std::vector<skyflow::emulator::ServiceAccountKey>> service_account_keys =
      skyflow::emulator::LoadServiceAccountKeys(options->sa_public_keys);
  if (!service_account_keys.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, service_account_keys.status().message().c_str());
    return 2;
  }
  std::shared_ptr<const TlsContext> tls;
  if (!options->tls_cert_file.empty()) {
    auto loaded = TlsContext::Load(options->tls_cert_file, options->tls_key_file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s: %s\n", kProgram, loaded.status().message().c_str());
      return 2;
    }
    tls = std::move(loaded.value());
  }
  return Run(std::move(options.value()), std::move(service_account_keys.value()), std::move(tls));
}
