#include "harness/curl_cli.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "util/ascii.h"

namespace skyflow::testing {

std::string CurlExchange::Header(const std::string& name) const {
  size_t start = 0;
  while (start < headers.size()) {
    size_t end = headers.find('\n', start);
    if (end == std::string::npos) end = headers.size();
    const std::string line = headers.substr(start, end - start);
    const size_t colon = line.find(':');
    if (colon != std::string::npos &&
        EqualsIgnoreCase(std::string_view(line).substr(0, colon), name)) {
      std::string value = line.substr(colon + 1);
      const size_t first = value.find_first_not_of(" \t");
      const size_t last = value.find_last_not_of(" \t\r");
      return first == std::string::npos ? "" : value.substr(first, last - first + 1);
    }
    start = end + 1;
  }
  return "";
}

CurlExchange RunCurl(const CurlRequest& request, const std::string& work_dir) {
  static std::atomic<int> sequence{0};
  const std::string stem = work_dir + "/curl-" + std::to_string(sequence++);
  std::vector<std::string> args{
      "--silent",      "--show-error", "--request",
      request.method,  "--max-time",   std::to_string(request.max_seconds),
      "--dump-header", stem + ".head", "--output",
      stem + ".body",  "--write-out",  "%{http_code} %{time_total}"};
  if (!request.body.empty()) {
    WriteFile(stem + ".request", request.body);
    args.insert(args.end(), {"--header", "Content-Type: application/json", "--data-binary",
                             "@" + stem + ".request"});
  }
  if (!request.bearer_token.empty()) {
    // From a file, so the token is not on the command line.
    WriteFile(stem + ".auth", "Authorization: Bearer " + request.bearer_token + "\n");
    args.insert(args.end(), {"--header", "@" + stem + ".auth"});
  }
  args.insert(args.end(), request.extra.begin(), request.extra.end());
  args.push_back(request.url);
  const auto deadline =
      std::chrono::milliseconds(static_cast<int64_t>(request.max_seconds * 1000) + 10000);
  const ProcessResult result = RunProcess("/usr/bin/curl", args, work_dir, deadline);
  CurlExchange exchange;
  exchange.exit_code = result.exit_code;
  std::sscanf(result.out.c_str(), "%ld %lf", &exchange.status, &exchange.seconds);
  if (std::filesystem::exists(stem + ".head")) exchange.headers = ReadFile(stem + ".head");
  if (std::filesystem::exists(stem + ".body")) exchange.body = ReadFile(stem + ".body");
  return exchange;
}

}  // namespace skyflow::testing
