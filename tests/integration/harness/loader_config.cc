#include "harness/loader_config.h"

namespace skyflow::testing {

std::string LoaderConfigJson(const std::string& url, const std::string& data_dir,
                             const std::vector<TestVault>& vaults, const std::string& performance) {
  std::string json = R"({"skyflow":{"vault_url":")" + url + R"(","vaults":[)";
  for (size_t i = 0; i < vaults.size(); ++i) {
    if (i) json += ",";
    json += R"({"name":")" + vaults[i].name + R"(","id":")" + vaults[i].id + R"(","column":")" +
            vaults[i].column + R"("})";
  }
  json += R"(]},"csv":{"data_directory":")" + data_dir + R"("},)";
  json += R"("performance":{)" + performance + "}}";
  return json;
}

}  // namespace skyflow::testing
