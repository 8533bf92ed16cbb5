#include "source/mock_data_generator.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/seed_vaults.h"
#include "source/csv_pair_source.h"
#include "util/csv_reader.h"
#include "util/csv_writer.h"

namespace skyflow {
namespace {

std::vector<VaultConfig> SeedVaults() {
  std::vector<VaultConfig> vaults;
  for (const auto& [name, column] : {std::pair<const char*, const char*>{"NAME", "name"},
                                     {"ID", "id"},
                                     {"DOB", "dob"},
                                     {"SSN", "ssn"}}) {
    VaultConfig vault;
    vault.name = name;
    vault.column = column;
    ApplySeedVaultDefaults(&vault);
    vaults.push_back(vault);
  }
  return vaults;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool IsUuidV4Shape(const std::string& token) {
  if (token.size() != 36) return false;
  for (size_t i = 0; i < token.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (token[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(token[i]))) return false;
    if (!dash && std::isupper(static_cast<unsigned char>(token[i]))) return false;
  }
  return token[14] == '4' && std::string("89ab").find(token[19]) != std::string::npos;
}

class MockDataGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "mock_data_generator_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string directory_;
};

TEST_F(MockDataGeneratorTest, AppendCsvFieldRoundTripsThroughCsvReader) {
  const std::vector<std::string> fields = {
      "",     "x",      ",",        "\"",           "\"\"",       "a\nb",
      "a\rb", "a\r\nb", " spaced ", "O'Brien, Jr.", "Jos\xC3\xA9"};
  std::string content;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) content += ',';
    AppendCsvField(fields[i], ',', &content);
  }
  content += "\n";
  const std::string path = directory_ + "/roundtrip.csv";
  std::ofstream(path, std::ios::binary) << content;
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> read;
  bool end_of_file = false;
  ASSERT_TRUE((*reader)->ReadRow(&read, &end_of_file).ok());
  EXPECT_EQ(read, fields);
}

TEST(MockValueKindForTest, MapsSeedVaultNames) {
  EXPECT_EQ(MockValueKindFor("NAME"), MockValueKind::kName);
  EXPECT_EQ(MockValueKindFor("name"), MockValueKind::kName);
  EXPECT_EQ(MockValueKindFor("Id"), MockValueKind::kId);
  EXPECT_EQ(MockValueKindFor("ssn"), MockValueKind::kSsn);
  EXPECT_EQ(MockValueKindFor("DOB"), MockValueKind::kDob);
  EXPECT_EQ(MockValueKindFor("cards"), MockValueKind::kGeneric);
}

TEST_F(MockDataGeneratorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::vector<VaultConfig> vaults = SeedVaults();
  ASSERT_TRUE(GenerateMockData(vaults, directory_ + "/a", 500, 42).ok());
  ASSERT_TRUE(GenerateMockData(vaults, directory_ + "/b", 500, 42).ok());
  ASSERT_TRUE(GenerateMockData(vaults, directory_ + "/c", 500, 43).ok());
  for (const char* file : {"name_data.csv", "name_tokens.csv", "id_data.csv", "id_tokens.csv",
                           "dob_data.csv", "dob_tokens.csv", "ssn_data.csv", "ssn_tokens.csv"}) {
    const std::string a = ReadFile(directory_ + "/a/" + file);
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_EQ(a, ReadFile(directory_ + "/b/" + file)) << file;
    EXPECT_NE(a, ReadFile(directory_ + "/c/" + file)) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(directory_ + "/a/name_data.csv.tmp"));
}

TEST_F(MockDataGeneratorTest, FilesReadBackWithUniqueValuesAndTokens) {
  constexpr uint64_t kCount = 50000;
  std::vector<VaultConfig> vaults = SeedVaults();
  VaultConfig cards;
  cards.name = "CARDS";
  cards.column = "card_number";
  vaults.push_back(cards);
  ASSERT_TRUE(GenerateMockData(vaults, directory_ + "/data", kCount, 7).ok());

  std::unordered_set<std::string> all_tokens;
  for (const VaultConfig& vault : vaults) {
    const CsvPairLayout layout = CsvLayoutFor(vault, directory_ + "/data");
    const std::string data = ReadFile(layout.data_path);
    EXPECT_EQ(data.substr(0, layout.value_header.size() + 1), layout.value_header + "\n");
    EXPECT_EQ(ReadFile(layout.tokens_path).substr(0, layout.token_header.size() + 1),
              layout.token_header + "\n");
    Result<std::unique_ptr<CsvPairSource>> source = CsvPairSource::Open(layout);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    std::unordered_set<std::string> values;
    uint64_t records = 0;
    for (;;) {
      SourceChunk chunk;
      Status status = (*source)->Next(4096, &chunk);
      ASSERT_TRUE(status.ok()) << status.ToString();
      EXPECT_TRUE(chunk.rejected.empty()) << vault.name << ": " << chunk.rejected[0].reason;
      for (const Record& record : chunk.records) {
        EXPECT_EQ(record.sequence, records);
        ++records;
        EXPECT_TRUE(values.insert(record.value).second)
            << vault.name << " repeats " << record.value;
        EXPECT_TRUE(all_tokens.insert(record.token).second) << "token repeats: " << record.token;
        if (!IsUuidV4Shape(record.token)) ADD_FAILURE() << "not UUID-shaped: " << record.token;
      }
      if (chunk.end_of_input) break;
    }
    EXPECT_EQ(records, kCount) << vault.name;
    if (vault.name == "NAME") {
      EXPECT_NE(data.find(". O'Brien, Jr.\"\n"), std::string::npos) << "a name needing quotes";
      EXPECT_NE(data.find("\"\"Bob\"\""), std::string::npos) << "a name with a quote";
    }
  }
  EXPECT_EQ(all_tokens.size(), kCount * vaults.size());
}

TEST(MockVaultDataTest, ValueFormats) {
  const MockVaultData ids(MockValueKind::kId, 2000, 3, 1);
  const MockVaultData ssns(MockValueKind::kSsn, 2000, 3, 2);
  const MockVaultData dobs(MockValueKind::kDob, 2000, 3, 3);
  const MockVaultData names(MockValueKind::kName, 2000, 3, 0);
  for (uint64_t row = 0; row < 2000; ++row) {
    std::string id;
    ids.AppendValue(row, &id);
    ASSERT_EQ(id.size(), 10u) << id;
    for (char c : id)
      ASSERT_TRUE(std::isdigit(static_cast<unsigned char>(c))) << id;

    std::string ssn;
    ssns.AppendValue(row, &ssn);
    ASSERT_EQ(ssn.size(), 11u) << ssn;
    ASSERT_EQ(ssn[3], '-');
    ASSERT_EQ(ssn[6], '-');
    const std::string area = ssn.substr(0, 3);
    EXPECT_NE(area, "000");
    EXPECT_NE(area, "666");
    EXPECT_LT(area, "900");
    EXPECT_NE(ssn.substr(4, 2), "00");
    EXPECT_NE(ssn.substr(7, 4), "0000");

    std::string dob;
    dobs.AppendValue(row, &dob);
    ASSERT_EQ(dob.size(), 10u) << dob;
    // 2000 days from 1900-01-01 end in 1905-06.
    EXPECT_GE(dob, "1900-01-01");
    EXPECT_LE(dob, "1905-06-23");

    std::string name;
    names.AppendValue(row, &name);
    EXPECT_NE(name.find(". "), std::string::npos) << name;
  }
}

TEST(MockVaultDataTest, DobCoversConsecutiveDaysFrom1900) {
  const MockVaultData dobs(MockValueKind::kDob, 366, 11, 0);
  std::unordered_set<std::string> dates;
  for (uint64_t row = 0; row < 366; ++row) {
    std::string dob;
    dobs.AppendValue(row, &dob);
    dates.insert(dob);
  }
  EXPECT_EQ(dates.size(), 366u);
  EXPECT_TRUE(dates.count("1900-01-01"));
  EXPECT_TRUE(dates.count("1900-02-28"));
  EXPECT_FALSE(dates.count("1900-02-29")) << "1900 is not a leap year";
  EXPECT_TRUE(dates.count("1901-01-01"));
  EXPECT_FALSE(dates.count("1901-01-02"));
}

TEST(MockVaultDataTest, DobBeyondYear9999TakesGenerationSuffix) {
  constexpr uint64_t kDays = 2'958'464;
  const MockVaultData dobs(MockValueKind::kDob, kDays + 10, 5, 0);
  std::string first_generation;
  dobs.AppendValue(kDays - 1, &first_generation);
  EXPECT_EQ(first_generation.size(), 10u);
  std::string second_generation;
  dobs.AppendValue(kDays + 3, &second_generation);
  EXPECT_EQ(second_generation.substr(10), "-2");
}

TEST(MockVaultDataTest, GenericValuesAreOneToN) {
  const MockVaultData generic(MockValueKind::kGeneric, 1000, 9, 4);
  std::unordered_set<std::string> values;
  for (uint64_t row = 0; row < 1000; ++row) {
    std::string value;
    generic.AppendValue(row, &value);
    values.insert(value);
  }
  EXPECT_EQ(values.size(), 1000u);
  EXPECT_TRUE(values.count("value-1"));
  EXPECT_TRUE(values.count("value-1000"));
}

// The whole NAME domain and then some: proves that the name lists hold no
// duplicates and that the generation suffix keeps later names distinct.
TEST(MockVaultDataTest, NamesStayUniqueBeyondTheDomain) {
  constexpr uint64_t kDomain = 200 * 26 * 200;
  constexpr uint64_t kCount = kDomain + 20000;
  const MockVaultData names(MockValueKind::kName, kCount, 1, 0);
  std::unordered_set<std::string> values;
  values.reserve(kCount);
  std::string value;
  for (uint64_t row = 0; row < kCount; ++row) {
    value.clear();
    names.AppendValue(row, &value);
    ASSERT_TRUE(values.insert(value).second) << "row " << row << " repeats " << value;
  }
  std::string later;
  names.AppendValue(kDomain * 2 + 5, &later);
  EXPECT_EQ(later.substr(later.size() - 2), " 3");
}

TEST(MockVaultDataTest, TokensDifferAcrossVaultsForTheSameRow) {
  const MockVaultData first(MockValueKind::kId, 10, 1, 0);
  const MockVaultData second(MockValueKind::kId, 10, 1, 1);
  std::string a;
  std::string b;
  first.AppendToken(3, &a);
  second.AppendToken(3, &b);
  EXPECT_NE(a, b);
  EXPECT_TRUE(IsUuidV4Shape(a)) << a;
}

TEST_F(MockDataGeneratorTest, ZeroRowsWritesHeadersOnly) {
  std::vector<VaultConfig> vaults = SeedVaults();
  vaults[0].value_header = "patient_name";
  ASSERT_TRUE(GenerateMockData(vaults, directory_, 0, 1).ok());
  EXPECT_EQ(ReadFile(directory_ + "/name_data.csv"), "patient_name\n");
  EXPECT_EQ(ReadFile(directory_ + "/name_tokens.csv"), "patient_name_token\n");
  Result<std::unique_ptr<CsvPairSource>> source =
      CsvPairSource::Open(CsvLayoutFor(vaults[0], directory_));
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  SourceChunk chunk;
  ASSERT_TRUE((*source)->Next(10, &chunk).ok());
  EXPECT_TRUE(chunk.end_of_input);
  EXPECT_EQ(chunk.rows(), 0u);
}

TEST_F(MockDataGeneratorTest, TwoVaultsSharingAFileIsAnError) {
  std::vector<VaultConfig> vaults = SeedVaults();
  vaults[1].data_file = "name_data.csv";
  Status status = GenerateMockData(vaults, directory_, 10, 1);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("vault ID would write " + directory_ + "/name_data.csv"),
            std::string::npos)
      << status.message();
}

TEST_F(MockDataGeneratorTest, UnwritableDirectoryIsAnIoErrorNamingIt) {
  const std::string blocker = directory_ + "/file";
  std::ofstream(blocker) << "not a directory";
  Status status = GenerateMockData(SeedVaults(), blocker + "/data", 10, 1);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_NE(status.message().find(blocker + "/data"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace skyflow
