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
#include "emulator/faults/fault_injector.h"
#include "emulator/http/http_handler.h"
#include "emulator/api/insert_handler.h"
#include "emulator/api/batch_handler.h"

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

  VaultEmulator* emulator_;
  FaultInjector faults_;
  InsertHandler insert_;
  BatchHandler batch_;
  AdminHandler admin_;
};

}  // namespace skyflow::emulator
