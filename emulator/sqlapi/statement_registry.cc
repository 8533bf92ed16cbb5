#include "emulator/sqlapi/statement_registry.h"

#include "emulator/common/uuid.h"

namespace skyflow::emulator::sqlapi {

StatementRegistry::Registration StatementRegistry::Register(
    std::string_view request_id,
    const std::function<std::shared_ptr<Statement>(std::string)>& make) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!request_id.empty()) {
    const auto known = handle_by_request_id_.find(std::string(request_id));
    if (known != handle_by_request_id_.end()) return {by_handle_.at(known->second), false};
  }
  std::string handle = UuidText(RandomUuid(&random_));
  std::shared_ptr<Statement> statement = make(handle);
  by_handle_.emplace(handle, statement);
  if (!request_id.empty()) handle_by_request_id_.emplace(std::string(request_id), handle);
  return {std::move(statement), true};
}

std::shared_ptr<Statement> StatementRegistry::Find(std::string_view handle) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = by_handle_.find(std::string(handle));
  return found == by_handle_.end() ? nullptr : found->second;
}

std::vector<std::shared_ptr<Statement>> StatementRegistry::All() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<Statement>> all;
  all.reserve(by_handle_.size());
  for (const auto& [handle, statement] : by_handle_)
    all.push_back(statement);
  return all;
}

}  // namespace skyflow::emulator::sqlapi
