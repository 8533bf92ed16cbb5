#include "emulator/admin/faults_endpoint.h"

#include "emulator/api/api_error.h"
#include "emulator/faults/fault_plan_json.h"

namespace skyflow::emulator {

void FaultsEndpoint::Get(HttpResponse* response) const {
  response->status = 200;
  response->body = FaultPlanToJson(control_->Current()->plan);
}

void FaultsEndpoint::Put(std::string_view body, HttpResponse* response) const {
  Result<FaultPlan> plan = ParseFaultPlanJson(body, "fault plan");
  if (!plan.ok()) {
    WriteApiError(400, plan.status().message(), response);
    return;
  }
  response->status = 200;
  response->body = FaultPlanToJson(plan.value());
  control_->Replace(std::move(plan.value()));
}

void FaultsEndpoint::Delete(HttpResponse* response) const {
  control_->Replace(FaultPlan{});
  Get(response);
}

}  // namespace skyflow::emulator
