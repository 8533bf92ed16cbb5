// status (`skyflow-loader status [-run-dir DIR]`): the state of a load, running
// or finished, from its run directory alone (no config, no credentials):
//   - whether a loader works in it now (the holder of its lock, with its
//     process id), and when the load started;
//   - per vault: its source (as run.json identifies it) and its last
//     checkpoint: rows settled by outcome, where a resume starts, its age;
//   - whether the last run finished (summary.json: complete or not, what
//     stopped it) and the runs of the load (runs.jsonl);
//   - while a loader runs with -metrics-addr (recorded in metrics_addr): its
//     live counters, read from its metrics page.
// Without -run-dir: the most recently started run directory in the working
// directory. Output on stdout. Exit codes: 0 shown; 2 no such directory, or
// not a run directory; 3 a file of the run could not be read (a damaged
// journal or run.json: the rest is still shown).
// Runs on the calling thread.
#pragma once

#include <optional>
#include <string>

namespace skyflow {

int RunStatusCommand(const std::optional<std::string>& run_dir);

}  // namespace skyflow
