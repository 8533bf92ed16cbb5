// SqlApiOptions: the command line of skyflow-sqlapi-emulator.
//
// Tests and scripts depend on these flag names; UsageText() is the
// reference. "--flag value" and "--flag=value" both work. Parsing is pure
// (no I/O): the --public-key-file files are read by main. Value type; not
// synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/sqlapi/result_partitions.h"
#include "emulator/sqlapi/sqlapi_faults.h"
#include "util/status.h"

namespace skyflow::emulator::sqlapi {

struct SqlApiOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string port_file;
  std::string pg_dsn;
  std::string account;
  std::string user;
  std::vector<std::string> public_key_files;
  std::vector<std::string> pats;
  PartitionSizing partitions;
  uint64_t async_delay_ms = 0;
  int threads = 4;    // HTTP workers
  int executors = 4;  // statements running at once (PostgreSQL connections)
  SqlApiFaultRates faults;
  bool seed_given = false;
  uint64_t seed = 0;
  bool show_help = false;
};

// Errors are kInvalidArgument naming the flag.
Result<SqlApiOptions> ParseSqlApiOptions(const std::vector<std::string>& args);

std::string SqlApiUsageText();

}  // namespace skyflow::emulator::sqlapi
