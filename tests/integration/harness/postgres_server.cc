#include "harness/postgres_server.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>

#include "harness/subprocess.h"
#include "harness/system_tools.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

namespace fs = std::filesystem;

constexpr auto kProgramDeadline = std::chrono::seconds(60);
std::atomic<int> script_counter{0};

// The bin directory of the newest PostgreSQL the Debian packages installed.
std::string NewestServerBinDir() {
  std::error_code error;
  std::vector<std::string> candidates;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const fs::path initdb = entry.path() / "bin" / "initdb";
    if (fs::exists(initdb, error)) candidates.push_back((entry.path() / "bin").string());
  }
  if (candidates.empty()) return "";
  // Versions are whole numbers since PostgreSQL 10: compare them as such.
  std::sort(candidates.begin(), candidates.end(), [](const std::string& a, const std::string& b) {
    const auto version = [](const std::string& bin) {
      return std::atoi(fs::path(bin).parent_path().filename().c_str());
    };
    return version(a) < version(b);
  });
  return candidates.back();
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Start(std::string* error) {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bin_dir_ = NewestServerBinDir();
  if (server->bin_dir_.empty()) {
    *error =
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run "
        "scripts/install-deps.sh";
    return nullptr;
  }
  std::string pattern = "/tmp/skyflow-pg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    *error = "mkdtemp failed for " + pattern;
    return nullptr;
  }
  server->dir_ = pattern;
  server->as_postgres_ = geteuid() == 0;
  if (server->as_postgres_) {
    const passwd* postgres = getpwnam("postgres");
    if (postgres == nullptr ||
        chown(server->dir_.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
      *error =
          "running as root, and the postgres user (created by the postgresql package) "
          "cannot own " +
          server->dir_ + ": run scripts/install-deps.sh";
      return nullptr;
    }
  }
  std::string output;
  if (!server->RunServerProgram("initdb",
                                {"-D", server->dir_ + "/data", "-U", "postgres", "-A", "trust",
                                 "-E", "UTF8", "--locale=C", "--no-sync"},
                                &output)) {
    *error = "initdb failed: " + output;
    return nullptr;
  }
  // Another process may take the free port before the server binds it.
  for (int attempt = 0; attempt < 5 && !server->started_; ++attempt) {
    server->port_ = FreeLoopbackPort();
    const std::string options =
        "-p " + std::to_string(server->port_) +
        " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + server->dir_ +
        " -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=60";
    server->started_ =
        server->RunServerProgram("pg_ctl",
                                 {"-D", server->dir_ + "/data", "-o", options, "-l",
                                  server->dir_ + "/server.log", "-w", "-t", "60", "start"},
                                 &output);
  }
  if (!server->started_) {
    *error = "pg_ctl start failed: " + output;
    return nullptr;
  }
  return server;
}

PostgresServer::~PostgresServer() {
  if (started_) {
    std::string ignored;
    RunServerProgram("pg_ctl", {"-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, &ignored);
  }
  if (!dir_.empty() && std::getenv("SKYFLOW_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

bool PostgresServer::RunServerProgram(const std::string& program,
                                      const std::vector<std::string>& args,
                                      std::string* output) const {
  std::string executable = bin_dir_ + "/" + program;
  std::vector<std::string> arguments = args;
  if (as_postgres_) {
    arguments.insert(arguments.begin(), {"-u", "postgres", "--", executable});
    executable = FindProgram("runuser");
    if (executable.empty()) {
      *output = "runuser (util-linux) is not installed";
      return false;
    }
  }
  const ProcessResult result = RunProcess(executable, arguments, dir_, kProgramDeadline);
  *output = result.out + result.err;
  return result.exit_code == 0;
}

std::string PostgresServer::Dsn(const std::string& database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + database + " user=postgres";
}

std::string PostgresServer::Url(const std::string& database) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::Psql(const std::string& database, const std::string& sql) const {
  const std::string script =
      dir_ + "/script-" + std::to_string(script_counter.fetch_add(1)) + ".sql";
  WriteFile(script, sql);
  const ProcessResult result =
      RunProcess(bin_dir_ + "/psql",
                 {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", "127.0.0.1", "-p",
                  std::to_string(port_), "-U", "postgres", "-d", database, "-f", script},
                 dir_, kProgramDeadline);
  std::error_code ignored;
  fs::remove(script, ignored);
  if (result.exit_code != 0) {
    ADD_FAILURE() << "psql failed in database " << database << ": " << result.err;
    return "";
  }
  return result.out;
}

void PostgresServer::CreateDatabase(const std::string& name) const {
  Psql("postgres", "CREATE DATABASE " + name +
                       " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' "
                       "TEMPLATE template0;");
}

}  // namespace skyflow::testing
