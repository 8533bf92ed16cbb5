// docs/SUMMARY_JSON.md documents every field of the JSON summary: this test
// reads the doc's field table and the real output of FormatSummaryJson, and
// fails when one has a field the other lacks, or their types differ.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "report/run_summary.h"

namespace skyflow {
namespace {

#ifdef SKYFLOW_SOURCE_DIR
constexpr char kDocPath[] = SKYFLOW_SOURCE_DIR "/docs/SUMMARY_JSON.md";
#endif

// field path -> type, from the doc's table rows: | `a.b` | integer | ... |
std::map<std::string, std::string> DocumentedFields(const std::string& doc) {
  std::map<std::string, std::string> fields;
  const std::regex row(R"(^\| `([^`]+)` \| (\w+) \|)");
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, row)) fields[match[1]] = match[2];
  }
  return fields;
}

std::string TypeOf(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return "integer";
    case simdjson::dom::element_type::DOUBLE:
      return "number";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "?";
}

void CollectFields(simdjson::dom::element element, const std::string& prefix,
                   std::map<std::string, std::string>* fields) {
  if (element.type() == simdjson::dom::element_type::OBJECT) {
    // Held in a variable: the result get_object() returns is a temporary
    // that a range-for would not keep alive.
    const simdjson::dom::object object = element.get_object().value();
    for (auto [key, value] : object) {
      const std::string path = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
      (*fields)[path] = TypeOf(value);
      CollectFields(value, path, fields);
    }
  } else if (element.type() == simdjson::dom::element_type::ARRAY) {
    const simdjson::dom::array array = element.get_array().value();
    for (simdjson::dom::element item : array)
      CollectFields(item, prefix + "[]", fields);
  }
}

LoadResult ARun() {
  LoadResult result;
  result.elapsed = std::chrono::milliseconds(2500);
  result.concurrency_mode = "adaptive";
  result.run_directory = "run";
  VaultLoadResult vault;
  vault.name = "NAME";
  vault.id = "id_NAME";
  vault.source = "CSV a + b";
  vault.elapsed = std::chrono::seconds(2);
  vault.stats->rows_read = 100;
  vault.stats->records_read = 100;
  vault.stats->loaded = 100;
  vault.stats->requests = 3;
  vault.stats->latency_micros_total = 30000;
  for (const uint64_t micros : {5000, 10000, 15000})
    vault.stats->latency.Record(micros);
  result.vaults.push_back(std::move(vault));
  return result;
}

TEST(SummaryJsonDocTest, EveryFieldIsDocumentedAndEveryDocumentedFieldIsWritten) {
#ifndef SKYFLOW_SOURCE_DIR
  GTEST_SKIP() << "SKYFLOW_SOURCE_DIR not defined for this build";
#else
  std::ifstream file(kDocPath);
  ASSERT_TRUE(file) << kDocPath;
  std::stringstream doc;
  doc << file.rdbuf();
  const std::map<std::string, std::string> documented = DocumentedFields(doc.str());
  ASSERT_GT(documented.size(), 50u) << "the doc's field table was not found";

  ResourceUsage usage;
  usage.user_cpu = std::chrono::milliseconds(1500);
  const std::string json = FormatSummaryJson(ARun(), usage);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  std::map<std::string, std::string> written;
  CollectFields(root, "", &written);

  for (const auto& [path, type] : written) {
    const auto doc_entry = documented.find(path);
    if (doc_entry == documented.end()) {
      ADD_FAILURE() << "field " << path << " (" << type << ") is not in docs/SUMMARY_JSON.md";
      continue;
    }
    const bool number_ok = doc_entry->second == "number" && type == "integer";
    EXPECT_TRUE(doc_entry->second == type || number_ok)
        << path << ": written as " << type << ", documented as " << doc_entry->second;
  }
  for (const auto& [path, type] : documented) {
    EXPECT_TRUE(written.count(path))
        << "docs/SUMMARY_JSON.md documents " << path << ", which the summary does not write";
  }
#endif
}

TEST(SummaryJsonDocTest, SchemaVersionIsOneAndPercentilesAreThere) {
  const std::string json = FormatSummaryJson(ARun(), ResourceUsage{});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  int64_t version = 0;
  ASSERT_FALSE(root["schema_version"].get_int64().get(version));
  EXPECT_EQ(version, 1);
  double p50 = 0;
  double p99 = 0;
  double max = 0;
  ASSERT_FALSE(root["latency_ms"]["p50"].get_double().get(p50)) << json;
  ASSERT_FALSE(root["latency_ms"]["p99"].get_double().get(p99)) << json;
  ASSERT_FALSE(root["latency_ms"]["max"].get_double().get(max)) << json;
  // Samples 5, 10 and 15 ms: the median, 10 ms, is in the bucket
  // (9.051, 10.763] ms; the 99th percentile's bucket bound (15.222 ms) is
  // above the largest sample, so it is kept at 15 ms.
  EXPECT_DOUBLE_EQ(p50, 10.763);
  EXPECT_DOUBLE_EQ(p99, 15.0);
  EXPECT_DOUBLE_EQ(max, 15.0);
}

}  // namespace
}  // namespace skyflow
