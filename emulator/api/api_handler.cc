#include "emulator/api/api_handler.h"

#include <string>

#include "emulator/api/api_error.h"
#include "emulator/common/random.h"
#include "emulator/common/unix_clock.h"
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

// The limits and conflict status both insert endpoints apply.
InsertHandler::Options WriteOptions(const VaultEmulatorConfig& config) {
  return InsertHandler::Options{config.max_records_per_request, config.conflict_status};
}

}  // namespace

ApiHandler::ApiHandler(VaultEmulator* emulator, int worker_index)
    : emulator_(emulator),
      // Every worker draws faults from the same seed: draw n goes to the
      // n-th request, whichever worker serves it.
      faults_(&emulator->faults(), &emulator->fault_counters(), emulator->config().seed),
      insert_(&emulator->store(), WriteOptions(emulator->config()),
              DeriveSeed(emulator->id_seed(), 2 * static_cast<uint64_t>(worker_index) + 1),
              emulator->config().token_format),
      batch_(&emulator->store(), WriteOptions(emulator->config()),
             // Stream 2w+1 is the insert handler's.
             DeriveSeed(emulator->id_seed(),
                        2 * static_cast<uint64_t>(worker_index) + (uint64_t{1} << 32)),
             emulator->config().token_format),
      service_account_token_(&emulator->service_account_keys(), emulator->access_token_issuer(),
                             emulator->config().sa_token_uri),
      admin_(&emulator->store(), &emulator->counters(), &emulator->fault_counters()),
      faults_endpoint_(&emulator->faults()),
      read_(&emulator->store(), ReadHandler::Options{emulator->config().max_read_limit,
                                                     emulator->config().empty_read_status}),
      delete_(&emulator->store()),
      detokenize_(&emulator->store()),
      export_(&emulator->store()) {}

bool ApiHandler::OnHead(std::string_view method, std::string_view path, uint64_t* ticket) {
  const Router::Match match = emulator_->router().Find(method, path);
  if (match.kind != Router::Match::Kind::kFound ||
      !IsVaultApi(static_cast<ApiRoute>(match.route))) {
    return true;
  }
  const FaultTicket admitted = faults_.Admit(match.params[0]);
  *ticket = admitted.Pack();
  if (admitted.fault != FaultKind::kReset) return true;
  emulator_->counters().CountUnanswered();
  return false;
}

void ApiHandler::Handle(const HttpRequest& request, HttpResponse* response) {
  // A reset zeroes the counters, its own answer included.
  if (!Dispatch(request, response)) return;
  if (response->delivery == HttpResponse::Delivery::kSend) {
    emulator_->counters().Count(response->status);
  } else {
    emulator_->counters().CountUnanswered();
  }
}

void ApiHandler::HandleProtocolError(int status, std::string_view message,
                                     std::string_view /*request_id*/, HttpResponse* response) {
  WriteApiError(status, message, response);
  emulator_->counters().Count(status);
}

bool ApiHandler::IsVaultApi(ApiRoute route) {
  switch (route) {
    case ApiRoute::kInsert:
    case ApiRoute::kBatch:
    case ApiRoute::kRead:
    case ApiRoute::kDeleteRecords:
    case ApiRoute::kDeleteRecord:
    case ApiRoute::kDetokenize:
      return true;
    default:
      return false;
  }
}

bool ApiHandler::Dispatch(const HttpRequest& request, HttpResponse* response) {
  const Router::Match match = emulator_->router().Find(request.method, request.path);
  if (match.kind == Router::Match::Kind::kNotFound) {
    WriteApiError(404,
                  "Invalid request. No endpoint " + PrintablePath(request.path) +
                      " on this emulator; the vault API is POST /v1/vaults/{vaultID}/{table}",
                  response);
    return true;
  }
  if (match.kind == Router::Match::Kind::kMethodNotAllowed) {
    response->AddHeader("Allow", match.allowed);
    WriteApiError(405,
                  "Method " + PrintablePath(request.method) + " is not allowed on " +
                      PrintablePath(request.path) + "; use " + match.allowed,
                  response);
    return true;
  }
  const auto route = static_cast<ApiRoute>(match.route);
  if (IsVaultApi(route)) {
    ServeVaultApi(route, match, request, response);
    return true;
  }
  switch (route) {
    case ApiRoute::kServiceAccountToken:
      service_account_token_.Handle(request.body, UnixSeconds(), response);
      return true;
    case ApiRoute::kStats:
      admin_.Stats(response);
      return true;
    case ApiRoute::kReset:
      admin_.Reset(response);
      return false;
    case ApiRoute::kGetFaults:
      faults_endpoint_.Get(response);
      return true;
    case ApiRoute::kPutFaults:
      faults_endpoint_.Put(request.body, response);
      return true;
    case ApiRoute::kDeleteFaults:
      faults_endpoint_.Delete(response);
      return true;
    case ApiRoute::kExport:
      export_.Handle(request.query, response);
      return true;
    default:  // the vault API, served above
      return true;
  }
}

void ApiHandler::ServeVaultApi(ApiRoute route, const Router::Match& match,
                               const HttpRequest& request, HttpResponse* response) {
  const std::string_view vault_id = match.params[0];
  for (const std::string_view segment : match.params) {
    if (FindInvalidUtf8(segment)) {
      WriteApiError(400, "Invalid request. The vault ID, table name and skyflow_id must be UTF-8",
                    response);
      return;
    }
  }
  if (!Authenticate(request, response)) return;
  // Admitted when its head arrived (OnHead). Admitted again if the plan was
  // replaced since (its decision belongs to a plan no longer in force), or
  // if the request came another way (a ticket of 0 may also mean that no
  // plan applied: admitting again then costs as little).
  FaultTicket ticket = FaultTicket::Unpack(request.ticket);
  if (request.ticket == 0 || !faults_.IsCurrent(ticket)) ticket = faults_.Admit(vault_id);
  // Ambiguous failures (drop or late answer after commit) only apply to a
  // request that was applied: one the endpoint ran, answered 2xx, and, for
  // a write, that changed something. A refused request stored nothing.
  bool applied = false;
  if (!ApplyVerdict(faults_.BeforeRequest(vault_id, ticket), response)) {
    applied = RunVaultEndpoint(route, match, request, response) && response->status >= 200 &&
              response->status < 300;
  }
  faults_.AfterRequest(vault_id, ticket, applied, response);
}

bool ApiHandler::RunVaultEndpoint(ApiRoute route, const Router::Match& match,
                                  const HttpRequest& request, HttpResponse* response) {
  const std::string_view vault_id = match.params[0];
  switch (route) {
    case ApiRoute::kInsert:
      if (!insert_.Parse(request.body, response)) return false;
      if (ApplyVerdict(faults_.BeforeApply(vault_id, insert_.record_count()), response)) {
        return false;
      }
      insert_.Apply(vault_id, match.params[1], response);
      return true;
    case ApiRoute::kBatch:
      if (!batch_.Parse(vault_id, request.body, response)) return false;
      if (ApplyVerdict(faults_.BeforeApply(vault_id, batch_.record_count()), response)) {
        return false;
      }
      return batch_.Apply(vault_id, response);
    case ApiRoute::kRead:
      read_.Handle(vault_id, match.params[1], request.query, response);
      return true;
    case ApiRoute::kDeleteRecords:
      return delete_.HandleBulk(vault_id, match.params[1], request.body, response);
    case ApiRoute::kDeleteRecord:
      delete_.HandleOne(vault_id, match.params[1], match.params[2], response);
      return true;
    case ApiRoute::kDetokenize:
      detokenize_.Handle(vault_id, request.body, response);
      return true;
    default:
      return false;
  }
}

bool ApiHandler::ApplyVerdict(const FaultVerdict& verdict, HttpResponse* response) {
  switch (verdict.action) {
    case FaultVerdict::Action::kProceed:
      return false;
    case FaultVerdict::Action::kReset:
      response->delivery = HttpResponse::Delivery::kResetConnection;
      return true;
    case FaultVerdict::Action::kAnswerError:
      if (verdict.retry_after_seconds >= 0) {
        response->AddHeader("Retry-After", std::to_string(verdict.retry_after_seconds));
      }
      WriteApiError(verdict.status, verdict.message, response);
      return true;
  }
  return false;
}

bool ApiHandler::Authenticate(const HttpRequest& request, HttpResponse* response) {
  const BearerAuth::Verdict verdict =
      emulator_->auth().Check(request.Header("Authorization"), UnixSeconds());
  if (verdict == BearerAuth::Verdict::kAccepted) return true;
  if (verdict == BearerAuth::Verdict::kExpired) {
    response->AddHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    WriteApiError(401,
                  "Token expired: the bearer token is a service-account access token past its "
                  "exp; get a new one from POST /v1/auth/sa/oauth/token with a fresh assertion",
                  response);
    return false;
  }
  response->AddHeader("WWW-Authenticate", "Bearer");
  WriteApiError(401,
                "Invalid bearer token: send 'Authorization: Bearer <token>' with a token this "
                "emulator was started with (--bearer-token or --bearer-token-file) or an access "
                "token from its POST /v1/auth/sa/oauth/token",
                response);
  return false;
}

}  // namespace skyflow::emulator
