#include "emulator/http/http_request_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace skyflow::emulator {
namespace {

using Result = HttpRequestParser::Result;

HttpRequestParser::Limits SmallLimits() {
  HttpRequestParser::Limits limits;
  limits.max_header_bytes = 1024;
  limits.max_headers = 8;
  limits.max_body_bytes = 64;
  return limits;
}

// What a connection does: parse from the start of the unconsumed bytes,
// hand over complete requests, keep the rest.
struct ParsedRequest {
  std::string method;
  std::string target;
  std::string body;
  bool keep_alive = false;
  std::string content_type;
};

std::vector<ParsedRequest> ParseAll(HttpRequestParser* parser, std::string* buffer) {
  std::vector<ParsedRequest> requests;
  for (int guard = 0; guard < 100; ++guard) {
    if (parser->Parse(buffer->data(), buffer->size()) != Result::kComplete) break;
    const HttpRequest& request = parser->request();
    requests.push_back({std::string(request.method), std::string(request.target),
                        std::string(request.body), request.keep_alive,
                        std::string(request.Header("content-type"))});
    buffer->erase(0, parser->consumed());
    parser->Reset();
  }
  return requests;
}

TEST(HttpRequestParserTest, ParsesASimpleRequest) {
  HttpRequestParser parser(SmallLimits());
  const std::string text = "GET /emulator/v1/stats?x=1 HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n";
  ASSERT_EQ(parser.Parse(text.data(), text.size()), Result::kComplete);
  const HttpRequest& request = parser.request();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/emulator/v1/stats");
  EXPECT_EQ(request.query, "x=1");
  EXPECT_EQ(request.Header("HOST"), "a");
  EXPECT_EQ(request.Header("x-empty"), "");
  EXPECT_TRUE(request.body.empty());
  EXPECT_TRUE(request.keep_alive);
  EXPECT_EQ(parser.consumed(), text.size());
}

TEST(HttpRequestParserTest, ParsesPipelinedRequestsFromOneBuffer) {
  HttpRequestParser parser(SmallLimits());
  std::string buffer =
      "POST /a HTTP/1.1\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\nhello"
      "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "GET /c HTTP/1.1\r\nConnection: close\r\n\r\n"
      "GET /d HT";  // the start of a fourth
  const auto requests = ParseAll(&parser, &buffer);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/a");
  EXPECT_EQ(requests[0].body, "hello");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[1].target, "/b");
  EXPECT_EQ(requests[1].body, "abc");
  EXPECT_EQ(requests[2].target, "/c");
  EXPECT_FALSE(requests[2].keep_alive);
  EXPECT_EQ(buffer, "GET /d HT");
  EXPECT_TRUE(parser.InProgress());
}

// A request delivered one byte per read must come out the same as whole.
TEST(HttpRequestParserTest, ReassemblesRequestsArrivingByteByByte) {
  const std::string stream =
      "\r\nPOST /v1/vaults/v/t HTTP/1.1\r\nContent-Length: 11\r\n\r\n{\"a\":\"xyz\"}"
      "POST /x HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n"
      "4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nTrailer: yes\r\n\r\n";
  HttpRequestParser parser(SmallLimits());
  std::string buffer;
  std::vector<ParsedRequest> requests;
  for (const char c : stream) {
    buffer.push_back(c);
    for (auto& request : ParseAll(&parser, &buffer))
      requests.push_back(request);
  }
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/v1/vaults/v/t");
  EXPECT_EQ(requests[0].body, "{\"a\":\"xyz\"}");
  EXPECT_EQ(requests[1].body, "wikipedia");
  EXPECT_TRUE(buffer.empty());
}

TEST(HttpRequestParserTest, ToleratesBareLineFeeds) {
  HttpRequestParser parser(SmallLimits());
  std::string buffer = "POST /a HTTP/1.1\nContent-Length: 2\n\nok";
  const auto requests = ParseAll(&parser, &buffer);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, "ok");
}

TEST(HttpRequestParserTest, KeepAliveFollowsTheVersionAndConnectionHeader) {
  HttpRequestParser parser(SmallLimits());
  std::string buffer =
      "GET /a HTTP/1.0\r\n\r\n"
      "GET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
      "GET /c HTTP/1.1\r\nConnection: foo, close\r\n\r\n";
  const auto requests = ParseAll(&parser, &buffer);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_FALSE(requests[0].keep_alive);
  EXPECT_TRUE(requests[1].keep_alive);
  EXPECT_FALSE(requests[2].keep_alive);
}

TEST(HttpRequestParserTest, AsksForContinueOnceWhenTheBodyIsMissing) {
  HttpRequestParser parser(SmallLimits());
  std::string buffer = "POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
  EXPECT_EQ(parser.Parse(buffer.data(), buffer.size()), Result::kIncomplete);
  EXPECT_TRUE(parser.TakeContinueDue());
  EXPECT_FALSE(parser.TakeContinueDue());
  buffer += "ab";
  EXPECT_EQ(parser.Parse(buffer.data(), buffer.size()), Result::kIncomplete);
  EXPECT_FALSE(parser.TakeContinueDue());
  buffer += "cd";
  ASSERT_EQ(parser.Parse(buffer.data(), buffer.size()), Result::kComplete);
  EXPECT_EQ(parser.request().body, "abcd");
}

TEST(HttpRequestParserTest, NoContinueWhenTheBodyCameWithTheHead) {
  HttpRequestParser parser(SmallLimits());
  const std::string text = "POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx";
  EXPECT_EQ(parser.Parse(text.data(), text.size()), Result::kComplete);
  EXPECT_FALSE(parser.TakeContinueDue());
}

struct BadRequestCase {
  const char* name;
  std::string text;
  int status;
};

class HttpRequestParserErrorTest : public ::testing::TestWithParam<BadRequestCase> {};

TEST_P(HttpRequestParserErrorTest, RefusesWithTheRightStatus) {
  HttpRequestParser parser(SmallLimits());
  const BadRequestCase& bad = GetParam();
  ASSERT_EQ(parser.Parse(bad.text.data(), bad.text.size()), Result::kError);
  EXPECT_EQ(parser.error_status(), bad.status);
  EXPECT_FALSE(parser.error_message().empty());
  // Errors are sticky: the connection's framing is lost.
  EXPECT_EQ(parser.Parse(bad.text.data(), bad.text.size()), Result::kError);
}

INSTANTIATE_TEST_SUITE_P(
    BadRequests, HttpRequestParserErrorTest,
    ::testing::Values(
        BadRequestCase{"NoVersion", "GET /a\r\n\r\n", 400},
        BadRequestCase{"BadMethod", "G(T /a HTTP/1.1\r\n\r\n", 400},
        BadRequestCase{"AbsoluteTarget", "GET http://x/a HTTP/1.1\r\n\r\n", 400},
        BadRequestCase{"Http2", "GET /a HTTP/2.0\r\n\r\n", 505},
        BadRequestCase{"NotHttp", "GET /a FTP/1.1\r\n\r\n", 400},
        BadRequestCase{"NoColon", "GET /a HTTP/1.1\r\nHost a\r\n\r\n", 400},
        BadRequestCase{"SpaceBeforeColon", "GET /a HTTP/1.1\r\nHost : a\r\n\r\n", 400},
        BadRequestCase{"Folding", "GET /a HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400},
        BadRequestCase{"BadLength", "POST /a HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400},
        BadRequestCase{"ConflictingLengths",
                       "POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
        BadRequestCase{
            "LengthAndChunked",
            "POST /a HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        BadRequestCase{"Gzip", "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
        BadRequestCase{"BodyTooLarge", "POST /a HTTP/1.1\r\nContent-Length: 65\r\n\r\n", 400},
        BadRequestCase{"ChunkTooLarge",
                       "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 400},
        BadRequestCase{"ChunksTooLarge",
                       "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" +
                           std::string(32, 'x') + "\r\n21\r\n",
                       400},
        BadRequestCase{"BadChunkSize",
                       "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        BadRequestCase{"ChunkWithoutCrlf",
                       "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy", 400},
        BadRequestCase{"HeadTooLarge", "GET /a HTTP/1.1\r\nA: " + std::string(2000, 'a'), 431},
        BadRequestCase{"TooManyHeaders",
                       "GET /a HTTP/1.1\r\n" +
                           [] {
                             std::string headers;
                             for (int i = 0; i < 9; ++i)
                               headers += "H" + std::to_string(i) + ": v\r\n";
                             return headers;
                           }() +
                           "\r\n",
                       431},
        BadRequestCase{"ControlInValue", std::string("GET /a HTTP/1.1\r\nA: b\x01\r\n\r\n"), 400}),
    [](const ::testing::TestParamInfo<BadRequestCase>& test) { return test.param.name; });

TEST(HttpRequestParserTest, BodyOverTheLimitGetsTheConfiguredStatusAndNamesTheLimit) {
  for (const int status : {400, 413}) {
    HttpRequestParser::Limits limits = SmallLimits();
    limits.body_limit_status = status;
    for (const std::string text :
         {"POST /a HTTP/1.1\r\nContent-Length: 65\r\n\r\n",
          "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n",
          "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abcdef\r\n"}) {
      HttpRequestParser parser(limits);
      ASSERT_EQ(parser.Parse(text.data(), text.size()), Result::kError) << text;
      EXPECT_EQ(parser.error_status(), status) << text;
      EXPECT_NE(parser.error_message().find("limit of 64 bytes (--max-body-bytes)"),
                std::string::npos)
          << parser.error_message();
    }
  }
}

TEST(HttpRequestParserTest, ResetAfterALargeChunkedBodyStillWorks) {
  HttpRequestParser::Limits limits;
  limits.max_body_bytes = 4 << 20;
  HttpRequestParser parser(limits);
  const std::string chunk(2 << 20, 'z');
  std::string buffer = "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n" + chunk +
                       "\r\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
  const auto requests = ParseAll(&parser, &buffer);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body.size(), chunk.size());
  EXPECT_EQ(requests[1].target, "/b");
}

}  // namespace
}  // namespace skyflow::emulator
