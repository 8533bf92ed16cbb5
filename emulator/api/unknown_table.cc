#include "emulator/api/unknown_table.h"

#include "emulator/api/api_error.h"

namespace skyflow::emulator {

void WriteUnknownTable(const VaultStore& store, std::string_view vault_id, std::string_view table,
                       HttpResponse* response) {
  WriteApiError(404, store.UnknownTable(vault_id, table).message(), response);
}

}  // namespace skyflow::emulator
