// verify end to end: the loader and the vault emulator as separate
// processes over loopback TCP. The test writes the CSV pairs itself, loads
// them, then changes the vault behind the loader's back through the vault
// API (deletes, a token re-inserted for another value) and checks that
// verify names exactly the records it changed, computed here from what was
// changed, not through the loader.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "harness/emulator_process.h"
#include "harness/http_request.h"
#include "harness/loader_config.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace skyflow::testing {
namespace {

using std::chrono::seconds;

constexpr char kToken[] = "verify-test-token-83b1d0";
constexpr char kVaultId[] = "vault_ssn";
constexpr int kRecords = 300;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Value(int i) {
  return "value-" + std::to_string(i);
}
std::string Token(int i) {
  return "tok-" + std::to_string(i);
}

// One line of the list file, as the test expects it.
struct Listed {
  std::string token, reason, expected, found, origin;
  uint64_t sequence = 0;
  bool found_is_null = false;
  auto Key() const {
    return std::tie(token, reason, expected, found, origin, sequence, found_is_null);
  }
  bool operator<(const Listed& other) const { return Key() < other.Key(); }
  bool operator==(const Listed& other) const { return Key() == other.Key(); }
};

std::ostream& operator<<(std::ostream& out, const Listed& line) {
  return out << line.token << " " << line.reason << " expected=" << line.expected
             << " found=" << (line.found_is_null ? "null" : line.found) << " " << line.origin
             << " #" << line.sequence;
}

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emulator_ = std::make_unique<EmulatorProcess>(dir_.path(), kToken,
                                                  std::vector<std::string>{"--seed", "3"});
    ASSERT_TRUE(emulator_->ready());
    WriteFile(dir_.File("config.json"),
              LoaderConfigJson(emulator_->url(), dir_.File("data"), {{"SSN", kVaultId, "ssn"}},
                               R"("batch_size":100,"max_concurrency":4,"max_records":0)"));
  }

  // Writes the SSN vault's CSV pair files: row i holds (value-i, tok-i),
  // except the rows in `empty_values`, whose value is empty.
  void WriteCsv(int count, const std::set<int>& empty_values = {}) {
    std::string data = "ssn\n";
    std::string tokens = "ssn_token\n";
    for (int i = 0; i < count; ++i) {
      data += (empty_values.count(i) ? "" : Value(i)) + "\n";
      tokens += Token(i) + "\n";
    }
    std::filesystem::create_directories(dir_.File("data"));
    WriteFile(dir_.File("data/ssn_data.csv"), data);
    WriteFile(dir_.File("data/ssn_tokens.csv"), tokens);
  }

  ProcessResult Loader(std::vector<std::string> args, const std::string& token = kToken) {
    args.insert(args.begin(), {"-config", dir_.File("config.json")});
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), seconds(120),
                      {{"SKYFLOW_BEARER_TOKEN", token}});
  }

  // `verify` with the list file at list() and `args` after the command word.
  ProcessResult Verify(std::vector<std::string> args = {}, const std::string& token = kToken) {
    args.insert(args.begin(),
                {"verify", "-config", dir_.File("config.json"), "-verify-report", list()});
    return RunProcess(SKYFLOW_LOADER_PATH, args, dir_.path(), seconds(120),
                      {{"SKYFLOW_BEARER_TOKEN", token}});
  }

  std::string VaultUrl() const { return emulator_->url() + "/v1/vaults/" + kVaultId + "/ssn"; }

  // Deletes the record holding `value`, through the vault API.
  void DeleteRecord(const std::string& value) {
    const HttpAnswer read = HttpCall(
        "GET",
        VaultUrl() + "?column_name=ssn&column_values=" + UrlEncode(value) + "&redaction=PLAIN_TEXT",
        "", kToken);
    ASSERT_EQ(read.status, 200) << read.body;
    simdjson::dom::parser parser;
    std::string_view id;
    ASSERT_FALSE(parser.parse(read.body)["records"].at(0)["fields"]["skyflow_id"].get(id))
        << read.body;
    const HttpAnswer deleted = HttpCall("DELETE", VaultUrl() + "/" + std::string(id), "", kToken);
    ASSERT_EQ(deleted.status, 200) << deleted.body;
  }

  // Stores `token` for `value` (bring your own token), through the vault API.
  void InsertPair(const std::string& value, const std::string& token) {
    const HttpAnswer inserted =
        HttpCall("POST", VaultUrl(),
                 R"({"records":[{"fields":{"ssn":")" + value + R"("},"tokens":{"ssn":")" + token +
                     R"("}}],"tokenization":true,"byot":"ENABLE"})",
                 kToken);
    ASSERT_EQ(inserted.status, 200) << inserted.body;
  }

  std::set<Listed> ListFile() const {
    std::set<Listed> lines;
    const std::string text = ReadFile(list());
    simdjson::dom::parser parser;
    size_t start = 0;
    while (start < text.size()) {
      const size_t end = text.find('\n', start);
      EXPECT_NE(end, std::string::npos) << "the last line has no newline";
      if (end == std::string::npos) break;
      simdjson::dom::element entry = parser.parse(text.substr(start, end - start));
      Listed line;
      EXPECT_EQ(entry["vault"].get_string().value(), "SSN");
      line.token = std::string(entry["token"].get_string().value());
      line.reason = std::string(entry["reason"].get_string().value());
      line.expected = std::string(entry["expected_value"].get_string().value());
      line.found_is_null = entry["found_value"].is_null();
      if (!line.found_is_null) line.found = std::string(entry["found_value"].get_string().value());
      line.origin = std::string(entry["origin"].get_string().value());
      line.sequence = entry["sequence"].get_uint64().value();
      lines.insert(line);
      start = end + 1;
    }
    return lines;
  }

  // The list line expected for row i of the CSV files.
  Listed Expected(int i, const std::string& reason, const std::string& found = "") const {
    Listed line;
    line.token = Token(i);
    line.reason = reason;
    line.expected = Value(i);
    line.found = found;
    line.found_is_null = reason == "missing";
    line.origin = dir_.File("data/ssn_data.csv") + ":" + std::to_string(i + 2);
    line.sequence = static_cast<uint64_t>(i);
    return line;
  }

  unsigned FileMode(const std::string& path) const {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  std::string list() const { return dir_.File("mismatches.jsonl"); }

  void LoadAll() {
    WriteCsv(kRecords);
    const ProcessResult loaded = Loader({"-vault", "SSN"});
    ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(VerifyTest, AFullLoadVerifiesWithEveryRecordMatching) {
  LoadAll();
  // The default list file, in the working directory (the test's directory:
  // the shell changes to it); -verify as a flag.
  const ProcessResult verified =
      RunProcess("/bin/sh",
                 {"-c", "cd \"$1\" && shift && exec \"$0\" \"$@\"", SKYFLOW_LOADER_PATH,
                  dir_.path(), "-verify", "-config", dir_.File("config.json"), "-vault", "ssn"},
                 dir_.path(), seconds(120), {{"SKYFLOW_BEARER_TOKEN", kToken}});
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(Contains(verified.out,
                       "Vault SSN (id vault_ssn): checked 300 of 300 records: "
                       "300 matching, 0 missing, 0 different\n"))
      << verified.out;
  EXPECT_TRUE(Contains(verified.out, "  12 detokenize requests, 0 errors")) << verified.out;
  EXPECT_TRUE(Contains(verified.out, "Result: every record checked is in the vault"))
      << verified.out;
  std::vector<std::string> lists;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("verify_") && name.ends_with(".jsonl")) lists.push_back(entry.path());
  }
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(std::filesystem::path(lists[0]).filename().string().size(),
            std::string("verify_YYYYMMDD_HHMMSS.jsonl").size());
  EXPECT_EQ(ReadFile(lists[0]), "");
  EXPECT_EQ(FileMode(lists[0]), 0600u);
  EXPECT_TRUE(Contains(verified.out, "Missing or different records: 0, listed in verify_"))
      << verified.out;
  EXPECT_FALSE(Contains(verified.out + verified.err, kToken));
}

TEST_F(VerifyTest, NamesExactlyTheRecordsChangedBehindTheLoadersBack) {
  LoadAll();
  DeleteRecord(Value(5));
  DeleteRecord(Value(77));
  DeleteRecord(Value(299));
  // tok-123 now stands for another value.
  DeleteRecord(Value(123));
  InsertPair("changed-123", Token(123));
  // A pair the source does not hold is none of verify's business.
  InsertPair("extra-value", "extra-token");

  const ProcessResult verified = Verify({"-vault", "SSN"});
  ASSERT_EQ(verified.exit_code, 1) << verified.out << verified.err;
  EXPECT_TRUE(Contains(verified.out,
                       "checked 300 of 300 records: 296 matching, 3 missing, "
                       "1 different\n"))
      << verified.out;
  EXPECT_TRUE(Contains(verified.out, "Missing or different records: 4, listed in " + list()))
      << verified.out;
  EXPECT_TRUE(Contains(verified.out, "Result: 4 records missing or different")) << verified.out;
  const std::set<Listed> expected = {Expected(5, "missing"), Expected(77, "missing"),
                                     Expected(299, "missing"),
                                     Expected(123, "different", "changed-123")};
  EXPECT_EQ(ListFile(), expected);
  EXPECT_EQ(FileMode(list()), 0600u);
  // Values stay in the list file: the terminal shows none of them.
  for (const char* value : {"value-5", "value-77", "value-123", "changed-123"}) {
    EXPECT_FALSE(Contains(verified.out + verified.err, value)) << value;
  }

  // Put right, the vault verifies again (and the list file is rewritten).
  DeleteRecord("changed-123");
  for (int i : {5, 77, 123, 299})
    InsertPair(Value(i), Token(i));
  const ProcessResult again = Verify({"-vault", "SSN"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(ReadFile(list()), "");
}

TEST_F(VerifyTest, ASampleChecksExactlyNRecordsReproduciblyPerSeed) {
  LoadAll();
  std::set<std::string> deleted;
  for (int i = 0; i < kRecords; i += 10) {
    DeleteRecord(Value(i));
    deleted.insert(Token(i));
  }
  const std::string summary = dir_.File("summary.json");
  const ProcessResult first = Verify({"-sample", "40", "-seed", "7", "-summary-json", summary});
  ASSERT_TRUE(first.exit_code == 0 || first.exit_code == 1) << first.out << first.err;
  EXPECT_TRUE(Contains(first.out, "checked 40 of 300 records")) << first.out;
  EXPECT_TRUE(Contains(first.out, "  2 detokenize requests")) << first.out;
  EXPECT_TRUE(Contains(first.out, "seed 7")) << first.out;
  EXPECT_EQ(FileMode(list()), 0600u);
  simdjson::dom::parser parser;
  simdjson::dom::element json = parser.parse(ReadFile(summary));
  const uint64_t checked = json["total"]["checked"].get_uint64().value();
  const uint64_t missing = json["total"]["missing"].get_uint64().value();
  EXPECT_EQ(checked, 40u);
  EXPECT_EQ(json["total"]["matching"].get_uint64().value() + missing, 40u);
  EXPECT_EQ(json["seed"].get_uint64().value(), 7u);
  const std::set<Listed> listed = ListFile();
  EXPECT_EQ(listed.size(), missing);
  EXPECT_EQ(first.exit_code, missing == 0 ? 0 : 1);
  for (const Listed& line : listed) {
    EXPECT_EQ(line.reason, "missing") << line;
    EXPECT_TRUE(deleted.count(line.token)) << line;
  }

  // The same seed draws the same records.
  const ProcessResult second = Verify({"-sample", "40", "-seed", "7"});
  EXPECT_EQ(second.exit_code, first.exit_code) << second.out << second.err;
  EXPECT_EQ(ListFile(), listed);

  // A sample as large as the source checks every record: 30 are missing.
  const ProcessResult whole = Verify({"-sample", "1000"});
  EXPECT_EQ(whole.exit_code, 1) << whole.out << whole.err;
  EXPECT_TRUE(Contains(whole.out, "checked 300 of 300 records: 270 matching, 30 missing"))
      << whole.out;
  EXPECT_EQ(ListFile().size(), 30u);
}

TEST_F(VerifyTest, ThrottlingAndServerErrorsAreRetried) {
  LoadAll();
  const HttpAnswer faults =
      HttpCall("PUT", emulator_->url() + "/emulator/v1/faults",
               R"({"errors":{"429":0.2,"503":0.1,"500":0.1},"retry_after_seconds":0})");
  ASSERT_EQ(faults.status, 200) << faults.body;
  const ProcessResult verified = Verify({"-max-attempts", "20", "-retry-base-delay-ms", "5",
                                         "-retry-max-delay-ms", "50", "-seed", "3"});
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(Contains(verified.out, "checked 300 of 300 records: 300 matching")) << verified.out;
  EXPECT_FALSE(Contains(verified.out, " 0 errors")) << verified.out;
  EXPECT_GT(emulator_->StatsCounter("faults", "429"), 0u);
  EXPECT_GT(emulator_->StatsCounter("faults", "500"), 0u);
}

TEST_F(VerifyTest, CtrlCStopsSendingAndExits130) {
  LoadAll();
  const HttpAnswer slow =
      HttpCall("PUT", emulator_->url() + "/emulator/v1/faults", R"({"latency":{"fixed_ms":300}})");
  ASSERT_EQ(slow.status, 200) << slow.body;
  // One request in flight at a time, 300 ms each: 12 requests take 3.6 s.
  Subprocess verify(SKYFLOW_LOADER_PATH,
                    {"verify", "-config", dir_.File("config.json"), "-verify-report", list(),
                     "-concurrency", "1"},
                    dir_.path(), {{"SKYFLOW_BEARER_TOKEN", kToken}});
  for (int i = 0; i < 1000 && !Contains(verify.StderrSoFar(), "Verifying vault SSN"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  verify.Signal(SIGINT);
  const ProcessResult result = verify.Wait(seconds(30));
  EXPECT_EQ(result.exit_code, 130) << result.out << result.err;
  EXPECT_TRUE(Contains(result.out, "Result: interrupted")) << result.out;
  EXPECT_FALSE(Contains(result.out, "checked 300 of")) << result.out;
  EXPECT_EQ(FileMode(list()), 0600u);
}

TEST_F(VerifyTest, RejectedRowsAreCountedNotChecked) {
  WriteCsv(50, {3, 4});
  const ProcessResult loaded = Loader({"-vault", "SSN", "-run-dir", dir_.File("run")});
  ASSERT_EQ(loaded.exit_code, 1) << loaded.out << loaded.err;  // two rows rejected

  const ProcessResult verified = Verify();
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(Contains(verified.out, "checked 48 of 48 records: 48 matching")) << verified.out;
  EXPECT_TRUE(Contains(verified.out, "50 rows read, 2 rejected and not checked")) << verified.out;
}

TEST_F(VerifyTest, RejectedCredentialsAreExit3WithoutShowingTheToken) {
  LoadAll();
  const std::string wrong = "not-the-right-token-but-long-enough";
  const ProcessResult refused = Verify({}, wrong);
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_TRUE(Contains(refused.err, "rejected the credentials (HTTP 401")) << refused.err;
  EXPECT_FALSE(Contains(refused.out + refused.err, wrong));
}

TEST_F(VerifyTest, AnUnknownVaultIsExit3) {
  // Only an emulator with a schema knows which vaults do not exist (without
  // one, any vault id is an empty vault, where every token is missing).
  WriteCsv(10);
  WriteFile(
      dir_.File("schema.json"),
      R"({"vaults":[{"id":"vault_ssn","tables":[{"name":"ssn","columns":[{"name":"ssn"}]}]}]})");
  EmulatorProcess with_schema(dir_.path(), kToken, {"--schema", dir_.File("schema.json")});
  ASSERT_TRUE(with_schema.ready());
  WriteFile(dir_.File("config.json"),
            LoaderConfigJson(with_schema.url(), dir_.File("data"),
                             {{"SSN", "no_such_vault", "ssn"}}, R"("max_records":0)"));
  const ProcessResult result = Verify();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(Contains(result.err, "vault SSN answered 404")) << result.err;
  EXPECT_TRUE(Contains(result.out, "NOT fully checked")) << result.out;
  EXPECT_TRUE(Contains(result.out, "Result: not every record could be checked")) << result.out;
}

TEST_F(VerifyTest, UsageErrorsAreExit2) {
  WriteCsv(10);
  const ProcessResult sample_alone = Loader({"-sample", "5"});
  EXPECT_EQ(sample_alone.exit_code, 2) << sample_alone.err;
  EXPECT_TRUE(Contains(sample_alone.err, "-sample only applies to verify")) << sample_alone.err;

  const ProcessResult with_clear = Verify({"-clear", "-yes"});
  EXPECT_EQ(with_clear.exit_code, 2) << with_clear.err;
  EXPECT_TRUE(Contains(with_clear.err, "run it on its own")) << with_clear.err;

  const ProcessResult negative = Verify({"-sample", "-1"});
  EXPECT_EQ(negative.exit_code, 2) << negative.err;

  const ProcessResult late_word = Loader({"-vault", "SSN", "verify"});
  EXPECT_EQ(late_word.exit_code, 2) << late_word.err;
  EXPECT_TRUE(Contains(late_word.err, "the command word comes first")) << late_word.err;
  EXPECT_EQ(emulator_->Stats().size(), 0u);  // nothing was loaded or read
}

}  // namespace
}  // namespace skyflow::testing
