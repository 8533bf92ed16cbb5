// The loader's exit codes, as documented in --help and the README.
#pragma once

namespace skyflow {

enum ExitCode : int {
  kExitComplete = 0,    // every record read was loaded (or the command succeeded)
  kExitIncomplete = 1,  // finished, but some records failed or were rejected
  kExitUsage = 2,       // bad flag, configuration or input layout
  kExitAborted = 3,     // a fatal error stopped the run
  kExitInterrupted = 130,
};

}  // namespace skyflow
