// What a vault's CSV pair files hold, computed through the CSV reader (which
// has its own unit tests) and the PairDigest definition rather than through
// the loader: the reference a load's outcome (GET /emulator/v1/stats) is
// compared with.
#pragma once

#include <cstdint>
#include <string>

namespace skyflow::testing {

struct ExpectedPairs {
  uint64_t records = 0;
  std::string digest;  // PairDigest hex
};

// The pairs of vault `name` (CSV column `column`) under `data_dir`. Fails the
// test when the files cannot be read.
ExpectedPairs ExpectedPairsFromCsv(const std::string& data_dir, const std::string& name,
                                   const std::string& column);

}  // namespace skyflow::testing
