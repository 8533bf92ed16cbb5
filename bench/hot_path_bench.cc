// The loader's per-record CPU work, measured apart from the network: reading
// CSV pairs, and encoding batches as JSON. The network side is measured
// end to end by bench/load_bench.sh against the emulator.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <span>

#include "config/loader_config.h"
#include "pipeline/source_scan.h"
#include "source/csv_pair_source.h"
#include "source/mock_data_generator.h"
#include "vault/insert_payload.h"

namespace skyflow {
namespace {

std::vector<Record> SampleRecords(size_t count) {
  std::vector<Record> records;
  for (size_t i = 0; i < count; ++i) {
    records.push_back({i, i + 2, "Jane Q. Public-" + std::to_string(i),
                       "7c9e6679-7425-40de-944b-e07fc1f9" + std::to_string(10000 + i)});
  }
  return records;
}

void BM_EncodeInsertPayload(benchmark::State& state) {
  const auto records = SampleRecords(static_cast<size_t>(state.range(0)));
  std::string body;
  for (auto _ : state) {
    body.clear();
    EncodeInsertPayload({"name", "name", false}, std::span<const Record>(records), &body);
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_EncodeInsertPayload)->Arg(300);

void BM_ReadCsvPairs(benchmark::State& state) {
  const std::string dir = (std::filesystem::temp_directory_path() / "skyflow-bench-csv").string();
  const uint64_t rows = static_cast<uint64_t>(state.range(0));
  VaultConfig vault;
  vault.name = "NAME";
  vault.column = "name";
  if (!GenerateMockData({vault}, dir, rows, 1).ok()) {
    state.SkipWithError("cannot generate data");
    return;
  }
  for (auto _ : state) {
    auto source = CsvPairSource::Open(CsvLayoutFor(vault, dir));
    auto scan = ScanSource(source->get(), 0, 300);
    benchmark::DoNotOptimize(scan.ok());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReadCsvPairs)->Arg(200000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace skyflow
