// Minimal blocking HTTP helpers for tests, on libcurl directly (not the
// loader's code), so that what the emulator answers is checked independently.
#pragma once

#include <string>

namespace skyflow::testing {

struct HttpReply {
  long status = 0;  // 0: no answer
  std::string body;
};

// `ca_file`: a PEM bundle to trust for https URLs (empty: the system's).
HttpReply HttpGet(const std::string& url, const std::string& ca_file = "");
HttpReply HttpPost(const std::string& url, const std::string& body,
                   const std::string& bearer_token = "");

}  // namespace skyflow::testing
