// Fuzz target: the command-line parser (app/flags.h) on arbitrary argument
// lists. Checks that:
//   - it never crashes, and fails only with InvalidArgument and a message;
//   - the value of a secret flag (-token, -sf-password, -pg-dsn, -target), given as
//     "-token=VALUE" or "-token VALUE", never appears in the message: each
//     such value is replaced by a canary before parsing, and the message
//     must not contain the canary;
//   - a command line that parses keeps the secret it was given.
// Input: the arguments (without the program name), separated by NUL bytes.
// Links: skyflow_app
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/flags.h"
#include "fuzz_support.h"

namespace skyflow {
namespace {

constexpr std::string_view kCanary = "CANARY.secret.7f3a";

// Arguments past this are not worth the time: the parser reads them one by
// one, the same way.
constexpr size_t kMaxArguments = 64;

struct FlagToken {
  std::string_view name;
  std::optional<std::string_view> value;
};

// As the parser splits an argument: "-name", "--name", "-name=value".
std::optional<FlagToken> SplitFlag(std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-') return std::nullopt;
  const std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
  const size_t equals = body.find('=');
  FlagToken token{body.substr(0, equals), std::nullopt};
  if (equals != std::string_view::npos) token.value = body.substr(equals + 1);
  return token;
}

bool IsHelpName(std::string_view name) {
  return name == "h" || name == "help";
}

// An argument the parser reads as a flag, not as the value of the one before.
bool IsDefinedFlag(std::string_view arg) {
  if (arg == "--") return true;
  const std::optional<FlagToken> token = SplitFlag(arg);
  return token && (FindFlag(token->name) != nullptr || IsHelpName(token->name));
}

// Replaces the value of every secret flag in `args` by the canary, walking
// the arguments as the parser does (flags.h: Go's syntax), and returns how
// many it replaced. Stops where the parser would stop with an error.
size_t PlantCanaries(std::vector<std::string>* args) {
  size_t planted = 0;
  // A leading "verify" names the command; flags follow it.
  const size_t first = !args->empty() && (*args)[0] == "verify" ? 1 : 0;
  for (size_t i = first; i < args->size(); ++i) {
    const std::string_view arg = (*args)[i];
    const std::optional<FlagToken> token = SplitFlag(arg);
    if (arg == "--" || !token || token->name.empty() || token->name.front() == '-') break;
    const FlagSpec* flag = FindFlag(token->name);
    if (flag == nullptr) break;
    if (flag->IsBool()) continue;
    if (token->value) {
      if (flag->secret) {
        (*args)[i] = std::string(arg.substr(0, arg.find('=') + 1)) + std::string(kCanary);
        ++planted;
      }
      continue;
    }
    if (i + 1 == args->size() || IsDefinedFlag((*args)[i + 1])) break;
    ++i;
    if (flag->secret) {
      (*args)[i] = std::string(kCanary);
      ++planted;
    }
  }
  return planted;
}

}  // namespace
}  // namespace skyflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace skyflow;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  while (!input.empty() && args.size() < kMaxArguments) {
    const size_t end = input.find('\0');
    args.emplace_back(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  }
  // The canary stands for a secret only where nothing else could print it.
  for (const std::string& arg : args) {
    if (arg.find(kCanary) != std::string::npos) return 0;
  }
  const size_t planted = PlantCanaries(&args);

  const Result<CommandLine> parsed = ParseCommandLine(std::span<const std::string>(args));
  if (!parsed.ok()) {
    const Status& status = parsed.status();
    FUZZ_CHECK(status.code() == StatusCode::kInvalidArgument && !status.message().empty(),
               fuzz::Describe(status));
    FUZZ_CHECK(status.message().find(kCanary) == std::string::npos,
               "a secret in the message: " + status.message());
    return 0;
  }
  if (planted > 0 && !parsed->help_requested) {
    // Every flag the registry marks secret.
    const bool kept = (parsed->token && *parsed->token == kCanary) ||
                      (parsed->sf_password && *parsed->sf_password == kCanary) ||
                      (parsed->pg_dsn && *parsed->pg_dsn == kCanary) ||
                      (parsed->target && *parsed->target == kCanary);
    FUZZ_CHECK(kept, "a secret given and parsed, but not kept");
  }
  return 0;
}
