#include "harness/subprocess.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/temp_dir.h"

extern char** environ;

namespace skyflow::testing {
namespace {

std::atomic<int> process_counter{0};

// What every sanitizer prints when it reports: a summary line (ASan, LSan,
// UBSan, TSan), or the headline when a report is cut short.
constexpr const char* kSanitizerMarkers[] = {
    "SUMMARY: AddressSanitizer", "SUMMARY: LeakSanitizer",  "SUMMARY: UndefinedBehaviorSanitizer",
    "SUMMARY: ThreadSanitizer",  "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
    "WARNING: ThreadSanitizer",  "runtime error:"};

// Unlike ReadFile, missing is not a failure: the directory may be gone.
std::string ReadIfPresent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

Subprocess::Subprocess(const std::string& program, const std::vector<std::string>& args,
                       const std::string& log_dir, const std::map<std::string, std::string>& env)
    : program_(program) {
  const int id = process_counter.fetch_add(1);
  out_path_ = log_dir + "/process-" + std::to_string(id) + ".out";
  err_path_ = log_dir + "/process-" + std::to_string(id) + ".err";

  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    const size_t equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [key, value] : env)
    merged[key] = value;
  std::vector<std::string> env_storage;
  for (const auto& [key, value] : merged)
    env_storage.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (std::string& entry : env_storage)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // The child works in the test's directory: files it creates by default
  // (a run directory, a list file) stay out of the build tree.
  posix_spawn_file_actions_addchdir_np(&actions, log_dir.c_str());
  if (posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
}

Subprocess::~Subprocess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    FailOnSanitizerReport(ReadIfPresent(err_path_));
  }
}

void Subprocess::FailOnSanitizerReport(const std::string& err) const {
  for (const char* marker : kSanitizerMarkers) {
    if (err.find(marker) != std::string::npos) {
      ADD_FAILURE() << "sanitizer report from " << program_ << ":\n" << err;
      return;
    }
  }
}

void Subprocess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

std::string Subprocess::StderrSoFar() const {
  return ReadFile(err_path_);
}

ProcessResult Subprocess::Wait(std::chrono::milliseconds deadline) {
  ProcessResult result;
  if (pid_ <= 0) {
    result.err = "could not start the process";
    return result;
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (std::chrono::steady_clock::now() >= until) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.out = ReadFile(out_path_);
  result.err = ReadFile(err_path_);
  FailOnSanitizerReport(result.err);
  return result;
}

ProcessResult RunProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& log_dir, std::chrono::milliseconds deadline,
                         const std::map<std::string, std::string>& env) {
  Subprocess process(program, args, log_dir, env);
  return process.Wait(deadline);
}

}  // namespace skyflow::testing
