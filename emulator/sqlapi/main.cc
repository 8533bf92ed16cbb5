// skyflow-sqlapi-emulator: a local stand-in for Snowflake's SQL API that runs
// statements on PostgreSQL, for the tests of the Snowflake source. See
// sqlapi_options.cc for the command line and sqlapi_handler.h for the
// endpoints.
//
// Exit status: 0 after SIGINT/SIGTERM, 1 when it cannot listen, write the
// port file or reach PostgreSQL, 2 for invalid flags or key files.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "emulator/common/port_file.h"
#include "emulator/common/random.h"
#include "emulator/http/http_server.h"
#include "emulator/sqlapi/sqlapi_emulator.h"
#include "emulator/sqlapi/sqlapi_options.h"

namespace {

using skyflow::Result;
using skyflow::Status;
using skyflow::emulator::HttpServer;
using skyflow::emulator::HttpServerOptions;
using skyflow::emulator::WritePortFile;
using skyflow::emulator::sqlapi::SqlApiAuth;
using skyflow::emulator::sqlapi::SqlApiEmulator;
using skyflow::emulator::sqlapi::SqlApiEmulatorConfig;
using skyflow::emulator::sqlapi::SqlApiOptions;

constexpr const char* kProgram = "skyflow-sqlapi-emulator";

Result<SqlApiAuth> LoadAuth(const SqlApiOptions& options) {
  std::vector<skyflow::RsaPublicKey> keys;
  for (const std::string& path : options.public_key_files) {
    Result<skyflow::RsaPublicKey> key = skyflow::RsaPublicKey::FromPemFile(path);
    if (!key.ok()) {
      return Status::InvalidArgument("--public-key-file " + path + ": " + key.status().message());
    }
    keys.push_back(std::move(*key));
  }
  return SqlApiAuth::Create(options.pats, std::move(keys), options.account, options.user);
}

int Run(const SqlApiOptions& options, SqlApiAuth auth) {
  // The workers inherit this mask, so the signals reach only sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  if (Status status = skyflow::emulator::sqlapi::StatementExecutor::CheckConnection(options.pg_dsn);
      !status.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
    return 1;
  }
  SqlApiEmulatorConfig config;
  config.pg_dsn = options.pg_dsn;
  config.partitions = options.partitions;
  config.async_delay = std::chrono::milliseconds(options.async_delay_ms);
  config.executors = options.executors;
  config.faults = options.faults;
  config.seed = options.seed_given ? options.seed : skyflow::emulator::RandomSeed();
  SqlApiEmulator emulator(std::move(config), std::move(auth));
  emulator.Start();

  HttpServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.threads = options.threads;
  HttpServer server(server_options, emulator.HandlerFactory());
  if (Status status = server.Start(); !status.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
    emulator.Stop();
    return 1;
  }
  if (!options.port_file.empty()) {
    if (Status status = WritePortFile(options.port_file, server.port()); !status.ok()) {
      std::fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
      server.Stop();
      emulator.Stop();
      return 1;
    }
  }
  const bool ipv6 = options.host.find(':') != std::string::npos;
  std::fprintf(stderr, "%s listening on %s%s%s:%u\n", kProgram, ipv6 ? "[" : "",
               options.host.c_str(), ipv6 ? "]" : "", static_cast<unsigned>(server.port()));
  std::fflush(stderr);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  // Statements first: a synchronous submit waiting for one then answers,
  // and the server's workers can stop.
  emulator.Stop();
  server.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  Result<SqlApiOptions> options = skyflow::emulator::sqlapi::ParseSqlApiOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "%s: %s\nRun '%s --help' for the flags.\n", kProgram,
                 options.status().message().c_str(), kProgram);
    return 2;
  }
  if (options->show_help) {
    std::fputs(skyflow::emulator::sqlapi::SqlApiUsageText().c_str(), stdout);
    return 0;
  }
  Result<SqlApiAuth> auth = LoadAuth(*options);
  if (!auth.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, auth.status().message().c_str());
    return 2;
  }
  return Run(*options, std::move(*auth));
}
