// ApiHandler: the HttpHandler of one worker: routes each request, checks the
// bearer token and injects faults on the vault API, hands the request to the
// endpoint's handler, and counts the answer.
//
// Order for a vault API request: when its head arrives, the fault draw
// (a reset happens there, before the body is read); then route (404, 405),
// path check (400), authentication (401), faults before processing (a drawn
// error, requests/s limit), the endpoint (with the records/s limit between
// parsing and applying an insert), then faults after processing (drop or
// late answer after commit, latency). Admin endpoints (/emulator/v1/...)
// and the service-account token endpoint (POST /v1/auth/sa/oauth/token,
// authenticated by its assertion) skip bearer authentication and faults.
// Every error uses the API's error shape. One per worker thread; not
// synchronised (what it shares lives in VaultEmulator).
#pragma once

#include "emulator/admin/admin_handler.h"
#include "emulator/admin/export_handler.h"
#include "emulator/admin/faults_endpoint.h"
#include "emulator/api/batch_handler.h"
#include "emulator/api/delete_handler.h"
#include "emulator/api/detokenize_handler.h"
#include "emulator/api/insert_handler.h"
#include "emulator/api/read_handler.h"
#include "emulator/api/router.h"
#include "emulator/api/service_account_token_handler.h"
#include "emulator/faults/fault_injector.h"
#include "emulator/http/http_handler.h"

namespace skyflow::emulator {

class VaultEmulator;
enum class ApiRoute;

class ApiHandler : public HttpHandler {
 public:
  ApiHandler(VaultEmulator* emulator, int worker_index);

  bool OnHead(std::string_view method, std::string_view path, uint64_t* ticket) override;
  void Handle(const HttpRequest& request, HttpResponse* response) override;
  void HandleProtocolError(int status, std::string_view message, std::string_view request_id,
                           HttpResponse* response) override;
  uint64_t ReadRateLimit() override { return faults_.ReadRateLimit(); }

 private:
  static bool IsVaultApi(ApiRoute route);
  // False when the answer is not to be counted (a counter reset).
  bool Dispatch(const HttpRequest& request, HttpResponse* response);
  // True when the request may go on; otherwise the response is written.
  bool Authenticate(const HttpRequest& request, HttpResponse* response);
  // Runs a vault API endpoint between the fault checks.
  void ServeVaultApi(ApiRoute route, const Router::Match& match, const HttpRequest& request,
                     HttpResponse* response);
  // The endpoint itself; false when it refused before applying anything
  // (ambiguous failures then do not apply).
  bool RunVaultEndpoint(ApiRoute route, const Router::Match& match, const HttpRequest& request,
                        HttpResponse* response);
  // Writes what a verdict other than kProceed answers; false for kProceed.
  static bool ApplyVerdict(const FaultVerdict& verdict, HttpResponse* response);

  VaultEmulator* emulator_;
  FaultInjector faults_;
  InsertHandler insert_;
  BatchHandler batch_;
  ServiceAccountTokenHandler service_account_token_;
  AdminHandler admin_;
  FaultsEndpoint faults_endpoint_;
  ReadHandler read_;
  DeleteHandler delete_;
  DetokenizeHandler detokenize_;
  ExportHandler export_;
};

}  // namespace skyflow::emulator
