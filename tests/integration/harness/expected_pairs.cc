#include "harness/expected_pairs.h"

#include <gtest/gtest.h>

#include "config/loader_config.h"
#include "config/seed_vaults.h"
#include "source/csv_pair_source.h"
#include "util/pair_digest.h"

namespace skyflow::testing {

ExpectedPairs ExpectedPairsFromCsv(const std::string& data_dir, const std::string& name,
                                   const std::string& column) {
  VaultConfig config;
  config.name = name;
  config.column = column;
  // The CSV header the loader reads for this vault (NAME's is "full_name").
  ApplySeedVaultDefaults(&config);
  ExpectedPairs expected;
  auto source = CsvPairSource::Open(CsvLayoutFor(config, data_dir));
  if (!source.ok()) {
    ADD_FAILURE() << source.status().ToString();
    return expected;
  }
  PairDigest digest;
  SourceChunk chunk;
  for (int guard = 0; guard < 1000000 && !chunk.end_of_input; ++guard) {
    chunk.Clear();
    if (Status status = (*source)->Next(1000, &chunk); !status.ok()) {
      ADD_FAILURE() << status.ToString();
      break;
    }
    for (const Record& record : chunk.records)
      digest.Add(record.value, record.token);
    expected.records += chunk.records.size();
  }
  expected.digest = digest.Hex();
  return expected;
}

}  // namespace skyflow::testing
