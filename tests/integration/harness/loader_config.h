// LoaderConfigJson: the config.json a test gives the loader, for vaults in
// the emulator at `url` and CSV pairs under `data_dir`. `performance` is the
// body of the "performance" object (without braces).
#pragma once

#include <string>
#include <vector>

namespace skyflow::testing {

struct TestVault {
  std::string name, id, column;
};

std::string LoaderConfigJson(const std::string& url, const std::string& data_dir,
                             const std::vector<TestVault>& vaults, const std::string& performance);

}  // namespace skyflow::testing
