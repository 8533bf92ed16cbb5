// The loader's exit codes, as documented in --help and the README.
#pragma once

namespace skyflow {

enum ExitCode : int {
  // Every record read is in the vault: loaded, or already present with the
  // same token (or the command succeeded).
  kExitComplete = 0,
  // Finished, but some records were rejected, conflicted or failed; or a
  // confirmation was answered no.
  kExitIncomplete = 1,
  kExitUsage = 2,          // bad flag, configuration or input layout
  kExitAborted = 3,        // a fatal error stopped the run
  kExitInterrupted = 130,  // SIGINT (Ctrl-C)
  kExitTerminated = 143,   // SIGTERM
};

}  // namespace skyflow
