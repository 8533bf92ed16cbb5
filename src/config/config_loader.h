// Config file loading: config.json (the Go loader's format, unchanged) applied
// onto a LoaderConfig.
//
// Contract:
//   - The file is applied over the values already in *config (the defaults),
//     key by key: a key absent from the file, or present with the value null,
//     leaves the field as it was. That is how precedence works: the caller
//     starts from defaults, applies the file, then the environment, then the
//     flags. `skyflow.vaults`, when present, replaces the whole vault list.
//   - Keys are matched exactly, or else case-insensitively, as Go's
//     encoding/json does, so every file the Go loader accepted loads here.
//   - A key this loader does not know is not an error (the Go loader ignored
//     them too) but a warning naming its JSON path, with a suggestion when a
//     known key is close ("performance.batchsize" -> "batch_size"). Warnings
//     are returned, never printed: the caller decides where output goes.
//   - A value of the wrong type (a string for a number, a negative or
//     fractional number for a count, a number for a boolean) is
//     InvalidArgument naming the file and the JSON path. Values of secret
//     keys (bearer_token, password) never appear in a message.
//   - Malformed JSON is ParseError "path:line:column: invalid JSON: reason".
//   - A missing file is NotFound with the path and how to create one; any
//     other read failure is IoError.
//   - On error *config is left unchanged.
// Range checks (batch size at least 1 and the like) are ValidateConfig's job,
// after every layer has been applied. Thread-compatible: no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader_config.h"
#include "util/status.h"

namespace skyflow {

// Reads the file at `path` and applies it onto *config. Warnings (unknown or
// duplicate keys) are appended to *warnings, which may be null.
Status LoadConfigFile(const std::string& path, LoaderConfig* config,
                      std::vector<std::string>* warnings);

// As LoadConfigFile, for JSON text already in memory; `file_name` is the name
// that messages start with.
Status ApplyConfigJson(std::string_view json, std::string_view file_name, LoaderConfig* config,
                       std::vector<std::string>* warnings);

// The candidate closest to `word` by edit distance (case-insensitive, '-' and
// '_' counted as equal), if it is close enough to be a plausible typo; used
// for "did you mean" hints on config keys and flags.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string_view>& candidates);

}  // namespace skyflow
