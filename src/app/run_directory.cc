#include "app/run_directory.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "util/atomic_file.h"
#include "util/errno_text.h"
#include "util/json_writer.h"
#include "util/small_file.h"

namespace skyflow {
namespace {

constexpr char kManifestName[] = "run.json";
constexpr size_t kMaxManifestBytes = 1024 * 1024;

std::string SafeFileStem(const std::string& name) {
  std::string stem;
  for (char c : name) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    stem.push_back(keep ? c : '_');
  }
  return stem;
}

std::string ManifestPath(const std::string& directory) {
  return (std::filesystem::path(directory) / kManifestName).string();
}

Status BadManifest(const std::string& directory, const std::string& what) {
  return Status::ParseError(ManifestPath(directory) + ": " + what +
                            "; it was not written by this loader, or was edited: start a new run "
                            "(another -run-dir)");
}

}  // namespace

const ManifestVault* RunManifest::FindVault(const std::string& name) const {
  for (const ManifestVault& vault : vaults) {
    if (vault.name == name) return &vault;
  }
  return nullptr;
}

std::string DefaultRunDirectory(const std::string& started) {
  const std::string base = kRunDirectoryPrefix + started;
  std::string candidate = base;
  for (int attempt = 2; std::filesystem::exists(candidate); ++attempt)
    candidate = base + "-" + std::to_string(attempt);
  return candidate;
}

std::string ErrorLogFileName(const std::string& vault, const std::string& started) {
  return "error_log_" + SafeFileStem(vault) + "_" + started + ".jsonl";
}

std::string JournalFileName(const std::string& vault) {
  return "checkpoint_" + SafeFileStem(vault) + ".journal";
}

Result<std::string> LatestRunDirectory(const std::string& parent) {
  std::string latest;
  std::filesystem::file_time_type latest_time{};
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    std::error_code no_manifest;
    const auto written =
        std::filesystem::last_write_time(entry.path() / kManifestName, no_manifest);
    if (no_manifest) continue;
    if (latest.empty() || written > latest_time) {
      latest = entry.path().string();
      latest_time = written;
    }
  }
  if (latest.empty()) {
    return Status::NotFound("no run to resume in " + parent + " (no " + kRunDirectoryPrefix +
                            "* directory with a " + kManifestName +
                            "): pass -run-dir with the directory the run printed at its start");
  }
  return latest;
}

Status CreateRunDirectory(const std::string& directory) {
  if (std::filesystem::exists(ManifestPath(directory))) {
    return Status::InvalidArgument("run directory " + directory +
                                   " already holds a run: pass -resume to go on with it, or "
                                   "choose another -run-dir");
  }
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Status::IoError("cannot create run directory " + directory + ": " + error.message() +
                           "; choose another with -run-dir");
  }
  ::chmod(directory.c_str(), 0700);
  return Status::Ok();
}

namespace {

std::string LockPath(const std::string& directory) {
  return (std::filesystem::path(directory) / "lock").string();
}

// The process id the holder of the lock file `fd` wrote into it.
std::string RecordedHolder(int fd) {
  char holder[32] = {};
  const ssize_t read = ::pread(fd, holder, sizeof(holder) - 1, 0);
  std::string pid = read > 0 ? std::string(holder, static_cast<size_t>(read)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
    pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

Result<std::unique_ptr<RunDirectoryLock>> RunDirectoryLock::Acquire(const std::string& directory) {
  const std::string path = LockPath(directory);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot open " + path + ": " + ErrnoText(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const std::string pid = RecordedHolder(fd);
    ::close(fd);
    return Status::InvalidArgument("run directory " + directory +
                                   " is in use by another loader (process " + pid +
                                   "): wait for it to finish, or stop it, before resuming");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Without the process id the lock still holds; only a message is poorer.
  [[maybe_unused]] const bool noted =
      ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) >= 0;
  return std::unique_ptr<RunDirectoryLock>(new RunDirectoryLock(fd));
}

Result<std::optional<std::string>> RunDirectoryLock::Holder(const std::string& directory) {
  const std::string path = LockPath(directory);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
  if (fd < 0) return Status::IoError("cannot open " + path + ": " + ErrnoText(errno));
  std::optional<std::string> holder;
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
    ::flock(fd, LOCK_UN);
  } else if (errno == EWOULDBLOCK) {
    holder = RecordedHolder(fd);
  } else {
    const int error = errno;
    ::close(fd);
    return Status::IoError("cannot probe the lock " + path + ": " + ErrnoText(error));
  }
  ::close(fd);
  return holder;
}

RunDirectoryLock::~RunDirectoryLock() {
  ::close(fd_);
}

Result<RunManifest> ReadRunManifest(const std::string& directory) {
  Result<std::string> text = ReadSmallFile(ManifestPath(directory), kMaxManifestBytes);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return Status::NotFound(directory + " holds no run to resume (no " + kManifestName +
                              "): check -run-dir, or start a new run without -resume");
    }
    return text.status();
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(*text).get(root)) return BadManifest(directory, "not JSON");
  RunManifest manifest;
  std::string_view started;
  simdjson::dom::array arguments;
  simdjson::dom::array vaults;
  if (root["started"].get(started) || root["arguments"].get(arguments) ||
      root["vaults"].get(vaults)) {
    return BadManifest(directory, "started, arguments or vaults missing");
  }
  manifest.started = std::string(started);
  for (simdjson::dom::element argument : arguments) {
    std::string_view text_argument;
    if (argument.get(text_argument)) return BadManifest(directory, "an argument is not a string");
    manifest.arguments.emplace_back(text_argument);
  }
  for (simdjson::dom::element element : vaults) {
    ManifestVault vault;
    std::string_view name, error_log, journal;
    simdjson::dom::array facts;
    if (element["name"].get(name) || element["error_log"].get(error_log) ||
        element["journal"].get(journal) || element["source"].get(facts)) {
      return BadManifest(directory, "a vault lacks name, error_log, journal or source");
    }
    vault.name = std::string(name);
    vault.error_log = std::string(error_log);
    vault.journal = std::string(journal);
    for (simdjson::dom::element fact : facts) {
      std::string_view fact_name, value;
      if (fact["name"].get(fact_name) || fact["value"].get(value)) {
        return BadManifest(directory, "a source fact lacks name or value");
      }
      vault.source.push_back({std::string(fact_name), std::string(value)});
    }
    manifest.vaults.push_back(std::move(vault));
  }
  return manifest;
}

Status WriteRunManifest(const std::string& directory, const RunManifest& manifest) {
  std::string json;
  JsonWriter writer(&json);
  writer.BeginObject().Field("version", 1).Field("started", manifest.started);
  writer.Key("arguments").BeginArray();
  for (const std::string& argument : manifest.arguments)
    writer.String(argument);
  writer.EndArray().Key("vaults").BeginArray();
  for (const ManifestVault& vault : manifest.vaults) {
    writer.BeginObject()
        .Field("name", vault.name)
        .Field("error_log", vault.error_log)
        .Field("journal", vault.journal)
        .Key("source")
        .BeginArray();
    for (const SourceFact& fact : vault.source) {
      writer.BeginObject().Field("name", fact.name).Field("value", fact.value).EndObject();
    }
    writer.EndArray().EndObject();
  }
  writer.EndArray().EndObject();
  json.push_back('\n');
  return WriteFileAtomically(ManifestPath(directory), json, 0600);
}

std::string DescribeSourceChange(const std::vector<SourceFact>& before,
                                 const std::vector<SourceFact>& now) {
  std::string changes;
  auto add = [&changes](const std::string& text) {
    if (!changes.empty()) changes += "; ";
    changes += text;
  };
  for (const SourceFact& old_fact : before) {
    const SourceFact* same_name = nullptr;
    for (const SourceFact& fact : now) {
      if (fact.name == old_fact.name) same_name = &fact;
    }
    if (same_name == nullptr) {
      add(old_fact.name + ": " + old_fact.value + " then, missing now");
    } else if (same_name->value != old_fact.value) {
      add(old_fact.name + ": " + old_fact.value + " then, " + same_name->value + " now");
    }
  }
  for (const SourceFact& fact : now) {
    bool known = false;
    for (const SourceFact& old_fact : before)
      known = known || old_fact.name == fact.name;
    if (!known) add(fact.name + ": new " + fact.value);
  }
  return changes;
}

Status AppendRunEvent(const std::string& directory, const RunEvent& event) {
  std::string line;
  JsonWriter writer(&line);
  writer.BeginObject()
      .Field("run", event.run)
      .Field("event", event.end ? "end" : "start")
      .Field("time", event.time)
      .Field("settled", event.settled);
  if (event.end) writer.Field("outcome", event.outcome);
  writer.EndObject();
  line.push_back('\n');
  const std::string path = (std::filesystem::path(directory) / "runs.jsonl").string();
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << line;
  out.flush();
  if (!out) return Status::IoError("cannot append to " + path);
  return Status::Ok();
}

std::vector<RunEvent> ReadRunEvents(const std::string& directory) {
  std::vector<RunEvent> events;
  std::ifstream in((std::filesystem::path(directory) / "runs.jsonl").string(), std::ios::binary);
  simdjson::dom::parser parser;
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::element root;
    RunEvent event;
    int64_t run = 0;
    std::string_view kind, time, outcome;
    if (parser.parse(line).get(root) || root["run"].get(run) || root["event"].get(kind) ||
        root["time"].get(time) || root["settled"].get(event.settled)) {
      continue;
    }
    event.run = static_cast<int>(run);
    event.end = kind == "end";
    event.time = std::string(time);
    if (event.end && !root["outcome"].get(outcome)) event.outcome = std::string(outcome);
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<std::string> DescribeRuns(const std::vector<RunEvent>& events, bool last_may_run,
                                      std::optional<uint64_t> settled_now) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].end) continue;
    const RunEvent& start = events[i];
    const RunEvent* end = nullptr;
    const RunEvent* next_start = nullptr;
    for (size_t j = i + 1; j < events.size(); ++j) {
      if (events[j].run != start.run && !events[j].end) {
        next_start = &events[j];
        break;
      }
      if (events[j].run == start.run && events[j].end) end = &events[j];
    }
    std::string line = "run " + std::to_string(start.run) + "  started " + start.time + "  ";
    uint64_t settled_after = 0;
    if (end != nullptr) {
      line += end->outcome + " at " + end->time;
      settled_after = end->settled;
    } else if (next_start != nullptr || !last_may_run) {
      line += "stopped without an end (killed, or the machine went down)";
      settled_after = next_start != nullptr ? next_start->settled : settled_now.value_or(0);
    } else {
      line += "running";
      settled_after = settled_now.value_or(start.settled);
    }
    const uint64_t settled = settled_after > start.settled ? settled_after - start.settled : 0;
    line += "  " + std::to_string(settled) + " rows settled";
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace skyflow
