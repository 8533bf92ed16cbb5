#include "harness/http_get.h"

#include <curl/curl.h>

namespace skyflow::testing {
namespace {

size_t Append(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

HttpReply Perform(CURL* curl, const std::string& url, curl_slist* headers) {
  HttpReply reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_easy_cleanup(curl);
  if (headers != nullptr) curl_slist_free_all(headers);
  return reply;
}

}  // namespace

HttpReply HttpGet(const std::string& url, const std::string& ca_file) {
  CURL* curl = curl_easy_init();
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  return Perform(curl, url, nullptr);
}

HttpReply HttpPost(const std::string& url, const std::string& body,
                   const std::string& bearer_token) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!bearer_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer_token).c_str());
  }
  return Perform(curl, url, headers);
}

}  // namespace skyflow::testing
