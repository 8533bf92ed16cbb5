#include "emulator/api/api_handler.h"

#include <string>

#include "emulator/api/api_error.h"
#include "emulator/common/random.h"
#include "emulator/vault_emulator.h"
#include "util/utf8.h"

namespace skyflow::emulator {
namespace {

// A path for an error message: printable ASCII, bounded, so that whatever a
// client sends cannot break the JSON or flood a log.
std::string PrintablePath(std::string_view path) {
  constexpr size_t kMaxShown = 200;
  std::string shown;
  for (size_t i = 0; i < path.size() && i < kMaxShown; ++i) {
    const char c = path[i];
    shown.push_back(c > 0x20 && c < 0x7F ? c : '?');
  }
  if (path.size() > kMaxShown) shown += "...";
  return shown;
}

std::string_view FaultMessage(int status) {
  switch (status) {
    case 429:
      return "Too many requests: rate limit exceeded (injected by the emulator, --fault-429)";
    case 503:
      return "Service unavailable (injected by the emulator, --fault-503)";
    case 500:
      return "Internal server error (injected by the emulator, --fault-500)";
    default:
      return "Request timeout (injected by the emulator, --fault-408)";
  }
}

}  // namespace

ApiHandler::ApiHandler(VaultEmulator* emulator, int worker_index)
    : emulator_(emulator),
      faults_(emulator->config().faults,
              DeriveSeed(emulator->config().seed, 2 * static_cast<uint64_t>(worker_index))),
      insert_(&emulator->store(),
              InsertHandler::Options{emulator->config().max_records_per_request,
                                     emulator->config().conflict_status},
              DeriveSeed(emulator->config().seed, 2 * static_cast<uint64_t>(worker_index) + 1),
              emulator->config().token_format),
      admin_(&emulator->store(), &emulator->counters()),
      read_(&emulator->store(), ReadHandler::Options{emulator->config().max_read_limit,
                                                     emulator->config().empty_read_status}),
      delete_(&emulator->store()),
      detokenize_(&emulator->store()),
      export_(&emulator->store()) {}

void ApiHandler::Handle(const HttpRequest& request, HttpResponse* response) {
  Dispatch(request, response);
  emulator_->counters().Count(response->status);
}

void ApiHandler::HandleProtocolError(int status, std::string_view message,
                                     std::string_view /*request_id*/, HttpResponse* response) {
  WriteApiError(status, message, response);
  emulator_->counters().Count(status);
}

void ApiHandler::Dispatch(const HttpRequest& request, HttpResponse* response) {
  const Router::Match match = emulator_->router().Find(request.method, request.path);
  if (match.kind == Router::Match::Kind::kNotFound) {
    WriteApiError(404,
                  "Invalid request. No endpoint " + PrintablePath(request.path) +
                      " on this emulator; the vault API is POST /v1/vaults/{vaultID}/{table}",
                  response);
    return;
  }
  if (match.kind == Router::Match::Kind::kMethodNotAllowed) {
    response->AddHeader("Allow", match.allowed);
    WriteApiError(405,
                  "Method " + PrintablePath(request.method) + " is not allowed on " +
                      PrintablePath(request.path) + "; use " + match.allowed,
                  response);
    return;
  }
  switch (static_cast<ApiRoute>(match.route)) {
    case ApiRoute::kInsert: {
      const std::string_view vault_id = match.params[0];
      const std::string_view table = match.params[1];
      if (FindInvalidUtf8(vault_id) || FindInvalidUtf8(table)) {
        WriteApiError(400, "Invalid request. The vault ID and table name must be UTF-8", response);
        return;
      }
      if (!Authenticate(request, response) || InjectFault(response)) return;
      insert_.Handle(vault_id, table, request.body, response);
      return;
    }
    case ApiRoute::kStats:
      admin_.Stats(response);
      return;
    case ApiRoute::kReset:
      admin_.Reset(response);
      return;
    case ApiRoute::kRead:
      if (!AdmitVaultRequest(request, match, 2, response)) return;
      read_.Handle(match.params[0], match.params[1], request.query, response);
      return;
    case ApiRoute::kDeleteRecords:
      if (!AdmitVaultRequest(request, match, 2, response)) return;
      delete_.HandleBulk(match.params[0], match.params[1], request.body, response);
      return;
    case ApiRoute::kDeleteRecord:
      if (!AdmitVaultRequest(request, match, 3, response)) return;
      delete_.HandleOne(match.params[0], match.params[1], match.params[2], response);
      return;
    case ApiRoute::kDetokenize:
      if (!AdmitVaultRequest(request, match, 1, response)) return;
      detokenize_.Handle(match.params[0], request.body, response);
      return;
    case ApiRoute::kExport:
      export_.Handle(request.query, response);
      return;
  }
}

bool ApiHandler::AdmitVaultRequest(const HttpRequest& request, const Router::Match& match,
                                   size_t params, HttpResponse* response) {
  for (size_t i = 0; i < params; ++i) {
    if (FindInvalidUtf8(match.params[i])) {
      WriteApiError(400, "Invalid request. The vault ID, table name and skyflow_id must be UTF-8",
                    response);
      return false;
    }
  }
  return Authenticate(request, response) && !InjectFault(response);
}

bool ApiHandler::Authenticate(const HttpRequest& request, HttpResponse* response) {
  if (emulator_->auth().Allows(request.Header("Authorization"))) return true;
  response->AddHeader("WWW-Authenticate", "Bearer");
  WriteApiError(401,
                "Invalid bearer token: send 'Authorization: Bearer <token>' with a token this "
                "emulator was started with (--bearer-token or --bearer-token-file)",
                response);
  return false;
}

bool ApiHandler::InjectFault(HttpResponse* response) {
  const int status = faults_.Decide();
  if (status == 0) return false;
  const int retry_after = faults_.options().retry_after_seconds;
  if ((status == 429 || status == 503) && retry_after > 0) {
    response->AddHeader("Retry-After", std::to_string(retry_after));
  }
  WriteApiError(status, FaultMessage(status), response);
  return true;
}

}  // namespace skyflow::emulator
