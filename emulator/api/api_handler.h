// ApiHandler: the HttpHandler of one worker: routes each request, checks the
// bearer token and injects faults on the vault API, hands the request to the
// endpoint's handler, and counts the answer.
//
// Order for a vault API request: route (404, 405), path check (400),
// authentication (401), fault (429/503/500/408 per --fault-*), then the
// endpoint. Admin endpoints (/emulator/v1/...) skip authentication and
// faults. Every error uses the API's error shape. One per worker thread; not
// synchronised (what it shares lives in VaultEmulator).
#pragma once

#include "emulator/admin/admin_handler.h"
#include "emulator/admin/export_handler.h"
#include "emulator/api/delete_handler.h"
#include "emulator/api/detokenize_handler.h"
#include "emulator/api/insert_handler.h"
#include "emulator/api/read_handler.h"
#include "emulator/api/router.h"
#include "emulator/faults/fault_injector.h"
#include "emulator/http/http_handler.h"

namespace skyflow::emulator {

class VaultEmulator;

class ApiHandler : public HttpHandler {
 public:
  ApiHandler(VaultEmulator* emulator, int worker_index);

  void Handle(const HttpRequest& request, HttpResponse* response) override;
  void HandleProtocolError(int status, std::string_view message, std::string_view request_id,
                           HttpResponse* response) override;

 private:
  void Dispatch(const HttpRequest& request, HttpResponse* response);
  // True when the request may go on; otherwise the response is written.
  bool Authenticate(const HttpRequest& request, HttpResponse* response);
  bool InjectFault(HttpResponse* response);
  // For the vault API routes beyond insert: the first `params` path
  // parameters must be UTF-8 (400), then authentication and faults as for
  // insert. True when the request may go on.
  bool AdmitVaultRequest(const HttpRequest& request, const Router::Match& match, size_t params,
                         HttpResponse* response);

  VaultEmulator* emulator_;
  FaultInjector faults_;
  InsertHandler insert_;
  AdminHandler admin_;
  ReadHandler read_;
  DeleteHandler delete_;
  DetokenizeHandler detokenize_;
  ExportHandler export_;
};

}  // namespace skyflow::emulator
