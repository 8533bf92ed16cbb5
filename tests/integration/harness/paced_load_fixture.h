// PacedLoadTest: a fixture for loads slow enough to watch while they run
// (offline mode, the status command, the metrics page): one vault whose
// emulator answers each request after a set latency, the loader sending one
// request of 100 records at a time, so a run of N records lasts N / 100
// latencies. The loader runs in the test's directory (where -offline and
// the default run directory put their files) with the test's config.json
// and bearer token.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {

class PacedLoadTest : public ::testing::Test {
 protected:
  explicit PacedLoadTest(std::string token) : token_(std::move(token)) {}

  // Starts the emulator with `latency_ms` per request and generates
  // `records` records for the vault.
  void Prepare(int records, int latency_ms);

  // The loader with -config and `args`, to completion (bounded: 120 s).
  ProcessResult Loader(const std::vector<std::string>& args);
  // The same, left running.
  std::unique_ptr<Subprocess> StartLoader(const std::vector<std::string>& args);

  const std::string& token() const { return token_; }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;

 private:
  std::vector<std::string> WithConfig(const std::vector<std::string>& args) const;

  std::string token_;
};

}  // namespace skyflow::testing
