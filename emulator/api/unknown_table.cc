#include "emulator/api/unknown_table.h"

#include <string>

#include "emulator/api/api_error.h"

namespace skyflow::emulator {

void WriteUnknownTable(std::string_view vault_id, std::string_view table, HttpResponse* response) {
  WriteApiError(404,
                "Invalid request. Table name " + std::string(table) + " is invalid in vault " +
                    std::string(vault_id) +
                    ". Specify a valid table name (tables exist once a record was inserted)",
                response);
}

}  // namespace skyflow::emulator
