// HttpCall: one blocking HTTP request of any method, on libcurl directly (not
// the loader's code), with the status, body and Content-Type of the answer,
// for conformance tests that check what the emulator answers against the
// spec. 10 s timeout; status 0 when there was no answer.
#pragma once

#include <string>

namespace skyflow::testing {

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string content_type;
};

// `body` is sent (with Content-Type: application/json) when not empty;
// `bearer_token` as "Authorization: Bearer <token>" when not empty;
// `ca_file`: a PEM bundle to trust for https URLs (empty: the system's).
HttpAnswer HttpCall(const std::string& method, const std::string& url, const std::string& body = "",
                    const std::string& bearer_token = "", const std::string& ca_file = "");

// The two most common calls, by name.
inline HttpAnswer HttpGet(const std::string& url, const std::string& ca_file = "") {
  return HttpCall("GET", url, "", "", ca_file);
}
inline HttpAnswer HttpPost(const std::string& url, const std::string& body,
                           const std::string& bearer_token = "") {
  return HttpCall("POST", url, body, bearer_token);
}

// Percent-encodes `text` for a query string (RFC 3986 unreserved kept).
std::string UrlEncode(const std::string& text);

}  // namespace skyflow::testing
