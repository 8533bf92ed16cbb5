#include "error_log/error_log_entry.h"

#include <gtest/gtest.h>

#include <string>

namespace skyflow {
namespace {

ErrorLogEntry VaultFailure() {
  ErrorLogEntry entry;
  entry.time = "2026-11-24T10:00:00Z";
  entry.vault = "SSN";
  entry.vault_id = "v1";
  entry.table = "ssn";
  entry.column = "ssn";
  entry.stage = ErrorLogStage::kVault;
  entry.outcome = ErrorLogOutcome::kFailed;
  entry.origin = "data/ssn_data.csv:17";
  entry.sequence = 15;
  entry.batch = 3;
  entry.status = 500;
  entry.message = "HTTP 500 after 5 attempts: \"boom\"";
  entry.request_id = "req-1";
  entry.attempts = 5;
  entry.value = "123-45-6789";
  entry.token = "tok-15";
  return entry;
}

ErrorLogEntry RoundTrip(const ErrorLogEntry& entry) {
  std::string line;
  AppendErrorLogLine(entry, &line);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per entry";
  line.pop_back();
  ErrorLogLineDecoder decoder;
  ErrorLogEntry decoded;
  const Status status = decoder.Decode(line, &decoded);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << line;
  return decoded;
}

Status DecodeLine(std::string_view line) {
  ErrorLogLineDecoder decoder;
  ErrorLogEntry entry;
  return decoder.Decode(line, &entry);
}

TEST(ErrorLogEntryTest, WritesTheDocumentedFieldsInOrder) {
  std::string line;
  AppendErrorLogLine(VaultFailure(), &line);
  EXPECT_EQ(line,
            R"({"time":"2026-11-24T10:00:00Z","vault":"SSN","vault_id":"v1","table":"ssn",)"
            R"("column":"ssn","stage":"vault","outcome":"failed","origin":"data/ssn_data.csv:17",)"
            R"("sequence":15,"batch":3,"status":500,"message":"HTTP 500 after 5 attempts: )"
            R"(\"boom\"","request_id":"req-1","attempts":5,"value":"123-45-6789",)"
            R"("token":"tok-15"})"
            "\n");
}

TEST(ErrorLogEntryTest, RoundTripsEveryField) {
  const ErrorLogEntry entry = VaultFailure();
  EXPECT_EQ(RoundTrip(entry), entry);

  ErrorLogEntry reject;
  reject.time = "2026-11-24T10:00:00Z";
  reject.vault = "NAME";
  reject.stage = ErrorLogStage::kSource;
  reject.outcome = ErrorLogOutcome::kRejected;
  reject.origin = "data/name_data.csv:6";
  reject.sequence = 4;
  reject.message = "empty token";
  reject.value = "Ann \"the\" \\ \t tab";
  EXPECT_EQ(RoundTrip(reject), reject);
}

TEST(ErrorLogEntryTest, KeepsTheExactBytesOfTextThatIsNotUtf8) {
  ErrorLogEntry entry = VaultFailure();
  entry.stage = ErrorLogStage::kSource;
  entry.outcome = ErrorLogOutcome::kRejected;
  entry.value = std::string("Jos\xE9 \xFF", 6);
  entry.token = std::string("t\0k", 3);
  std::string line;
  AppendErrorLogLine(entry, &line);
  EXPECT_NE(line.find("\"value\":\"Jos\xEF\xBF\xBD \xEF\xBF\xBD\",\"value_hex\":\"4a6f73e920ff\""),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find("token_hex"), std::string::npos) << "a NUL is UTF-8: " << line;
  EXPECT_EQ(RoundTrip(entry), entry);
}

TEST(ErrorLogEntryTest, ReadsTheRejectsFileOfEarlierVersions) {
  ErrorLogLineDecoder decoder;
  ErrorLogEntry entry;
  ASSERT_TRUE(decoder
                  .Decode(R"({"time":"2026-01-01T00:00:00Z","vault":"NAME","stage":"source",)"
                          R"("origin":"d.csv:6","sequence":4,"reason":"empty token",)"
                          R"("value":"Ann","token":""})",
                          &entry)
                  .ok());
  EXPECT_EQ(entry.outcome, ErrorLogOutcome::kRejected);
  EXPECT_EQ(entry.message, "empty token");
  ASSERT_TRUE(decoder
                  .Decode(R"({"time":"t","vault":"SSN","stage":"vault","origin":"a.csv:9",)"
                          R"("sequence":7,"reason":"HTTP 409: taken","value":"1","token":"t",)"
                          R"("outcome":"conflict","batch":12,"http_status":409,)"
                          R"("request_id":"req-9","attempts":1})",
                          &entry)
                  .ok());
  EXPECT_EQ(entry.outcome, ErrorLogOutcome::kConflict);
  EXPECT_EQ(entry.status, 409);
  EXPECT_EQ(entry.batch, 12u);
  EXPECT_EQ(entry.vault_id, "");
}

TEST(ErrorLogEntryTest, IgnoresFieldsItDoesNotKnow) {
  std::string line;
  AppendErrorLogLine(VaultFailure(), &line);
  line.insert(1, R"("run":{"id":[1,2]},)");
  line.pop_back();
  EXPECT_TRUE(DecodeLine(line).ok());
}

TEST(ErrorLogEntryTest, RefusesWrongTypesMissingFieldsAndTornLines) {
  std::string good;
  AppendErrorLogLine(VaultFailure(), &good);
  good.pop_back();
  auto replaced = [&good](std::string_view from, std::string_view to) {
    std::string line = good;
    line.replace(line.find(from), from.size(), to);
    return line;
  };
  const struct {
    std::string line;
    std::string message;
  } cases[] = {
      {good.substr(0, good.size() / 2), "not valid JSON"},
      {"[1,2]", "not a JSON object"},
      {replaced(R"("status":500)", R"("status":"500")"), "\"status\" must be an integer"},
      {replaced(R"("status":500)", R"("status":-1)"), "\"status\" must be an integer"},
      {replaced(R"("sequence":15)", R"("sequence":1.5)"), "\"sequence\" must be a non-negative"},
      {replaced(R"("value":"123-45-6789")", R"("value":123)"), "\"value\" must be a string"},
      {replaced(R"(,"token":"tok-15")", ""), "\"token\" is missing"},
      {replaced(R"("stage":"vault")", R"("stage":"csv")"), "\"stage\" must be"},
      {replaced(R"("outcome":"failed")", R"("outcome":"lost")"), "\"outcome\" must be"},
      {replaced(R"("outcome":"failed")", R"("outcome":"rejected")"), "disagree"},
      {replaced(R"("vault":"SSN")", R"("vault":"")"), "\"vault\" is empty"},
      {replaced(R"("batch":3)", R"("batch":3,"sequence":2)"), "\"sequence\" appears twice"},
      {replaced(R"("status":500)", R"("status":500,"http_status":500)"),
       "\"status\" appears twice"},
      {replaced(R"("token":"tok-15")", R"("token":"tok-15","token_hex":"zz")"),
       "\"token_hex\" must hold pairs of hex digits"},
      {replaced(R"("token":"tok-15")", R"("token":"tok-15","token_hex":"746f6b")"),
       "\"token_hex\" does not hold the bytes of \"token\""},
  };
  for (const auto& c : cases) {
    const Status status = DecodeLine(c.line);
    EXPECT_EQ(status.code(), StatusCode::kParseError) << c.line;
    EXPECT_NE(status.message().find(c.message), std::string::npos)
        << status.message() << "\nfor " << c.line;
    EXPECT_EQ(status.message().find("123-45-6789"), std::string::npos)
        << "values stay out of messages";
  }
}

TEST(ErrorLogEntryTest, ADecoderReadsManyLines) {
  ErrorLogLineDecoder decoder;
  for (uint64_t i = 0; i < 50; ++i) {
    ErrorLogEntry entry = VaultFailure();
    entry.sequence = i;
    entry.value = std::string(i * 10, 'v');
    std::string line;
    AppendErrorLogLine(entry, &line);
    line.back() = '\r';  // CRLF files read too
    ErrorLogEntry decoded;
    ASSERT_TRUE(decoder.Decode(line, &decoded).ok());
    EXPECT_EQ(decoded, entry);
  }
}

}  // namespace
}  // namespace skyflow
