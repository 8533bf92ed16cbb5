// CurlCli: one HTTP exchange made by the curl command-line tool, for
// conformance tests that must see what a client that is neither the loader
// nor libcurl-in-process sees: status, headers and body, and curl's own exit
// code when no answer came (52: empty reply, 56: connection reset, 28:
// timed out), which is how ambiguous failures are pinned.
#pragma once

#include <string>
#include <vector>

namespace skyflow::testing {

struct CurlExchange {
  int exit_code = -1;   // curl's exit code; 0 when an answer arrived
  long status = 0;      // 0 when no answer arrived
  std::string headers;  // the response head, as received
  std::string body;
  double seconds = 0;                                 // curl's time_total
  std::string Header(const std::string& name) const;  // case-insensitive; empty if absent
};

struct CurlRequest {
  std::string method = "GET";
  std::string url;
  std::string body;                // sent when not empty
  std::string bearer_token;        // Authorization: Bearer ... when not empty
  double max_seconds = 10;         // curl --max-time
  std::vector<std::string> extra;  // more curl arguments (--http2, --cacert ...)
};

// Runs curl in `work_dir` (request and response go through files there).
CurlExchange RunCurl(const CurlRequest& request, const std::string& work_dir);

}  // namespace skyflow::testing
