// RunDirectory: where a load keeps its state, so that it can be resumed and
// audited: run.json (the manifest: the flags the run was started with,
// secrets left out, and what identifies each vault's source), one checkpoint
// journal and one error log per vault, and the summary.
//
//   skyflow-run_20261130_061500/
//     run.json
//     checkpoint_NAME.journal
//     error_log_NAME_20261130_061500.jsonl   (mode 0600, only if a row failed)
//     summary.json
//     runs.jsonl         one line when each run starts and one when it ends
//     lock               held by the loader working in it (RunDirectoryLock)
//     metrics_addr       with -metrics-addr, while the loader runs: where its
//                        metrics page listens ("127.0.0.1:40123\n")
//     metrics.prom       with -metrics-addr: the last metrics page of the run
//
// The directory is created with mode 0700: its files hold sensitive values.
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "source/record_source.h"
#include "util/status.h"

namespace skyflow {

inline constexpr char kRunDirectoryPrefix[] = "skyflow-run_";
inline constexpr char kRunManifestFile[] = "run.json";
inline constexpr char kSummaryFile[] = "summary.json";
inline constexpr char kMetricsAddressFile[] = "metrics_addr";
inline constexpr char kFinalMetricsFile[] = "metrics.prom";

struct ManifestVault {
  std::string name;
  std::string error_log;  // file name within the run directory
  std::string journal;    // file name within the run directory
  std::vector<SourceFact> source;
};

struct RunManifest {
  std::string started;                 // local time, YYYYMMDD_HHMMSS
  std::vector<std::string> arguments;  // without secrets, -resume and -run-dir
  std::vector<ManifestVault> vaults;

  const ManifestVault* FindVault(const std::string& name) const;
};

// "skyflow-run_<started>" under the working directory, or with "-2", "-3"...
// after it when a run started within the same second.
std::string DefaultRunDirectory(const std::string& started);

// File names within the run directory for a vault (its name made safe for a
// file name).
std::string ErrorLogFileName(const std::string& vault, const std::string& started);
std::string JournalFileName(const std::string& vault);

// The most recently started run directory under `parent`: of its
// subdirectories holding a run.json, the one whose manifest was written last.
// NotFound when there is none.
Result<std::string> LatestRunDirectory(const std::string& parent);

// Creates `directory` (mode 0700) for a new run; refuses one that already
// holds a run.
Status CreateRunDirectory(const std::string& directory);

// Held while a loader works in a run directory (flock on "<dir>/lock", which
// also holds the holder's process id): a second loader refuses to start
// there, so two runs never write the same journals. Released when the
// object goes, or when the process ends however it ends.
class RunDirectoryLock {
 public:
  static Result<std::unique_ptr<RunDirectoryLock>> Acquire(const std::string& directory);
  // Who holds the lock now, without waiting and without taking it for more
  // than an instant (a shared lock, released at once): nullopt when no
  // process does, else the process id it recorded ("unknown" when it
  // recorded none yet). Never creates the lock file.
  static Result<std::optional<std::string>> Holder(const std::string& directory);
  ~RunDirectoryLock();
  RunDirectoryLock(const RunDirectoryLock&) = delete;
  RunDirectoryLock& operator=(const RunDirectoryLock&) = delete;

 private:
  explicit RunDirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

Result<RunManifest> ReadRunManifest(const std::string& directory);
Status WriteRunManifest(const std::string& directory, const RunManifest& manifest);

// The history of the runs of one load (runs.jsonl), so that a resumed run can
// show what each earlier one did, even one that was killed (it has a start
// line and no end line: what it settled is what the next run started from).
struct RunEvent {
  int run = 0;           // 1 for the first run of the load
  bool end = false;      // a start line, or an end line
  std::string time;      // RFC 3339, UTC
  uint64_t settled = 0;  // rows settled over all vaults (checkpoints) at that time
  std::string outcome;   // end lines: "complete", "incomplete", "interrupted", "stopped"
};

Status AppendRunEvent(const std::string& directory, const RunEvent& event);
// Unreadable lines (a torn tail) are skipped: the history is informative.
std::vector<RunEvent> ReadRunEvents(const std::string& directory);

// One line per run, for the summary of a resumed load:
//   "run 1  2026-11-30T06:15:00Z  stopped without an end (killed?)  12,000 rows settled"
// The last run, when it has no end line, is "running" if `last_may_run`
// (a loader holds the directory), else stopped without an end; the rows it
// settled are counted up to `settled_now` (the checkpoints' rows now) when
// given.
std::vector<std::string> DescribeRuns(const std::vector<RunEvent>& events, bool last_may_run = true,
                                      std::optional<uint64_t> settled_now = std::nullopt);

// Empty when `now` identifies the same input as `before`; otherwise what
// differs, for a message ("data file size: 1200 then, 1500 now").
std::string DescribeSourceChange(const std::vector<SourceFact>& before,
                                 const std::vector<SourceFact>& now);

}  // namespace skyflow
